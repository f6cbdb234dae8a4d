//! `pos-worker`: runs background jobs (product embeddings) beside `pos-api` replicas that run
//! with `WORKER_MODE=external`. Any number may run against one PostgreSQL database.

use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use domain::db::{DatabaseTarget, Stats};
use migration::{Migrator, MigratorTrait};
use worker::{Runner, RunnerSettings};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Background jobs of pos-odata. Reads the same environment as pos-api (`DATABASE_URL`,
/// `EMBEDDING_MODEL_DIR`, `ORT_DYLIB_PATH`, `LOG_FORMAT`, ...).
#[derive(Parser)]
#[command(name = "pos-worker", version)]
struct Cli {
    /// The database (default: the SQLite file of pos-api's default, ./data/pos.db).
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://./data/pos.db")]
    database_url: String,
    /// Connections to the database.
    #[arg(long, env = "WORKER_MAX_CONNECTIONS", default_value_t = 4)]
    max_connections: u32,
    /// `json` for one JSON object per log line, `text` for people.
    #[arg(long, env = "LOG_FORMAT", default_value = "text")]
    log_format: String,
    #[command(subcommand)]
    command: Option<Command>,
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
    let telemetry = worker::telemetry::init(cli.log_format == "json", "pos-worker");
    let code = match run(cli).await {
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

async fn run(cli: Cli) -> anyhow::Result<()> {
    let target = DatabaseTarget::parse(&cli.database_url)
        .map_err(|m| anyhow::anyhow!("DATABASE_URL: {m}"))?;
    let db = domain::db::connect(&target, cli.max_connections, Arc::new(Stats::default())).await?;
    wait_for_migrations(&db).await?;
    let settings = worker::settings::from_env().map_err(anyhow::Error::msg)?;
    let embedder = match &settings {
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
