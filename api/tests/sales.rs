//! Registers and sales through the API: a full shift, the checkout's refusals, idempotency,
//! refunds and voids, on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

mod common;

use common::{Backend, TestApp, error_code};
use serde_json::{Value, json};

const OPEN: &str = "mutation($input: OpenRegisterInput!) { openRegister(input: $input) { id status registerName openingFloat { amount currency } openedBy { username } } }";
const SALE: &str = "mutation($input: CreateSaleInput!) { createSale(input: $input) { id number status subtotal { amount } discountTotal { amount } taxTotal { amount } total { amount currency } amountPaid { amount } change { amount } lines { id sku quantity unitPrice { amount } discount { amount } taxAmount { amount } total { amount } } payments { method amount { amount } } cashier { username } registerSession { id } } }";
const REFUND: &str = "mutation($input: RefundSaleInput!) { refundSale(input: $input) { id amount { amount } restocked lines { quantity amount { amount } saleLine { id } } sale { id status } } }";
const REPORT: &str = "query($from: DateTime!, $to: DateTime!, $locationId: ID) { salesReport(from: $from, to: $to, locationId: $locationId) { salesCount grossSales { amount currency } refundsTotal { amount } netSales { amount } taxTotal { amount } grossMargin { amount } byPaymentMethod { method amount { amount } } byCashier { cashier { username } salesCount total { amount } } topProducts(first: 10) { product { id name } quantity revenue { amount } } } }";
const SESSION: &str = "query($id: ID!) { registerSession(id: $id) { id status expectedCash { amount } countedCash { amount } overShort { amount } cashMovements { kind amount { amount } } totals { salesCount grossSales { amount } refundsTotal { amount } taxTotal { amount } byPaymentMethod { method amount { amount } } } } }";

/// A shop with a 21 % milk (1.21, cost 0.70) and a 10 % bread (2.50, cost 1.00), 100 of each
/// at MAIN.
struct Shop {
    admin: String,
    location: String,
    milk: String,
    bread: String,
}

