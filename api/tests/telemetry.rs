//! Metrics on `GET /metrics`, and traces and metrics pushed over OTLP to a receiver of the
//! test's own (the exporter's real HTTP/protobuf requests, decoded).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

mod common;

use std::sync::{Arc, Mutex};

use common::process::{free_port, pos_api, sigterm, start_server};
use common::{Backend, TestApp, eventually};
use serde_json::{Value, json};

const SELL: &str = "mutation CreateSale($input: CreateSaleInput!) { createSale(input: $input) { id total { amount } lines { id } } }";
const GIVE_BACK: &str = "mutation RefundSale($input: RefundSaleInput!) { refundSale(input: $input) { id amount { amount } } }";

async fn metrics_text(app: &TestApp) -> String {
    let response = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    response.text().await.unwrap()
}

/// The value of the sample whose name and labels are exactly `series`.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map(|value| value.parse().unwrap())
}

both_backends!(metrics_count_operations_sales_refunds_jobs_and_backups);

async fn metrics_count_operations_sales_refunds_jobs_and_backups(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await.access;
    let location = app.main_location(&admin).await;
    let product = app
        .product(&admin, "MET-1", json!({ "price": "1.00" }))
        .await;
    app.receive(&admin, &location, &product, "10").await;
    let session = app.open_register(&admin, &location, "Till 1").await;

    let sale = json!({ "input": { "idempotencyKey": "met-1", "registerSessionId": session,
        "lines": [{ "productId": product, "quantity": "2" }],
        "payments": [{ "method": "CASH", "amount": "2.00" }] } });
    let sold = app.ok(&admin, SELL, sale.clone()).await["createSale"].clone();
    assert_eq!(sold["total"]["amount"], "2.00");
    // A retry of the same sale is the same sale: not counted again.
    app.ok(&admin, SELL, sale).await;
    app.ok(
        &admin,
        GIVE_BACK,
        json!({ "input": { "idempotencyKey": "met-r1",
        "saleId": sold["id"], "registerSessionId": session, "method": "CASH", "reason": "broken",
        "lines": [{ "saleLineId": sold["lines"][0]["id"], "quantity": "1" }] } }),
    )
    .await;
    let refused = app.gql(None, "{ me { id } }", json!({})).await;
    assert_eq!(common::error_code(&refused), "UNAUTHENTICATED");
    let backup = app.run_backup(&admin).await;
    assert_eq!(backup["status"], "SUCCEEDED", "{backup}");

    let text = metrics_text(&app).await;
    let expect = |series: &str, value: f64| {
        assert_eq!(sample(&text, series), Some(value), "{series} in\n{text}");
    };
    // Labelled by the contract's operation names (a name a client invents is "other").
    expect(
        "pos_graphql_operations_total{code=\"OK\",operation=\"CreateSale\",type=\"mutation\"}",
        2.0,
    );
    expect(
        "pos_graphql_operations_total{code=\"OK\",operation=\"RefundSale\",type=\"mutation\"}",
        1.0,
    );
    expect(
        "pos_graphql_operations_total{code=\"UNAUTHENTICATED\",operation=\"anonymous\",type=\"query\"}",
        1.0,
    );
    expect(
        "pos_graphql_operation_duration_seconds_count{operation=\"CreateSale\",type=\"mutation\"}",
        2.0,
    );
    expect("pos_sales_total", 1.0);
    expect("pos_sales_amount_minor_total", 200.0);
    expect("pos_refunds_total", 1.0);
    expect("pos_refunds_amount_minor_total", 100.0);
    // Jobs: the product's embedding waits (no model in these tests), as the database says.
    let pending = app.count_rows("jobs").await;
    assert!(pending >= 1);
    expect("pos_jobs{status=\"PENDING\"}", pending as f64);
    expect("pos_jobs{status=\"FAILED\"}", 0.0);
    let finished =
        chrono::DateTime::parse_from_rfc3339(backup["finishedAt"].as_str().unwrap()).unwrap();
    expect(
        "pos_backup_last_success_timestamp_seconds",
        finished.timestamp() as f64,
    );
    assert!(
        sample(&text, "pos_backup_last_duration_seconds").is_some_and(|s| s >= 0.0),
        "{text}"
    );
    for kind in ["counter", "histogram", "gauge"] {
        assert!(
            text.contains(&format!(" {kind}\n")),
            "a # TYPE line of {kind}"
        );
    }
    // Never a token or a password, whatever the labels.
    assert!(!text.contains(&admin) && !text.contains(common::ADMIN_PASSWORD));
}

