//! The checkout under concurrency: no overselling, one sale (or refund) per idempotency key,
//! and no deadlock reaching a client. On PostgreSQL the sales really run at once; on SQLite
//! writers are serialised, and the same guarantees must hold.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use common::Backend;
use common::TestApp;
use futures_util::future::join_all;
use serde_json::{Value, json};

const SALE: &str = "mutation($input: CreateSaleInput!) { createSale(input: $input) { id number } }";

async fn open_register(app: &TestApp, token: &str) -> String {
    let location = app.main_location(token).await;
    app.open_register(token, &location, "Caja 1").await
}

fn one_unit(key: &str, session: &str, product: &str) -> Value {
    json!({ "input": {
        "idempotencyKey": key, "registerSessionId": session,
        "lines": [{ "productId": product, "quantity": "1" }],
        "payments": [{ "method": "CASH", "amount": "1.00" }],
    } })
}

/// Sends all the requests at once and returns the response bodies.
async fn all_at_once(app: &Arc<TestApp>, token: &str, inputs: Vec<Value>) -> Vec<Value> {
    join_all(inputs.into_iter().map(|input| {
        let (app, token) = (app.clone(), token.to_owned());
        tokio::spawn(async move { app.gql(Some(&token), SALE, input).await })
    }))
    .await
    .into_iter()
    .map(|joined| joined.expect("request task"))
    .collect()
}

fn code(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["code"].as_str()
}

both_backends!(
    sixty_four_buyers_of_twenty_units_leave_zero,
    twenty_retries_at_once_make_one_sale,
    overlapping_multi_line_sales_never_deadlock
);