async fn shop(app: &TestApp) -> Shop {
    let admin = app.admin().await.access;
    let location = app.main_location(&admin).await;
    let rate = |name: &'static str, percent: &'static str| {
        let admin = admin.clone();
        async move {
            app.ok(
                &admin,
                "mutation($input: CreateTaxRateInput!) { createTaxRate(input: $input) { id } }",
                json!({ "input": { "name": name, "ratePercent": percent } }),
            )
            .await["createTaxRate"]["id"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let general = rate("General", "21").await;
    let reduced = rate("Reducido", "10").await;
    let milk = app
        .product(
            &admin,
            "LECHE",
            json!({ "price": "1.21", "cost": "0.70", "taxRateId": general }),
        )
        .await;
    let bread = app
        .product(
            &admin,
            "PAN",
            json!({ "price": "2.50", "cost": "1.00", "taxRateId": reduced }),
        )
        .await;
    app.receive(&admin, &location, &milk, "100").await;
    app.receive(&admin, &location, &bread, "100").await;
    Shop {
        admin,
        location,
        milk,
        bread,
    }
}

fn sale_input(key: &str, session: &str, lines: Value, payments: Value) -> Value {
    json!({
        "input": {
            "idempotencyKey": key,
            "registerSessionId": session,
            "lines": lines,
            "payments": payments,
        },
    })
}

async fn sell(app: &TestApp, token: &str, input: Value) -> Value {
    app.ok(token, SALE, input).await["createSale"].clone()
}

async fn on_hand(app: &TestApp, token: &str, product: &str) -> String {
    let data = app
        .ok(
            token,
            "query($id: ID!) { product(id: $id) { stock { onHand location { code } } } }",
            json!({ "id": product }),
        )
        .await;
    data["product"]["stock"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["location"]["code"] == "MAIN")
        .map(|s| s["onHand"].as_str().unwrap().to_owned())
        .unwrap()
}

both_backends!(
    a_full_shift_adds_up_to_the_cent,
    a_shift_s_report_margin_and_stock_add_up,
    a_closed_register_takes_no_more_sales,
    a_refused_sale_changes_nothing_and_takes_no_number,
    a_retried_sale_is_the_same_sale,
    refunds_never_exceed_what_was_sold,
    cashiers_keep_to_their_own_drawers_and_sales
);

/// A shift at "Caja 1": ana rings up four sales (cash with change, card, a split tender, and
/// one that marta voids), pays out 10.00, and marta refunds one milk in cash from the drawer.
/// Each step's answer is checked as it happens.
struct Shift {
    app: TestApp,
    shop: Shop,
    ana: String,
    manager: String,
    session: String,
}

async fn work_a_shift(backend: Backend) -> Shift {
    let app = backend.spawn().await;
    let shop = shop(&app).await;
    let ana = app.user_with_role("ana", "CASHIER").await.access;
    let manager = app.user_with_role("marta", "MANAGER").await.access;
    let session = app.open_register(&ana, &shop.location, "Caja 1").await;
    let sale = |key: &str, lines: Value, payments: Value| {
        sell(&app, &ana, sale_input(key, &session, lines, payments))
    };

    // 2 milk + 1 bread = 4.92, paid 10.00 in cash: 5.08 change.
    let first = sale(
        "k1",
        json!([
            { "productId": shop.milk, "quantity": "2" },
            { "productId": shop.bread, "quantity": "1" },
        ]),
        json!([{ "method": "CASH", "amount": "10" }]),
    )
    .await;
    assert_eq!(first["number"], "MAIN-000001");
    assert_eq!(
        first["total"],
        json!({ "amount": "4.92", "currency": "EUR" })
    );
    assert_eq!(first["taxTotal"]["amount"], "0.65"); // 0.42 + 0.23, each line rounded
    assert_eq!(first["change"]["amount"], "5.08");
    assert_eq!(first["cashier"]["username"], "ana");
    // 1 bread by card.
    sale(
        "k2",
        json!([{ "productId": shop.bread, "quantity": "1" }]),
        json!([{ "method": "CARD", "amount": "2.50", "reference": "slip 42" }]),
    )
    .await;
    // 3 milk = 3.63, split: 2.00 card and 5.00 cash, 3.37 change.
    let third = sale(
        "k3",
        json!([{ "productId": shop.milk, "quantity": "3" }]),
        json!([{ "method": "CARD", "amount": "2" }, { "method": "CASH", "amount": "5" }]),
    )
    .await;
    assert_eq!(third["number"], "MAIN-000003");
    assert_eq!(third["change"]["amount"], "3.37");
    // 1 milk in exact cash, then voided.
    let fourth = sale(
        "k4",
        json!([{ "productId": shop.milk, "quantity": "1" }]),
        json!([{ "method": "CASH", "amount": "1.21" }]),
    )
    .await;
    let voided = app
        .ok(
            &manager,
            "mutation($id: ID!) { voidSale(id: $id, reason: \"wrong item\") { id status } }",
            json!({ "id": fourth["id"] }),
        )
        .await;
    assert_eq!(voided["voidSale"]["status"], "VOIDED");
    // A 10.00 pay-out.
    app.ok(
        &ana,
        "mutation($input: CashMovementInput!) { recordCashMovement(input: $input) { id } }",
        json!({
            "input": {
                "registerSessionId": session,
                "kind": "PAY_OUT",
                "amount": "10.00",
                "reason": "window cleaner",
            },
        }),
    )
    .await;
    // One of the first sale's two milks back, in cash from the drawer.
    let refund = app
        .ok(
            &manager,
            REFUND,
            json!({
                "input": {
                    "idempotencyKey": "r1",
                    "saleId": first["id"],
                    "registerSessionId": session,
                    "lines": [{ "saleLineId": first["lines"][0]["id"], "quantity": "1" }],
                    "method": "CASH",
                    "reason": "spilt",
                },
            }),
        )
        .await;
    assert_eq!(refund["refundSale"]["amount"]["amount"], "1.21");
    assert_eq!(refund["refundSale"]["sale"]["status"], "PARTIALLY_REFUNDED");
    Shift {
        app,
        shop,
        ana,
        manager,
        session,
    }
}

const CLOSE: &str = "mutation($input: CloseRegisterInput!) { closeRegister(input: $input) { status expectedCash { amount } countedCash { amount } overShort { amount } totals { salesCount grossSales { amount } refundsTotal { amount } taxTotal { amount } byPaymentMethod { method amount { amount } } } } }";

/// What the shift's cash took: 15.00 tendered - 8.45 change - 1.21 refunded; and the cards.
fn shift_by_payment_method() -> Value {
    json!([
        { "method": "CASH", "amount": { "amount": "5.34" } },
        { "method": "CARD", "amount": { "amount": "4.50" } },
    ])
}

async fn a_full_shift_adds_up_to_the_cent(backend: Backend) {
    let Shift {
        app, ana, session, ..
    } = work_a_shift(backend).await;

    // Expected: 100 + (10 - 5.08) + (5 - 3.37) - 1.21 refunded - 10 paid out = 95.34.
    let x_report = app.ok(&ana, SESSION, json!({ "id": session })).await;
    let closed = app
        .ok(
            &ana,
            CLOSE,
            json!({ "input": { "registerSessionId": session, "countedCash": "95.00" } }),
        )
        .await;

    let expected = &x_report["registerSession"]["expectedCash"]["amount"];
    assert_eq!(expected, "95.34");
    let closed = &closed["closeRegister"];
    assert_eq!(closed["status"], "CLOSED");
    assert_eq!(closed["expectedCash"]["amount"], "95.34");
    assert_eq!(closed["overShort"]["amount"], "-0.34");
    assert_eq!(
        closed["totals"],
        json!({
            "salesCount": 3,
            "grossSales": { "amount": "11.05" },   // 4.92 + 2.50 + 3.63
            "refundsTotal": { "amount": "1.21" },
            "taxTotal": { "amount": "1.30" },      // 0.65 + 0.23 + 0.63 - 0.21
            "byPaymentMethod": shift_by_payment_method(),
        })
    );
    assert_eq!(x_report["registerSession"]["totals"], closed["totals"]);
}

async fn a_shift_s_report_margin_and_stock_add_up(backend: Backend) {
    let Shift {
        app, shop, manager, ..
    } = work_a_shift(backend).await;

    let now = chrono::Utc::now();
    let report = app
        .ok(
            &manager,
            REPORT,
            json!({
                "from": (now - chrono::Duration::hours(1)).to_rfc3339(),
                "to": (now + chrono::Duration::hours(1)).to_rfc3339(),
            }),
        )
        .await;

    // The drawer's totals, plus the margin: net 9.84 without its 1.30 tax, minus the cost of
    // what stayed sold (4 milk at 0.70, 2 bread at 1.00) = 3.74.
    let bread = json!({ "id": shop.bread, "name": "Product PAN" });
    let milk = json!({ "id": shop.milk, "name": "Product LECHE" });
    assert_eq!(
        report["salesReport"],
        json!({
            "salesCount": 3,
            "grossSales": { "amount": "11.05", "currency": "EUR" },
            "refundsTotal": { "amount": "1.21" },
            "netSales": { "amount": "9.84" },
            "taxTotal": { "amount": "1.30" },
            "grossMargin": { "amount": "3.74" },
            "byPaymentMethod": shift_by_payment_method(),
            "byCashier": [
                { "cashier": { "username": "ana" }, "salesCount": 3, "total": { "amount": "11.05" } },
            ],
            "topProducts": [
                { "product": bread, "quantity": "2", "revenue": { "amount": "5.00" } },
                { "product": milk, "quantity": "4", "revenue": { "amount": "4.84" } },
            ],
        })
    );
    // Milk: 100 - 2 - 3 - 1 + 1 voided + 1 returned; bread: 100 - 2.
    assert_eq!(on_hand(&app, &shop.admin, &shop.milk).await, "96");
    assert_eq!(on_hand(&app, &shop.admin, &shop.bread).await, "98");
    app.assert_ledger_holds().await;
}

async fn a_closed_register_takes_no_more_sales(backend: Backend) {
    let Shift {
        app,
        shop,
        ana,
        session,
        ..
    } = work_a_shift(backend).await;
    let close = json!({ "input": { "registerSessionId": session, "countedCash": "95.00" } });
    app.ok(&ana, CLOSE, close).await;

    let after_close = app
        .gql(
            Some(&ana),
            SALE,
            sale_input(
                "k5",
                &session,
                json!([{ "productId": shop.milk, "quantity": "1" }]),
                json!([{ "method": "CASH", "amount": "5" }]),
            ),
        )
        .await;

    assert_eq!(error_code(&after_close), "REGISTER_CLOSED");
}

async fn a_refused_sale_changes_nothing_and_takes_no_number(backend: Backend) {
    let app = backend.spawn().await;
    let shop = shop(&app).await;
    let session = app
        .open_register(&shop.admin, &shop.location, "Caja 1")
        .await;
    let cases = [
        (
            json!([{ "productId": shop.milk, "quantity": "101" }]),
            json!([{ "method": "CASH", "amount": "500" }]),
            "INSUFFICIENT_STOCK",
            None,
        ),
        (
            json!([
                { "productId": shop.milk, "quantity": "1" },
                { "productId": shop.bread, "quantity": "101" },
            ]),
            json!([{ "method": "CASH", "amount": "500" }]),
            "INSUFFICIENT_STOCK",
            None,
        ),
        (
            json!([
                { "productId": shop.milk, "quantity": "60" },
                { "productId": shop.milk, "quantity": "41" },
            ]),
            json!([{ "method": "CASH", "amount": "500" }]),
            "INSUFFICIENT_STOCK",
            None,
        ),
        (
            json!([{ "productId": shop.milk, "quantity": "2" }]),
            json!([{ "method": "CASH", "amount": "2.41" }]),
            "PAYMENT_INSUFFICIENT",
            None,
        ),
        (
            json!([{ "productId": shop.milk, "quantity": "1" }]),
            json!([{ "method": "CARD", "amount": "1.22" }]),
            "BAD_USER_INPUT",
            Some("payments[0].amount"),
        ),
        (
            json!([{ "productId": shop.milk, "quantity": "0.5" }]),
            json!([{ "method": "CASH", "amount": "5" }]),
            "BAD_USER_INPUT",
            Some("lines[0].quantity"),
        ),
        (
            json!([{ "productId": shop.milk, "quantity": "1", "discount": "1.22" }]),
            json!([{ "method": "CASH", "amount": "5" }]),
            "BAD_USER_INPUT",
            Some("lines[0].discount"),
        ),
        (
            json!([
                {
                    "productId": shop.milk,
                    "quantity": "1",
                    "discount": "0.10",
                    "discountPercent": "5",
                },
            ]),
            json!([{ "method": "CASH", "amount": "5" }]),
            "BAD_USER_INPUT",
            Some("lines[0].discountPercent"),
        ),
        (
            json!([{ "productId": "nope", "quantity": "1" }]),
            json!([{ "method": "CASH", "amount": "5" }]),
            "BAD_USER_INPUT",
            Some("lines[0].productId"),
        ),
        (json!([]), json!([]), "BAD_USER_INPUT", Some("lines")),
    ];
    for (index, (lines, payments, code, field)) in cases.into_iter().enumerate() {
        let body = app
            .gql(
                Some(&shop.admin),
                SALE,
                sale_input(&format!("bad-{index}"), &session, lines, payments),
            )
            .await;
        assert_eq!(error_code(&body), code, "case {index}: {body}");
        assert_eq!(
            body["errors"][0]["extensions"]["field"].as_str(),
            field,
            "case {index}: {body}"
        );
        if code == "INSUFFICIENT_STOCK" {
            assert_eq!(body["errors"][0]["extensions"]["available"], "100");
        }
        if code == "PAYMENT_INSUFFICIENT" {
            assert_eq!(body["errors"][0]["extensions"]["due"], "2.42");
            assert_eq!(body["errors"][0]["extensions"]["paid"], "2.41");
        }
    }
    // An archived product cannot be sold.
    let archived = app
        .product(&shop.admin, "RETIRADO", json!({ "trackStock": false }))
        .await;
    app.ok(
        &shop.admin,
        "mutation($id: ID!) { archiveProduct(id: $id) { id active } }",
        json!({ "id": archived }),
    )
    .await;
    let body = app
        .gql(
            Some(&shop.admin),
            SALE,
            sale_input(
                "bad-archived",
                &session,
                json!([{ "productId": archived, "quantity": "1" }]),
                json!([{ "method": "CASH", "amount": "5" }]),
            ),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(
        body["errors"][0]["extensions"]["field"],
        "lines[0].productId"
    );

    assert_eq!(app.count_rows("sales").await, 0);
    assert_eq!(app.count_rows("sale_lines").await, 0);
    assert_eq!(on_hand(&app, &shop.admin, &shop.milk).await, "100");

    // The next sale that goes through still gets number 1: refused sales leave no gap.
    let sale = sell(
        &app,
        &shop.admin,
        sale_input(
            "good",
            &session,
            json!([{ "productId": shop.milk, "quantity": "1" }]),
            json!([{ "method": "CASH", "amount": "5" }]),
        ),
    )
    .await;
    assert_eq!(sale["number"], "MAIN-000001");
    app.assert_ledger_holds().await;
}

async fn a_retried_sale_is_the_same_sale(backend: Backend) {
    let app = backend.spawn().await;
    let shop = shop(&app).await;
    let session = app
        .open_register(&shop.admin, &shop.location, "Caja 1")
        .await;
    let input = sale_input(
        "retry-me",
        &session,
        json!([{ "productId": shop.milk, "quantity": "2", "discountPercent": "10" }]),
        json!([{ "method": "CASH", "amount": "5.00" }]),
    );
    let first = sell(&app, &shop.admin, input.clone()).await;
    let again = sell(&app, &shop.admin, input).await;
    assert_eq!(first, again);
    // "5" and "5.00" are the same amount, so the same request.
    let same = sell(
        &app,
        &shop.admin,
        sale_input(
            "retry-me",
            &session,
            json!([{ "productId": shop.milk, "quantity": "2.000", "discountPercent": "10" }]),
            json!([{ "method": "CASH", "amount": "5" }]),
        ),
    )
    .await;
    assert_eq!(same["id"], first["id"]);
    assert_eq!(app.count_rows("sales").await, 1);
    assert_eq!(on_hand(&app, &shop.admin, &shop.milk).await, "98");

    let other = app
        .gql(
            Some(&shop.admin),
            SALE,
            sale_input(
                "retry-me",
                &session,
                json!([{ "productId": shop.milk, "quantity": "1" }]),
                json!([{ "method": "CASH", "amount": "5.00" }]),
            ),
        )
        .await;
    assert_eq!(error_code(&other), "CONFLICT");
    assert_eq!(other["errors"][0]["extensions"]["field"], "idempotencyKey");
    assert_eq!(app.count_rows("sales").await, 1);
}

async fn refunds_never_exceed_what_was_sold(backend: Backend) {
    let app = backend.spawn().await;
    let shop = shop(&app).await;
    let session = app
        .open_register(&shop.admin, &shop.location, "Caja 1")
        .await;
    // 3 milk at 1.21 = 3.63: refunds of 1, 1, 1 give 1.21 each and the last completes it.
    let sale = sell(
        &app,
        &shop.admin,
        sale_input(
            "s",
            &session,
            json!([{ "productId": shop.milk, "quantity": "3" }]),
            json!([{ "method": "CARD", "amount": "3.63" }]),
        ),
    )
    .await;
    let line = sale["lines"][0]["id"].clone();
    let refund = |key: &str, quantity: &str| {
        json!({ "input": {
        "idempotencyKey": key, "saleId": sale["id"], "lines": [{ "saleLineId": line, "quantity": quantity }],
        "method": "CARD", "restock": false, "reason": "unhappy" } })
    };
    let first = app.ok(&shop.admin, REFUND, refund("r1", "2")).await;
    assert_eq!(first["refundSale"]["amount"]["amount"], "2.42");
    assert_eq!(first["refundSale"]["restocked"], false);
    let replay = app.ok(&shop.admin, REFUND, refund("r1", "2")).await;
    assert_eq!(replay, first);

    let over = app.gql(Some(&shop.admin), REFUND, refund("r2", "2")).await;
    assert_eq!(error_code(&over), "BAD_USER_INPUT");
    assert_eq!(
        over["errors"][0]["extensions"]["field"],
        "lines[0].quantity"
    );

    let last = app.ok(&shop.admin, REFUND, refund("r3", "1")).await;
    assert_eq!(last["refundSale"]["amount"]["amount"], "1.21");
    assert_eq!(last["refundSale"]["sale"]["status"], "REFUNDED");
    assert_eq!(app.count_rows("refunds").await, 2);
    // Without restock the milk stays sold.
    assert_eq!(on_hand(&app, &shop.admin, &shop.milk).await, "97");

    // A refunded sale cannot be voided; a voided one cannot be refunded.
    let void = app
        .gql(
            Some(&shop.admin),
            "mutation($id: ID!) { voidSale(id: $id, reason: \"x\") { id } }",
            json!({ "id": sale["id"] }),
        )
        .await;
    assert_eq!(error_code(&void), "CONFLICT");
    let other = sell(
        &app,
        &shop.admin,
        sale_input(
            "s2",
            &session,
            json!([{ "productId": shop.bread, "quantity": "1" }]),
            json!([{ "method": "CASH", "amount": "2.50" }]),
        ),
    )
    .await;
    app.ok(
        &shop.admin,
        "mutation($id: ID!) { voidSale(id: $id, reason: \"x\") { id } }",
        json!({ "id": other["id"] }),
    )
    .await;
    let refused = app.gql(Some(&shop.admin), REFUND, json!({ "input": {
        "idempotencyKey": "r4", "saleId": other["id"], "lines": [{ "saleLineId": other["lines"][0]["id"], "quantity": "1" }],
        "method": "CARD", "reason": "x" } })).await;
    assert_eq!(error_code(&refused), "CONFLICT");
    assert_eq!(on_hand(&app, &shop.admin, &shop.bread).await, "100");
    app.assert_ledger_holds().await;
}

async fn cashiers_keep_to_their_own_drawers_and_sales(backend: Backend) {
    let app = backend.spawn().await;
    let shop = shop(&app).await;
    let ana = app.user_with_role("ana", "CASHIER").await.access;
    let luis = app.user_with_role("luis", "CASHIER").await.access;
    let session = app.open_register(&ana, &shop.location, "Caja 1").await;
    let twice = app.gql(Some(&luis), OPEN,
        json!({ "input": { "locationId": shop.location, "registerName": "caja 1 ", "openingFloat": "0" } })).await;
    assert_eq!(error_code(&twice), "CONFLICT");
    let sale = sell(
        &app,
        &ana,
        sale_input(
            "a1",
            &session,
            json!([{ "productId": shop.milk, "quantity": "1" }]),
            json!([{ "method": "CASH", "amount": "2" }]),
        ),
    )
    .await;

    let not_his = app
        .gql(
            Some(&luis),
            SALE,
            sale_input(
                "l1",
                &session,
                json!([{ "productId": shop.milk, "quantity": "1" }]),
                json!([{ "method": "CASH", "amount": "2" }]),
            ),
        )
        .await;
    assert_eq!(error_code(&not_his), "REGISTER_CLOSED");
    let hidden = app
        .gql(
            Some(&luis),
            "query($id: ID!) { sale(id: $id) { id } }",
            json!({ "id": sale["id"] }),
        )
        .await;
    assert_eq!(error_code(&hidden), "NOT_FOUND");
    let listed = app
        .ok(
            &luis,
            "{ sales { totalCount edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(listed["sales"]["totalCount"], 0);
    let refund = app.gql(Some(&ana), REFUND, json!({ "input": {
        "idempotencyKey": "r", "saleId": sale["id"], "lines": [{ "saleLineId": sale["lines"][0]["id"], "quantity": "1" }],
        "method": "CASH", "registerSessionId": session, "reason": "x" } })).await;
    assert_eq!(error_code(&refund), "FORBIDDEN");

    let mine = app.ok(&ana, "query($id: ID!) { sale(id: $id) { number receiptText } sales(filter: { number: \"main-000001\" }) { totalCount } }", json!({ "id": sale["id"] })).await;
    assert_eq!(mine["sales"]["totalCount"], 1);
    let receipt = mine["sale"]["receiptText"].as_str().unwrap();
    assert!(
        receipt.contains("MAIN-000001") && receipt.contains("Product LECHE"),
        "{receipt}"
    );
    assert!(
        receipt
            .lines()
            .any(|l| l.starts_with("Cambio") && l.ends_with("0,79")),
        "{receipt}"
    );
}

both_backends!(a_sale_a_stop_left_without_a_number_is_numbered_at_start_up);

async fn a_sale_a_stop_left_without_a_number_is_numbered_at_start_up(backend: Backend) {
    use sea_orm::ConnectionTrait;
    let app = backend.spawn().await;
    let shop = shop(&app).await;
    let session = app
        .open_register(&shop.admin, &shop.location, "Caja 1")
        .await;
    let mut sales = Vec::new();
    for key in ["n1", "n2"] {
        sales.push(
            sell(
                &app,
                &shop.admin,
                sale_input(
                    key,
                    &session,
                    json!([{ "productId": shop.milk, "quantity": "1" }]),
                    json!([{ "method": "CASH", "amount": "2" }]),
                ),
            )
            .await,
        );
    }
    // What a crash between a sale's commit and its numbering leaves behind.
    app.app
        .db
        .execute_unprepared("UPDATE sales SET number = NULL WHERE number = 'MAIN-000002'")
        .await
        .unwrap();
    app.app
        .db
        .execute_unprepared("UPDATE sale_counters SET last_number = 1")
        .await
        .unwrap();
    let pending = app
        .ok(
            &shop.admin,
            "query($id: ID!) { sale(id: $id) { number } }",
            json!({ "id": sales[1]["id"] }),
        )
        .await;
    assert_eq!(pending["sale"]["number"], "PENDING");

    let restarted = backend
        .spawn_with(&[("DATABASE_URL", app.database.url.as_str())])
        .await;
    let admin = restarted.admin().await.access; // its own signing key

    let numbered = restarted
        .ok(
            &admin,
            "query($id: ID!) { sale(id: $id) { number } }",
            json!({ "id": sales[1]["id"] }),
        )
        .await;
    assert_eq!(numbered["sale"]["number"], "MAIN-000002");
    let next = sell(
        &restarted,
        &admin,
        sale_input(
            "n3",
            &session,
            json!([{ "productId": shop.milk, "quantity": "1" }]),
            json!([{ "method": "CASH", "amount": "2" }]),
        ),
    )
    .await;
    assert_eq!(next["number"], "MAIN-000003");
}

both_backends!(the_same_product_on_two_lines_moves_stock_line_by_line);

async fn the_same_product_on_two_lines_moves_stock_line_by_line(backend: Backend) {
    let app = backend.spawn().await;
    let shop = shop(&app).await;
    let session = app
        .open_register(&shop.admin, &shop.location, "Caja 1")
        .await;

    sell(
        &app,
        &shop.admin,
        sale_input(
            "twice",
            &session,
            json!([
                { "productId": shop.milk, "quantity": "3" },
                { "productId": shop.bread, "quantity": "1" },
                { "productId": shop.milk, "quantity": "2" },
            ]),
            json!([{ "method": "CASH", "amount": "20" }]),
        ),
    )
    .await;

    let ledger = app.ok(&shop.admin, "query($p: ID!) { stockMovements(productId: $p, first: 5) { edges { node { reason quantity onHandAfter reference } } } }", json!({ "p": shop.milk })).await;
    let moves: Vec<Value> = ledger["stockMovements"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    assert_eq!(
        moves,
        vec![
            json!({ "reason": "SALE", "quantity": "-2", "onHandAfter": "95", "reference": "MAIN-000001" }),
            json!({ "reason": "SALE", "quantity": "-3", "onHandAfter": "97", "reference": "MAIN-000001" }),
            json!({ "reason": "RECEIPT", "quantity": "100", "onHandAfter": "100", "reference": null }),
        ]
    );
    assert_eq!(on_hand(&app, &shop.admin, &shop.milk).await, "95");
    app.assert_ledger_holds().await;
}