/// What the OTLP receiver got, by path.
type Received = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

async fn otlp_receiver() -> (String, Received) {
    use axum::body::Bytes;
    use axum::extract::{OriginalUri, State};
    let received: Received = Arc::default();
    let router = axum::Router::new()
        .fallback(
            |State(received): State<Received>, OriginalUri(uri): OriginalUri, body: Bytes| async move {
                received.lock().unwrap().push((uri.path().to_owned(), body.to_vec()));
                ""
            },
        )
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    (format!("http://{address}"), received)
}

/// The OTLP requests received on `path`, decoded.
fn decoded<M: prost::Message + Default>(received: &Received, path: &str) -> Vec<M> {
    let received = received.lock().unwrap();
    received
        .iter()
        .filter(|(to, _)| to == path)
        .map(|(_, body)| M::decode(body.as_slice()).unwrap())
        .collect()
}

fn spans(received: &Received) -> Vec<opentelemetry_proto::tonic::trace::v1::Span> {
    use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
    decoded::<ExportTraceServiceRequest>(received, "/v1/traces")
        .into_iter()
        .flat_map(|request| request.resource_spans)
        .flat_map(|resource| resource.scope_spans)
        .flat_map(|scope| scope.spans)
        .collect()
}

fn metric_names(received: &Received) -> Vec<String> {
    use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
    decoded::<ExportMetricsServiceRequest>(received, "/v1/metrics")
        .into_iter()
        .flat_map(|request| request.resource_metrics)
        .flat_map(|resource| resource.scope_metrics)
        .flat_map(|scope| scope.metrics)
        .map(|metric| metric.name)
        .collect()
}

fn attribute(span: &opentelemetry_proto::tonic::trace::v1::Span, key: &str) -> Option<String> {
    use opentelemetry_proto::tonic::common::v1::any_value::Value as Any;
    span.attributes
        .iter()
        .find(|kv| kv.key == key)
        .and_then(|kv| kv.value.as_ref()?.value.as_ref())
        .map(|value| match value {
            Any::StringValue(s) => s.clone(),
            other => format!("{other:?}"),
        })
}

