//! Stock: receipts, adjustments, counts, transfers, the ledger, low stock, and concurrency.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

mod common;

use common::{Backend, TestApp, error_code};
use serde_json::{Value, json};

const RECEIVE: &str = "mutation($input: ReceiveStockInput!) {
  receiveStock(input: $input) { id reason quantity onHandAfter createdAt product { id } location { id } }
}";
const ADJUST: &str = "mutation($input: AdjustStockInput!) { adjustStock(input: $input) { id reason quantity onHandAfter note product { id } } }";
const TRANSFER: &str = "mutation($input: TransferStockInput!) { transferStock(input: $input) { id reason quantity onHandAfter location { id } } }";
const MOVEMENTS: &str = "query($productId: ID, $locationId: ID, $first: Int, $after: String) {
  stockMovements(productId: $productId, locationId: $locationId, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id reason quantity onHandAfter note reference createdAt product { id sku } location { id } user { username } } }
  }
}";
const LOW_STOCK: &str = "query($locationId: ID!) { lowStock(locationId: $locationId) { onHand threshold product { id sku name } } }";
const CREATE_LOCATION: &str =
    "mutation($input: CreateLocationInput!) { createLocation(input: $input) { id } }";

async fn on_hand(app: &TestApp, token: &str, product: &str) -> Value {
    let data = app.ok(token, "query($id: ID!) { product(id: $id) { stock { location { code } onHand } cost { amount } } }", json!({ "id": product })).await;
    data["product"].clone()
}

async fn second_location(app: &TestApp, token: &str) -> String {
    let data = app
        .ok(
            token,
            CREATE_LOCATION,
            json!({ "input": { "code": "ALM", "name": "Almacén", "timezone": "Europe/Madrid" } }),
        )
        .await;
    data["createLocation"]["id"].as_str().unwrap().to_owned()
}

both_backends!(
    each_role_gets_exactly_its_stock_operations,
    a_receipt_adds_stock_line_by_line_and_averages_the_cost,
    a_receipt_with_one_bad_line_changes_nothing,
    adjustments_take_deltas_and_counts,
    adjustments_that_break_a_rule_change_nothing,
    a_transfer_moves_stock_between_locations_atomically,
    the_ledger_lists_movements_newest_first_with_filters,
    low_stock_lists_tracked_active_products_at_or_below_threshold,
    stock_changes_are_audited,
    fifty_concurrent_changes_to_one_product_lose_nothing,
    concurrent_withdrawals_never_take_stock_below_zero
);

async fn each_role_gets_exactly_its_stock_operations(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let manager = app.user_with_role("mario", "MANAGER").await;
    let cashier = app.user_with_role("carla", "CASHIER").await;
    let main = app.main_location(&admin.access).await;
    let other = second_location(&app, &admin.access).await;
    let product = app.product(&admin.access, "P", json!({})).await;
    app.receive(&admin.access, &main, &product, "100").await;
    let cases = [
        (
            "receiveStock",
            RECEIVE,
            json!({
                "input": { "locationId": main, "lines": [{ "productId": product, "quantity": "1" }] },
            }),
        ),
        (
            "adjustStock",
            ADJUST,
            json!({
                "input": {
                    "locationId": main,
                    "productId": product,
                    "quantity": "-1",
                    "reason": "ADJUSTMENT",
                },
            }),
        ),
        (
            "transferStock",
            TRANSFER,
            json!({
                "input": {
                    "fromLocationId": main,
                    "toLocationId": other,
                    "productId": product,
                    "quantity": "1",
                },
            }),
        ),
        ("stockMovements", MOVEMENTS, json!({})),
        ("lowStock", LOW_STOCK, json!({ "locationId": main })),
    ];

    for (op, query, variables) in cases {
        for (who, expected) in [
            (&admin, None),
            (&manager, None),
            (&cashier, Some("FORBIDDEN")),
        ] {
            let body = app.gql(Some(&who.access), query, variables.clone()).await;
            assert_eq!(
                body["errors"][0]["extensions"]["code"].as_str(),
                expected,
                "{op}: {body}"
            );
        }
        assert_eq!(
            error_code(&app.gql(None, query, variables.clone()).await),
            "UNAUTHENTICATED"
        );
    }
    app.assert_ledger_holds().await;
}

