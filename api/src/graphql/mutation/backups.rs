use async_graphql::{Context, Object};
use domain::auth::Role;
use entity::backup_run::BackupTrigger;

use crate::graphql::context::services;
use crate::graphql::guards::RoleGuard;
use crate::graphql::types::backup::Backup;

#[derive(Default)]
pub struct BackupMutation;

#[Object]
impl BackupMutation {
    /// Starts a backup now and returns at once: its row says RUNNING, then SUCCEEDED or
    /// FAILED (see `backups`). While one is RUNNING, on any server: CONFLICT. ADMIN.
    #[graphql(guard = "RoleGuard(Role::Admin)")]
    async fn run_backup(&self, ctx: &Context<'_>) -> async_graphql::Result<Backup> {
        let services = services(ctx)?;
        let run = domain::backups::start(&services.db, BackupTrigger::Manual).await?;
        let (db, settings, running) = (services.db.clone(), services.backups.clone(), run.clone());
        tokio::spawn(async move {
            if let Err(error) = domain::backups::finish(&db, &settings, running).await {
                tracing::error!(%error, "recording the end of a backup failed");
            }
        });
        Ok(Backup(run))
    }
}