async fn sixty_four_buyers_of_twenty_units_leave_zero(backend: Backend) {
    let app = Arc::new(backend.spawn().await);
    let admin = app.admin().await.access;
    let location = app.main_location(&admin).await;
    let product = app.product(&admin, "ULTIMO", json!({})).await;
    app.receive(&admin, &location, &product, "20").await;
    let session = open_register(&app, &admin).await;

    let inputs = (0..64)
        .map(|i| one_unit(&format!("buyer-{i}"), &session, &product))
        .collect();
    let bodies = all_at_once(&app, &admin, inputs).await;

    let sold: Vec<&Value> = bodies.iter().filter(|b| b["errors"].is_null()).collect();
    let refused = bodies
        .iter()
        .filter(|b| code(b) == Some("INSUFFICIENT_STOCK"))
        .count();
    assert_eq!((sold.len(), refused), (20, 44), "{bodies:?}");
    // Numbers are gap-free: exactly 1 to 20.
    let numbers: BTreeSet<String> = sold
        .iter()
        .map(|b| {
            b["data"]["createSale"]["number"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let expected: BTreeSet<String> = (1..=20).map(|n| format!("MAIN-{n:06}")).collect();
    assert_eq!(numbers, expected);
    let stock = app
        .ok(
            &admin,
            "query($id: ID!) { product(id: $id) { stock { onHand } } }",
            json!({ "id": product }),
        )
        .await;
    assert_eq!(stock["product"]["stock"][0]["onHand"], "0");
    assert_eq!(app.count_rows("sales").await, 20);
    app.assert_ledger_holds().await;
}

async fn twenty_retries_at_once_make_one_sale(backend: Backend) {
    let app = Arc::new(backend.spawn().await);
    let admin = app.admin().await.access;
    let location = app.main_location(&admin).await;
    let product = app.product(&admin, "REINTENTO", json!({})).await;
    app.receive(&admin, &location, &product, "5").await;
    let session = open_register(&app, &admin).await;

    let inputs = (0..20)
        .map(|_| one_unit("the-same-key", &session, &product))
        .collect();
    let bodies = all_at_once(&app, &admin, inputs).await;

    let ids: BTreeSet<&str> = bodies
        .iter()
        .map(|b| {
            assert!(b["errors"].is_null(), "a retry failed: {b}");
            b["data"]["createSale"]["id"].as_str().unwrap()
        })
        .collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(app.count_rows("sales").await, 1);
    assert_eq!(app.count_rows("stock_movements").await, 2); // the receipt and one sale
    app.assert_ledger_holds().await;
}

async fn overlapping_multi_line_sales_never_deadlock(backend: Backend) {
    let app = Arc::new(backend.spawn().await);
    let admin = app.admin().await.access;
    let location = app.main_location(&admin).await;
    let mut products = Vec::new();
    for sku in ["A", "B", "C", "D", "E"] {
        let id = app.product(&admin, sku, json!({})).await;
        app.receive(&admin, &location, &id, "1000").await;
        products.push(id);
    }
    let session = open_register(&app, &admin).await;

    // 32 clients, each naming three of five products in its own order (reversed,
    // rotated), so naive locking in line order would deadlock.
    let inputs = (0..32)
        .map(|i| {
            let mut lines: Vec<Value> = (0..3)
                .map(|k| json!({ "productId": products[(i + k * 2) % 5], "quantity": "1" }))
                .collect();
            if i % 2 == 1 {
                lines.reverse();
            }
            json!({ "input": {
            "idempotencyKey": format!("multi-{i}"), "registerSessionId": session, "lines": lines,
            "payments": [{ "method": "CASH", "amount": "3.00" }],
        } })
        })
        .collect();
    let bodies = all_at_once(&app, &admin, inputs).await;

    let failed: Vec<&Value> = bodies.iter().filter(|b| !b["errors"].is_null()).collect();
    assert!(failed.is_empty(), "sales failed: {failed:?}");
    assert_eq!(app.count_rows("sales").await, 32);
    assert_eq!(app.count_rows("sale_lines").await, 96);
    app.assert_ledger_holds().await;
}

const REFUND: &str =
    "mutation($input: RefundSaleInput!) { refundSale(input: $input) { id amount { amount } } }";

both_backends!(ten_refund_retries_at_once_make_one_refund);

async fn ten_refund_retries_at_once_make_one_refund(backend: Backend) {
    let app = Arc::new(backend.spawn().await);
    let admin = app.admin().await.access;
    let location = app.main_location(&admin).await;
    let product = app.product(&admin, "DEVUELTO", json!({})).await;
    app.receive(&admin, &location, &product, "10").await;
    let session = open_register(&app, &admin).await;
    let sale = app
        .ok(
            &admin,
            "mutation($input: CreateSaleInput!) { createSale(input: $input) { id lines { id } } }",
            json!({ "input": {
        "idempotencyKey": "to-refund", "registerSessionId": session,
        "lines": [{ "productId": product, "quantity": "3" }],
        "payments": [{ "method": "CASH", "amount": "3.00" }],
    } }),
        )
        .await;
    let input = json!({ "input": {
        "idempotencyKey": "refund-once", "saleId": sale["createSale"]["id"], "registerSessionId": session,
        "lines": [{ "saleLineId": sale["createSale"]["lines"][0]["id"], "quantity": "2" }],
        "method": "CASH", "reason": "retried",
    } });

    let bodies: Vec<Value> = join_all((0..10).map(|_| {
        let (app, token, input) = (app.clone(), admin.clone(), input.clone());
        tokio::spawn(async move { app.gql(Some(&token), REFUND, input).await })
    }))
    .await
    .into_iter()
    .map(|joined| joined.expect("request task"))
    .collect();

    let ids: BTreeSet<&str> = bodies
        .iter()
        .map(|b| {
            assert!(b["errors"].is_null(), "a retry failed: {b}");
            b["data"]["refundSale"]["id"].as_str().unwrap()
        })
        .collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(app.count_rows("refunds").await, 1);
    let stock = app
        .ok(
            &admin,
            "query($id: ID!) { product(id: $id) { stock { onHand } } }",
            json!({ "id": product }),
        )
        .await;
    assert_eq!(stock["product"]["stock"][0]["onHand"], "9"); // 10 - 3 sold + 2 back
    app.assert_ledger_holds().await;
}
