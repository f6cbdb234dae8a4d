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
//! - `checkout`: 3-line cash sales through `createSale` at 1, 8 and 32 clients, next to
//!   pgbench running the same sale as plain SQL (`pgbench/sale.pgbench`).
//! - `report`: `salesReport` over a month of 1,000,000 sale lines, and over one day of it.
//! - `backup`: pos-api's backup of that database next to plain `pg_dump | gzip`.
//! - `search`: `searchProducts` over 100,000 products at 1 and 16 clients, memory; `reindex`:
//!   the embedding worker next to fastembed alone.
//! - `search_eval`: search quality (nDCG@10, recall@5, MRR) per signal on judged queries.
//! - `register`: the register screen in Chromium over the 100,000-product catalog.
//!
//! Run with `cargo run --release -p bench -- catalog` (or `checkout`); `--help` lists the
//! options.

mod backup;
mod catalog;
mod checkout;
mod load;
mod pgbench;
mod register;
mod report;
mod search;
mod search_eval;
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
    /// The PostgreSQL server to benchmark on: each benchmark uses its own database there
    /// (`pos_bench`, `pos_bench_checkout`, `pos_bench_pgbench`, `pos_bench_report`), created when missing and
    /// seeded once.
    #[arg(
        long,
        env = "BENCH_POSTGRES_URL",
        default_value = "postgres://postgres@127.0.0.1:5432"
    )]
    postgres_url: String,
    /// Seconds of measurement per scenario and client count (after a 2 s warm-up).
    #[arg(long, default_value_t = 15)]
    seconds: u64,
    /// Client counts to run each scenario at.
    #[arg(long, value_delimiter = ',')]
    clients: Option<Vec<usize>>,
    /// Only the scenarios whose name contains this (catalog and search).
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
    /// `createSale` with 3 lines and a cash payment, by one cashier per client, and pgbench's
    /// plain-SQL sale at the same client counts; prints the ratio API / pgbench.
    Checkout,
    /// `salesReport` over a month of 1,000,000 sale lines, and over one day of it.
    Report,
    /// `searchProducts` at 1 and 16 clients over the catalog of `catalog` with a vector per
    /// product, and the resident memory of the process serving it.
    Search {
        /// How many products the catalog holds.
        #[arg(long, default_value_t = 100_000)]
        products: usize,
    },
    /// The embedding worker's throughput on a reindex of `--products` products, next to
    /// fastembed embedding the same texts alone (same run, medians of `--runs`).
    Reindex {
        #[arg(long, default_value_t = 10_000)]
        products: usize,
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
    /// Search quality on the demo catalog: nDCG@10, recall@5 and MRR for lexical-only,
    /// semantic-only and hybrid search, per kind of query (SQLite, needs the model).
    SearchEval {
        /// The judged sets (each names its catalog; the demo shop when it names none).
        #[arg(
            long,
            value_delimiter = ',',
            default_value = "bench/data/search_eval.json,bench/data/search_eval_b.json"
        )]
        queries: Vec<std::path::PathBuf>,
        /// Also print every query the hybrid search does not answer first.
        #[arg(long, short)]
        verbose: bool,
        /// Also try a grid of fusion parameters and print each one's scores.
        #[arg(long)]
        grid: bool,
    },
    /// The register screen in Chromium (`npm run bench` in web/) against pos-api over the
    /// catalog of `catalog` with vectors: scan-to-line and keystroke-to-results latency at 1
    /// and 8 simultaneous registers.
    Register {
        #[arg(long, default_value_t = 100_000)]
        products: usize,
        /// Simultaneous registers (browser pages) of each run.
        #[arg(long, default_value = "1,8")]
        pages: String,
    },
    /// pos-api's backup of the report database (1,000,000 sale lines) next to plain
    /// `pg_dump | gzip`: time (median) and memory.
    Backup {
        /// Backups of each kind.
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
}

/// The URL of database `name` on the server (TLS off: the benchmark runs on this machine).
fn database(server: &str, name: &str) -> String {
    format!("{}/{name}?sslmode=disable", server.trim_end_matches('/'))
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
                &database(&cli.postgres_url, "pos_bench"),
                products,
                &clients,
                settings,
                cli.only.as_deref(),
            )
        }
        Benchmark::Checkout => checkout::run(
            &database(&cli.postgres_url, "pos_bench_checkout"),
            &database(&cli.postgres_url, "pos_bench_pgbench"),
            &cli.clients.unwrap_or_else(|| vec![1, 8, 32]),
            settings,
        ),
        Benchmark::Report => {
            report::run(&database(&cli.postgres_url, "pos_bench_report"), settings)
        }
        Benchmark::Search { products } => search::run(
            &database(&cli.postgres_url, "pos_bench"),
            products,
            &cli.clients.unwrap_or_else(|| vec![1, 16]),
            settings,
            cli.only.as_deref(),
        ),
        Benchmark::Reindex { products, runs } => search::reindex(
            &database(&cli.postgres_url, "pos_bench_reindex"),
            products,
            runs,
        ),
        Benchmark::SearchEval {
            queries,
            verbose,
            grid,
        } => search_eval::run(&queries, verbose, grid),
        Benchmark::Register { products, pages } => {
            register::run(&database(&cli.postgres_url, "pos_bench"), products, &pages)
        }
        Benchmark::Backup { runs } => {
            backup::run(&database(&cli.postgres_url, "pos_bench_report"), runs)
        }
    }
}
