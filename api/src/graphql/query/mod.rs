//! Query root: one object per area, merged.

mod audit;
mod backups;
mod catalog;
mod customers;
mod inventory;
mod locations;
mod sales;
mod users;

use async_graphql::MergedObject;

/// Reads. Every field needs an access token unless its description says otherwise.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    users::UserQuery,
    locations::LocationQuery,
    catalog::CatalogQuery,
    inventory::InventoryQuery,
    customers::CustomerQuery,
    audit::AuditQuery,
    sales::SalesQuery,
    backups::BackupQuery,
);
