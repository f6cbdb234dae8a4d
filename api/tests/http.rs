//! The HTTP surface: health, readiness, GraphiQL, limits, error codes, CORS, WebSockets and
//! graceful shutdown, through real requests.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

mod common;

use common::{Backend, error_code};
use futures_util::{SinkExt, StreamExt};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

async fn post_raw(app: &common::TestApp, body: String) -> (StatusCode, Value) {
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

/// `{ __schema { types { fields { type { ofType { … } } } } } }`, `levels` of `ofType` deep.
fn deep_introspection(levels: usize) -> String {
    format!(
        "{{ __schema {{ types {{ fields {{ type {{ {}name{} }} }} }} }} }}",
        "ofType { ".repeat(levels),
        " }".repeat(levels)
    )
}

both_backends!(
    health_and_ready_answer,
    browsers_get_graphiql,
    an_oversized_body_is_refused_and_changes_nothing,
    a_body_that_is_not_a_graphql_request_is_bad_input,
    documents_that_do_not_parse_or_fit_get_their_codes,
    a_too_deep_query_is_refused_before_it_runs,
    graphiqls_own_introspection_fits_the_limits,
    a_too_complex_query_is_refused,
    introspection_can_be_switched_off,
    cors_follows_the_configured_origins,
    websockets_need_a_valid_token_in_connection_init,
    shutting_down_lets_requests_in_flight_finish
);

async fn health_and_ready_answer(backend: Backend) {
    let app = backend.spawn().await;

    let health = app.client.get(app.url("/health")).send().await.unwrap();
    let ready = app.client.get(app.url("/ready")).send().await.unwrap();

    assert_eq!(health.status(), StatusCode::OK);
    assert_eq!(ready.status(), StatusCode::OK);
    assert!(ready.headers().contains_key("x-request-id"));
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(body["checks"]["database"]["status"], "up");
    for dependency in ["redis", "embeddings", "scheduler"] {
        assert!(body["checks"][dependency]["status"].is_string(), "{body}");
    }
}

async fn browsers_get_graphiql(backend: Backend) {
    let app = backend.spawn().await;

    for path in ["/graphql", "/graphiql"] {
        let page = app
            .client
            .get(app.url(path))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert!(html.contains("GraphiQL") && html.contains("/ws"), "{path}");
        assert!(
            !html.contains("https://"),
            "{path} must not need the internet"
        );
    }
    for asset in [
        "graphiql.min.js",
        "graphiql.min.css",
        "react.production.min.js",
        "react-dom.production.min.js",
    ] {
        let file = app
            .client
            .get(app.url(&format!("/graphiql/assets/{asset}")))
            .send()
            .await
            .unwrap();
        assert_eq!(file.status(), StatusCode::OK, "{asset}");
        assert!(file.bytes().await.unwrap().len() > 10_000, "{asset}");
    }
    let not_a_browser = app.client.get(app.url("/graphql")).send().await.unwrap();
    assert_eq!(not_a_browser.status(), StatusCode::METHOD_NOT_ALLOWED);
    let body: Value = not_a_browser.json().await.unwrap();
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
}

async fn an_oversized_body_is_refused_and_changes_nothing(backend: Backend) {
    let app = backend.spawn_with(&[("MAX_BODY_BYTES", "4096")]).await;
    let admin = app.admin().await;
    let users = app.count_rows("users").await;
    let padding = "x".repeat(5000);
    let query = format!(
        "mutation {{ createUser(input: {{username: \"big\", fullName: \"{padding}\", password: \"password-123\", role: CASHIER}}) {{ id }} }}"
    );

    let response = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&admin.access)
        .json(&json!({ "query": query }))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(app.count_rows("users").await, users);
}

async fn a_body_that_is_not_a_graphql_request_is_bad_input(backend: Backend) {
    let app = backend.spawn().await;

    let (status, body) = post_raw(&app, "{not json".into()).await;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
}

async fn documents_that_do_not_parse_or_fit_get_their_codes(backend: Backend) {
    let app = backend.spawn().await;

    let unparsable = app.gql(None, "{ me { id ", json!({})).await;
    let unknown_field = app.gql(None, "{ me { shoeSize } }", json!({})).await;

    assert_eq!(error_code(&unparsable), "GRAPHQL_PARSE_FAILED");
    assert_eq!(error_code(&unknown_field), "GRAPHQL_VALIDATION_FAILED");
}

async fn a_too_deep_query_is_refused_before_it_runs(backend: Backend) {
    let app = backend.spawn().await;

    let body = app.gql(None, &deep_introspection(20), json!({})).await;

    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("too deep")
    );
    assert!(body["data"].is_null());
}

async fn graphiqls_own_introspection_fits_the_limits(backend: Backend) {
    let app = backend.spawn().await;
    // The query GraphiQL sends on load nests `ofType` up to nine levels deep.
    let body = app.gql(None, &deep_introspection(9), json!({})).await;

    assert!(body["errors"].is_null(), "{body}");
}

async fn a_too_complex_query_is_refused(backend: Backend) {
    let app = backend.spawn_with(&[("GRAPHQL_MAX_COMPLEXITY", "5")]).await;

    let body = app
        .gql(
            None,
            "{ me { id username fullName role active createdAt updatedAt } }",
            json!({}),
        )
        .await;

    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("too complex")
    );
}

async fn introspection_can_be_switched_off(backend: Backend) {
    let app = backend
        .spawn_with(&[("GRAPHQL_INTROSPECTION", "false")])
        .await;

    let body = app
        .gql(None, "{ __schema { types { name } } }", json!({}))
        .await;

    assert!(body["data"]["__schema"].is_null(), "{body}");
}

