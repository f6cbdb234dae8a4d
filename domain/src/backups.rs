//! Backups: a full copy of the database in the backup directory, recorded in `backup_runs`.
//!
//! On PostgreSQL the copy is the real `pg_dump` (plain SQL), gzip-compressed as it streams
//! (never the whole dump in memory), so the seed's manual restore (`gunzip` then `psql`) works
//! on it. On SQLite it is a consistent snapshot (`VACUUM INTO`), gzip-compressed. Either way
//! it is written under a temporary name and renamed only once complete, with its SHA-256
//! recorded: a crash never leaves a file that looks good. A failed backup (no `pg_dump`, disk
//! full, database down) is recorded FAILED with the reason.

use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::{DateTime, Utc};
use entity::backup_run::{self, BackupStatus, BackupTrigger};
use flate2::Compression;
use flate2::write::GzEncoder;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, SqlErr,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::DatabaseTarget;
use crate::error::{Result, unique_violation};
use crate::pagination::{Page, PageRequest};

/// Why a backup or a restore failed; its text is what a failed run records.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot run {} ({source}): {hint}", program.display())]
    Spawn {
        program: PathBuf,
        hint: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("{program} failed ({status}): {message}")]
    Failed {
        program: &'static str,
        status: std::process::ExitStatus,
        message: String,
    },
    #[error("{0} gave no output stream")]
    NoOutput(&'static str),
    #[error("{} is encrypted: set BACKUP_ENCRYPTION_KEY to the key it was made with", .0.display())]
    KeyNeeded(PathBuf),
    #[error("cannot decrypt {}: {reason}", path.display())]
    Decrypt { path: PathBuf, reason: String },
    #[error("cannot encrypt the backup: {0}")]
    Encrypt(String),
    #[error(
        "{} does not match its checksum ({recorded} recorded, {actual} now): the file is damaged",
        path.display()
    )]
    Damaged {
        path: PathBuf,
        recorded: String,
        actual: String,
    },
    #[error("SQLite snapshot failed: {0}")]
    Snapshot(#[source] sea_orm::DbErr),
    #[error("the backup task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    #[error("must be an age secret key (AGE-SECRET-KEY-1…, e.g. from `age-keygen`)")]
    NotAKey,
}

impl BackupError {
    /// An I/O failure while doing `action` on `path`.
    fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> BackupError {
        let path = path.to_owned();
        move |source| BackupError::Io {
            action,
            path,
            source,
        }
    }
}

/// Where backups go and how they are made.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `BACKUP_DIR`.
    pub dir: PathBuf,
    /// The database being backed up.
    pub database: DatabaseTarget,
    /// The `pg_dump` to run (`BACKUP_PG_DUMP`; of the server's major version).
    pub pg_dump: PathBuf,
    /// `BACKUP_RETENTION_DAYS`: our files older than this are deleted after a successful
    /// backup (never the one just written).
    pub retention_days: u32,
    /// `BACKUP_ENCRYPTION_KEY`: when set, backups are encrypted to it (age format, `.age`
    /// after the usual name) and restores decrypt with it.
    pub encryption: Option<EncryptionKey>,
}

/// An age X25519 identity (`AGE-SECRET-KEY-1…`, as `age-keygen` writes): backups are
/// encrypted to its public key and decrypted with it. Debug never shows it.
#[derive(Clone)]
pub struct EncryptionKey(age::x25519::Identity);

impl std::fmt::Debug for EncryptionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EncryptionKey({})", self.0.to_public())
    }
}

impl EncryptionKey {
    /// Reads `AGE-SECRET-KEY-1…`.
    pub fn parse(raw: &str) -> std::result::Result<Self, BackupError> {
        raw.trim()
            .parse::<age::x25519::Identity>()
            .map(Self)
            .map_err(|_| BackupError::NotAKey)
    }

    /// A new random key.
    pub fn generate() -> Self {
        Self(age::x25519::Identity::generate())
    }

