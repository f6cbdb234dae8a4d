use async_graphql::{Context, Object};
use domain::auth::Role;
use uuid::Uuid;

use crate::graphql::context::services;
use crate::graphql::guards::RoleGuard;
use crate::graphql::pagination::{listing, page_request};
use crate::graphql::types::backup::{Backup, BackupConnection};

#[derive(Default)]
pub struct BackupQuery;

#[Object]
impl BackupQuery {
    /// Backups, newest first: the nightly job's and the manual ones. ADMIN.
    #[graphql(
        guard = "RoleGuard(Role::Admin)",
        complexity = "crate::graphql::pagination::page_cost(first, child_complexity)"
    )]
    async fn backups(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size: default 20, at most 100.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge already seen (`pageInfo.endCursor`).")]
        after: Option<String>,
    ) -> async_graphql::Result<BackupConnection> {
        let request = page_request("backup", first, after, |key| Uuid::parse_str(key).ok())?;
        let db = services(ctx)?.db.clone();
        let page = domain::backups::list(&db, &request).await?;
        Ok(listing(
            "backup",
            page,
            |run| run.id.to_string(),
            Backup,
            Box::new(move || {
                let db = db.clone();
                Box::pin(async move { domain::backups::count(&db).await })
            }),
        )
        .into())
    }
}
