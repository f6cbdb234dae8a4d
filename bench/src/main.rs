//! Load benchmarks of pos-odata against PostgreSQL.
//!
//! # Layout
//! - `server`: starts pos-api in this process, on its own runtime, against the benchmark
//!   database (created when missing).
//! - `load`: the closed-loop load generator: N clients, each sending its next request as soon
//!   as the last one is answered, for a fixed time after a warm-up; reports requests per
//!   second and latency percentiles.
//! - `catalog`: the catalog scenarios (issue: 100,000 products, `products(first: 100)` and
//!   `productByCode` at 1 and 16 clients).
//!
//! Run with `cargo run --release -p bench -- catalog`; `--help` lists the options.

mod catalog;
mod load;
mod server;

use clap::{Parser, Subcommand};

/// The same allocator as pos-api's binary, which this process stands in for.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "bench",
    about = "Load benchmarks of pos-odata against PostgreSQL"
)]
struct Cli {
    /// The PostgreSQL database to benchmark (created when missing, seeded once).
    #[arg(
        long,
        env = "BENCH_DATABASE_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/pos_bench?sslmode=disable"
    )]
    database_url: String,
    /// Seconds of measurement per scenario and client count (after a 2 s warm-up).
    #[arg(long, default_value_t = 15)]
    seconds: u64,
    /// Client counts to run each scenario at.
    #[arg(long, value_delimiter = ',')]
    clients: Option<Vec<usize>>,
    /// Only the scenarios whose name contains this.
    #[arg(long)]
    only: Option<String>,
    #[command(subcommand)]
    benchmark: Benchmark,
}

#[derive(Debug, Subcommand)]
enum Benchmark {
    /// `products(first: 100)` with every contract field and `productByCode`, over a catalog of
    /// `--products` products.
    Catalog {
        /// How many products the catalog holds.
        #[arg(long, default_value_t = 100_000)]
        products: usize,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = load::Settings {
        measure: std::time::Duration::from_secs(cli.seconds),
        warm_up: std::time::Duration::from_secs(2),
    };
    match cli.benchmark {
        Benchmark::Catalog { products } => {
            let clients = cli.clients.unwrap_or_else(|| vec![1, 16]);
            catalog::run(
                &cli.database_url,
                products,
                &clients,
                settings,
                cli.only.as_deref(),
            )
        }
    }
}
