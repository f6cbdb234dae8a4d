//! The live feeds over graphql-transport-ws: salesFeed and lowStockAlerts, on one instance
//! (in-process events) and across two instances sharing PostgreSQL and Redis.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

mod common;

use std::time::Duration;

use common::{Backend, TestApp};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

const SALES_FEED: &str = "subscription($l: ID!) { salesFeed(locationId: $l) { id number total { amount currency } cashier { username } } }";
const ALERTS: &str = "subscription($l: ID!) { lowStockAlerts(locationId: $l) { onHand threshold product { id sku name } } }";

/// A graphql-transport-ws connection, acknowledged.
struct Feed(WebSocketStream<MaybeTlsStream<TcpStream>>);

impl Feed {
    async fn open(app: &TestApp, token: &str, query: &str, location: &str) -> Feed {
        let socket = common::ws::connect(&app.addr.to_string(), token).await;
        let mut feed = Feed(socket);
        assert_eq!(
            feed.message(Duration::from_secs(5)).await.unwrap()["type"],
            "connection_ack"
        );
        let subscribe = json!({
            "id": "1",
            "type": "subscribe",
            "payload": { "query": query, "variables": { "l": location } },
        });
        feed.0
            .send(Message::text(subscribe.to_string()))
            .await
            .unwrap();
        feed
    }

    /// The next protocol message, or `None` after `wait`.
    async fn message(&mut self, wait: Duration) -> Option<Value> {
        loop {
            let frame = tokio::time::timeout(wait, self.0.next())
                .await
                .ok()??
                .ok()?;
            if let Message::Text(text) = frame {
                return Some(serde_json::from_str(&text).unwrap());
            }
        }
    }

    /// The next `next` payload, or `None` after `wait`.
    async fn next(&mut self, wait: Duration) -> Option<Value> {
        let message = self.message(wait).await?;
        assert_eq!(message["type"], "next", "{message}");
        Some(message["payload"].clone())
    }
}

async fn sell(app: &TestApp, token: &str, session: &str, product: &str, quantity: &str) -> Value {
    let data = app
        .ok(
            token,
            "mutation($input: CreateSaleInput!) { createSale(input: $input) { id number } }",
            json!({ "input": {
                "idempotencyKey": uuid::Uuid::now_v7().to_string(), "registerSessionId": session,
                "lines": [{ "productId": product, "quantity": quantity }],
                "payments": [{ "method": "CASH", "amount": "100" }],
            } }),
        )
        .await;
    data["createSale"].clone()
}

/// Sells through `seller` until `feed` reports one of the sales (the subscription starts
/// listening a moment after it is sent, and the protocol does not say when): the sale it
/// reports must be one that was made, at this location, by this cashier.
async fn sales_reach(feed: &mut Feed, seller: &TestApp, token: &str, session: &str, product: &str) {
    let mut made = Vec::new();
    for _ in 0..10 {
        made.push(sell(seller, token, session, product, "1").await);
        if let Some(payload) = feed.next(Duration::from_millis(500)).await {
            let sale = &payload["data"]["salesFeed"];
            assert!(made.iter().any(|m| m["id"] == sale["id"]), "{payload}");
            assert_eq!(sale["cashier"]["username"], "ana");
            assert_eq!(
                sale["total"],
                json!({ "amount": "1.00", "currency": "EUR" })
            );
            return;
        }
    }
    panic!("no sale reached the feed");
}

both_backends!(
    sales_and_low_stock_reach_their_subscribers,
    cashiers_may_not_follow_the_sales_feed
);

async fn sales_and_low_stock_reach_their_subscribers(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await.access;
    let location = app.main_location(&admin).await;
    let ana = app.user_with_role("ana", "CASHIER").await.access;
    let product = app
        .product(&admin, "ALERTA", json!({ "lowStockThreshold": "5" }))
        .await;
    let session = app.open_register(&ana, &location, "Caja 1").await;
    let mut sales = Feed::open(&app, &admin, SALES_FEED, &location).await;
    let mut alerts = Feed::open(&app, &ana, ALERTS, &location).await;

    app.receive(&admin, &location, &product, "100").await;
    sales_reach(&mut sales, &app, &ana, &session, &product).await;

    // Each round puts stock above the threshold and sells it down to 4: one crossing.
    let mut alert = None;
    for _ in 0..10 {
        let data = app
            .ok(
                &admin,
                "query($id: ID!) { product(id: $id) { stock { onHand } } }",
                json!({ "id": product }),
            )
            .await;
        let on_hand: i64 = data["product"]["stock"][0]["onHand"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        sell(&app, &ana, &session, &product, &(on_hand - 4).to_string()).await;
        alert = alerts.next(Duration::from_millis(500)).await;
        if alert.is_some() {
            break;
        }
        app.receive(&admin, &location, &product, "10").await;
    }
    let alert = alert.expect("no low-stock alert arrived");
    assert_eq!(
        alert["data"]["lowStockAlerts"],
        json!({
            "onHand": "4", "threshold": "5",
            "product": { "id": product, "sku": "ALERTA", "name": "Product ALERTA" },
        })
    );

    // Any movement that crosses the threshold raises one: here a count that finds 2 after
    // stock went back up to 8.
    app.receive(&admin, &location, &product, "4").await;
    app.ok(
        &admin,
        "mutation($input: AdjustStockInput!) { adjustStock(input: $input) { id } }",
        json!({
            "input": {
                "locationId": location,
                "productId": product,
                "countedQuantity": "2",
                "reason": "COUNT",
            },
        }),
    )
    .await;
    // (An alert of the rounds above that arrived late may come first.)
    let mut counted = None;
    while let Some(payload) = alerts.next(Duration::from_secs(5)).await {
        if payload["data"]["lowStockAlerts"]["onHand"] == "2" {
            counted = Some(payload);
            break;
        }
    }
    assert!(counted.is_some(), "no alert for the count");
    // Both subscriptions are counted in the metrics, once each.
    let metrics = app.metrics().await;
    let started =
        "pos_graphql_operations_total{code=\"OK\",operation=\"anonymous\",type=\"subscription\"} 2";
    assert!(metrics.lines().any(|line| line == started), "{metrics}");
}

async fn cashiers_may_not_follow_the_sales_feed(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await.access;
    let location = app.main_location(&admin).await;
    let ana = app.user_with_role("ana", "CASHIER").await.access;

    let mut feed = Feed::open(&app, &ana, SALES_FEED, &location).await;
    let refusal = feed.message(Duration::from_secs(5)).await.unwrap();

    let errors = if refusal["type"] == "error" {
        refusal["payload"].clone()
    } else {
        refusal["payload"]["errors"].clone()
    };
    assert_eq!(errors[0]["extensions"]["code"], "FORBIDDEN", "{refusal}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscriber_on_one_instance_sees_sales_made_on_another() {
    let (Some(Backend::Postgres(_)), Some(redis)) = (Backend::postgres(), common::redis_url())
    else {
        return;
    };
    let backend = Backend::postgres().unwrap();
    let (a, b) = backend.spawn_replicas(&redis, &[]).await;
    let admin = a.admin().await.access;
    let location = a.main_location(&admin).await;
    let product = a.product(&admin, "COMPARTIDO", json!({})).await;
    a.receive(&admin, &location, &product, "100").await;
    let ana = a.user_with_role("ana", "CASHIER").await.access;
    let session = b.open_register(&ana, &location, "Caja 1").await;

    let mut feed_on_a = Feed::open(&a, &admin, SALES_FEED, &location).await;
    sales_reach(&mut feed_on_a, &b, &ana, &session, &product).await;
}
