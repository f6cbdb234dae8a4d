//! Receipts follow the shop's language (a setting of the location, Spanish by default) and
//! carry what a simplified invoice in Spain must show; an ADMIN edits the location's details.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

mod common;

use common::{Backend, TestApp, error_code};
use serde_json::{Value, json};

const UPDATE: &str = "mutation($id: ID!, $input: UpdateLocationInput!) { updateLocation(id: $id, input: $input) { id name legalName taxId address receiptFooter language } }";
const SALE: &str =
    "mutation($input: CreateSaleInput!) { createSale(input: $input) { number receiptText } }";

/// Sells 2 milk (1.21, 21 % VAT) and 1 bread (2.50, 10 %) for 10.00 cash; returns the answer.
async fn sell(app: &TestApp, admin: &str, key: &str) -> Value {
    let location = app.main_location(admin).await;
    let rate = |name: &str, percent: &str| json!({ "input": { "name": format!("{name} {key}"), "ratePercent": percent } });
    let create_rate =
        "mutation($input: CreateTaxRateInput!) { createTaxRate(input: $input) { id } }";
    let general = app.ok(admin, create_rate, rate("General", "21")).await;
    let reduced = app.ok(admin, create_rate, rate("Reducido", "10")).await;
    let milk = app
        .product(
            admin,
            &format!("LECHE-{key}"),
            json!({ "price": "1.21", "taxRateId": general["createTaxRate"]["id"] }),
        )
        .await;
    let bread = app
        .product(
            admin,
            &format!("PAN-{key}"),
            json!({ "price": "2.50", "taxRateId": reduced["createTaxRate"]["id"] }),
        )
        .await;
    app.receive(admin, &location, &milk, "10").await;
    app.receive(admin, &location, &bread, "10").await;
    let session = app
        .open_register(admin, &location, &format!("Caja {key}"))
        .await;
    let input = json!({ "input": {
        "idempotencyKey": key,
        "registerSessionId": session,
        "lines": [
            { "productId": milk, "quantity": "2" },
            { "productId": bread, "quantity": "1" },
        ],
        "payments": [{ "method": "CASH", "amount": "10" }],
    } });
    app.ok(admin, SALE, input).await["createSale"].clone()
}

both_backends!(
    a_receipt_is_a_spanish_simplified_invoice_by_default,
    an_english_location_prints_english_receipts,
    only_an_admin_edits_a_location_and_bad_details_change_nothing,
);

async fn a_receipt_is_a_spanish_simplified_invoice_by_default(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await.access;
    let location = app.main_location(&admin).await;
    let details = json!({
        "name": "Ultramarinos Pepa",
        "legalName": "Pepa Comercial S.L.",
        "taxId": "b12345678",
        "address": "C/ Mayor 1\n28001 Madrid",
        "receiptFooter": "Devoluciones en 30 días con el ticket",
    });
    let updated = app
        .ok(&admin, UPDATE, json!({ "id": location, "input": details }))
        .await;
    assert_eq!(updated["updateLocation"]["taxId"], "B12345678");
    assert_eq!(updated["updateLocation"]["language"], "ES");

    let sale = sell(&app, &admin, "es").await;

    let receipt = sale["receiptText"].as_str().unwrap();
    for wanted in [
        "Ultramarinos Pepa",
        "Pepa Comercial S.L.",
        "NIF B12345678",
        "C/ Mayor 1",
        "28001 Madrid",
        "FACTURA SIMPLIFICADA",
        "MAIN-000001",
        "Efectivo",
        "IVA incluido",
        "Devoluciones en 30 días con el ticket",
    ] {
        assert!(
            receipt.contains(wanted),
            "{wanted:?} missing from\n{receipt}"
        );
    }
    // VAT by rate (base and tax), amounts with a decimal comma: 2.42 at 21 % is 2.00 + 0.42,
    // 2.50 at 10 % is 2.27 + 0.23.
    let line = |start: &str| receipt.lines().find(|l| l.starts_with(start)).unwrap_or("");
    assert!(line("IVA 21% base 2,00").ends_with(" 0,42"), "{receipt}");
    assert!(line("IVA 10% base 2,27").ends_with(" 0,23"), "{receipt}");
    assert!(line("TOTAL EUR").ends_with(" 4,92"), "{receipt}");
    assert!(line("Cambio").ends_with(" 5,08"), "{receipt}");
}

async fn an_english_location_prints_english_receipts(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await.access;
    let location = app.main_location(&admin).await;
    app.ok(
        &admin,
        UPDATE,
        json!({ "id": location, "input": { "language": "EN", "taxId": "GB123456789" } }),
    )
    .await;

    let sale = sell(&app, &admin, "en").await;

    let receipt = sale["receiptText"].as_str().unwrap();
    let line = |start: &str| receipt.lines().find(|l| l.starts_with(start)).unwrap_or("");
    assert!(
        line("SIMPLIFIED INVOICE").ends_with(" MAIN-000001"),
        "{receipt}"
    );
    assert!(receipt.contains("Tax ID GB123456789"), "{receipt}");
    assert!(line("VAT 21% on 2.00").ends_with(" 0.42"), "{receipt}");
    assert!(line("Change").ends_with(" 5.08"), "{receipt}");
    assert!(line("Cash").ends_with(" 10.00"), "{receipt}");
}

async fn only_an_admin_edits_a_location_and_bad_details_change_nothing(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await.access;
    let manager = app.user_with_role("marta", "MANAGER").await.access;
    let location = app.main_location(&admin).await;
    let before = app
        .ok(
            &admin,
            "{ locations { name legalName taxId language } }",
            json!({}),
        )
        .await;

    let forbidden = app
        .gql(
            Some(&manager),
            UPDATE,
            json!({ "id": location, "input": { "name": "Mine" } }),
        )
        .await;
    let bad_tax_id = app
        .gql(
            Some(&admin),
            UPDATE,
            json!({ "id": location, "input": { "name": "Renamed", "taxId": "B 123/45" } }),
        )
        .await;
    let too_long = app
        .gql(
            Some(&admin),
            UPDATE,
            json!({ "id": location, "input": { "legalName": "x".repeat(201) } }),
        )
        .await;

    assert_eq!(error_code(&forbidden), "FORBIDDEN");
    assert_eq!(error_code(&bad_tax_id), "BAD_USER_INPUT");
    assert_eq!(bad_tax_id["errors"][0]["extensions"]["field"], "taxId");
    assert_eq!(too_long["errors"][0]["extensions"]["field"], "legalName");
    let after = app
        .ok(
            &admin,
            "{ locations { name legalName taxId language } }",
            json!({}),
        )
        .await;
    assert_eq!(before, after);
}
