//! Sales a till rang up while it could not reach the server, sent later from its outbox: the
//! goods have left, so they are recorded even when stock ran out or a price changed since, and
//! flagged for managers; online sales keep refusing to oversell or to charge a stale price.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

mod common;

use chrono::{Duration, Utc};
use common::{Backend, TestApp, error_code};
use serde_json::{Value, json};

const SALE: &str = "mutation($input: CreateSaleInput!) { createSale(input: $input) { id number createdAt recordedAt offline reviewReasons total { amount } lines { unitPrice { amount } catalogPrice { amount } } } }";
const REVIEW: &str =
    "{ sales(filter: { needsReview: true }) { totalCount edges { node { id reviewReasons } } } }";

/// A shop with one milk at 1.21 (3 on the shelf at MAIN), a cashier with an open register,
/// and a manager.
struct Till {
    app: TestApp,
    admin: String,
    cashier: String,
    manager: String,
    session: String,
    milk: String,
}

async fn till(backend: Backend) -> Till {
    let app = backend.spawn().await;
    let admin = app.admin().await.access;
    let location = app.main_location(&admin).await;
    let milk = app
        .product(&admin, "LECHE", json!({ "price": "1.21" }))
        .await;
    app.receive(&admin, &location, &milk, "3").await;
    let cashier = app.user_with_role("ana", "CASHIER").await.access;
    let manager = app.user_with_role("marta", "MANAGER").await.access;
    let session = app.open_register(&cashier, &location, "Caja 1").await;
    Till {
        app,
        admin,
        cashier,
        manager,
        session,
        milk,
    }
}

/// A cash sale of `quantity` milk at `unit_price`, as a till's outbox sends it.
fn sale(till: &Till, key: &str, quantity: &str, unit_price: &str, offline: Option<Value>) -> Value {
    let mut input = json!({
        "idempotencyKey": key,
        "registerSessionId": till.session,
        "lines": [{ "productId": till.milk, "quantity": quantity, "unitPrice": unit_price }],
        "payments": [{ "method": "CASH", "amount": "20" }],
    });
    if let Some(extra) = offline {
        input
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().cloned().unwrap());
    }
    json!({ "input": input })
}

fn minutes_ago(minutes: i64) -> String {
    (Utc::now() - Duration::minutes(minutes)).to_rfc3339()
}

async fn on_hand(till: &Till) -> String {
    let data = till
        .app
        .ok(
            &till.admin,
            "query($id: ID!) { product(id: $id) { stock { onHand } } }",
            json!({ "id": till.milk }),
        )
        .await;
    data["product"]["stock"][0]["onHand"]
        .as_str()
        .unwrap()
        .to_owned()
}

both_backends!(
    an_offline_sale_past_the_stock_is_recorded_and_flagged_oversold,
    an_offline_sale_is_charged_the_tills_price_and_an_online_one_hears_the_new_price,
    the_tills_time_is_bounded,
    a_retry_may_say_offline_after_the_first_answer_was_lost,
    an_offline_sale_from_before_the_close_still_lands,
);

async fn an_offline_sale_past_the_stock_is_recorded_and_flagged_oversold(backend: Backend) {
    let till = till(backend).await;
    // The register opened a moment ago; the till's clock may run 5 minutes behind it.
    let at = minutes_ago(4);

    let made = till
        .app
        .ok(
            &till.cashier,
            SALE,
            sale(
                &till,
                "off-1",
                "5",
                "1.21",
                Some(json!({ "offline": true, "occurredAt": at })),
            ),
        )
        .await;

    let made = &made["createSale"];
    assert_eq!(made["number"], "MAIN-000001");
    assert_eq!(made["offline"], true);
    assert_eq!(made["reviewReasons"], json!(["OVERSOLD"]));
    let created =
        chrono::DateTime::parse_from_rfc3339(made["createdAt"].as_str().unwrap()).unwrap();
    let recorded =
        chrono::DateTime::parse_from_rfc3339(made["recordedAt"].as_str().unwrap()).unwrap();
    assert!(
        (created - chrono::DateTime::parse_from_rfc3339(&at).unwrap())
            .num_milliseconds()
            .abs()
            < 1
    );
    assert!(recorded > created + Duration::minutes(3));
    assert_eq!(on_hand(&till).await, "-2");
    till.app.assert_ledger_holds().await;
    // Managers find it; an online sale still may not sell what is not there.
    let review = till.app.ok(&till.manager, REVIEW, json!({})).await;
    assert_eq!(review["sales"]["totalCount"], 1);
    assert_eq!(review["sales"]["edges"][0]["node"]["id"], made["id"]);
    let online = till
        .app
        .gql(
            Some(&till.cashier),
            SALE,
            sale(&till, "on-1", "1", "1.21", None),
        )
        .await;
    assert_eq!(error_code(&online), "INSUFFICIENT_STOCK");
    assert_eq!(on_hand(&till).await, "-2");
}