    /// The key as `AGE-SECRET-KEY-1…`, to store.
    pub fn to_secret_string(&self) -> String {
        use age::secrecy::ExposeSecret;
        self.0.to_string().expose_secret().to_owned()
    }
}

/// Opens a backup file for reading its plain content: decrypted (`.age`, with `key`) and
/// decompressed.
pub fn open(
    file: &Path,
    key: Option<&EncryptionKey>,
) -> std::result::Result<Box<dyn Read + Send>, BackupError> {
    let source = std::fs::File::open(file).map_err(BackupError::io("cannot read", file))?;
    let source = std::io::BufReader::new(source);
    let compressed: Box<dyn Read + Send> = if file.to_string_lossy().ends_with(".age") {
        let key = key.ok_or_else(|| BackupError::KeyNeeded(file.to_owned()))?;
        let undecryptable = |e: age::DecryptError| BackupError::Decrypt {
            path: file.to_owned(),
            reason: e.to_string(),
        };
        let decryptor = age::Decryptor::new_buffered(source).map_err(undecryptable)?;
        Box::new(
            decryptor
                .decrypt(std::iter::once(&key.0 as &dyn age::Identity))
                .map_err(undecryptable)?,
        )
    } else {
        Box::new(source)
    };
    Ok(Box::new(flate2::read::GzDecoder::new(compressed)))
}

/// A new run's row, RUNNING from now.
fn running(
    trigger: BackupTrigger,
    scheduled_for: Option<DateTime<Utc>>,
) -> backup_run::ActiveModel {
    let now = Utc::now();
    backup_run::ActiveModel {
        id: Set(Uuid::now_v7()),
        trigger: Set(trigger),
        status: Set(BackupStatus::Running),
        started_at: Set(now),
        finished_at: Set(None),
        file_name: Set(None),
        size_bytes: Set(None),
        checksum: Set(None),
        error: Set(None),
        scheduled_for: Set(scheduled_for),
        heartbeat_at: Set(Some(now)),
    }
}

/// How long a RUNNING run stays its owner's without a heartbeat: the process writing it
/// renews it every quarter of this, so only a run whose process is gone outlives it.
pub const LEASE: std::time::Duration = std::time::Duration::from_secs(60);

/// Records a backup as RUNNING. Another one running (on any replica): CONFLICT. A run whose
/// owner stopped renewing its lease is marked FAILED first, so a crash mid-backup never
/// blocks backups for good.
pub async fn start(db: &DatabaseConnection, trigger: BackupTrigger) -> Result<backup_run::Model> {
    mark_interrupted(db).await?;
    running(trigger, None)
        .insert(db)
        .await
        .map_err(|e| unique_violation(e, "status", "a backup is already running"))
}

/// Records the scheduled backup of `slot` as RUNNING, unless another replica already took
/// that slot or another backup is running (then `None`, and this replica does nothing).
pub async fn start_scheduled(
    db: &DatabaseConnection,
    slot: DateTime<Utc>,
) -> Result<Option<backup_run::Model>> {
    mark_interrupted(db).await?;
    let inserted = running(BackupTrigger::Scheduled, Some(slot))
        .insert(db)
        .await;
    match inserted {
        Ok(run) => Ok(Some(run)),
        Err(e) => match e.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(message)) => {
                if message.contains("scheduled_for") {
                    tracing::info!(%slot, "another replica is making this scheduled backup");
                } else {
                    tracing::warn!(%slot, "scheduled backup skipped: another backup is running");
                }
                Ok(None)
            }
            _ => Err(e.into()),
        },
    }
}

