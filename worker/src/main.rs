//! `pos-worker`: runs background jobs (product embeddings) beside `pos-api` replicas that run
//! with `WORKER_MODE=external`. Any number may run against one PostgreSQL database.

use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use domain::db::Stats;
use migration::{Migrator, MigratorTrait};
use worker::config::{Basics, ConfigError, LogFormat, Vars};
use worker::{Runner, RunnerSettings};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Background jobs of pos-odata. Reads the same environment as pos-api, the same way
/// (`worker::config`): `DATABASE_URL` (default: the SQLite file in `DATA_DIR`), `APP_ENV`,
/// `LOG_FORMAT`, `EMBEDDING_MODEL_DIR`, `ORT_DYLIB_PATH`, ...; and `WORKER_MAX_CONNECTIONS`
/// (4).
#[derive(Parser)]
#[command(name = "pos-worker", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

/// What the worker reads from the environment.
struct Settings {
    basics: Basics,
    max_connections: u32,
    embeddings: Option<worker::EmbedderSettings>,
}

impl Settings {
    fn from_env() -> Result<Self, ConfigError> {
        let vars = std::env::vars().collect();
        let env = Vars(&vars);
        Ok(Settings {
            basics: Basics::from_vars(&env)?,
            max_connections: env.positive("WORKER_MAX_CONNECTIONS", 4)?,
            embeddings: worker::settings::from_vars(|name| env.get(name)).map_err(|message| {
                ConfigError {
                    var: "EMBEDDINGS",
                    message,
                }
            })?,
        })
    }
}

#[derive(Subcommand)]
enum Command {
    /// Run jobs until stopped (the default).
    Run,
    /// Embed every product whose embedding is missing or stale, with a progress bar.
    /// Interrupted, it goes on where it stopped when run again.
    Reindex {
        /// Embed every product again, changed or not.
        #[arg(long)]
        force: bool,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("pos-worker: {error}");
            return ExitCode::FAILURE;
        }
    };
    let json = settings.basics.log_format == LogFormat::Json;
    let telemetry = worker::telemetry::init(json, "pos-worker");
    let code = match run(cli, settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err:#}");
            eprintln!("pos-worker: {err:#}");
            ExitCode::FAILURE
        }
    };
    telemetry.shutdown();
    code
}

async fn run(cli: Cli, settings: Settings) -> anyhow::Result<()> {
    let db = domain::db::connect(
        &settings.basics.database,
        settings.max_connections,
        Arc::new(Stats::default()),
    )
    .await?;
    wait_for_migrations(&db).await?;
    let embedder = match &settings.embeddings {
        Some(settings) => worker::settings::load(settings).await,
        None => None,
    };
    match cli.command.unwrap_or(Command::Run) {
        Command::Run => {
            if embedder.is_none() {
                anyhow::bail!("no embedding model, so no job this worker can run");
            }
            Runner::new(db, embedder, RunnerSettings::default())
                .run(shutdown_signal())
                .await;
        }
        Command::Reindex { force } => {
            let embedder = embedder.ok_or_else(|| anyhow::anyhow!("no embedding model"))?;
            worker::reindex::from_command_line(&db, &embedder, force).await?;
        }
    }
    Ok(())
}

/// pos-api owns the schema: a worker started first waits for it instead of racing it.
async fn wait_for_migrations(db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    let mut logged = false;
    loop {
        let pending = Migrator::get_pending_migrations(db).await?.len();
        if pending == 0 {
            return Ok(());
        }
        if !logged {
            tracing::info!(pending, "waiting for pos-api to migrate the database");
            logged = true;
        }
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut term) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            term.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
    tracing::info!("stopping: finishing the current batch");
}