async fn a_receipt_adds_stock_line_by_line_and_averages_the_cost(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let main = app.main_location(&admin.access).await;
    let oil = app
        .product(&admin.access, "ACEITE", json!({ "cost": "2.00" }))
        .await;
    let ham = app
        .product(&admin.access, "JAMON", json!({ "unit": "KG" }))
        .await;
    app.ok(&admin.access, RECEIVE, json!({ "input": { "locationId": main, "lines": [{ "productId": oil, "quantity": "10" }] } })).await;

    let data = app
        .ok(&admin.access, RECEIVE, json!({ "input": { "locationId": main, "supplier": "Aceites del Sur", "reference": "ALB-77", "lines": [
            { "productId": oil, "quantity": "30", "unitCost": "3.00" },
            { "productId": ham, "quantity": "2.375", "unitCost": "18.40" },
        ] } }))
        .await;

    let movements = data["receiveStock"].as_array().unwrap();
    assert_eq!(movements.len(), 2);
    assert_eq!(movements[0]["product"]["id"], oil.as_str());
    assert_eq!(movements[0]["reason"], "RECEIPT");
    assert_eq!(
        (
            movements[0]["quantity"].as_str(),
            movements[0]["onHandAfter"].as_str()
        ),
        (Some("30"), Some("40"))
    );
    assert_eq!(
        (
            movements[1]["quantity"].as_str(),
            movements[1]["onHandAfter"].as_str()
        ),
        (Some("2.375"), Some("2.375"))
    );
    // (10 x 2.00 + 30 x 3.00) / 40 = 2.75
    assert_eq!(
        on_hand(&app, &admin.access, &oil).await["cost"]["amount"],
        "2.75"
    );
    assert_eq!(
        on_hand(&app, &admin.access, &ham).await["cost"]["amount"],
        "18.40"
    );
    let ledger = app
        .ok(
            &admin.access,
            MOVEMENTS,
            json!({ "productId": oil, "first": 1 }),
        )
        .await;
    assert_eq!(
        ledger["stockMovements"]["edges"][0]["node"]["reference"],
        "ALB-77"
    );
    app.assert_ledger_holds().await;
}

async fn a_receipt_with_one_bad_line_changes_nothing(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let main = app.main_location(&admin.access).await;
    let counted = app
        .product(&admin.access, "COUNTED", json!({ "cost": "1.00" }))
        .await;
    let untracked = app
        .product(&admin.access, "SERVICE", json!({ "trackStock": false }))
        .await;
    let (movements, audits) = (
        app.count_rows("stock_movements").await,
        app.count_rows("audit_log").await,
    );
    let cases = [
        (
            json!({ "productId": counted, "quantity": "0" }),
            "BAD_USER_INPUT",
            Some("lines[1].quantity"),
        ),
        (
            json!({ "productId": counted, "quantity": "-2" }),
            "BAD_USER_INPUT",
            Some("lines[1].quantity"),
        ),
        (
            json!({ "productId": counted, "quantity": "1.5" }),
            "BAD_USER_INPUT",
            Some("lines[1].quantity"),
        ),
        (
            json!({ "productId": counted, "quantity": "1.0001" }),
            "BAD_USER_INPUT",
            Some("lines[1].quantity"),
        ),
        (
            json!({ "productId": counted, "quantity": "1", "unitCost": "0.001" }),
            "BAD_USER_INPUT",
            Some("lines[1].unitCost"),
        ),
        (
            json!({ "productId": untracked, "quantity": "1" }),
            "BAD_USER_INPUT",
            Some("lines[1].productId"),
        ),
        (
            json!({ "productId": "not-an-id", "quantity": "1" }),
            "BAD_USER_INPUT",
            Some("lines[1].productId"),
        ),
        (
            json!({ "productId": uuid::Uuid::now_v7().to_string(), "quantity": "1" }),
            "NOT_FOUND",
            None,
        ),
    ];

    for (bad_line, code, field) in cases {
        let lines =
            json!([{ "productId": counted, "quantity": "5", "unitCost": "9.00" }, bad_line]);
        let body = app
            .gql(
                Some(&admin.access),
                RECEIVE,
                json!({ "input": { "locationId": main, "lines": lines } }),
            )
            .await;
        assert_eq!(error_code(&body), code, "{body}");
        assert_eq!(
            body["errors"][0]["extensions"]["field"].as_str(),
            field,
            "{body}"
        );
    }
    assert_eq!(app.count_rows("stock_movements").await, movements);
    assert_eq!(app.count_rows("audit_log").await, audits);
    assert_eq!(
        on_hand(&app, &admin.access, &counted).await["cost"]["amount"],
        "1.00",
        "the cost is untouched"
    );
}

