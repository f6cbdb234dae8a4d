use async_graphql::{Context, Object};

use crate::graphql::context::{principal, services};
use crate::graphql::types::location::Location;

#[derive(Default)]
pub struct LocationQuery;

#[Object]
impl LocationQuery {
    /// All stores and warehouses, by code. Any role.
    async fn locations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Location>> {
        principal(ctx).await?;
        let db = &services(ctx)?.db;
        Ok(domain::locations::list(db)
            .await?
            .into_iter()
            .map(Location::from)
            .collect())
    }
}
