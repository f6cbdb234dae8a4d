//! The proxy of docker-compose.production.yml, for real: Debian's nginx runs the repository's
//! routes (deploy/nginx/routes.conf and websocket.conf) in front of two pos-api replicas on
//! PostgreSQL and Redis. Through it: a login, a sale, a subscription that sees it, the login
//! limit counting the client's address (not the proxy's, and not one the client invents), both
//! replicas serving, and /metrics kept off the public side.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{Backend, TestApp, error_code};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

/// nginx, stopped when dropped.
struct Nginx {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts nginx on a free port with the repository's routes in front of `replicas`.
fn nginx(replicas: &[&TestApp]) -> Option<Nginx> {
    let binary = ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    let Some(binary) = binary else {
        common::skipped(
            "nginx is not installed (apt-get install nginx-light): the proxy test needs it",
        );
        return None;
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/nginx");
    let dir = tempfile::tempdir().unwrap();
    let port = common::process::free_port();
    let servers: String = replicas
        .iter()
        .map(|app| format!("        server {};\n", app.addr))
        .collect();
    let temp = dir.path().display();
    let config = format!(
        "daemon off;
worker_processes 1;
pid {temp}/nginx.pid;
error_log {temp}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {repo}/websocket.conf;
    upstream pos_api {{
{servers}        keepalive 8;
    }}
    server {{
        listen 127.0.0.1:{port};
        include {repo}/routes.conf;
    }}
}}
",
        repo = repo.display()
    );
    let path = dir.path().join("nginx.conf");
    std::fs::write(&path, config).unwrap();
    let mut child = Command::new(binary)
        .args(["-p", &temp.to_string(), "-c", &path.display().to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(Nginx {
                child,
                port,
                _dir: dir,
            });
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!(
        "nginx did not listen: {}",
        std::fs::read_to_string(dir.path().join("error.log")).unwrap_or_default()
    );
}

async fn post(client: &reqwest::Client, url: &str, token: Option<&str>, body: Value) -> Value {
    let mut request = client.post(url).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    common::json_of(request).await
}

/// How many operations a replica counted (its own /metrics, reached directly).
async fn operations_served(app: &TestApp) -> f64 {
    app.metrics()
        .await
        .lines()
        .filter(|l| l.starts_with("pos_graphql_operations_total{"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_proxy_serves_sales_subscriptions_and_limits_through_two_replicas() {
    let (Some(backend), Some(redis)) = (Backend::postgres(), common::redis_url()) else {
        return;
    };
    let (a, b) = backend
        .spawn_replicas(
            &redis,
            &[
                ("TRUST_PROXY_HEADERS", "true"),
                ("LOGIN_MAX_FAILURES_PER_ADDRESS", "3"),
            ],
        )
        .await;
    let Some(proxy) = nginx(&[&a, &b]) else {
        return;
    };
    let base = format!("http://127.0.0.1:{}", proxy.port);
    let graphql = format!("{base}/graphql");
    let client = reqwest::Client::new();

    // Sign in and sell through the proxy, with a subscription open through it too.
    let login = post(
        &client,
        &graphql,
        None,
        json!({ "query": "mutation { login(username: \"admin\", password: \"admin-password-1\") { accessToken } }" }),
    )
    .await;
    let token = login["data"]["login"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let location = a.main_location(&token).await;
    let product = a
        .product(&token, "PROXY", json!({ "trackStock": false }))
        .await;
    let session = a.open_register(&token, &location, "Caja 1").await;
    let mut socket = common::ws::connect(&format!("127.0.0.1:{}", proxy.port), &token).await;
    let ack = common::ws::next_text(&mut socket).await;
    assert!(ack.contains("connection_ack"), "{ack}");
    let subscribe = json!({
        "id": "1",
        "type": "subscribe",
        "payload": {
            "query": "subscription($l: ID!) { salesFeed(locationId: $l) { number } }",
            "variables": { "l": location },
        },
    });
    socket
        .send(Message::text(subscribe.to_string()))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    for key in ["p1", "p2", "p3", "p4"] {
        let sold = post(
            &client,
            &graphql,
            Some(&token),
            json!({
                "query": "mutation($input: CreateSaleInput!) { createSale(input: $input) { number } }",
                "variables": { "input": {
                    "idempotencyKey": key,
                    "registerSessionId": session,
                    "lines": [{ "productId": product, "quantity": "1" }],
                    "payments": [{ "method": "CASH", "amount": "1" }],
                } },
            }),
        )
        .await;
        assert!(sold["data"]["createSale"]["number"].is_string(), "{sold}");
    }
    let event = tokio::time::timeout(Duration::from_secs(5), socket.next())
        .await
        .expect("a sale event through the proxy")
        .unwrap()
        .unwrap()
        .to_string();
    assert!(event.contains("MAIN-00000"), "{event}");

    // Both replicas answered some of it.
    assert!(operations_served(&a).await > 0.0);
    assert!(operations_served(&b).await > 0.0);

    // The login limit counts each client's address (the one nginx saw), whatever the client
    // claims to be: three failures from 127.0.0.2 lock 127.0.0.2 out, not 127.0.0.3.
    let from = |address: [u8; 4]| {
        reqwest::Client::builder()
            .local_address(std::net::IpAddr::from(address))
            .build()
            .unwrap()
    };
    let (one, other) = (from([127, 0, 0, 2]), from([127, 0, 0, 3]));
    let wrong = |username: &str| {
        json!({
            "query": "mutation($u: String!) { login(username: $u, password: \"wrong-password\") { accessToken } }",
            "variables": { "u": username },
        })
    };
    for (n, username) in ["u1", "u2", "u3"].into_iter().enumerate() {
        let refused = one
            .post(&graphql)
            .header("x-forwarded-for", format!("10.9.9.{n}"))
            .json(&wrong(username));
        assert_eq!(
            error_code(&common::json_of(refused).await),
            "UNAUTHENTICATED"
        );
    }
    let spoofed = one
        .post(&graphql)
        .header("x-forwarded-for", "203.0.113.7")
        .json(&wrong("u4"));
    assert_eq!(error_code(&common::json_of(spoofed).await), "RATE_LIMITED");
    let elsewhere = other.post(&graphql).json(&wrong("u4"));
    assert_eq!(
        error_code(&common::json_of(elsewhere).await),
        "UNAUTHENTICATED"
    );

    // /metrics stays on the inside.
    let public = client.get(format!("{base}/metrics")).send().await.unwrap();
    assert_eq!(public.status(), 404);
    let screen = client.get(format!("{base}/")).send().await.unwrap();
    assert!(screen.text().await.unwrap().contains("<div id=\"root\">"));
}
