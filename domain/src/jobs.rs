//! Background jobs: an outbox in the `jobs` table.
//!
//! # How a job lives
//! A change that needs background work inserts its job with [`enqueue`] in its own
//! transaction, so a rolled-back change leaves no job and a committed one never loses it. A
//! subject (a product, say) has at most one PENDING job per kind: enqueueing again while one
//! waits adds nothing. Workers take due jobs with [`claim`] (on PostgreSQL `FOR UPDATE SKIP
//! LOCKED`, so replicas never take the same job; SQLite serialises writers) and hold them for
//! a lease. A job that succeeds is deleted ([`complete`]); one that fails waits an
//! exponentially growing delay and runs again, up to its `max_attempts`, then stays FAILED with
//! its last error ([`fail`]). A job whose worker died keeps its RUNNING row until the lease
//! runs out; then the next claim takes it again (or fails it, if that was its last attempt).
//! Jobs must therefore be idempotent.
//!
//! # Waking workers
//! [`enqueue`] rings a process-wide doorbell ([`doorbell`]) for an in-process runner and, on
//! PostgreSQL, sends `NOTIFY pos_jobs`, which is delivered when the transaction commits; workers
//! `LISTEN` on it and poll slowly besides.

use std::sync::OnceLock;
use std::time::Duration;

use chrono::Utc;
use entity::job::{self, JobStatus};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType, OnConflict};
use sea_orm::{
    ActiveEnum, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseBackend,
    DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, SqlErr,
    TransactionTrait,
};
use tokio::sync::Notify;
use uuid::Uuid;

use crate::error::Result;

/// The PostgreSQL channel [`enqueue`] notifies.
pub const CHANNEL: &str = "pos_jobs";

/// The job that (re)computes a product's embedding; its key is the product id.
pub const EMBED_PRODUCT: &str = "embed_product";

/// Attempts before a job is left FAILED.
pub const MAX_ATTEMPTS: i32 = 8;

/// The first retry's delay; each further retry doubles it, up to [`MAX_BACKOFF`].
pub const BASE_BACKOFF: Duration = Duration::from_secs(2);
pub const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);

/// Rung by [`enqueue`]: wakes a runner in this process.
pub fn doorbell() -> &'static Notify {
    static DOORBELL: OnceLock<Notify> = OnceLock::new();
    DOORBELL.get_or_init(Notify::new)
}

/// Adds a job for `dedupe_key` unless one is already waiting for it. Call it inside the
/// transaction of the change that needs it.
pub async fn enqueue(
    conn: &impl ConnectionTrait,
    kind: &str,
    dedupe_key: &str,
    payload: serde_json::Value,
) -> Result<()> {
    let now = Utc::now();
    let row = job::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(kind.to_owned()),
        dedupe_key: Set(dedupe_key.to_owned()),
        payload: Set(payload.to_string()),
        status: Set(JobStatus::Pending),
        attempts: Set(0),
        max_attempts: Set(MAX_ATTEMPTS),
        run_at: Set(now),
        locked_until: Set(None),
        locked_by: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let waiting = OnConflict::columns([job::Column::Kind, job::Column::DedupeKey])
        // Literally the partial index's predicate: SQLite matches the two by their text.
        .target_and_where(Expr::cust("status = 'PENDING'"))
        .do_nothing()
        .to_owned();
    job::Entity::insert(row)
        .on_conflict(waiting)
        .exec_without_returning(conn)
        .await?;
    if conn.get_database_backend() == DatabaseBackend::Postgres {
        conn.execute_unprepared(&format!("NOTIFY {CHANNEL}"))
            .await?;
    }
    doorbell().notify_one();
    Ok(())
}

