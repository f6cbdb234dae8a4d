use async_graphql::{Context, Object};
use domain::auth::Role;
use uuid::Uuid;

use crate::graphql::context::services;
use crate::graphql::guards::RoleGuard;
use crate::graphql::loaders::prime;
use crate::graphql::pagination::{listing, page_request};
use crate::graphql::types::audit::{AuditEntry, AuditEntryConnection};

#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// Every recorded change, newest first. ADMIN only.
    #[graphql(
        guard = "RoleGuard(Role::Admin)",
        complexity = "crate::graphql::pagination::page_cost(first, child_complexity)"
    )]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size: default 20, at most 100.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge already seen (`pageInfo.endCursor`).")]
        after: Option<String>,
    ) -> async_graphql::Result<AuditEntryConnection> {
        let request = page_request("audit", first, after, |key| Uuid::parse_str(key).ok())?;
        let db = services(ctx)?.db.clone();
        let page = domain::audit::list(&db, &request).await?;
        if ctx
            .look_ahead()
            .field("edges")
            .field("node")
            .field("actor")
            .exists()
        {
            let actors: std::collections::BTreeSet<Uuid> =
                page.items.iter().filter_map(|e| e.actor_id).collect();
            let actors: Vec<Uuid> = actors.into_iter().collect();
            prime(ctx, domain::users::get_many(&db, &actors).await?).await?;
        }
        Ok(listing(
            "audit",
            page,
            |entry| entry.id.to_string(),
            AuditEntry,
            Box::new(move || {
                let db = db.clone();
                Box::pin(async move { domain::audit::count(&db).await })
            }),
        )
        .into())
    }
}
