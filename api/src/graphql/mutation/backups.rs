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
        let run = domain::backups::start_in_background(
            &services.db,
            services.backups.clone(),
            BackupTrigger::Manual,
        )
        .await?;
        Ok(Backup(run))
    }
}
