use std::process::ExitCode;

use api::cli::{Cli, Command};
use api::config::Config;
use clap::Parser;

/// glibc's allocator took a quarter of the CPU of a page of products (many small, short-lived
/// allocations across threads); mimalloc handles that pattern far better.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::ExportSchema = command {
        print!("{}", api::graphql::sdl());
        return ExitCode::SUCCESS;
    }
    // An optional `.env` in the working directory; real environment variables win.
    let _ = dotenvy::dotenv();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("pos-api: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    let telemetry = api::telemetry::init(config.log_format);
    let code = match api::cli::run(command, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("pos-api: {e:#}");
            ExitCode::FAILURE
        }
    };
    telemetry.shutdown();
    code
}
