//! The `pos-api` command line.

use std::io::{BufRead, IsTerminal};

use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand, ValueEnum};
use domain::auth::{Auth, Password, Role};
use domain::users::{FullName, NewUser, Username};
use tokio::net::TcpListener;

use crate::app::{self, App};
use crate::config::Config;

#[derive(Debug, Parser)]
#[command(
    name = "pos-api",
    version,
    about = "pos-odata: the point-of-sale GraphQL server"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API (the default): migrate, set up a fresh database, listen on BIND_ADDR.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the GraphQL schema (SDL) to standard output; needs no database.
    ExportSchema,
    /// Load a demo shop (a few hundred products in Spanish, with categories, tax rates and
    /// stock at MAIN) so GraphiQL has something to show. Running it again adds nothing.
    SeedDemo,
    /// Write one backup of the database now into BACKUP_DIR, record it, and print its file
    /// and checksum (exits with an error when the backup fails).
    Backup,
    /// Restore a backup file (checked against the FILE.sha256 beside it) into DATABASE_URL:
    /// into an empty database, or with --force over an existing one (everything in it is
    /// replaced, after you type "yes", or at once with --yes). Stop the server first.
    Restore {
        /// The backup: pos_db_backup_….sql.gz (PostgreSQL) or ….sqlite.gz (SQLite).
        file: std::path::PathBuf,
        /// Replace a database that is not empty.
        #[arg(long)]
        force: bool,
        /// With --force: do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Embed every product whose search embedding is missing or stale (new products, changed
    /// texts, another model), with a progress bar. Interrupted, it goes on where it stopped
    /// when run again.
    Reindex {
        /// Embed every product again, changed or not.
        #[arg(long)]
        force: bool,
    },
    /// Create a user; the password is read from standard input (hidden when typed).
    CreateUser {
        /// Login name (3 to 50 of a-z, 0-9, '.', '_', '-').
        #[arg(long)]
        username: String,
        /// ADMIN, MANAGER or CASHIER.
        #[arg(long, value_enum, ignore_case = true)]
        role: RoleArg,
        /// Display name; defaults to the username.
        #[arg(long)]
        full_name: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
#[value(rename_all = "UPPER")]
pub enum RoleArg {
    Admin,
    Manager,
    Cashier,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Admin => Role::Admin,
            RoleArg::Manager => Role::Manager,
            RoleArg::Cashier => Role::Cashier,
        }
    }
}

/// Runs a command that needs the configuration (all but `export-schema`).
pub async fn run(command: Command, mut config: Config) -> anyhow::Result<()> {
    if !matches!(command, Command::Serve | Command::Reindex { .. }) {
        // Only serving and reindexing use the model; the others need not wait to load it.
        config.embeddings = None;
    }
    if !matches!(command, Command::Serve) {
        // Only a server runs the nightly backup; `seed-demo` and the like must not schedule it.
        config.backup_cron = None;
    }
    match command {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            app::open_database(&config, Default::default()).await?;
            Ok(())
        }
        Command::ExportSchema => {
            print!("{}", crate::graphql::sdl());
            Ok(())
        }
        Command::CreateUser {
            username,
            role,
            full_name,
        } => create_user(config, &username, role.into(), full_name.as_deref()).await,
        Command::SeedDemo => seed_demo(config).await,
        Command::Backup => backup(config).await,
        Command::Restore { file, force, yes } => restore(config, &file, force, yes).await,
        Command::Reindex { force } => reindex(config, force).await,
    }
}

async fn reindex(config: Config, force: bool) -> anyhow::Result<()> {
    let settings = config
        .embeddings
        .clone()
        .ok_or_else(|| anyhow::anyhow!("EMBEDDINGS=off: there is no model to embed with"))?;
    let db = app::open_database(&config, Default::default()).await?;
    let embedder = worker::settings::load(&settings)
        .await
        .ok_or_else(|| anyhow::anyhow!("no embedding model: run scripts/fetch-model.sh"))?;
    worker::reindex::from_command_line(&db, &embedder, force).await
}

async fn restore(
    config: Config,
    file: &std::path::Path,
    force: bool,
    yes: bool,
) -> anyhow::Result<()> {
    let name = file.display().to_string();
    let postgres = config.database.is_postgres();
    let expected = if postgres { ".sql.gz" } else { ".sqlite.gz" };
    if !name.trim_end_matches(".age").ends_with(expected) {
        bail!(
            "{name} is not a {} backup (pos_db_backup_…{expected}, or {expected}.age)",
            if postgres { "PostgreSQL" } else { "SQLite" }
        );
    }
    domain::backups::verify(file).map_err(anyhow::Error::msg)?;
    if name.ends_with(".age") && config.backup_encryption.is_none() {
        bail!("{name} is encrypted: set BACKUP_ENCRYPTION_KEY to the key it was made with");
    }
    let target = config.database.redacted();
    let db = domain::db::connect(&config.database, 1, Default::default())
        .await
        .with_context(|| format!("opening the {target}"))?;
    if !domain::backups::database_is_empty(&db, &config.database).await? {
        if !force {
            bail!(
                "the {target} is not empty: restore into an empty database, or pass --force to \
                 replace everything in it"
            );
        }
        if !yes {
            eprint!("Replace everything in the {target} with {name}? Type yes: ");
            let mut answer = String::new();
            std::io::stdin().lock().read_line(&mut answer)?;
            if answer.trim() != "yes" {
                bail!("not confirmed; nothing changed");
            }
        }
    }
    db.close().await?;
    let file = file.to_owned();
    let key = config.backup_encryption.clone();
    let restored = match config.database.clone() {
        domain::db::DatabaseTarget::Postgres(url) => {
            let psql = config.backup_psql.clone();
            tokio::task::spawn_blocking(move || {
                domain::backups::restore_postgres(&psql, &url, &file, key.as_ref())
            })
            .await?
        }
        domain::db::DatabaseTarget::Sqlite(path) => {
            tokio::task::spawn_blocking(move || {
                domain::backups::restore_sqlite(&path, &file, key.as_ref())
            })
            .await?
        }
    };
    restored.map_err(anyhow::Error::msg)?;
    println!("restored {name} into the {target}");
    Ok(())
}

