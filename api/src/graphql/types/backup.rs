use async_graphql::{Enum, ID, Object};
use chrono::{DateTime, Utc};
use entity::backup_run;

use crate::graphql::pagination::connection_type;

/// What started a backup.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::backup_run::BackupTrigger")]
pub enum BackupTrigger {
    /// The nightly job.
    Scheduled,
    /// `runBackup` or `pos-api backup`.
    Manual,
}

/// Where a backup stands.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::backup_run::BackupStatus")]
pub enum BackupStatus {
    /// Being written.
    Running,
    /// Written completely; `fileName`, `sizeBytes` and `checksum` describe the file.
    Succeeded,
    /// Not written; `error` says why.
    Failed,
}

/// One backup of the database, scheduled or manual.
pub struct Backup(pub backup_run::Model);

/// One backup of the database, scheduled or manual.
#[Object]
impl Backup {
    /// Unique ID (UUID, time-ordered).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// SCHEDULED or MANUAL.
    async fn trigger(&self) -> BackupTrigger {
        self.0.trigger.into()
    }

    /// RUNNING, SUCCEEDED or FAILED.
    async fn status(&self) -> BackupStatus {
        self.0.status.into()
    }

    /// When it started.
    async fn started_at(&self) -> DateTime<Utc> {
        self.0.started_at
    }

    /// When it ended; null while RUNNING.
    async fn finished_at(&self) -> Option<DateTime<Utc>> {
        self.0.finished_at
    }

    /// The file in the server's backup directory (`BACKUP_DIR`):
    /// `pos_db_backup_YYYYMMDD_HHMMSS.sql.gz` on PostgreSQL (plain SQL, gzip),
    /// `….sqlite.gz` on SQLite (a snapshot of the database file, gzip). Null unless SUCCEEDED.
    async fn file_name(&self) -> Option<&str> {
        self.0.file_name.as_deref()
    }

    /// The file's size in bytes (whole bytes; a Float because files may outgrow 32-bit
    /// integers). Null unless SUCCEEDED.
    async fn size_bytes(&self) -> Option<f64> {
        self.0.size_bytes.map(|bytes| bytes as f64)
    }

    /// SHA-256 of the file, lower-case hex. Null unless SUCCEEDED.
    async fn checksum(&self) -> Option<&str> {
        self.0.checksum.as_deref()
    }

    /// Why it failed. Null unless FAILED.
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }
}

connection_type!(BackupConnection, BackupEdge, Backup, "backups");