async fn adjustments_take_deltas_and_counts(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let main = app.main_location(&admin.access).await;
    let product = app.product(&admin.access, "P", json!({})).await;
    app.receive(&admin.access, &main, &product, "10").await;
    let adjust = |quantity: Option<&str>, counted: Option<&str>, reason: &str| {
        json!({
            "input": {
                "locationId": main,
                "productId": product,
                "quantity": quantity,
                "countedQuantity": counted,
                "reason": reason,
                "note": "shelf check",
            },
        })
    };

    let up = app
        .ok(&admin.access, ADJUST, adjust(Some("3"), None, "ADJUSTMENT"))
        .await;
    let damaged = app
        .ok(&admin.access, ADJUST, adjust(Some("-2"), None, "DAMAGE"))
        .await;
    let count = app
        .ok(&admin.access, ADJUST, adjust(None, Some("7"), "COUNT"))
        .await;

    assert_eq!(
        (
            up["adjustStock"]["quantity"].as_str(),
            up["adjustStock"]["onHandAfter"].as_str()
        ),
        (Some("3"), Some("13"))
    );
    assert_eq!(damaged["adjustStock"]["onHandAfter"], "11");
    assert_eq!(count["adjustStock"]["reason"], "COUNT");
    assert_eq!(
        count["adjustStock"]["quantity"], "-4",
        "a count records the difference"
    );
    assert_eq!(count["adjustStock"]["onHandAfter"], "7");
    assert_eq!(count["adjustStock"]["note"], "shelf check");
    app.assert_ledger_holds().await;
}

async fn adjustments_that_break_a_rule_change_nothing(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let main = app.main_location(&admin.access).await;
    let product = app.product(&admin.access, "P", json!({})).await;
    app.receive(&admin.access, &main, &product, "5").await;
    let movements = app.count_rows("stock_movements").await;
    let cases = [
        (Some("-6"), None, "ADJUSTMENT", "INSUFFICIENT_STOCK", None),
        (
            Some("2"),
            None,
            "DAMAGE",
            "BAD_USER_INPUT",
            Some("quantity"),
        ),
        (
            Some("0"),
            None,
            "ADJUSTMENT",
            "BAD_USER_INPUT",
            Some("quantity"),
        ),
        (
            Some("1"),
            Some("3"),
            "ADJUSTMENT",
            "BAD_USER_INPUT",
            Some("quantity"),
        ),
        (None, None, "ADJUSTMENT", "BAD_USER_INPUT", Some("quantity")),
        (Some("1"), None, "COUNT", "BAD_USER_INPUT", Some("reason")),
        (None, Some("3"), "THEFT", "BAD_USER_INPUT", Some("reason")),
        (
            None,
            Some("-1"),
            "COUNT",
            "BAD_USER_INPUT",
            Some("countedQuantity"),
        ),
    ];

    for (quantity, counted, reason, code, field) in cases {
        let body = app
            .gql(
                Some(&admin.access),
                ADJUST,
                json!({
                    "input": {
                        "locationId": main,
                        "productId": product,
                        "quantity": quantity,
                        "countedQuantity": counted,
                        "reason": reason,
                    },
                }),
            )
            .await;
        assert_eq!(
            error_code(&body),
            code,
            "{quantity:?} {counted:?} {reason}: {body}"
        );
        assert_eq!(
            body["errors"][0]["extensions"]["field"].as_str(),
            field,
            "{body}"
        );
    }
    let short = app
        .gql(Some(&admin.access), ADJUST, json!({
            "input": { "locationId": main, "productId": product, "quantity": "-6", "reason": "THEFT" },
        }))
        .await;
    assert_eq!(
        short["errors"][0]["extensions"]["productId"],
        product.as_str()
    );
    assert_eq!(short["errors"][0]["extensions"]["available"], "5");
    assert_eq!(app.count_rows("stock_movements").await, movements);
    assert_eq!(
        on_hand(&app, &admin.access, &product).await["stock"][0]["onHand"],
        "5"
    );
}

