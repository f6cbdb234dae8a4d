//! `jobs`: background work, inserted in the same transaction as the change that causes it.

use sea_orm::entity::prelude::*;

/// Where a job stands. Jobs that succeed are deleted; failed ones stay with their last error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum JobStatus {
    /// Waiting for `run_at`.
    #[sea_orm(string_value = "PENDING")]
    Pending,
    /// Claimed by a worker until `locked_until`; after that any worker may take it again.
    #[sea_orm(string_value = "RUNNING")]
    Running,
    /// Gave up after `max_attempts`.
    #[sea_orm(string_value = "FAILED")]
    Failed,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    /// UUIDv7.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// What to do, e.g. `embed_product`.
    pub kind: String,
    /// The subject (a product id, say): one PENDING job per kind and key.
    pub dedupe_key: String,
    /// JSON arguments.
    pub payload: String,
    pub status: JobStatus,
    /// Claims so far, this one included while RUNNING.
    pub attempts: i32,
    pub max_attempts: i32,
    /// Not before this time (backoff after a failure).
    pub run_at: DateTimeUtc,
    /// The lease of the worker running it.
    pub locked_until: Option<DateTimeUtc>,
    pub locked_by: Option<String>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