/// Opens a `salesFeed` subscription named `Feed` over graphql-transport-ws, waits for it to
/// be running, and closes the socket (which ends the subscription, and its span).
async fn subscribe_and_leave(port: u16, token: &str) {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    let mut socket = common::ws::connect(&format!("127.0.0.1:{port}"), token).await;
    let ack = common::ws::next_text(&mut socket).await;
    assert!(ack.contains("connection_ack"), "{ack}");
    let locations = common::json_of(
        reqwest::Client::new()
            .post(format!("http://127.0.0.1:{port}/graphql"))
            .bearer_auth(token)
            .json(&json!({ "query": "{ locations { id } }" })),
    )
    .await;
    let location = locations["data"]["locations"][0]["id"].clone();
    let subscribe = json!({ "id": "1", "type": "subscribe", "payload": {
        "query": "subscription Feed($l: ID!) { salesFeed(locationId: $l) { id } }",
        "variables": { "l": location } } });
    socket
        .send(Message::text(subscribe.to_string()))
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    socket.close(None).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn traces_and_metrics_go_out_over_otlp() {
    let (endpoint, received) = otlp_receiver().await;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let password = "otlp-admin-password";
    let (child, _log) = start_server(
        pos_api(dir.path())
            .env("DATA_DIR", dir.path())
            .env("POS_ADMIN_PASSWORD", password)
            .env("EMBEDDINGS", "off")
            .env("OTEL_EXPORTER_OTLP_ENDPOINT", &endpoint)
            .env("OTEL_BSP_SCHEDULE_DELAY", "100")
            .env("OTEL_METRIC_EXPORT_INTERVAL", "300"),
        port,
    );
    let client = reqwest::Client::new();
    let graphql = format!("http://127.0.0.1:{port}/graphql");
    let run = |token: Option<String>, query: &'static str, variables: Value| {
        let mut request = client
            .post(&graphql)
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let login = run(
        None,
        "mutation Login($p: String!) { login(username: \"admin\", password: $p) { accessToken } }",
        json!({ "p": password }),
    )
    .await;
    let token = login["data"]["login"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let me = run(
        Some(token.clone()),
        "query Me { me { username } }",
        json!({}),
    )
    .await;
    assert_eq!(me["data"]["me"]["username"], "admin");
    let refused = run(None, "{ me { id } }", json!({})).await;
    assert_eq!(common::error_code(&refused), "UNAUTHENTICATED");
    subscribe_and_leave(port, &token).await;

    eventually("the operations' spans arrive", || {
        let received = received.clone();
        async move {
            let names: Vec<String> = spans(&received).into_iter().map(|s| s.name).collect();
            [
                "mutation Login",
                "query Me",
                "query anonymous",
                "subscription Feed",
            ]
            .iter()
            .all(|wanted| names.iter().any(|name| name == wanted))
        }
    })
    .await;
    let spans = spans(&received);
    let named = |name: &str| spans.iter().find(|s| s.name == name).unwrap();
    let me = named("query Me");
    assert_eq!(
        attribute(me, "graphql.operation.name").as_deref(),
        Some("Me")
    );
    assert_eq!(
        attribute(me, "graphql.operation.type").as_deref(),
        Some("query")
    );
    assert_eq!(attribute(me, "enduser.role").as_deref(), Some("ADMIN"));
    assert_eq!(attribute(me, "error.code"), None);
    // Inside the request's span, with its statements as child spans.
    let parent = spans
        .iter()
        .find(|s| s.span_id == me.parent_span_id)
        .unwrap();
    assert_eq!(parent.name, "http");
    let statements: Vec<_> = spans
        .iter()
        .filter(|s| s.parent_span_id == me.span_id && s.trace_id == me.trace_id)
        .collect();
    assert!(!statements.is_empty(), "no statement spans under {me:?}");
    for statement in statements {
        assert_eq!(
            attribute(statement, "db.system.name").as_deref(),
            Some("sqlite")
        );
        assert!(
            attribute(statement, "db.query.text")
                .unwrap()
                .starts_with("SELECT")
        );
    }
    let feed = named("subscription Feed");
    assert_eq!(attribute(feed, "enduser.role").as_deref(), Some("ADMIN"));
    assert_eq!(
        attribute(feed, "graphql.operation.type").as_deref(),
        Some("subscription")
    );
    let refused = named("query anonymous");
    assert_eq!(
        attribute(refused, "error.code").as_deref(),
        Some("UNAUTHENTICATED")
    );
    assert_eq!(
        refused.status.as_ref().map(|s| s.code),
        Some(2),
        "status ERROR"
    );
    assert_eq!(
        attribute(named("mutation Login"), "graphql.operation.type").as_deref(),
        Some("mutation")
    );
    // No span carries the password or the token, in any attribute.
    for span in &spans {
        let shown = format!("{span:?}");
        assert!(
            !shown.contains(password) && !shown.contains(&token),
            "{shown}"
        );
    }

    eventually("the operation counter is pushed", || {
        let received = received.clone();
        async move {
            metric_names(&received)
                .iter()
                .any(|name| name == "pos.graphql.operations")
        }
    })
    .await;
    sigterm(&child);
    let mut child = child;
    tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
}