async fn a_transfer_moves_stock_between_locations_atomically(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let main = app.main_location(&admin.access).await;
    let other = second_location(&app, &admin.access).await;
    let product = app.product(&admin.access, "P", json!({})).await;
    app.receive(&admin.access, &main, &product, "10").await;

    let data = app
        .ok(&admin.access, TRANSFER, json!({
            "input": { "fromLocationId": main, "toLocationId": other, "productId": product, "quantity": "4" },
        }))
        .await;
    let too_much = app
        .gql(Some(&admin.access), TRANSFER, json!({
            "input": { "fromLocationId": main, "toLocationId": other, "productId": product, "quantity": "7" },
        }))
        .await;
    let same = app
        .gql(Some(&admin.access), TRANSFER, json!({
            "input": { "fromLocationId": main, "toLocationId": main, "productId": product, "quantity": "1" },
        }))
        .await;

    let legs = data["transferStock"].as_array().unwrap();
    assert_eq!(
        (
            legs[0]["reason"].as_str(),
            legs[0]["quantity"].as_str(),
            legs[0]["onHandAfter"].as_str()
        ),
        (Some("TRANSFER_OUT"), Some("-4"), Some("6"))
    );
    assert_eq!(
        (
            legs[1]["reason"].as_str(),
            legs[1]["quantity"].as_str(),
            legs[1]["onHandAfter"].as_str()
        ),
        (Some("TRANSFER_IN"), Some("4"), Some("4"))
    );
    assert_eq!(legs[1]["location"]["id"], other.as_str());
    assert_eq!(error_code(&too_much), "INSUFFICIENT_STOCK");
    assert_eq!(error_code(&same), "BAD_USER_INPUT");
    let stock = on_hand(&app, &admin.access, &product).await["stock"].clone();
    assert_eq!(
        stock,
        json!([
            { "location": { "code": "ALM" }, "onHand": "4" },
            { "location": { "code": "MAIN" }, "onHand": "6" },
        ])
    );
    app.assert_ledger_holds().await;
}

