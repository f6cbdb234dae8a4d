//! Database migrations, run at start-up on SQLite and PostgreSQL alike.
//!
//! # Layout
//! One file per change, named `mYYYYMMDD_HHMMSS_verb_noun.rs`, listed in order in
//! [`Migrator::migrations`]. Migrations describe tables with sea-query's builder so that one
//! definition serves both backends, and they never import the `entity` crate: a model may
//! change, an applied migration must not. Applying them is idempotent: sea-orm-migration records
//! what ran in `seaql_migrations` and skips it next time.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_create_users;
mod m20261128_000002_create_refresh_tokens;
mod m20261128_000003_create_audit_log;
mod m20261128_000004_create_locations;
mod m20261128_000005_create_catalog;
mod m20261128_000006_create_stock;
mod m20261128_000007_create_customers;
mod m20261128_000008_create_product_counts;
mod m20261128_000009_create_sales;
mod m20261128_000010_create_backup_runs;
mod m20261128_000011_create_jobs_and_embeddings;
mod m20261204_000012_add_offline_sales_and_receipt_details;
mod m20261204_000013_add_backup_leases;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_create_users::Migration),
            Box::new(m20261128_000002_create_refresh_tokens::Migration),
            Box::new(m20261128_000003_create_audit_log::Migration),
            Box::new(m20261128_000004_create_locations::Migration),
            Box::new(m20261128_000005_create_catalog::Migration),
            Box::new(m20261128_000006_create_stock::Migration),
            Box::new(m20261128_000007_create_customers::Migration),
            Box::new(m20261128_000008_create_product_counts::Migration),
            Box::new(m20261128_000009_create_sales::Migration),
            Box::new(m20261128_000010_create_backup_runs::Migration),
            Box::new(m20261128_000011_create_jobs_and_embeddings::Migration),
            Box::new(m20261204_000012_add_offline_sales_and_receipt_details::Migration),
            Box::new(m20261204_000013_add_backup_leases::Migration),
        ]
    }
}
