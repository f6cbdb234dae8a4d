//! Customers: any role creates and finds them; managers change them.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

mod common;

use common::Backend;
use common::error_code;
use serde_json::{Value, json};

const CREATE: &str = "mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id name email phone taxId } }";
const UPDATE: &str = "mutation($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id name email phone taxId } }";
const SEARCH: &str = "query($search: String, $first: Int, $after: String) {
  customers(search: $search, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name email phone taxId } }
  }
}";

fn names(data: &Value) -> Vec<&str> {
    data["customers"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap())
        .collect()
}

both_backends!(
    a_cashier_creates_and_finds_customers_but_only_managers_change_them,
    search_matches_name_email_phone_and_tax_id_ignoring_case_and_accents,
    customers_page_by_name,
    bad_customer_input_names_its_field_and_changes_nothing,
    customer_changes_are_audited
);

async fn a_cashier_creates_and_finds_customers_but_only_managers_change_them(backend: Backend) {
    let app = backend.spawn().await;
    let cashier = app.user_with_role("carla", "CASHIER").await;
    let manager = app.user_with_role("mario", "MANAGER").await;

    let created = app
        .ok(
            &cashier.access,
            CREATE,
            json!({
                "input": {
                    "name": "José Núñez",
                    "email": "Jose@Example.com",
                    "phone": "+34 600 11 22 33",
                    "taxId": "12345678Z",
                },
            }),
        )
        .await;
    let id = created["createCustomer"]["id"].as_str().unwrap();
    let found = app
        .ok(&cashier.access, SEARCH, json!({ "search": "nunez" }))
        .await;
    let refused = app
        .gql(
            Some(&cashier.access),
            UPDATE,
            json!({ "id": id, "input": { "name": "X" } }),
        )
        .await;
    let changed = app
        .ok(
            &manager.access,
            UPDATE,
            json!({ "id": id, "input": { "phone": null, "name": "José Núñez Gil" } }),
        )
        .await;
    let anonymous = app.gql(None, SEARCH, json!({})).await;

    assert_eq!(created["createCustomer"]["email"], "jose@example.com");
    assert_eq!(names(&found), ["José Núñez"]);
    assert_eq!(error_code(&refused), "FORBIDDEN");
    assert_eq!(changed["updateCustomer"]["name"], "José Núñez Gil");
    assert!(changed["updateCustomer"]["phone"].is_null(), "null clears");
    assert_eq!(
        changed["updateCustomer"]["taxId"], "12345678Z",
        "absent is left alone"
    );
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
}

async fn search_matches_name_email_phone_and_tax_id_ignoring_case_and_accents(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    for (name, email, phone, tax_id) in [
        ("Ana Peña", "ana@correo.es", "600111222", "B12345678"),
        (
            "Bar El Rincón",
            "pedidos@rincon.es",
            "+34 911 22 33 44",
            "B87654321",
        ),
        ("Carlos Ruiz", "carlos@correo.es", "622333444", "X1234567L"),
    ] {
        app.ok(
            &admin.access,
            CREATE,
            json!({ "input": { "name": name, "email": email, "phone": phone, "taxId": tax_id } }),
        )
        .await;
    }

    for (search, expected) in [
        ("PEÑA", vec!["Ana Peña"]),
        ("rincon", vec!["Bar El Rincón"]),
        ("correo.es", vec!["Ana Peña", "Carlos Ruiz"]),
        ("911223344", vec!["Bar El Rincón"]),
        ("x1234567l", vec!["Carlos Ruiz"]),
        ("nobody", vec![]),
    ] {
        let data = app
            .ok(&admin.access, SEARCH, json!({ "search": search }))
            .await;
        assert_eq!(names(&data), expected, "{search}");
        assert_eq!(data["customers"]["totalCount"], expected.len(), "{search}");
    }
}

async fn customers_page_by_name(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    for name in ["Eva", "Bea", "Dani", "Ciro", "Alba"] {
        app.ok(&admin.access, CREATE, json!({ "input": { "name": name } }))
            .await;
    }

    let first = app.ok(&admin.access, SEARCH, json!({ "first": 3 })).await;
    let cursor = first["customers"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = app
        .ok(
            &admin.access,
            SEARCH,
            json!({ "first": 3, "after": cursor }),
        )
        .await;

    assert_eq!(names(&first), ["Alba", "Bea", "Ciro"]);
    assert_eq!(names(&second), ["Dani", "Eva"]);
    assert_eq!(second["customers"]["pageInfo"]["hasNextPage"], false);
}

async fn bad_customer_input_names_its_field_and_changes_nothing(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let (customers, audits) = (
        app.count_rows("customers").await,
        app.count_rows("audit_log").await,
    );

    for (input, field) in [
        (json!({ "name": "  " }), "name"),
        (json!({ "name": "A", "email": "not-an-email" }), "email"),
        (json!({ "name": "A", "phone": "call me" }), "phone"),
        (json!({ "name": "A", "taxId": "X".repeat(40) }), "taxId"),
    ] {
        let body = app
            .gql(Some(&admin.access), CREATE, json!({ "input": input }))
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field);
    }
    let unknown = app
        .gql(
            Some(&admin.access),
            UPDATE,
            json!({ "id": uuid::Uuid::now_v7().to_string(), "input": { "name": "X" } }),
        )
        .await;
    assert_eq!(error_code(&unknown), "NOT_FOUND");
    assert_eq!(app.count_rows("customers").await, customers);
    assert_eq!(app.count_rows("audit_log").await, audits);
}

async fn customer_changes_are_audited(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let created = app
        .ok(
            &admin.access,
            CREATE,
            json!({ "input": { "name": "Lola" } }),
        )
        .await;
    app.ok(
        &admin.access,
        UPDATE,
        json!({ "id": created["createCustomer"]["id"], "input": { "email": "lola@example.com" } }),
    )
    .await;

    let log = app
        .ok(
            &admin.access,
            "{ auditLog(first: 2) { edges { node { action entityId details } } } }",
            json!({}),
        )
        .await;

    assert_eq!(
        log["auditLog"]["edges"][0]["node"]["action"],
        "customer.update"
    );
    assert_eq!(
        log["auditLog"]["edges"][0]["node"]["details"]["email"]["to"],
        "lola@example.com"
    );
    assert_eq!(
        log["auditLog"]["edges"][1]["node"]["action"],
        "customer.create"
    );
}