/// Takes up to `limit` due jobs of the given kinds for `worker`, for `lease`.
///
/// Due means PENDING with `run_at` past, or RUNNING with an expired lease (its worker died).
/// Expired jobs that have used all their attempts are marked FAILED instead.
pub async fn claim(
    db: &DatabaseConnection,
    worker: &str,
    kinds: &[&str],
    limit: u64,
    lease: Duration,
) -> Result<Vec<job::Model>> {
    let now = Utc::now();
    let txn = db.begin().await?;
    job::Entity::update_many()
        .col_expr(
            job::Column::Status,
            Expr::value(JobStatus::Failed.to_value()),
        )
        .col_expr(
            job::Column::LastError,
            Expr::value("the worker running it stopped (lease expired) on its last attempt"),
        )
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Status.eq(JobStatus::Running))
        .filter(job::Column::LockedUntil.lt(now))
        .filter(Expr::col(job::Column::Attempts).gte(Expr::col(job::Column::MaxAttempts)))
        .exec(&txn)
        .await?;

    let mut due = job::Entity::find()
        .select_only()
        .column(job::Column::Id)
        .filter(job::Column::Kind.is_in(kinds.iter().copied()))
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(job::Column::Status.eq(JobStatus::Pending))
                        .add(job::Column::RunAt.lte(now)),
                )
                .add(
                    Condition::all()
                        .add(job::Column::Status.eq(JobStatus::Running))
                        .add(job::Column::LockedUntil.lt(now)),
                ),
        )
        .order_by_asc(job::Column::RunAt)
        .limit(limit);
    if db.get_database_backend() == DatabaseBackend::Postgres {
        due = due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let ids: Vec<Uuid> = due.into_tuple().all(&txn).await?;
    if ids.is_empty() {
        txn.commit().await?;
        return Ok(Vec::new());
    }
    let lease = chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::MAX);
    let claimed = job::Entity::update_many()
        .col_expr(
            job::Column::Status,
            Expr::value(JobStatus::Running.to_value()),
        )
        .col_expr(
            job::Column::Attempts,
            Expr::col(job::Column::Attempts).add(1),
        )
        .col_expr(job::Column::LockedBy, Expr::value(worker))
        .col_expr(job::Column::LockedUntil, Expr::value(now + lease))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.is_in(ids))
        .exec_with_returning(&txn)
        .await?;
    txn.commit().await?;
    Ok(claimed)
}

/// A job done: it leaves the table. Only its current holder may complete it (a worker whose
/// lease ran out and was taken over changes nothing).
pub async fn complete(db: &impl ConnectionTrait, job: &job::Model, worker: &str) -> Result<()> {
    complete_all(db, std::slice::from_ref(job), worker).await
}

/// [`complete`] for a batch, in one statement.
pub async fn complete_all(
    db: &impl ConnectionTrait,
    jobs: &[job::Model],
    worker: &str,
) -> Result<()> {
    job::Entity::delete_many()
        .filter(job::Column::Id.is_in(jobs.iter().map(|job| job.id)))
        .filter(job::Column::LockedBy.eq(worker))
        .filter(job::Column::Status.eq(JobStatus::Running))
        .exec(db)
        .await?;
    Ok(())
}

/// The delay before attempt `attempts + 1`.
pub fn backoff(attempts: i32) -> Duration {
    let doublings = Ord::min(u32::try_from(attempts.saturating_sub(1)).unwrap_or(0), 20);
    BASE_BACKOFF
        .saturating_mul(2u32.saturating_pow(doublings))
        .min(MAX_BACKOFF)
}

/// A job failed: it runs again after [`backoff`], or stays FAILED after its last attempt.
pub async fn fail(
    db: &impl ConnectionTrait,
    job: &job::Model,
    worker: &str,
    error: &str,
) -> Result<()> {
    let now = Utc::now();
    let last = job.attempts >= job.max_attempts;
    let delay = chrono::Duration::from_std(backoff(job.attempts)).unwrap_or(chrono::Duration::MAX);
    let status = if last {
        JobStatus::Failed
    } else {
        JobStatus::Pending
    };
    let retried = job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value(status.to_value()))
        .col_expr(job::Column::RunAt, Expr::value(now + delay))
        .col_expr(job::Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(
            job::Column::LockedUntil,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .col_expr(job::Column::LastError, Expr::value(error))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(job.id))
        .filter(job::Column::LockedBy.eq(worker))
        .filter(job::Column::Status.eq(JobStatus::Running))
        .exec(db)
        .await;
    match retried {
        Ok(_) => Ok(()),
        // A newer job for the same subject is already waiting: it does this one's work.
        Err(err) if is_unique_violation(&err) => complete(db, job, worker).await,
        Err(err) => Err(err.into()),
    }
}

fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// Jobs that gave up, newest first (for operators and tests).
pub async fn failed(db: &impl ConnectionTrait) -> Result<Vec<job::Model>> {
    Ok(job::Entity::find()
        .filter(job::Column::Status.eq(JobStatus::Failed))
        .order_by_desc(job::Column::UpdatedAt)
        .all(db)
        .await?)
}