async fn an_offline_sale_is_charged_the_tills_price_and_an_online_one_hears_the_new_price(
    backend: Backend,
) {
    let till = till(backend).await;
    till.app
        .ok(
            &till.admin,
            "mutation($id: ID!) { updateProduct(id: $id, input: { price: \"1.50\" }) { id } }",
            json!({ "id": till.milk }),
        )
        .await;

    let online = till
        .app
        .gql(
            Some(&till.cashier),
            SALE,
            sale(&till, "on-1", "1", "1.21", None),
        )
        .await;
    let offline = till
        .app
        .ok(
            &till.cashier,
            SALE,
            sale(
                &till,
                "off-1",
                "1",
                "1.21",
                Some(json!({ "offline": true, "occurredAt": minutes_ago(3) })),
            ),
        )
        .await;

    assert_eq!(error_code(&online), "CONFLICT", "{online}");
    let extensions = &online["errors"][0]["extensions"];
    assert_eq!(extensions["field"], "lines[0].unitPrice");
    assert_eq!(extensions["currentPrice"], "1.50");
    let made = &offline["createSale"];
    assert_eq!(
        made["number"], "MAIN-000001",
        "the refused sale took no number"
    );
    assert_eq!(made["total"]["amount"], "1.21");
    assert_eq!(made["reviewReasons"], json!(["PRICE_CHANGED"]));
    assert_eq!(made["lines"][0]["unitPrice"]["amount"], "1.21");
    assert_eq!(made["lines"][0]["catalogPrice"]["amount"], "1.50");
    let current = till
        .app
        .ok(&till.cashier, SALE, sale(&till, "on-2", "1", "1.50", None))
        .await;
    assert_eq!(current["createSale"]["reviewReasons"], json!([]));
}

async fn the_tills_time_is_bounded(backend: Backend) {
    let till = till(backend).await;
    let at = |when: String| Some(json!({ "offline": true, "occurredAt": when }));
    let future = (Utc::now() + Duration::minutes(10)).to_rfc3339();
    let ancient = (Utc::now() - Duration::hours(73)).to_rfc3339();
    // The register opened a moment ago: an hour before is before it opened.
    let before_opening = minutes_ago(60);

    for (key, when) in [("a", future), ("b", ancient), ("c", before_opening)] {
        let refused = till
            .app
            .gql(
                Some(&till.cashier),
                SALE,
                sale(&till, key, "1", "1.21", at(when)),
            )
            .await;

        assert_eq!(error_code(&refused), "BAD_USER_INPUT", "{refused}");
        assert_eq!(refused["errors"][0]["extensions"]["field"], "occurredAt");
    }
    assert_eq!(on_hand(&till).await, "3");
    assert_eq!(till.app.count_rows("sales").await, 0);
}

async fn a_retry_may_say_offline_after_the_first_answer_was_lost(backend: Backend) {
    let till = till(backend).await;
    let at = minutes_ago(1);

    // The till sent it online; the answer never came back, so it retries as an offline sale.
    let first = till
        .app
        .ok(&till.cashier, SALE, sale(&till, "k", "1", "1.21", None))
        .await;
    let retried = till
        .app
        .ok(
            &till.cashier,
            SALE,
            sale(
                &till,
                "k",
                "1",
                "1.21",
                Some(json!({ "occurredAt": at, "offline": true })),
            ),
        )
        .await;

    // A till whose clock is days off still gets its sale back: the time is checked only when
    // a sale is about to be made.
    let days_off = (Utc::now() - Duration::hours(100)).to_rfc3339();
    let again = till
        .app
        .ok(
            &till.cashier,
            SALE,
            sale(
                &till,
                "k",
                "1",
                "1.21",
                Some(json!({ "occurredAt": days_off, "offline": true })),
            ),
        )
        .await;

    assert_eq!(first["createSale"]["id"], retried["createSale"]["id"]);
    assert_eq!(first["createSale"]["id"], again["createSale"]["id"]);
    assert_eq!(till.app.count_rows("sales").await, 1);
    assert_eq!(on_hand(&till).await, "2");
}

async fn an_offline_sale_from_before_the_close_still_lands(backend: Backend) {
    let till = till(backend).await;
    let before_close = minutes_ago(0);
    till.app
        .ok(
            &till.admin,
            "mutation($id: ID!) { archiveProduct(id: $id) { id } }",
            json!({ "id": till.milk }),
        )
        .await;
    till.app
        .ok(
            &till.cashier,
            "mutation($input: CloseRegisterInput!) { closeRegister(input: $input) { id } }",
            json!({ "input": { "registerSessionId": till.session, "countedCash": "100.00" } }),
        )
        .await;
    let offline = |at: &str| Some(json!({ "offline": true, "occurredAt": at }));

    let late = till
        .app
        .ok(
            &till.cashier,
            SALE,
            sale(&till, "late", "1", "1.21", offline(&before_close)),
        )
        .await;
    let online = till
        .app
        .gql(
            Some(&till.cashier),
            SALE,
            sale(&till, "online", "1", "1.21", None),
        )
        .await;

    // Rung up while the drawer was open, of a product archived since: recorded, flagged.
    assert_eq!(late["createSale"]["reviewReasons"], json!(["AFTER_CLOSE"]));
    assert_eq!(error_code(&online), "REGISTER_CLOSED", "{online}");
    assert_eq!(till.app.count_rows("sales").await, 1);
}
