//! Query root: one object per area, merged.

mod audit;
mod locations;
mod users;

use async_graphql::MergedObject;

/// Reads. Every field needs an access token unless its description says otherwise.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    users::UserQuery,
    locations::LocationQuery,
    audit::AuditQuery,
);