async fn the_ledger_lists_movements_newest_first_with_filters(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let main = app.main_location(&admin.access).await;
    let a = app.product(&admin.access, "A", json!({})).await;
    let b = app.product(&admin.access, "B", json!({})).await;
    for quantity in ["1", "2", "3"] {
        app.receive(&admin.access, &main, &a, quantity).await;
    }
    app.receive(&admin.access, &main, &b, "9").await;

    let page = app
        .ok(
            &admin.access,
            MOVEMENTS,
            json!({ "productId": a, "first": 2 }),
        )
        .await;
    let cursor = page["stockMovements"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let rest = app
        .ok(
            &admin.access,
            MOVEMENTS,
            json!({ "productId": a, "first": 2, "after": cursor }),
        )
        .await;
    let everything = app
        .ok(&admin.access, MOVEMENTS, json!({ "locationId": main }))
        .await;

    let quantities = |data: &Value| -> Vec<String> {
        data["stockMovements"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["quantity"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(quantities(&page), ["3", "2"]);
    assert_eq!(quantities(&rest), ["1"]);
    assert_eq!(page["stockMovements"]["totalCount"], 3);
    assert_eq!(everything["stockMovements"]["totalCount"], 4);
    let first = &everything["stockMovements"]["edges"][0]["node"];
    assert_eq!(first["product"]["sku"], "B");
    assert_eq!(first["user"]["username"], "admin");
    assert_eq!(first["location"]["id"], main.as_str());
}

async fn low_stock_lists_tracked_active_products_at_or_below_threshold(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let main = app.main_location(&admin.access).await;
    let at = app
        .product(
            &admin.access,
            "AT",
            json!({ "name": "At threshold", "lowStockThreshold": "3" }),
        )
        .await;
    let above = app
        .product(
            &admin.access,
            "ABOVE",
            json!({ "name": "Above", "lowStockThreshold": "3" }),
        )
        .await;
    app.product(
        &admin.access,
        "EMPTY",
        json!({ "name": "Never received", "lowStockThreshold": "1" }),
    )
    .await;
    app.product(&admin.access, "NOLIMIT", json!({ "name": "No threshold" }))
        .await;
    let archived = app
        .product(
            &admin.access,
            "GONE",
            json!({ "name": "Archived", "lowStockThreshold": "3" }),
        )
        .await;
    app.receive(&admin.access, &main, &at, "3").await;
    app.receive(&admin.access, &main, &above, "4").await;
    app.ok(
        &admin.access,
        "mutation($id: ID!) { archiveProduct(id: $id) { id } }",
        json!({ "id": archived }),
    )
    .await;

    let data = app
        .ok(&admin.access, LOW_STOCK, json!({ "locationId": main }))
        .await;

    assert_eq!(
        data["lowStock"],
        json!([
            { "onHand": "3", "threshold": "3", "product": { "id": at, "sku": "AT", "name": "At threshold" } },
            { "onHand": "0", "threshold": "1", "product": { "id": data["lowStock"][1]["product"]["id"], "sku": "EMPTY", "name": "Never received" } },
        ])
    );
}

async fn stock_changes_are_audited(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let main = app.main_location(&admin.access).await;
    let other = second_location(&app, &admin.access).await;
    let product = app.product(&admin.access, "P", json!({})).await;
    app.receive(&admin.access, &main, &product, "5").await;
    app.ok(&admin.access, ADJUST, json!({ "input": { "locationId": main, "productId": product, "quantity": "-1", "reason": "THEFT" } })).await;
    app.ok(&admin.access, TRANSFER, json!({
        "input": { "fromLocationId": main, "toLocationId": other, "productId": product, "quantity": "1" },
    })).await;

    let log = app
        .ok(
            &admin.access,
            "{ auditLog(first: 3) { edges { node { action details } } } }",
            json!({}),
        )
        .await;

    let actions: Vec<&str> = log["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["stock.transfer", "stock.adjust", "stock.receive"]);
    assert_eq!(
        log["auditLog"]["edges"][1]["node"]["details"]["reason"],
        "THEFT"
    );
}

async fn fifty_concurrent_changes_to_one_product_lose_nothing(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let main = app.main_location(&admin.access).await;
    let other = second_location(&app, &admin.access).await;
    let product = app.product(&admin.access, "HOT", json!({})).await;
    app.receive(&admin.access, &main, &product, "20").await;

    // 50 changes at once: receipts of 2, adjustments of -1 and transfers of 1 to ALM.
    let requests = (0..50).map(|i| {
        let (query, input) = match i % 3 {
            0 => (RECEIVE, json!({ "locationId": main, "lines": [{ "productId": product, "quantity": "2" }] })),
            1 => (ADJUST, json!({ "locationId": main, "productId": product, "quantity": "-1", "reason": "ADJUSTMENT" })),
            _ => (TRANSFER, json!({ "fromLocationId": main, "toLocationId": other, "productId": product, "quantity": "1" })),
        };
        app.gql(Some(&admin.access), query, json!({ "input": input }))
    });
    let results = futures_util::future::join_all(requests).await;

    let mut expected_main = 20;
    let mut expected_other = 0;
    for (i, body) in results.iter().enumerate() {
        assert!(body["errors"].is_null(), "change {i} failed: {body}");
        match i % 3 {
            0 => expected_main += 2,
            1 => expected_main -= 1,
            _ => {
                expected_main -= 1;
                expected_other += 1;
            }
        }
    }
    let stock = on_hand(&app, &admin.access, &product).await["stock"].clone();
    assert_eq!(
        stock,
        json!([
            { "location": { "code": "ALM" }, "onHand": expected_other.to_string() },
            { "location": { "code": "MAIN" }, "onHand": expected_main.to_string() },
        ])
    );
    app.assert_ledger_holds().await;
}

async fn concurrent_withdrawals_never_take_stock_below_zero(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let main = app.main_location(&admin.access).await;
    let product = app.product(&admin.access, "SCARCE", json!({})).await;
    app.receive(&admin.access, &main, &product, "10").await;

    let requests = (0..30).map(|_| {
        app.gql(Some(&admin.access), ADJUST, json!({
            "input": { "locationId": main, "productId": product, "quantity": "-1", "reason": "DAMAGE" },
        }))
    });
    let results = futures_util::future::join_all(requests).await;

    let succeeded = results.iter().filter(|b| b["errors"].is_null()).count();
    let refused = results
        .iter()
        .filter(|b| b["errors"][0]["extensions"]["code"] == "INSUFFICIENT_STOCK")
        .count();
    assert_eq!((succeeded, refused), (10, 20));
    assert_eq!(
        on_hand(&app, &admin.access, &product).await["stock"][0]["onHand"],
        "0"
    );
    app.assert_ledger_holds().await;
}
