//! Opening the database: the one place that knows SQLite from PostgreSQL at connection time.
//!
//! SQLite is the embedded default: one file, created on first start, opened with WAL and full
//! fsync (a sale that was acknowledged survives a power cut), foreign keys on, and a single
//! pooled connection, so writers are serialised and no transaction ever meets `SQLITE_BUSY`.
//! PostgreSQL is the production database: the named database is created when missing, so a
//! fresh server needs no manual step.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use sea_orm::sqlx::postgres::{PgConnectOptions, PgConnection};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::sqlx::{self, AssertSqlSafe, Connection, Executor};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

/// Where the data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseTarget {
    /// A SQLite file.
    Sqlite(PathBuf),
    /// A `postgres://` URL.
    Postgres(String),
}

impl DatabaseTarget {
    /// Reads a `DATABASE_URL`: `postgres://…`/`postgresql://…`, or `sqlite:PATH`/`sqlite://PATH`.
    pub fn parse(url: &str) -> Result<Self, String> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            PgConnectOptions::from_str(url)
                .map_err(|e| format!("not a valid PostgreSQL URL: {e}"))?;
            return Ok(DatabaseTarget::Postgres(url.to_owned()));
        }
        if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.strip_prefix("//").unwrap_or(rest);
            let path = path.split('?').next().unwrap_or_default();
            if path.is_empty() || path == ":memory:" {
                return Err(
                    "a SQLite database must be a file path (sqlite://./data/pos.db)".into(),
                );
            }
            return Ok(DatabaseTarget::Sqlite(PathBuf::from(path)));
        }
        Err("expected postgres://… or sqlite://PATH".into())
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, DatabaseTarget::Postgres(_))
    }

    /// A description safe to log: no password.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseTarget::Sqlite(path) => format!("SQLite file {}", path.display()),
            DatabaseTarget::Postgres(url) => match PgConnectOptions::from_str(url) {
                Ok(opts) => format!(
                    "PostgreSQL database {} on {}:{}",
                    opts.get_database().unwrap_or("(default)"),
                    opts.get_host(),
                    opts.get_port()
                ),
                Err(_) => "PostgreSQL".to_owned(),
            },
        }
    }
}

/// Counts of the statements a connection has run, for tests and metrics.
#[derive(Debug, Default)]
pub struct Stats {
    statements: AtomicU64,
    failed: AtomicU64,
}

impl Stats {
    /// Statements run so far (successful or not).
    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// Statements that returned an error.
    pub fn failed(&self) -> u64 {
        self.failed.load(Ordering::Relaxed)
    }
}

tokio::task_local! {
    static UNCOUNTED: ();
}

/// Runs `work` (a background loop) without counting its statements in [`Stats`], which
/// count what requests cost. Slow statements are still logged.
pub async fn uncounted<F: std::future::Future>(work: F) -> F::Output {
    UNCOUNTED.scope((), work).await
}

/// Whether statements become trace spans (set when traces are exported).
static TRACE_STATEMENTS: AtomicBool = AtomicBool::new(false);

/// Makes every statement run inside a traced span a child span of it: `db.query.text` is the
/// SQL with its placeholders (values are never recorded), timed as the driver measured it.
pub fn trace_statements(on: bool) {
    TRACE_STATEMENTS.store(on, Ordering::Relaxed);
}

fn statement_span(info: &sea_orm::metric::Info<'_>) {
    use opentelemetry::KeyValue;
    use opentelemetry::trace::{Span as _, SpanKind, Status, TraceContextExt as _, Tracer as _};
    use tracing_opentelemetry::OpenTelemetrySpanExt as _;
    let parent = tracing::Span::current().context();
    if !parent.span().span_context().is_valid() {
        return; // a background loop's statement, outside any operation
    }
    let system = match info.statement.db_backend {
        sea_orm::DbBackend::Postgres => "postgresql",
        sea_orm::DbBackend::Sqlite => "sqlite",
        _ => "other_sql",
    };
    let sql = &info.statement.sql;
    let verb = sql
        .split_whitespace()
        .next()
        .unwrap_or("SQL")
        .to_uppercase();
    let tracer = opentelemetry::global::tracer("pos-odata");
    let end = std::time::SystemTime::now();
    let mut span = tracer
        .span_builder(verb)
        .with_kind(SpanKind::Client)
        .with_start_time(end.checked_sub(info.elapsed).unwrap_or(end))
        .with_attributes([
            KeyValue::new("db.system.name", system),
            KeyValue::new("db.query.text", sql.clone()),
        ])
        .start_with_context(&tracer, &parent);
    if info.failed {
        span.set_status(Status::error("the statement failed"));
    }
    span.end_with_timestamp(end);
}

/// Statements slower than this are logged (their SQL, never their values).
const SLOW_STATEMENT: Duration = Duration::from_millis(500);

/// Opens the database, creating it when it does not exist yet; `stats` counts every statement
/// run through the returned connection and its clones.
pub async fn connect(
    target: &DatabaseTarget,
    max_connections: u32,
    stats: Arc<Stats>,
) -> Result<DatabaseConnection, DbErr> {
    let mut db = open(target, max_connections).await?;
    db.set_metric_callback(move |info| {
        if UNCOUNTED.try_with(|_| ()).is_err() {
            stats.statements.fetch_add(1, Ordering::Relaxed);
        }
        if info.failed {
            stats.failed.fetch_add(1, Ordering::Relaxed);
        }
        if TRACE_STATEMENTS.load(Ordering::Relaxed) {
            statement_span(info);
        }
        if info.elapsed > SLOW_STATEMENT {
            let elapsed_ms = u64::try_from(info.elapsed.as_millis()).unwrap_or(u64::MAX);
            tracing::warn!(elapsed_ms, sql = %info.statement.sql, "slow SQL statement");
        }
    });
    Ok(db)
}

