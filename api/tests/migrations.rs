//! Migrations on both backends: they create every table and can run again without effect.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

mod common;

use common::Backend;

use migration::{Migrator, MigratorTrait};

both_backends!(
    migrations_are_applied_at_start_and_idempotent,
    a_fresh_database_gets_the_admin_and_the_main_location_once
);

async fn migrations_are_applied_at_start_and_idempotent(backend: Backend) {
    let app = backend.spawn().await;
    let applied = Migrator::get_applied_migrations(&app.app.db)
        .await
        .unwrap()
        .len();

    Migrator::up(&app.app.db, None).await.unwrap();
    Migrator::up(&app.app.db, None).await.unwrap();

    assert_eq!(applied, Migrator::migrations().len());
    assert!(
        Migrator::get_pending_migrations(&app.app.db)
            .await
            .unwrap()
            .is_empty()
    );
    for table in [
        "users",
        "refresh_tokens",
        "audit_log",
        "locations",
        "tax_rates",
        "categories",
        "products",
        "stock_levels",
        "stock_movements",
        "customers",
    ] {
        assert!(app.count_rows(table).await >= 0, "{table}");
    }
}

async fn a_fresh_database_gets_the_admin_and_the_main_location_once(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;

    // A second start on the same database (a restart, or another replica) adds nothing.
    domain::bootstrap::first_start(
        &app.app.db,
        &app.app.auth,
        Some("other-password"),
        app.app.config.default_currency,
    )
    .await
    .unwrap();

    assert_eq!(app.count_rows("users").await, 1);
    assert_eq!(app.count_rows("locations").await, 1);
    let body = app
        .gql(
            Some(&admin.access),
            "{ locations { code currency pricesIncludeTax } }",
            serde_json::json!({}),
        )
        .await;
    assert_eq!(
        body["data"]["locations"],
        serde_json::json!([{ "code": "MAIN", "currency": "EUR", "pricesIncludeTax": true }])
    );
    app.login("admin", common::ADMIN_PASSWORD).await;
}
