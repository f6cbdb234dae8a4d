//! Mutation root: one object per area, merged. Every mutation is one transaction: it changes
//! everything it says or nothing.

mod auth;
mod backups;
mod catalog;
mod customers;
mod inventory;
mod sales;
mod users;

use async_graphql::MergedObject;

/// Changes. Every field needs an access token unless its description says otherwise.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    auth::AuthMutation,
    users::UserMutation,
    catalog::CatalogMutation,
    inventory::InventoryMutation,
    customers::CustomerMutation,
    sales::SalesMutation,
    backups::BackupMutation,
);
