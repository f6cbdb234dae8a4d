//! `search`: `searchProducts` over the 100,000-product catalog of `catalog`, and the
//! embedding worker's throughput next to fastembed's own.
//!
//! The catalog's names come from 5,000 patterns (`NOUN KIND SIZE #n`); each pattern's text is
//! embedded once with the real model and its vector stored for every product of the pattern,
//! so the index holds 100,000 vectors without an hour of embedding first. The query set is
//! the judged queries of `search-eval`; "cached" replays them (the query-embedding cache
//! answers after the first round, as at a till where the same words come back all day),
//! "new words" makes every query unique, so each one is embedded; "mix" is a till's day:
//! half codes and name fragments as typed (a full barcode, a barcode's first digits, a SKU's
//! start, a SKU without its separator, the start of a name), answered without the model, and
//! half new words.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use chrono::Utc;
use domain::search::{content_hash, embedding_text, vector_to_bytes};
use entity::{category, product, product_embedding};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect,
};
use serde_json::json;
use uuid::Uuid;

use crate::load::{self, Outcome, Settings};
use crate::server::{ADMIN_PASSWORD, Server};

const SEARCH: &str = "query($q: String!) { searchProducts(query: $q, first: 20) { score matchedBy product { id sku name price { amount currency } } } }";