/// Makes the backup a RUNNING run stands for, and records how it ended.
pub async fn finish(
    db: &DatabaseConnection,
    settings: &Settings,
    run: backup_run::Model,
) -> Result<backup_run::Model> {
    // The lease: renewed while the file is written, so no other process marks this run
    // interrupted (see `mark_interrupted`).
    let heartbeat = {
        let (db, id) = (db.clone(), run.id);
        tokio::spawn(async move {
            let mut every = tokio::time::interval(LEASE / 4);
            loop {
                every.tick().await;
                let renewed = backup_run::Entity::update_many()
                    .col_expr(
                        backup_run::Column::HeartbeatAt,
                        sea_orm::sea_query::Expr::value(Utc::now()),
                    )
                    .filter(backup_run::Column::Id.eq(id))
                    .exec(&db)
                    .await;
                if let Err(error) = renewed {
                    tracing::warn!(%error, "renewing the backup's lease failed");
                }
            }
        })
    };
    let written = write_and_prune(db, settings, run.started_at).await;
    heartbeat.abort();
    let mut ending = run.into_active_model();
    ending.finished_at = Set(Some(Utc::now()));
    match written {
        Ok(file) => {
            ending.status = Set(BackupStatus::Succeeded);
            ending.file_name = Set(Some(file.name));
            ending.size_bytes = Set(Some(file.size));
            ending.checksum = Set(Some(file.checksum));
        }
        Err(reason) => {
            tracing::error!(error = %reason, "backup failed");
            ending.status = Set(BackupStatus::Failed);
            ending.error = Set(Some(reason.to_string()));
        }
    }
    Ok(ending.update(db).await?)
}

/// Records a backup as RUNNING and makes it in the background, returning the RUNNING run at
/// once (`runBackup` answers before the dump ends; the run's row tells how it went).
pub async fn start_in_background(
    db: &DatabaseConnection,
    settings: std::sync::Arc<Settings>,
    trigger: BackupTrigger,
) -> Result<backup_run::Model> {
    let run = start(db, trigger).await?;
    let (db, running) = (db.clone(), run.clone());
    tokio::spawn(async move {
        if let Err(error) = finish(&db, &settings, running).await {
            tracing::error!(%error, "recording the end of a backup failed");
        }
    });
    Ok(run)
}

/// One backup now, start to end.
pub async fn run(
    db: &DatabaseConnection,
    settings: &Settings,
    trigger: BackupTrigger,
) -> Result<backup_run::Model> {
    let run = start(db, trigger).await?;
    finish(db, settings, run).await
}

