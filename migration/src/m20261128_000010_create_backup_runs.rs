//! `backup_runs`: every backup, scheduled or manual, with its outcome.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(BackupRuns::Table)
                    .if_not_exists()
                    .col(pk_uuid(BackupRuns::Id))
                    .col(string_len(BackupRuns::Trigger, 16))
                    .col(string_len(BackupRuns::Status, 16))
                    .col(timestamp_with_time_zone(BackupRuns::StartedAt))
                    .col(timestamp_with_time_zone_null(BackupRuns::FinishedAt))
                    .col(string_len_null(BackupRuns::FileName, 255))
                    .col(big_integer_null(BackupRuns::SizeBytes))
                    .col(string_len_null(BackupRuns::Checksum, 64))
                    .col(text_null(BackupRuns::Error))
                    .col(timestamp_with_time_zone_null(BackupRuns::ScheduledFor))
                    .to_owned(),
            )
            .await?;
        // At most one backup RUNNING at a time, whichever replica started it. A partial unique
        // index reads the same on PostgreSQL and SQLite; sea-query's builder cannot write one.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX IF NOT EXISTS idx_backup_runs_one_running \
                 ON backup_runs (status) WHERE status = 'RUNNING'",
            )
            .await?;
        // One scheduled backup per slot of the schedule, however many replicas fire for it.
        manager
            .create_index(
                Index::create()
                    .name("idx_backup_runs_scheduled_for")
                    .table(BackupRuns::Table)
                    .col(BackupRuns::ScheduledFor)
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(BackupRuns::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum BackupRuns {
    Table,
    Id,
    Trigger,
    Status,
    StartedAt,
    FinishedAt,
    FileName,
    SizeBytes,
    Checksum,
    Error,
    ScheduledFor,
}
