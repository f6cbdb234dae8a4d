//! Start-up: from a [`Config`] to a running server, in the order that makes sense on a fresh
//! machine: open (or create) the database, migrate, set up what a fresh database needs, serve.

use std::future::{Future, IntoFuture};
use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use axum::Router;
use domain::auth::{Auth, AuthSettings};
use domain::bootstrap::{self, FirstStart};
use migration::{Migrator, MigratorTrait};
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;

use crate::config::{Config, JwtSecret, WorkerMode};
use crate::events::Events;
use crate::graphql::context::Services;
use crate::graphql::errors::QueryLimits;
use crate::graphql::{self, PosSchema};
use crate::http::{self, HttpState};
use crate::metrics::Metrics;
use crate::redis::Redis;
use crate::search::Search;
use worker::{Runner, RunnerSettings};

/// Everything a running server holds.
#[derive(Clone)]
pub struct App {
    pub config: Arc<Config>,
    pub db: DatabaseConnection,
    pub auth: Arc<Auth>,
    pub schema: PosSchema,
    pub redis: Option<Redis>,
    /// Counts of the statements run on `db`.
    pub db_stats: Arc<domain::db::Stats>,
    /// The nightly backup's scheduler; `None` when `BACKUP_CRON=off`.
    pub scheduler: Option<tokio_cron_scheduler::JobScheduler>,
    /// Product search (its index fills once [`App::serve`] starts following the database).
    pub search: Arc<Search>,
    /// Metrics for `GET /metrics` and OTLP.
    pub metrics: Arc<Metrics>,
    /// The embedding model, when installed (shared by search and the in-process runner).
    pub embedder: Option<Arc<worker::Embedder>>,
}

impl App {
    /// Opens and migrates the database, runs the first-start setup and builds the schema.
    pub async fn start(config: Config) -> anyhow::Result<App> {
        let db_stats = Arc::new(domain::db::Stats::default());
        let db = open_database(&config, db_stats.clone()).await?;
        let redis = config
            .redis
            .clone()
            .map(Redis::connect)
            .transpose()
            .context("REDIS_URL")?;
        let namespace = config.redis_namespace();
        let mut auth = Auth::new(auth_settings(&config)?);
        if let Some(redis) = &redis {
            auth.share_login_limits(Arc::new(redis.login_counters(&namespace)));
            auth.share_revocations(Arc::new(redis.revocations(&namespace)));
        }
        let codes = redis.as_ref().map(|r| Arc::new(r.code_cache(&namespace)));
        let auth = Arc::new(auth);
        let first_start = bootstrap::first_start(
            &db,
            &auth,
            config.admin_password.as_deref(),
            config.default_currency,
        )
        .await
        .context("setting up the fresh database")?;
        report_first_start(&first_start);
        let interrupted = domain::backups::mark_interrupted(&db)
            .await
            .context("recording interrupted backups")?;
        if let Err(error) = domain::backups::check_writable(&config.backup_dir) {
            // Serving goes on (sales matter more), but every backup would fail: say so now,
            // and /ready shows it until it is fixed.
            tracing::error!(%error, "backups cannot be written: fix BACKUP_DIR's owner or mode");
        }
        if interrupted > 0 {
            tracing::warn!(interrupted, "backups a stop interrupted are marked FAILED");
        }
        let numbered = domain::sales::numbers::sweep(&db)
            .await
            .context("numbering sales left unnumbered")?;
        if numbered > 0 {
            tracing::info!(numbered, "numbered sales a stop left without a number");
        }
        let events = match &redis {
            Some(redis) => Events::through_redis(redis, &namespace).context("REDIS_URL")?,
            None => Events::in_process(),
        };
        let embedder = match &config.embeddings {
            Some(settings) => worker::settings::load(settings).await,
            None => None,
        };
        let search = Arc::new(
            Search::new(embedder.clone(), config.search_model_wait)
                .context("building the search index")?,
        );

        let metrics = Arc::new(Metrics::new(config.otlp_metrics));
        let schema = graphql::build(
            Services {
                metrics: metrics.clone(),
                db: db.clone(),
                auth: auth.clone(),
                currency: config.default_currency,
                reference: Default::default(),
                events,
                backups: Arc::new(config.backup_settings()),
                search: search.clone(),
                codes,
            },
            QueryLimits {
                max_depth: config.graphql_max_depth,
                max_complexity: config.graphql_max_complexity,
            },
            config.graphql_introspection,
            config.request_timeout,
        );
        let scheduler = match &config.backup_cron {
            Some(cron) => Some(
                crate::scheduler::start(
                    db.clone(),
                    Arc::new(config.backup_settings()),
                    cron,
                    config.backup_tz,
                )
                .await?,
            ),
            None => None,
        };
        Ok(App {
            config: Arc::new(config),
            db,
            auth,
            schema,
            redis,
            db_stats,
            scheduler,
            search,
            metrics,
            embedder,
        })
    }