fn queries() -> anyhow::Result<Vec<String>> {
    let raw = std::fs::read_to_string("bench/data/search_eval.json")
        .context("reading bench/data/search_eval.json (run from the repository's root)")?;
    let json: serde_json::Value = serde_json::from_str(&raw)?;
    Ok(json["queries"]
        .as_array()
        .map(|qs| {
            qs.iter()
                .filter_map(|q| q["query"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kib| kib.parse().ok())
        })
        .unwrap_or(0)
}

/// Whether the catalog and a vector per product are already in the database.
async fn seeded(database_url: &str, products: usize) -> bool {
    let Ok(db) = sea_orm::Database::connect(database_url).await else {
        return false;
    };
    let counts = async {
        let products_in = product::Entity::find().count(&db).await? as usize;
        let vectors_in = product_embedding::Entity::find().count(&db).await? as usize;
        anyhow::Ok(products_in >= products && vectors_in >= products)
    };
    let seeded = counts.await.unwrap_or(false);
    let _ = db.close().await;
    seeded
}

/// Unless the database already holds them, seeds the catalog and its vectors through a server
/// of our own first (it migrates and loads the model); then starts a fresh one, whose index
/// loads the whole catalog at start. Returns it once every vector is in, with how long that
/// took and whether this process seeded (then its memory holds what seeding left behind).
pub fn serve_catalog(
    runtime: &tokio::runtime::Runtime,
    database_url: &str,
    products: usize,
) -> anyhow::Result<(Server, Duration, bool)> {
    let seeding_here = !runtime.block_on(seeded(database_url, products));
    if seeding_here {
        let seeding = Server::start(database_url)?;
        runtime.block_on(async {
            crate::catalog::seed(&seeding.app.db, products).await?;
            let embedder = seeding
                .app
                .embedder
                .clone()
                .context("no embedding model: run scripts/fetch-model.sh first")?;
            store_vectors(&seeding.app.db, &embedder).await
        })?;
    }
    let server = Server::start(database_url)?;
    let started = Instant::now();
    while !(server.app.search.is_loaded() && server.app.search.index.vector_count() >= products) {
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(600),
            "the search index did not load"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    Ok((server, started.elapsed(), seeding_here))
}

pub fn run(
    database_url: &str,
    products: usize,
    clients: &[usize],
    settings: Settings,
    only: Option<&str>,
) -> anyhow::Result<()> {
    let rss_before = rss_kib();
    let runtime = crate::load::runtime()?;
    let (server, loaded_in, seeded_here) = serve_catalog(&runtime, database_url, products)?;
    let rss_loaded = rss_kib();
    let queries = Arc::new(queries()?);
    let model_alone = model_alone(&server, &queries)?;
    runtime.block_on(async {
        let url = server.url();
        let token = load::login(&url, "admin", ADMIN_PASSWORD).await?;
        println!(
            "search: {products} products, {} vectors, index loaded in {:.1} s; {} s per run after a {} s warm-up",
            server.app.search.index.vector_count(),
            loaded_in.as_secs_f64(),
            settings.measure.as_secs(),
            settings.warm_up.as_secs()
        );
        let seeding = if seeded_here {
            "it seeded the database first through another server: run again for the figure of a process that did not"
        } else {
            "the database was seeded already: this process did not seed"
        };
        println!(
            "resident memory of this process (pos-api with the model and the index; {seeding}): {} MiB before start, {} MiB loaded",
            rss_before / 1024,
            rss_loaded / 1024
        );
        println!("{model_alone}");
        println!("{}", Outcome::header());
        let cached: load::NextRequest = {
            let queries = queries.clone();
            Arc::new(move |client, n| {
                let q = &queries[(client * 7 + n) % queries.len()];
                json!({ "query": SEARCH, "variables": { "q": q } })
            })
        };
        let fresh: load::NextRequest = {
            let queries = queries.clone();
            Arc::new(move |client, n| {
                let q = &queries[(client * 7 + n) % queries.len()];
                json!({ "query": SEARCH, "variables": { "q": format!("{q} {client}x{n}") } })
            })
        };
        let mix: load::NextRequest = {
            let queries = queries.clone();
            Arc::new(move |client, n| {
                let q = if n % 2 == 0 {
                    let product = (client * 7919 + n * 104_729) % products.max(1);
                    let barcode = crate::catalog::barcode(product);
                    match (n / 2) % 5 {
                        0 => barcode,
                        1 => barcode[..8].to_owned(),
                        2 => format!("BENCH-{:05}", product / 100),
                        3 => format!("bench{product:07}"),
                        _ => crate::catalog::noun(product)
                            .chars()
                            .take(4)
                            .collect::<String>()
                            .to_lowercase(),
                    }
                } else {
                    let q = &queries[(client * 7 + n) % queries.len()];
                    format!("{q} {client}x{n}")
                };
                json!({ "query": SEARCH, "variables": { "q": q } })
            })
        };
        // The mix's two halves (its even requests are codes and fragments, its odd ones new
        // words) are also reported apart: its p50 falls where they meet.
        for (name, next, halves) in [
            ("searchProducts cached", cached, None),
            ("searchProducts new words", fresh, None),
            ("searchProducts mix", mix, Some(["  mix: codes, fragments", "  mix: new words"])),
        ] {
            if only.is_some_and(|only| !name.contains(only)) {
                continue;
            }
            for &n in clients {
                let parts = halves.map_or(1, |h| h.len());
                let (outcome, each) = load::run_in_parts(
                    &url,
                    std::slice::from_ref(&token),
                    n,
                    settings,
                    next.clone(),
                    parts,
                )
                .await;
                println!("{}", outcome.row(name, n));
                for (half, outcome) in halves.iter().flatten().zip(each) {
                    println!("{}", outcome.row(half, n));
                }
            }
        }
        println!(
            "resident memory after the runs (the load generator's clients included): {} MiB",
            rss_kib() / 1024
        );
        anyhow::Ok(())
    })?;
    drop(server);
    Ok(())
}

/// How long the model alone takes to embed one query, and 16 queries in one run (as the
/// server's batcher does when 16 clients each wait on new words): the floor under "new words"
/// latency, whatever the rest of the server does. Medians of 5, on this thread, before any load.
fn model_alone(server: &Server, queries: &[String]) -> anyhow::Result<String> {
    let embedder = server
        .app
        .embedder
        .clone()
        .context("no embedding model: run scripts/fetch-model.sh first")?;
    let timed = |count: usize| -> anyhow::Result<Duration> {
        let mut times = Vec::new();
        for round in 0..5 {
            let texts: Vec<String> = queries
                .iter()
                .cycle()
                .take(count)
                .enumerate()
                .map(|(i, q)| format!("{q} {round}y{i}"))
                .collect();
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            let started = Instant::now();
            embedder.embed_queries(&texts)?;
            times.push(started.elapsed());
        }
        times.sort();
        Ok(times[times.len() / 2])
    };
    let (one, sixteen) = (timed(1)?, timed(16)?);
    Ok(format!(
        "the model alone, medians of 5: 1 query {:.1} ms; 16 queries in one run {:.1} ms ({:.1} ms each)",
        one.as_secs_f64() * 1000.0,
        sixteen.as_secs_f64() * 1000.0,
        sixteen.as_secs_f64() * 1000.0 / 16.0
    ))
}

/// Stores a vector for every product that has none: one embedding per distinct name pattern
/// (the name without its `#n`), shared by the products of the pattern.
pub async fn store_vectors(
    db: &DatabaseConnection,
    embedder: &Arc<worker::Embedder>,
) -> anyhow::Result<()> {
    let have = product_embedding::Entity::find().count(db).await? as usize;
    let total = product::Entity::find().count(db).await? as usize;
    if have >= total {
        return Ok(());
    }
    let started = Instant::now();
    let categories: HashMap<Uuid, String> = category::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let rows: Vec<(Uuid, String, Option<Uuid>)> = product::Entity::find()
        .select_only()
        .columns([
            product::Column::Id,
            product::Column::Name,
            product::Column::CategoryId,
        ])
        .into_tuple()
        .all(db)
        .await?;
    let pattern = |name: &str, category: Option<Uuid>| {
        let base = name.rsplit_once(" #").map_or(name, |(base, _)| base);
        embedding_text(
            base,
            category
                .and_then(|c| categories.get(&c))
                .map(String::as_str),
            None,
        )
    };
    let mut texts: Vec<String> = rows.iter().map(|(_, n, c)| pattern(n, *c)).collect();
    texts.sort();
    texts.dedup();
    let vectors = {
        let (model, texts) = (embedder.clone(), texts.clone());
        tokio::task::spawn_blocking(move || model.embed_passages(&texts)).await??
    };
    let by_text: HashMap<&String, Vec<u8>> = texts
        .iter()
        .zip(&vectors)
        .map(|(t, v)| (t, vector_to_bytes(v)))
        .collect();
    product_embedding::Entity::delete_many()
        .filter(product_embedding::Column::ProductId.is_not_null())
        .exec(db)
        .await?;
    let now = Utc::now();
    for chunk in rows.chunks(1000) {
        let batch = chunk.iter().map(|(id, name, category)| {
            let text = pattern(name, *category);
            product_embedding::ActiveModel {
                product_id: Set(*id),
                model: Set(embedder.name().to_owned()),
                dimensions: Set(384),
                vector: Set(by_text.get(&text).cloned().unwrap_or_default()),
                content_hash: Set(content_hash(embedder.name(), &text)),
                updated_at: Set(now),
            }
        });
        product_embedding::Entity::insert_many(batch)
            .exec_without_returning(db)
            .await?;
    }
    println!(
        "stored vectors for {} products ({} distinct texts embedded) in {:.1} s",
        rows.len(),
        texts.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `reindex`: the worker's path (read products, skip unchanged, embed, store) over
/// `products` products, next to fastembed embedding the same texts in the same batches with
/// nothing else, `runs` times each; prints each run and the medians.
pub fn reindex(database_url: &str, products: usize, runs: usize) -> anyhow::Result<()> {
    let server = Server::start(database_url)?;
    let runtime = crate::load::runtime()?;
    runtime.block_on(async {
        let db = &server.app.db;
        crate::catalog::seed(db, products).await?;
        let embedder = server
            .app
            .embedder
            .clone()
            .context("no embedding model: run scripts/fetch-model.sh first")?;
        let categories = domain::search::category_labels(db).await?;
        let texts: Vec<String> = product::Entity::find()
            .all(db)
            .await?
            .iter()
            .map(|p| {
                embedding_text(
                    &p.name,
                    p.category_id.and_then(|c| categories.get(&c)).map(String::as_str),
                    p.description.as_deref(),
                )
            })
            .collect();
        println!(
            "reindex: {} products, {runs} runs of each; model {}",
            texts.len(),
            embedder.name()
        );
        let mut raw = Vec::new();
        let mut worker = Vec::new();
        for run in 1..=runs {
            let started = Instant::now();
            let (model, batch) = (embedder.clone(), texts.clone());
            tokio::task::spawn_blocking(move || model.embed_passages(&batch)).await??;
            raw.push(texts.len() as f64 / started.elapsed().as_secs_f64());

            let started = Instant::now();
            let done = worker::reindex::reindex(db, &embedder, true, &indicatif::ProgressBar::hidden()).await?;
            worker.push(done.embedded as f64 / started.elapsed().as_secs_f64());
            println!(
                "run {run}: fastembed alone {:.1} texts/s, worker reindex {:.1} products/s ({} embedded)",
                raw[run - 1],
                worker[run - 1],
                done.embedded
            );
        }
        let median = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let (raw, worker) = (median(&mut raw), median(&mut worker));
        println!(
            "median: fastembed alone {raw:.1} texts/s, worker reindex {worker:.1} products/s, ratio {:.2}",
            worker / raw
        );
        anyhow::Ok(())
    })?;
    drop(server);
    Ok(())
}
