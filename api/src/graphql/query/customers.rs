use async_graphql::{Context, Object};
use domain::pagination::NameKey;

use crate::graphql::context::{principal, services};
use crate::graphql::pagination::{listing, page_request};
use crate::graphql::types::customer::{Customer, CustomerConnection};

#[derive(Default)]
pub struct CustomerQuery;

#[Object]
impl CustomerQuery {
    /// Customers by name, in pages. Any role.
    #[graphql(complexity = "crate::graphql::pagination::page_cost(first, child_complexity)")]
    async fn customers(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Contained in the name, email, phone or tax id, ignoring case and accents."
        )]
        search: Option<String>,
        #[graphql(desc = "Page size: default 20, at most 100.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge already seen (`pageInfo.endCursor`).")]
        after: Option<String>,
    ) -> async_graphql::Result<CustomerConnection> {
        principal(ctx).await?;
        let request = page_request("customer", first, after, |key| {
            serde_json::from_str::<NameKey>(key).ok()
        })?;
        let db = services(ctx)?.db.clone();
        let page = domain::customers::list(&db, search.as_deref(), &request).await?;
        Ok(listing(
            "customer",
            page,
            |c| {
                serde_json::to_string(&NameKey {
                    name: c.name.clone(),
                    id: c.id,
                })
                .unwrap_or_default()
            },
            Customer,
            Box::new(move || {
                let (db, search) = (db.clone(), search.clone());
                Box::pin(async move { domain::customers::count(&db, search.as_deref()).await })
            }),
        )
        .into())
    }
}