/// Marks FAILED the runs a stopped process left RUNNING: those whose lease ran out (no
/// heartbeat for [`LEASE`]). A run another live process is writing keeps renewing its lease
/// and is left alone, so a replica restarting during another's nightly backup does not mark
/// it failed.
pub async fn mark_interrupted(db: &DatabaseConnection) -> Result<u64> {
    let expired = Utc::now()
        - chrono::Duration::from_std(LEASE).unwrap_or_else(|_| chrono::Duration::seconds(60));
    let result = backup_run::Entity::update_many()
        .col_expr(
            backup_run::Column::Status,
            sea_orm::sea_query::Expr::value(BackupStatus::Failed),
        )
        .col_expr(
            backup_run::Column::Error,
            sea_orm::sea_query::Expr::value("interrupted: the server stopped during the backup"),
        )
        .col_expr(
            backup_run::Column::FinishedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(backup_run::Column::Status.eq(BackupStatus::Running))
        .filter(
            sea_orm::Condition::any()
                .add(backup_run::Column::HeartbeatAt.lt(expired))
                .add(backup_run::Column::HeartbeatAt.is_null()),
        )
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Newest first; the page key is the last id seen.
pub async fn list(
    conn: &impl ConnectionTrait,
    page: &PageRequest<Uuid>,
) -> Result<Page<backup_run::Model>> {
    let mut query = backup_run::Entity::find().order_by_desc(backup_run::Column::Id);
    if let Some(after) = page.after {
        query = query.filter(backup_run::Column::Id.lt(after));
    }
    let rows = query.limit(page.first + 1).all(conn).await?;
    Ok(Page::from_rows(rows, page.first))
}

pub async fn count(conn: &impl ConnectionTrait) -> Result<u64> {
    Ok(backup_run::Entity::find().count(conn).await?)
}

/// When one of our backup files was written, from its name; `None` for any other file.
fn written_at(name: &str) -> Option<DateTime<Utc>> {
    let rest = name.strip_prefix("pos_db_backup_")?;
    let (stamp, extension) = rest.split_at_checked(15)?;
    let extension = extension.strip_suffix(".age").unwrap_or(extension);
    // `_2`, `_3`...: a second backup started within the same second (see `free_name`).
    let extension = match extension.strip_prefix('_') {
        Some(numbered) => numbered.trim_start_matches(|c: char| c.is_ascii_digit()),
        None => extension,
    };
    if extension != ".sql.gz" && extension != ".sqlite.gz" {
        return None;
    }
    chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%d_%H%M%S")
        .ok()
        .map(|t| t.and_utc())
}

/// Deletes our backup files older than `days`, never `newest` and never files that are not
/// ours; returns the names deleted.
fn prune(dir: &Path, days: u32, newest: &str, now: DateTime<Utc>) -> Vec<String> {
    let cutoff = now - chrono::Duration::days(i64::from(days));
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut deleted = Vec::new();
    for entry in entries.flatten() {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        let expired = written_at(&name).is_some_and(|at| at < cutoff);
        if expired && name != newest && entry.path().is_file() {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => {
                    let _ = std::fs::remove_file(dir.join(format!("{name}.sha256")));
                    deleted.push(name);
                }
                Err(error) => tracing::warn!(%error, file = %name, "cannot delete an old backup"),
            }
        }
    }
    deleted
}

/// A backup file, complete.
#[derive(Debug)]
pub struct Written {
    /// Its name in the backup directory.
    pub name: String,
    pub size: i64,
    /// SHA-256, hex.
    pub checksum: String,
}

/// Writes a backup and then deletes our files past their retention; records nothing. What
/// [`finish`] does for a recorded run, and what `pos-api backup` does alone on a database
/// whose schema is older than this binary's (it dumps the database as it is, and a row in a
/// table of another shape could not be written).
pub async fn write_and_prune(
    db: &DatabaseConnection,
    settings: &Settings,
    started: DateTime<Utc>,
) -> std::result::Result<Written, BackupError> {
    let file = write(db, settings, started).await?;
    tracing::info!(file = %file.name, bytes = file.size, "backup written");
    for old in prune(
        &settings.dir,
        settings.retention_days,
        &file.name,
        Utc::now(),
    ) {
        tracing::info!(file = %old, "deleted a backup past its retention");
    }
    Ok(file)
}

/// The seed's naming: `pos_db_backup_YYYYMMDD_HHMMSS.sql.gz` (`.sqlite.gz` for a snapshot of
/// the embedded database, which is not SQL).
fn file_name(database: &DatabaseTarget, started: DateTime<Utc>, encrypted: bool) -> String {
    let extension = if database.is_postgres() {
        "sql.gz"
    } else {
        "sqlite.gz"
    };
    format!(
        "pos_db_backup_{}.{extension}{}",
        started.format("%Y%m%d_%H%M%S"),
        if encrypted { ".age" } else { "" }
    )
}

/// `name`, or when a file of that name exists (another backup started within the same
/// second) the first free `pos_db_backup_YYYYMMDD_HHMMSS_N...`: a backup never replaces one.
fn free_name(dir: &Path, name: &str) -> String {
    if !dir.join(name).exists() {
        return name.to_owned();
    }
    let stamp_end = "pos_db_backup_YYYYMMDD_HHMMSS".len().min(name.len());
    let (stem, extension) = name.split_at(stamp_end);
    (2..)
        .map(|n| format!("{stem}_{n}{extension}"))
        .find(|candidate| !dir.join(candidate).exists())
        .unwrap_or_else(|| name.to_owned())
}

/// Writes the backup; the error is the reason, for the run's record.
async fn write(
    db: &DatabaseConnection,
    settings: &Settings,
    started: DateTime<Utc>,
) -> std::result::Result<Written, BackupError> {
    let dir = settings.dir.clone();
    create_private_dir(&dir)?;
    let name = file_name(&settings.database, started, settings.encryption.is_some());
    let key = settings.encryption.clone();
    let partial = dir.join(format!(".{name}.partial"));
    let written = match &settings.database {
        DatabaseTarget::Postgres(url) => {
            let (pg_dump, url, partial) = (settings.pg_dump.clone(), url.clone(), partial.clone());
            tokio::task::spawn_blocking(move || {
                dump_postgres(&pg_dump, &url, &partial, key.as_ref())
            })
            .await?
        }
        DatabaseTarget::Sqlite(database) => {
            // The plain snapshot is made beside the database (as private as the database
            // itself), never in the backup directory, where only the finished file goes.
            let beside = database
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            snapshot_sqlite(db, beside, &partial, key).await
        }
    };
    let (size, checksum) = match written {
        Ok(done) => done,
        Err(reason) => {
            let _ = std::fs::remove_file(&partial);
            return Err(reason);
        }
    };
    // One backup runs at a time (the RUNNING row), so nothing takes the name meanwhile.
    let name = free_name(&dir, &name);
    let path = dir.join(&name);
    std::fs::rename(&partial, &path).map_err(BackupError::io("cannot move into place", &path))?;
    // `sha256sum -c` reads it; `pos-api restore` checks the file against it.
    let sidecar = dir.join(format!("{name}.sha256"));
    private_file(&sidecar)
        .and_then(|mut file| file.write_all(format!("{checksum}  {name}\n").as_bytes()))
        .map_err(BackupError::io("cannot write", &sidecar))?;
    Ok(Written {
        name,
        size: i64::try_from(size).unwrap_or(i64::MAX),
        checksum,
    })
}

/// Creates (or truncates) a file only its owner may read and write: backups hold every
/// customer, sale and password hash of the shop.
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Creates the backup directory, private to its owner, when it does not exist (an existing
/// one keeps the modes its operator gave it).
fn create_private_dir(dir: &Path) -> std::result::Result<(), BackupError> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(BackupError::io("cannot create the backup directory", dir))
}

/// Whether this process can write backups into `dir` (created when missing): a file is
/// created there and removed. The error names the directory and this process's user, which is
/// what an operator needs to fix a bind mount owned by root.
pub fn check_writable(dir: &Path) -> std::result::Result<(), BackupError> {
    let probe = dir.join(format!(".write-check-{}", std::process::id()));
    let written = create_private_dir(dir)
        .map_err(|error| match error {
            BackupError::Io { source, .. } => source,
            other => std::io::Error::other(other.to_string()),
        })
        .and_then(|()| private_file(&probe).and_then(|mut file| file.write_all(b"ok")));
    let _ = std::fs::remove_file(&probe);
    written.map_err(|source| BackupError::Io {
        action: "cannot write backups into",
        path: dir.to_owned(),
        source: std::io::Error::new(
            source.kind(),
            format!("{source} (this process runs as uid {})", process_uid()),
        ),
    })
}

/// This process's user id, from /proc (no unsafe call needed); "unknown" elsewhere.
fn process_uid() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Uid:"))
                .and_then(|ids| ids.split_whitespace().nth(1).map(str::to_owned))
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

/// A libpq program (`pg_dump`, `psql`) for the database at `url`, with the password in its
/// environment (`PGPASSWORD`) and the URL without it: a command line is visible to every
/// user of the machine (`ps`), the environment only to the owner.
fn libpq_command(program: &Path, url: &str) -> Command {
    let mut command = Command::new(program);
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let password = parsed.password().unwrap_or_default();
            let password = percent_decode(password);
            command.env("PGPASSWORD", password);
            let _ = parsed.set_password(None);
            command.arg("--dbname").arg(parsed.as_str());
        }
        _ => {
            command.arg("--dbname").arg(url);
        }
    }
    command
}