/// One backup now, of the database as it is: never migrated first (the backup taken before an
/// upgrade must be of the schema the running app uses). Recorded in `backups` when the
/// database's schema is this binary's; otherwise only written, and said so.
async fn backup(config: Config) -> anyhow::Result<()> {
    let db = app::connect_database(&config, Default::default()).await?;
    let settings = config.backup_settings();
    if !schema_is_current(&db).await {
        let file = domain::backups::write_and_prune(&db, &settings, chrono::Utc::now())
            .await
            .map_err(|e| anyhow::anyhow!("backup failed: {e}"))?;
        println!(
            "{} ({} bytes, sha256 {}); not recorded in `backups`: the database's schema is \
             older than this pos-api's",
            config.backup_dir.join(&file.name).display(),
            file.size,
            file.checksum
        );
        return Ok(());
    }
    let run =
        domain::backups::run(&db, &settings, entity::backup_run::BackupTrigger::Manual).await?;
    match (&run.file_name, &run.checksum, &run.error) {
        (Some(file), Some(checksum), _) => {
            println!(
                "{} ({} bytes, sha256 {checksum})",
                config.backup_dir.join(file).display(),
                run.size_bytes.unwrap_or_default()
            );
            Ok(())
        }
        (_, _, error) => bail!(
            "backup failed: {}",
            error.as_deref().unwrap_or("no reason recorded")
        ),
    }
}

/// Whether every migration of this binary has been applied, read without changing anything
/// (sea-orm-migration's own check would create its table in an empty database).
async fn schema_is_current(db: &sea_orm::DatabaseConnection) -> bool {
    use migration::{Migrator, MigratorTrait};
    use sea_orm::{ConnectionTrait, Statement};
    let applied = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT version FROM seaql_migrations",
        ))
        .await;
    let Ok(rows) = applied else {
        return false;
    };
    let applied: std::collections::HashSet<String> = rows
        .iter()
        .filter_map(|row| row.try_get::<String>("", "version").ok())
        .collect();
    Migrator::migrations()
        .iter()
        .all(|migration| applied.contains(migration.name()))
}

async fn seed_demo(config: Config) -> anyhow::Result<()> {
    let app = App::start(config).await?;
    let admin = domain::users::oldest_active_admin(&app.db).await?;
    let main = domain::locations::by_code(&app.db, domain::locations::DEFAULT_LOCATION_CODE)
        .await
        .context("the demo shop goes into the MAIN location")?;
    let seeded =
        domain::demo::seed(&app.db, admin.id, app.config.default_currency, main.id).await?;
    println!(
        "demo shop: {} tax rates, {} categories and {} products added{}",
        seeded.tax_rates,
        seeded.categories,
        seeded.products,
        if seeded.products > 0 {
            ", with their stock received at MAIN"
        } else {
            " (it was already loaded)"
        }
    );
    Ok(())
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let bind_addr = config.bind_addr;
    let app = App::start(config).await?;
    let listener = TcpListener::bind(bind_addr)
        .await
        .with_context(|| format!("BIND_ADDR: cannot listen on {bind_addr}"))?;
    tracing::info!(
        "listening on http://{bind_addr} (GraphiQL at http://{}/graphql)",
        display_addr(bind_addr)
    );
    let metrics = app.metrics.clone();
    app.serve(listener, app::shutdown_signal()).await?;
    // The last interval's metrics, when they are pushed over OTLP.
    tokio::task::spawn_blocking(move || metrics.shutdown()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// `0.0.0.0:5000` is not an address a browser can open; `localhost:5000` is.
fn display_addr(addr: std::net::SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        format!("localhost:{}", addr.port())
    } else {
        addr.to_string()
    }
}

async fn create_user(
    config: Config,
    username: &str,
    role: Role,
    full_name: Option<&str>,
) -> anyhow::Result<()> {
    let username = Username::parse(username)?;
    let full_name = FullName::parse(full_name.unwrap_or(username.as_str()))?;
    let password = Password::parse(read_password()?, "password")?;
    let db = app::open_database(&config, Default::default()).await?;
    let auth = Auth::new(app::auth_settings(&config)?);
    let user = domain::users::create(
        &db,
        &auth,
        None,
        NewUser {
            username,
            full_name,
            password,
            role,
        },
    )
    .await?;
    println!(
        "created user {} ({:?}) with id {}",
        user.username, user.role, user.id
    );
    Ok(())
}

/// From the terminal without echo, or the first line of piped input.
fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    let password = if stdin.is_terminal() {
        rpassword::prompt_password("Password: ").context("reading the password")?
    } else {
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    if password.is_empty() {
        bail!("no password given on standard input");
    }
    Ok(password)
}
