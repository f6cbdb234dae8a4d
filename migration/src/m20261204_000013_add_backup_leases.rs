use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A RUNNING backup's lease: the process writing it renews `heartbeat_at`, so a process
/// starting up marks interrupted only the runs whose writer is gone, not one another replica
/// is writing right now.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(BackupRuns::Table)
                    .add_column(timestamp_with_time_zone_null(BackupRuns::HeartbeatAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(BackupRuns::Table)
                    .drop_column(BackupRuns::HeartbeatAt)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum BackupRuns {
    Table,
    HeartbeatAt,
}