/// `%40` -> `@`: URL passwords are percent-encoded, libpq's environment takes them as they are.
fn percent_decode(raw: &str) -> String {
    url::form_urlencoded::parse(format!("p={}", raw.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
        .unwrap_or_else(|| raw.to_owned())
}

/// A file being written, with the SHA-256 and size of what went into it.
struct Hashing {
    file: BufWriter<std::fs::File>,
    sha: Sha256,
    size: u64,
}

impl Write for Hashing {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.sha.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Compresses `source` into `target` as it reads (and encrypts it to `key`); returns the
/// file's size and SHA-256.
fn gzip_into(
    source: &mut impl Read,
    target: &Path,
    key: Option<&EncryptionKey>,
) -> std::result::Result<(u64, String), BackupError> {
    let failed = |e: std::io::Error| BackupError::io("writing", target)(e);
    let file = private_file(target).map_err(failed)?;
    let hashing = Hashing {
        file: BufWriter::with_capacity(1 << 20, file),
        sha: Sha256::new(),
        size: 0,
    };
    let mut hashing = match key {
        None => {
            let mut gzip = GzEncoder::new(hashing, Compression::default());
            std::io::copy(source, &mut gzip).map_err(failed)?;
            gzip.finish().map_err(failed)?
        }
        Some(key) => {
            let recipient = key.0.to_public();
            let encryptor =
                age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                    .map_err(|e| BackupError::Encrypt(e.to_string()))?;
            let encrypting = encryptor.wrap_output(hashing).map_err(failed)?;
            let mut gzip = GzEncoder::new(encrypting, Compression::default());
            std::io::copy(source, &mut gzip).map_err(failed)?;
            gzip.finish().map_err(failed)?.finish().map_err(failed)?
        }
    };
    hashing.flush().map_err(failed)?;
    let file = hashing
        .file
        .into_inner()
        .map_err(|e| failed(e.into_error()))?;
    file.sync_all().map_err(failed)?;
    Ok((hashing.size, format!("{:x}", hashing.sha.finalize())))
}

fn dump_postgres(
    pg_dump: &Path,
    url: &str,
    target: &Path,
    key: Option<&EncryptionKey>,
) -> std::result::Result<(u64, String), BackupError> {
    let mut child = libpq_command(pg_dump, url)
        .args(["--format=plain", "--no-owner", "--no-privileges"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| BackupError::Spawn {
            program: pg_dump.to_owned(),
            hint: "install the PostgreSQL client of the server's major version or set \
                   BACKUP_PG_DUMP",
            source,
        })?;
    let mut stdout = child
        .stdout
        .take()
        .ok_or(BackupError::NoOutput("pg_dump"))?;
    let written = gzip_into(&mut stdout, target, key);
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    let status = child
        .wait()
        .map_err(BackupError::io("waiting for", pg_dump))?;
    if !status.success() {
        let said = stderr.trim();
        return Err(BackupError::Failed {
            program: "pg_dump",
            status,
            message: if said.is_empty() { "no message" } else { said }.to_owned(),
        });
    }
    written
}

async fn snapshot_sqlite(
    db: &DatabaseConnection,
    dir: &Path,
    target: &Path,
    key: Option<EncryptionKey>,
) -> std::result::Result<(u64, String), BackupError> {
    let snapshot = dir.join(format!(".snapshot-{}.sqlite", Uuid::now_v7()));
    // VACUUM INTO takes an empty file: created first, private, so the plain copy is never
    // readable by others even for the moment it exists.
    private_file(&snapshot).map_err(BackupError::io("cannot create", &snapshot))?;
    let quoted = snapshot.display().to_string().replace('\'', "''");
    db.execute_unprepared(&format!("VACUUM INTO '{quoted}'"))
        .await
        .map_err(BackupError::Snapshot)?;
    let (snapshot_path, target) = (snapshot.clone(), target.to_owned());
    let written = tokio::task::spawn_blocking(move || {
        let mut file = std::fs::File::open(&snapshot_path)
            .map_err(BackupError::io("reading", &snapshot_path))?;
        gzip_into(&mut file, &target, key.as_ref())
    })
    .await;
    let _ = std::fs::remove_file(&snapshot);
    written?
}

/// SHA-256 of a file, hex.
pub fn file_checksum(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut sha = Sha256::new();
    std::io::copy(&mut file, &mut sha)?;
    Ok(format!("{:x}", sha.finalize()))
}

/// Checks a backup file against the `FILE.sha256` written beside it.
pub fn verify(path: &Path) -> std::result::Result<(), BackupError> {
    let sidecar = PathBuf::from(format!("{}.sha256", path.display()));
    let recorded =
        std::fs::read_to_string(&sidecar).map_err(BackupError::io("cannot read", &sidecar))?;
    let recorded = recorded.split_whitespace().next().unwrap_or_default();
    let actual = file_checksum(path).map_err(BackupError::io("cannot read", path))?;
    if recorded == actual {
        Ok(())
    } else {
        Err(BackupError::Damaged {
            path: path.to_owned(),
            recorded: recorded.to_owned(),
            actual,
        })
    }
}

/// Whether the database holds any table (a restore without `--force` needs an empty one).
pub async fn database_is_empty(db: &DatabaseConnection, target: &DatabaseTarget) -> Result<bool> {
    let sql = if target.is_postgres() {
        "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public'"
    } else {
        "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'"
    };
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            sql,
        ))
        .await?;
    let tables: i64 = match row {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    Ok(tables == 0)
}

/// Restores a PostgreSQL backup: empties the `public` schema, then feeds the decompressed
/// dump to `psql` in one transaction (all of it or nothing).
pub fn restore_postgres(
    psql: &Path,
    url: &str,
    file: &Path,
    key: Option<&EncryptionKey>,
) -> std::result::Result<(), BackupError> {
    let mut dump = open(file, key)?;
    let mut child = libpq_command(psql, url)
        .args([
            "--quiet",
            "--no-psqlrc",
            "--set",
            "ON_ERROR_STOP=1",
            "--single-transaction",
        ])
        .args([
            "--command",
            "DROP SCHEMA public CASCADE; CREATE SCHEMA public;",
        ])
        .args(["--file", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| BackupError::Spawn {
            program: psql.to_owned(),
            hint: "install the PostgreSQL client",
            source,
        })?;
    let copied = match child.stdin.take() {
        Some(mut stdin) => std::io::copy(&mut dump, &mut stdin).map(|_| ()),
        None => Ok(()),
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    let status = child.wait().map_err(BackupError::io("waiting for", psql))?;
    if !status.success() {
        return Err(BackupError::Failed {
            program: "psql",
            status,
            message: stderr.trim().to_owned(),
        });
    }
    copied.map_err(BackupError::io("decompressing", file))
}

/// Restores a SQLite backup: the decompressed snapshot replaces the database file.
pub fn restore_sqlite(
    database: &Path,
    file: &Path,
    key: Option<&EncryptionKey>,
) -> std::result::Result<(), BackupError> {
    let mut snapshot = open(file, key)?;
    let partial = PathBuf::from(format!("{}.restoring", database.display()));
    let written = std::fs::File::create(&partial).and_then(|mut out| {
        std::io::copy(&mut snapshot, &mut out)?;
        out.sync_all()
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(BackupError::io("decompressing", file)(e));
    }
    for stale in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{stale}", database.display()));
    }
    std::fs::rename(&partial, database).map_err(BackupError::io("cannot move into place", database))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_named_as_the_seed_names_them() {
        let started = DateTime::parse_from_rfc3339("2026-11-28T02:00:07Z")
            .unwrap()
            .with_timezone(&Utc);
        let postgres = DatabaseTarget::Postgres("postgres://db/pos".into());
        let sqlite = DatabaseTarget::Sqlite("pos.db".into());
        assert_eq!(
            file_name(&postgres, started, false),
            "pos_db_backup_20261128_020007.sql.gz"
        );
        assert_eq!(
            file_name(&sqlite, started, false),
            "pos_db_backup_20261128_020007.sqlite.gz"
        );
    }

    #[test]
    fn a_second_backup_within_the_same_second_gets_a_name_of_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let name = "pos_db_backup_20261128_020007.sql.gz.age";
        assert_eq!(free_name(dir.path(), name), name);
        std::fs::write(dir.path().join(name), "first").unwrap();
        let second = free_name(dir.path(), name);
        assert_eq!(second, "pos_db_backup_20261128_020007_2.sql.gz.age");
        std::fs::write(dir.path().join(&second), "second").unwrap();
        assert_eq!(
            free_name(dir.path(), name),
            "pos_db_backup_20261128_020007_3.sql.gz.age"
        );
        // Still ours, for retention.
        assert_eq!(written_at(&second), written_at(name));
        assert!(written_at(&second).is_some());
        assert!(written_at("pos_db_backup_20261128_020007_x.sql.gz").is_none());
    }

    #[test]
    fn retention_deletes_only_our_old_files_and_never_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        let now = DateTime::parse_from_rfc3339("2026-11-28T02:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        for name in [
            "pos_db_backup_20261001_020000.sql.gz", // 58 days: ours, old
            "pos_db_backup_20261027_020000.sqlite.gz", // 32 days: ours, old
            "pos_db_backup_20261101_020000.sql.gz", // 27 days: kept
            "pos_db_backup_20261001_020000.txt",    // not ours
            "notes.txt",                            // not ours
            "pos_db_backup_20200101_000000.sql.gz", // the newest success, however old
        ] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }

        let mut deleted = prune(dir.path(), 30, "pos_db_backup_20200101_000000.sql.gz", now);

        deleted.sort();
        assert_eq!(
            deleted,
            [
                "pos_db_backup_20261001_020000.sql.gz",
                "pos_db_backup_20261027_020000.sqlite.gz"
            ]
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 4);
    }

    #[test]
    fn gzip_into_records_the_files_size_and_checksum() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.gz");
        let (size, checksum) = gzip_into(&mut &b"hello backup"[..], &target, None).unwrap();
        let bytes = std::fs::read(&target).unwrap();
        assert_eq!(size, bytes.len() as u64);
        assert_eq!(checksum, format!("{:x}", Sha256::digest(&bytes)));
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "hello backup");
    }

    #[test]
    fn an_encrypted_backup_opens_only_with_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("pos_db_backup_20261128_020000.sql.gz.age");
        let key = EncryptionKey::generate();
        let (size, checksum) =
            gzip_into(&mut &b"CREATE TABLE secret;"[..], &target, Some(&key)).unwrap();
        let bytes = std::fs::read(&target).unwrap();
        assert_eq!(
            (size, checksum),
            (bytes.len() as u64, file_checksum(&target).unwrap())
        );
        assert!(bytes.starts_with(b"age-encryption.org/v1"), "an age file");
        assert!(
            !bytes.windows(6).any(|w| w == b"secret"),
            "no plain text inside"
        );

        let again = EncryptionKey::parse(&key.to_secret_string()).unwrap();
        let mut text = String::new();
        open(&target, Some(&again))
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "CREATE TABLE secret;");

        let missing = open(&target, None).err().unwrap().to_string();
        assert!(missing.contains("BACKUP_ENCRYPTION_KEY"), "{missing}");
        let wrong = open(&target, Some(&EncryptionKey::generate()))
            .err()
            .unwrap()
            .to_string();
        assert!(wrong.contains("cannot decrypt"), "{wrong}");
        assert!(EncryptionKey::parse("hunter2").is_err());
        // Retention counts encrypted files as ours.
        assert!(written_at("pos_db_backup_20261128_020000.sql.gz.age").is_some());
    }
}