    pub fn router(&self) -> Router {
        http::router(HttpState {
            schema: self.schema.clone(),
            db: self.db.clone(),
            auth: self.auth.clone(),
            redis: self.redis.clone(),
            config: self.config.clone(),
            search: self.search.clone(),
            metrics: self.metrics.clone(),
        })
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish for up to
    /// `SHUTDOWN_GRACE` (open WebSockets would otherwise hold the process forever).
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let grace = self.config.shutdown_grace;
        let background = self.start_background();
        let (stopping, mut stop_requested) = tokio::sync::watch::channel(false);
        let service = self
            .router()
            .into_make_service_with_connect_info::<SocketAddr>();
        let server = axum::serve(listener, service)
            .with_graceful_shutdown(async move {
                shutdown.await;
                tracing::info!("shutting down: finishing requests in flight");
                let _ = stopping.send(true);
            })
            .into_future();
        tokio::pin!(server);
        let _background = AbortOnDrop(background);
        tokio::select! {
            result = &mut server => return result,
            _ = stop_requested.wait_for(|stop| *stop) => {}
        }
        match tokio::time::timeout(grace, server).await {
            Ok(result) => result,
            Err(_) => {
                tracing::warn!(
                    ?grace,
                    "shutdown grace period over; closing remaining connections"
                );
                Ok(())
            }
        }
    }
}

impl App {
    /// What a serving instance runs beside the server: the search index following the
    /// database, and (with `WORKER_MODE=embedded`) the job runner.
    fn start_background(&self) -> Vec<tokio::task::JoinHandle<()>> {
        // Their statements are not requests' statements: `db_stats` leaves them out.
        let mut tasks = vec![tokio::spawn(domain::db::uncounted(
            self.search
                .clone()
                .follow(self.db.clone(), self.config.search_refresh_interval),
        ))];
        if self.config.otlp_metrics {
            // Without OTLP, `/metrics` reads them when scraped: nothing to do meanwhile.
            tasks.push(tokio::spawn(domain::db::uncounted(
                self.metrics
                    .clone()
                    .follow(self.db.clone(), METRICS_SAMPLE_INTERVAL),
            )));
        }
        if self.config.worker_mode == WorkerMode::Embedded {
            let runner = Runner::new(
                self.db.clone(),
                self.embedder.clone(),
                RunnerSettings::default(),
            );
            tasks.push(tokio::spawn(domain::db::uncounted(
                runner.run(std::future::pending()),
            )));
        }
        tasks
    }
}

/// How often the metrics read from the database (job queue, last backup) are refreshed for
/// the OTLP export; `/metrics` reads them when scraped.
const METRICS_SAMPLE_INTERVAL: std::time::Duration = std::time::Duration::from_secs(15);

