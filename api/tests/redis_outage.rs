//! A real Redis stopped and started again under load: requests keep working, `/ready` says
//! degraded while it is away, and the connection comes back by itself.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

mod common;

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::process::free_port;
use common::{ADMIN_PASSWORD, Backend, TestApp, eventually};
use serde_json::Value;

/// A Redis server of this test's own, on `port` (so stopping it disturbs no other test).
fn redis_server(port: u16, extra: &[&str]) -> Option<Child> {
    Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args(["--save", "", "--appendonly", "no"])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| common::skipped(&format!("cannot start redis-server ({e})")))
        .ok()
}

async fn redis_status(app: &TestApp) -> String {
    let ready = common::json_of(app.client.get(app.url("/ready"))).await;
    assert_eq!(ready["status"], "ready", "{ready}");
    ready["checks"]["redis"]["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_keep_working_while_redis_stops_and_comes_back() {
    let port = free_port();
    let Some(mut redis) = redis_server(port, &[]) else {
        return;
    };
    let url = format!("redis://127.0.0.1:{port}/0");
    let app = Arc::new(
        Backend::Sqlite
            .spawn_with(&[("REDIS_URL", url.as_str())])
            .await,
    );
    let probe = app.clone();
    eventually("Redis is up", || {
        let app = probe.clone();
        async move { redis_status(&app).await == "up" }
    })
    .await;

    // Load: logins (which use Redis for their limits) and reads, back to back.
    let stop = Arc::new(AtomicBool::new(false));
    let (done, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let slowest = Arc::new(std::sync::Mutex::new(Duration::ZERO));
    let mut clients = Vec::new();
    for _ in 0..4 {
        let (app, stop, done, failed, slowest) = (
            app.clone(),
            stop.clone(),
            done.clone(),
            failed.clone(),
            slowest.clone(),
        );
        clients.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let started = Instant::now();
                let login = app.try_login("admin", ADMIN_PASSWORD).await;
                let ok = match login["data"]["login"]["accessToken"].as_str() {
                    Some(token) => {
                        let me = app
                            .gql(Some(token), "{ me { username } }", Value::Null)
                            .await;
                        me["data"]["me"]["username"] == "admin"
                    }
                    None => false,
                };
                let took = started.elapsed();
                let mut slowest = slowest.lock().unwrap();
                *slowest = (*slowest).max(took);
                if ok {
                    done.fetch_add(1, Ordering::Relaxed);
                } else {
                    failed.fetch_add(1, Ordering::Relaxed);
                    eprintln!("failed: {login}");
                }
            }
        }));
    }

    tokio::time::sleep(Duration::from_millis(500)).await;
    redis.kill().unwrap();
    redis.wait().unwrap();
    let before = done.load(Ordering::Relaxed);
    eventually("/ready reports Redis degraded", || {
        let app = probe.clone();
        async move { redis_status(&app).await == "degraded" }
    })
    .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let while_down = done.load(Ordering::Relaxed) - before;

    let mut redis = redis_server(port, &[]).unwrap();
    eventually("the connection comes back by itself", || {
        let app = probe.clone();
        async move { redis_status(&app).await == "up" }
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.await.unwrap();
    }
    redis.kill().unwrap();
    let _ = redis.wait();

    let slowest = *slowest.lock().unwrap();
    eprintln!(
        "{} requests, {} failed, {while_down} while Redis was down, slowest {slowest:?}",
        done.load(Ordering::Relaxed),
        failed.load(Ordering::Relaxed)
    );
    assert_eq!(failed.load(Ordering::Relaxed), 0);
    assert!(while_down > 0, "requests went on while Redis was down");
    assert!(slowest < Duration::from_secs(3), "{slowest:?}");
}

/// A Redis that requires a password (as the compose file's does): `REDIS_PASSWORD` gets pos-api
/// in; a wrong one leaves Redis degraded and the API serving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_password_is_sent_and_a_wrong_one_only_degrades() {
    let port = free_port();
    let Some(mut redis) = redis_server(port, &["--requirepass", "s3cret-pw"]) else {
        return;
    };
    let url = format!("redis://127.0.0.1:{port}/0");
    let right = Backend::Sqlite
        .spawn_with(&[("REDIS_URL", url.as_str()), ("REDIS_PASSWORD", "s3cret-pw")])
        .await;
    let wrong = Backend::Sqlite
        .spawn_with(&[("REDIS_URL", url.as_str()), ("REDIS_PASSWORD", "not-it")])
        .await;
    eventually("Redis is up with the right password", || async {
        redis_status(&right).await == "up"
    })
    .await;
    assert_eq!(redis_status(&wrong).await, "degraded");
    // Logins (which count failures in Redis) work on both.
    for app in [&right, &wrong] {
        assert!(!app.admin().await.access.is_empty());
    }
    redis.kill().unwrap();
    redis.wait().unwrap();
}
