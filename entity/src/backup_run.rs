//! `backup_runs`: every backup, scheduled or manual, with its outcome.

use sea_orm::entity::prelude::*;

/// What started a backup.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum BackupTrigger {
    #[sea_orm(string_value = "SCHEDULED")]
    Scheduled,
    #[sea_orm(string_value = "MANUAL")]
    Manual,
}

/// Where a backup stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum BackupStatus {
    #[sea_orm(string_value = "RUNNING")]
    Running,
    #[sea_orm(string_value = "SUCCEEDED")]
    Succeeded,
    #[sea_orm(string_value = "FAILED")]
    Failed,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "backup_runs")]
pub struct Model {
    /// UUIDv7: ordering by id is ordering by start time.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub trigger: BackupTrigger,
    pub status: BackupStatus,
    pub started_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
    /// The file in the backup directory, once written completely.
    pub file_name: Option<String>,
    pub size_bytes: Option<i64>,
    /// SHA-256 of the file, hex.
    pub checksum: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
    /// For scheduled backups: the schedule's slot (its second), unique, so replicas firing
    /// for the same slot make one backup.
    pub scheduled_for: Option<DateTimeUtc>,
    /// Renewed by the process writing a RUNNING backup (its lease): a run without a heartbeat
    /// for `domain::backups::LEASE` was left by a process that stopped.
    pub heartbeat_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