/// Stops background tasks when the server stops.
struct AbortOnDrop(Vec<tokio::task::JoinHandle<()>>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

/// Connects (creating the database when missing) and applies pending migrations.
pub async fn open_database(
    config: &Config,
    stats: Arc<domain::db::Stats>,
) -> anyhow::Result<DatabaseConnection> {
    let db = connect_database(config, stats).await?;
    migrate(config, &db).await?;
    tracing::info!(database = %config.database.redacted(), "database ready");
    Ok(db)
}

/// Connects (creating the database when missing) without migrating: what `backup` and
/// `restore` need, which take the database as it is.
pub async fn connect_database(
    config: &Config,
    stats: Arc<domain::db::Stats>,
) -> anyhow::Result<DatabaseConnection> {
    let target = config.database.redacted();
    domain::db::connect(&config.database, config.database_max_connections, stats)
        .await
        .with_context(|| format!("opening the {target}"))
}

/// Applies pending migrations once, however many replicas start together (an advisory lock on
/// PostgreSQL: the others wait, then find nothing to do).
async fn migrate(config: &Config, db: &DatabaseConnection) -> anyhow::Result<()> {
    let target = config.database.redacted();
    let lock = domain::db::MigrationLock::take(&config.database)
        .await
        .with_context(|| format!("migrating the {target}"))?;
    let migrated = Migrator::up(db, None)
        .await
        .with_context(|| format!("migrating the {target}"));
    if let Some(lock) = lock {
        lock.release()
            .await
            .with_context(|| format!("migrating the {target}"))?;
    }
    migrated
}

pub fn auth_settings(config: &Config) -> anyhow::Result<AuthSettings> {
    Ok(AuthSettings {
        jwt_secret: jwt_secret(config)?,
        access_ttl: chrono::Duration::from_std(config.access_token_ttl)
            .context("ACCESS_TOKEN_TTL")?,
        refresh_ttl: chrono::Duration::from_std(config.refresh_token_ttl)
            .context("REFRESH_TOKEN_TTL")?,
        limits: config.login_limits,
        hash_concurrency: std::thread::available_parallelism().map_or(2, |n| n.get()),
    })
}

/// The configured signing key, or the one kept in the data directory (generated once, private
/// to the owner). A kept key shorter than 32 characters (an empty or cut file) stops start-up:
/// signing tokens with it would let anyone forge them.
fn jwt_secret(config: &Config) -> anyhow::Result<Vec<u8>> {
    if let JwtSecret::Configured(secret) = &config.jwt_secret {
        return Ok(secret.clone());
    }
    let path = config.jwt_secret_file();
    let kept = |path: &std::path::Path| -> anyhow::Result<Vec<u8>> {
        let secret =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let secret = secret.trim();
        anyhow::ensure!(
            secret.len() >= 32,
            "{} holds a signing key shorter than 32 characters: delete the file to generate a \
             new one (every session then ends) or set JWT_SECRET_KEY",
            path.display()
        );
        Ok(secret.as_bytes().to_vec())
    };
    if path.exists() {
        return kept(&path);
    }
    std::fs::create_dir_all(config.data_dir())
        .with_context(|| format!("creating {}", config.data_dir().display()))?;
    let secret: String = {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    };
    // Written whole under a private name, then linked into place: another process starting at
    // the same moment sees no file or a complete one, never a half-written key.
    let partial = path.with_extension(format!("partial-{}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(&partial)
        .and_then(|mut file| {
            file.write_all(secret.as_bytes())?;
            file.sync_all()
        })
        .with_context(|| format!("writing {}", partial.display()))?;
    let linked = std::fs::hard_link(&partial, &path);
    let _ = std::fs::remove_file(&partial);
    match linked {
        Ok(()) => {
            tracing::info!(file = %path.display(), "generated the access-token signing key");
            Ok(secret.into_bytes())
        }
        // Another process wrote it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => kept(&path),
        Err(e) => Err(e).with_context(|| format!("creating {}", path.display())),
    }
}

fn report_first_start(first_start: &FirstStart) {
    if let Some(admin) = &first_start.admin_created {
        match &admin.generated_password {
            Some(password) => tracing::warn!(
                "created the ADMIN user `{}` with the generated password {password} (shown only this once; set POS_ADMIN_PASSWORD to choose it, or change it with changePassword)",
                bootstrap::ADMIN_USERNAME
            ),
            None => tracing::info!(
                "created the ADMIN user `{}` with the password from POS_ADMIN_PASSWORD",
                bootstrap::ADMIN_USERNAME
            ),
        }
    }
    if first_start.default_location_created {
        tracing::info!(
            code = domain::locations::DEFAULT_LOCATION_CODE,
            "created the default location"
        );
    }
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM (`docker stop`).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
}