async fn open(target: &DatabaseTarget, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    match target {
        DatabaseTarget::Sqlite(path) => connect_sqlite(path).await,
        DatabaseTarget::Postgres(url) => {
            create_postgres_database_if_missing(url).await?;
            let mut options = ConnectOptions::new(url.clone());
            options
                .max_connections(max_connections)
                .min_connections(1)
                .connect_timeout(Duration::from_secs(5))
                .acquire_timeout(Duration::from_secs(10))
                .sqlx_logging(false);
            Database::connect(options).await
        }
    }
}

async fn connect_sqlite(path: &Path) -> Result<DatabaseConnection, DbErr> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| DbErr::Custom(format!("creating {}: {e}", dir.display())))?;
    }
    let mut options = ConnectOptions::new(format!("sqlite://{}", path.display()));
    options
        .max_connections(1)
        .min_connections(1)
        .sqlx_logging(false);
    options.map_sqlx_sqlite_opts(|opts| {
        opts.create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
    });
    Database::connect(options).await
}

/// Connects to the server's `postgres` database and creates the target database if needed.
async fn create_postgres_database_if_missing(url: &str) -> Result<(), DbErr> {
    let to_err = |e: sqlx::Error| DbErr::Custom(format!("preparing the PostgreSQL database: {e}"));
    let options = PgConnectOptions::from_str(url).map_err(to_err)?;
    let Some(name) = options.get_database().map(str::to_owned) else {
        return Ok(());
    };
    // If the target database already accepts connections, there is nothing to do (and the
    // user may not be allowed to connect to `postgres`).
    if PgConnection::connect_with(&options).await.is_ok() {
        return Ok(());
    }
    let mut admin = PgConnection::connect_with(&options.clone().database("postgres"))
        .await
        .map_err(to_err)?;
    let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_optional(&mut admin)
        .await
        .map_err(to_err)?;
    if exists.is_none() {
        let statement = format!("CREATE DATABASE \"{}\"", name.replace('"', "\"\""));
        // The name is quoted as an identifier; it comes from the operator's own DATABASE_URL.
        match admin.execute(AssertSqlSafe(statement)).await {
            Ok(_) => tracing::info!(database = %name, "created the PostgreSQL database"),
            // 42P04 duplicate_database, or 23505 on pg_database's own index when the two
            // CREATEs raced: another replica created it meanwhile.
            Err(sqlx::Error::Database(e))
                if matches!(e.code().as_deref(), Some("42P04" | "23505")) => {}
            Err(e) => return Err(to_err(e)),
        }
    }
    admin.close().await.map_err(to_err)?;
    Ok(())
}

/// The advisory lock key replicas take around migrations (any constant; this spells "pos-migr").
const MIGRATION_LOCK: i64 = 0x706f_732d_6d69_6772;

/// Holds PostgreSQL's advisory lock for migrations on a connection of its own, so replicas
/// starting together migrate one after another: the first migrates, the others wait for it and
/// then find nothing left to do. Released by [`MigrationLock::release`], or when the process
/// ends (the connection closes).
pub struct MigrationLock(PgConnection);

impl MigrationLock {
    /// Waits for the lock. `None` on SQLite, which one process uses at a time.
    pub async fn take(target: &DatabaseTarget) -> Result<Option<Self>, DbErr> {
        let DatabaseTarget::Postgres(url) = target else {
            return Ok(None);
        };
        let to_err = |e: sqlx::Error| DbErr::Custom(format!("taking the migration lock: {e}"));
        let options = PgConnectOptions::from_str(url).map_err(to_err)?;
        let mut connection = PgConnection::connect_with(&options).await.map_err(to_err)?;
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut connection)
            .await
            .map_err(to_err)?;
        Ok(Some(MigrationLock(connection)))
    }

    pub async fn release(mut self) -> Result<(), DbErr> {
        let to_err = |e: sqlx::Error| DbErr::Custom(format!("releasing the migration lock: {e}"));
        sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut self.0)
            .await
            .map_err(to_err)?;
        self.0.close().await.map_err(to_err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_are_read() {
        assert_eq!(
            DatabaseTarget::parse("sqlite://./data/pos.db?mode=rwc"),
            Ok(DatabaseTarget::Sqlite(PathBuf::from("./data/pos.db")))
        );
        assert_eq!(
            DatabaseTarget::parse("sqlite:pos.db"),
            Ok(DatabaseTarget::Sqlite(PathBuf::from("pos.db")))
        );
        assert!(
            DatabaseTarget::parse("postgres://postgres@127.0.0.1/pos_dev")
                .is_ok_and(|t| t.is_postgres())
        );
        assert!(DatabaseTarget::parse("mysql://localhost/pos").is_err());
        assert!(DatabaseTarget::parse("sqlite::memory:").is_err());
    }

    #[test]
    fn redacted_targets_hide_passwords() {
        let target = DatabaseTarget::parse("postgres://pos:s3cret@db:5432/pos").unwrap();
        let shown = target.redacted();
        assert!(!shown.contains("s3cret"));
        assert!(shown.contains("pos on db:5432"));
    }
}