async fn cors_follows_the_configured_origins(backend: Backend) {
    let app = backend
        .spawn_with(&[("CORS_ALLOWED_ORIGINS", "https://pos.example.com")])
        .await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/graphql"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization,content-type",
            )
            .send()
    };

    let allowed = preflight("https://pos.example.com").await.unwrap();
    let refused = preflight("https://evil.example.net").await.unwrap();

    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://pos.example.com"
    );
    assert!(
        !refused
            .headers()
            .contains_key("access-control-allow-origin")
    );
}

async fn websockets_need_a_valid_token_in_connection_init(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let connect = || async {
        let mut request = format!("ws://{}/graphql/ws", app.addr)
            .into_client_request()
            .unwrap();
        request.headers_mut().insert(
            "sec-websocket-protocol",
            "graphql-transport-ws".parse().unwrap(),
        );
        tokio_tungstenite::connect_async(request).await.unwrap().0
    };

    let mut good = connect().await;
    good.send(Message::text(
        json!({
            "type": "connection_init",
            "payload": { "authorization": format!("Bearer {}", admin.access) },
        })
        .to_string(),
    ))
    .await
    .unwrap();
    let ack = good.next().await.unwrap().unwrap();
    let mut bad = connect().await;
    bad.send(Message::text(
        json!({ "type": "connection_init", "payload": { "authorization": "Bearer nope" } })
            .to_string(),
    ))
    .await
    .unwrap();
    let refusal = bad.next().await.unwrap().unwrap();

    assert_eq!(
        serde_json::from_str::<Value>(ack.to_text().unwrap()).unwrap()["type"],
        "connection_ack"
    );
    // async-graphql closes a refused connection_init with 1002 and the reason.
    assert!(
        matches!(refusal, Message::Close(Some(ref frame)) if frame.reason == "invalid access token"),
        "{refusal:?}"
    );
}

async fn shutting_down_lets_requests_in_flight_finish(backend: Backend) {
    let mut app = backend.spawn().await;
    let logins: Vec<_> = (0..4)
        .map(|_| {
            let client = app.client.clone();
            let url = app.url("/graphql");
            tokio::spawn(async move {
                client
                    .post(url)
                    .json(&json!({
                        "query": "mutation { login(username: \"admin\", password: \"admin-password-1\") { accessToken } }",
                    }))
                    .send()
                    .await?
                    .json::<Value>()
                    .await
            })
        })
        .collect();
    // Four password checks take longer than this; the requests are in flight.
    tokio::time::sleep(std::time::Duration::from_millis(30)).await;

    app.shut_down().await;

    for login in logins {
        let body = login.await.unwrap().expect("the request was answered");
        assert!(body["data"]["login"]["accessToken"].is_string(), "{body}");
    }
    assert!(
        app.client.get(app.url("/health")).send().await.is_err(),
        "no longer listening"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_is_not_200_when_the_database_is_unreachable() {
    // SQLite is a file the process keeps open; only a database server can go away.
    let Some(backend) = Backend::postgres() else {
        return;
    };
    let app = backend.spawn().await;
    let (server, name) = app.database.postgres().unwrap();
    let admin = sea_orm::Database::connect(server).await.unwrap();
    use sea_orm::ConnectionTrait;
    admin
        .execute_unprepared(&format!(
            "ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false"
        ))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
        ))
        .await
        .unwrap();

    let ready = app.client.get(app.url("/ready")).send().await.unwrap();
    let health = app.client.get(app.url("/health")).send().await.unwrap();

    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["checks"]["database"]["status"], "down");
    assert_eq!(
        health.status(),
        StatusCode::OK,
        "liveness does not depend on the database"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_shows_redis_up_or_degraded_but_stays_ready() {
    let Some(redis) = common::redis_url() else {
        return;
    };
    let with_redis = Backend::Sqlite
        .spawn_with(&[("REDIS_URL", redis.as_str())])
        .await;
    let redis_gone = Backend::Sqlite
        .spawn_with(&[("REDIS_URL", "redis://127.0.0.1:1/0")])
        .await;

    let up = with_redis
        .client
        .get(with_redis.url("/ready"))
        .send()
        .await
        .unwrap();
    let degraded = redis_gone
        .client
        .get(redis_gone.url("/ready"))
        .send()
        .await
        .unwrap();

    assert_eq!(up.status(), StatusCode::OK);
    assert_eq!(
        up.json::<Value>().await.unwrap()["checks"]["redis"]["status"],
        "up"
    );
    assert_eq!(
        degraded.status(),
        StatusCode::OK,
        "Redis down makes the API degraded, not unready"
    );
    assert_eq!(
        degraded.json::<Value>().await.unwrap()["checks"]["redis"]["status"],
        "degraded"
    );
}

/// A backup directory the server cannot write into (a root-owned bind mount, say) shows on
/// `/ready` as degraded, naming the directory, while the API keeps serving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_says_when_backups_cannot_be_written() {
    let blocked = tempfile::tempdir().unwrap();
    let not_a_dir = blocked.path().join("a-file");
    std::fs::write(&not_a_dir, "").unwrap();
    let dir = not_a_dir.join("backups").display().to_string();
    let app = Backend::Sqlite
        .spawn_with(&[("BACKUP_DIR", dir.as_str())])
        .await;

    let ready = common::json_of(app.client.get(app.url("/ready"))).await;

    assert_eq!(ready["status"], "ready", "{ready}");
    assert_eq!(ready["checks"]["backups"]["status"], "degraded", "{ready}");
    let detail = ready["checks"]["backups"]["detail"].as_str().unwrap();
    assert!(detail.contains(&dir) && detail.contains("uid"), "{detail}");
}
