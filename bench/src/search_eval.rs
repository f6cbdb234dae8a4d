//! `search-eval`: search quality per signal and fused, on two judged sets.
//!
//! Each set is a file of judged queries (product name → 2 for what the cashier wants, 1 for an
//! acceptable alternative) over a catalog: `bench/data/search_eval.json` over the demo shop
//! (written alongside the synonym glossary), and `bench/data/search_eval_b.json` over
//! `catalog_b.json` (another shop, its queries written from what customers ask for before
//! the products were named: the held-out set). Each set's catalog is loaded into a fresh
//! SQLite file and embedded with the real model; every query then runs through lexical-only,
//! semantic-only, the hybrid search as served (the model only when it can change the answer)
//! and the hybrid search with the model always. Prints nDCG@10 (graded gains), recall@5 and
//! MRR (both counting grades 1 and 2), overall and per kind, and how many queries needed the
//! model. Every ranking change should be measured with it, on both sets.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::Context as _;
use api::app::App;
use api::config::Config;
use domain::search::Signals;
use serde_json::Value;

struct Query {
    text: String,
    kind: String,
    /// Product name → grade.
    relevant: HashMap<String, u32>,
}

/// A judged set: its queries and the catalog they were judged on (`None`: the demo shop).
struct JudgedSet {
    queries: Vec<Query>,
    catalog: Option<std::path::PathBuf>,
}

fn load_set(path: &Path) -> anyhow::Result<JudgedSet> {
    let raw =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let json: Value = serde_json::from_str(&raw)?;
    let catalog = json["catalog"]
        .as_str()
        .map(|name| path.parent().unwrap_or(Path::new(".")).join(name));
    Ok(JudgedSet {
        queries: load_queries(&json)?,
        catalog,
    })
}

fn load_queries(json: &Value) -> anyhow::Result<Vec<Query>> {
    let queries = json["queries"]
        .as_array()
        .context("`queries` must be a list")?
        .iter()
        .map(|q| Query {
            text: q["query"].as_str().unwrap_or_default().to_owned(),
            kind: q["kind"].as_str().unwrap_or("other").to_owned(),
            relevant: q["relevant"]
                .as_object()
                .map(|r| {
                    r.iter()
                        .map(|(name, grade)| {
                            (
                                name.clone(),
                                u32::try_from(grade.as_u64().unwrap_or(1)).unwrap_or(1),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    Ok(queries)
}

/// The three metrics of one ranking (product names, best first).
#[derive(Default, Clone, Copy)]
struct Scores {
    ndcg10: f64,
    recall5: f64,
    mrr: f64,
}

fn score(ranking: &[String], relevant: &HashMap<String, u32>) -> Scores {
    let gain = |grade: u32| f64::from((1u32 << grade) - 1);
    let discount = |i: usize| (i as f64 + 2.0).log2();
    let dcg: f64 = ranking
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, name)| gain(relevant.get(name).copied().unwrap_or(0)) / discount(i))
        .sum();
    let mut ideal: Vec<u32> = relevant.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, g)| gain(*g) / discount(i))
        .sum();
    let found5 = ranking
        .iter()
        .take(5)
        .filter(|name| relevant.contains_key(*name))
        .count();
    let first = ranking.iter().position(|name| relevant.contains_key(name));
    Scores {
        ndcg10: if idcg > 0.0 { dcg / idcg } else { 0.0 },
        recall5: if relevant.is_empty() {
            0.0
        } else {
            found5 as f64 / relevant.len().min(5) as f64
        },
        mrr: first.map_or(0.0, |i| 1.0 / (i as f64 + 1.0)),
    }
}

pub fn run(queries_files: &[std::path::PathBuf], verbose: bool, grid: bool) -> anyhow::Result<()> {
    for file in queries_files {
        println!("\n=== {}", file.display());
        run_one(file, verbose, grid)?;
    }
    Ok(())
}

fn run_one(queries_file: &Path, verbose: bool, grid: bool) -> anyhow::Result<()> {
    let set = load_set(queries_file)?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let dir = std::env::temp_dir().join(format!("pos-search-eval-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let mut vars: HashMap<String, String> = std::env::vars().collect();
        vars.insert("DATA_DIR".into(), dir.display().to_string());
        vars.insert(
            "DATABASE_URL".into(),
            format!("sqlite://{}/eval.db", dir.display()),
        );
        vars.insert("BACKUP_CRON".into(), "off".into());
        vars.insert("POS_ADMIN_PASSWORD".into(), "search-eval-password".into());
        let config = Config::from_vars(&vars)?;
        let app = App::start(config).await?;
        let outcome = evaluate(&app, &set, verbose, grid).await;
        let _ = std::fs::remove_dir_all(&dir);
        outcome
    })
}

async fn evaluate(app: &App, set: &JudgedSet, verbose: bool, grid: bool) -> anyhow::Result<()> {
    let queries = &set.queries;
    let embedder = app
        .embedder
        .clone()
        .context("no embedding model: run scripts/fetch-model.sh first")?;
    let admin = domain::users::oldest_active_admin(&app.db).await?;
    let (catalog, products) = match &set.catalog {
        None => {
            let main =
                domain::locations::by_code(&app.db, domain::locations::DEFAULT_LOCATION_CODE)
                    .await?;
            let seeded =
                domain::demo::seed(&app.db, admin.id, app.config.default_currency, main.id).await?;
            ("the demo catalog".to_owned(), seeded.products)
        }
        Some(path) => {
            let loaded = load_catalog(app, admin.id, path).await?;
            (path.display().to_string(), loaded)
        }
    };
    worker::reindex::reindex(&app.db, &embedder, false, &indicatif::ProgressBar::hidden()).await?;
    app.search.index.refresh(&app.db).await?;
    let mut needed_the_model = BTreeMap::<String, (usize, usize)>::new();
    for query in queries {
        let needs = app.search.index.needs_meaning(&query.text)?;
        for kind in [query.kind.clone(), "ALL".to_owned()] {
            let entry = needed_the_model.entry(kind).or_default();
            entry.0 += usize::from(needs);
            entry.1 += 1;
        }
    }
    println!(
        "search-eval: {} queries over {catalog} ({products} products, model {})",
        queries.len(),
        embedder.name()
    );

    let names: HashMap<uuid::Uuid, String> =
        domain::catalog::products::get_many(&app.db, &entity_ids(app).await?)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect();

    let only = |lexical, semantic| Signals {
        exact: false,
        lexical,
        semantic,
        always_meaning: true,
        ..Signals::ALL
    };
    let modes = [
        ("lexical", only(true, false)),
        ("semantic", only(false, true)),
        ("hybrid", Signals::ALL),
        (
            "always",
            Signals {
                always_meaning: true,
                ..Signals::ALL
            },
        ),
    ];
    // mode → kind → (sum of scores, count)
    let mut table: BTreeMap<&str, BTreeMap<String, (Scores, usize)>> = BTreeMap::new();
    for query in queries {
        for (mode, signals) in modes {
            let ranking = top10(app, &names, query, signals).await?;
            let s = score(&ranking, &query.relevant);
            if verbose && mode == "hybrid" && s.mrr < 1.0 {
                println!(
                    "  [{}] {:?}: MRR {:.2}, top 3: {:?}",
                    query.kind,
                    query.text,
                    s.mrr,
                    &ranking[..ranking.len().min(3)]
                );
            }
            for kind in [query.kind.clone(), "ALL".to_owned()] {
                let entry = table.entry(mode).or_default().entry(kind).or_default();
                entry.0.ndcg10 += s.ndcg10;
                entry.0.recall5 += s.recall5;
                entry.0.mrr += s.mrr;
                entry.1 += 1;
            }
        }
    }

    let kinds: Vec<String> = table
        .get("hybrid")
        .map(|k| k.keys().cloned().collect())
        .unwrap_or_default();
    println!(
        "\n{:<10} {:>4} | {:^29} | {:^29} | {:^29} | {:>5}",
        "kind",
        "n",
        "nDCG@10 lex/sem/hyb/always",
        "recall@5 lex/sem/hyb/always",
        "MRR lex/sem/hyb/always",
        "model"
    );
    for kind in kinds {
        let get = |mode: &str| {
            table
                .get(mode)
                .and_then(|k| k.get(&kind))
                .map(|(s, n)| {
                    let n = *n as f64;
                    (s.ndcg10 / n, s.recall5 / n, s.mrr / n)
                })
                .unwrap_or_default()
        };
        let (l, s, h, a) = (
            get("lexical"),
            get("semantic"),
            get("hybrid"),
            get("always"),
        );
        let n = table["hybrid"][&kind].1;
        let model = needed_the_model.get(&kind).map_or(0, |(needed, _)| *needed);
        println!(
            "{kind:<10} {n:>4} | {:.3} {:.3} {:.3} {:.3}       | {:.3} {:.3} {:.3} {:.3}       | {:.3} {:.3} {:.3} {:.3}       | {model:>5}",
            l.0, s.0, h.0, a.0, l.1, s.1, h.1, a.1, l.2, s.2, h.2, a.2
        );
    }
    if grid {
        fusion_grid(app, queries, &names).await?;
    }
    Ok(())
}

/// Loads a judged set's catalog (`catalog_b.json`: products with a category path `A > B`, a
/// unit and a price) through the same domain functions the API uses.
async fn load_catalog(app: &App, admin: uuid::Uuid, path: &Path) -> anyhow::Result<usize> {
    use entity::product::Unit;
    use sea_orm::{ActiveEnum, TransactionTrait};
    let raw =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let json: Value = serde_json::from_str(&raw)?;
    let txn = app.db.begin().await?;
    let mut categories: HashMap<String, uuid::Uuid> = HashMap::new();
    let products = json["products"]
        .as_array()
        .context("`products` must be a list")?;
    for product in products {
        let field = |name: &str| product[name].as_str().map(str::to_owned);
        let mut parent: Option<uuid::Uuid> = None;
        let mut path_so_far = String::new();
        for name in field("category")
            .unwrap_or_default()
            .split('>')
            .map(str::trim)
        {
            path_so_far.push_str(name);
            path_so_far.push('>');
            let id = match categories.get(&path_so_far) {
                Some(id) => *id,
                None => {
                    let created =
                        domain::catalog::categories::create(&txn, admin, name.to_owned(), parent)
                            .await?;
                    categories.insert(path_so_far.clone(), created.id);
                    created.id
                }
            };
            parent = Some(id);
        }
        let unit = Unit::try_from_value(&field("unit").unwrap_or_else(|| "UNIT".into()))
            .map_err(|e| anyhow::anyhow!("unit: {e}"))?;
        domain::catalog::products::create(
            &txn,
            admin,
            app.config.default_currency,
            domain::catalog::products::NewProduct {
                sku: field("sku").context("sku")?,
                barcode: field("barcode"),
                name: field("name").context("name")?,
                description: field("description"),
                category_id: parent,
                unit,
                price: field("price").context("price")?,
                cost: None,
                tax_rate_id: None,
                track_stock: false,
                low_stock_threshold: None,
            },
        )
        .await
        .with_context(|| format!("product {product}"))?;
    }
    txn.commit().await?;
    Ok(products.len())
}

/// The names of the query's first 10 results.
async fn top10(
    app: &App,
    names: &HashMap<uuid::Uuid, String>,
    query: &Query,
    signals: Signals,
) -> anyhow::Result<Vec<String>> {
    let hits = app
        .search
        .search_with(&app.db, &query.text, 10, signals)
        .await?;
    Ok(hits
        .iter()
        .filter_map(|h| names.get(&h.product_id).cloned())
        .collect())
}

/// The hybrid search under other fusions: nDCG@10 and MRR over all queries for each.
async fn fusion_grid(
    app: &App,
    queries: &[Query],
    names: &HashMap<uuid::Uuid, String>,
) -> anyhow::Result<()> {
    println!("\nfusion grid (hybrid, all queries); the default is marked *");
    println!(
        "{:>5} {:>6} {:>6} {:>7} | {:>7} {:>6}",
        "k", "w_lex", "w_sem", "margin", "nDCG@10", "MRR"
    );
    for k in [5.0, 10.0, 20.0, 60.0] {
        for lexical_weight in [1.0, 1.5, 2.0, 3.0] {
            for semantic_margin in [f32::INFINITY, 0.08, 0.05, 0.03] {
                let fusion = domain::search::Fusion {
                    k,
                    lexical_weight,
                    semantic_weight: 1.0,
                    semantic_margin,
                    ..domain::search::Fusion::DEFAULT
                };
                let signals = Signals {
                    fusion,
                    ..Signals::ALL
                };
                let (mut ndcg, mut mrr) = (0.0, 0.0);
                for query in queries {
                    let ranking = top10(app, names, query, signals).await?;
                    let s = score(&ranking, &query.relevant);
                    ndcg += s.ndcg10;
                    mrr += s.mrr;
                }
                let n = queries.len() as f64;
                let mark = if fusion == domain::search::Fusion::DEFAULT {
                    "*"
                } else {
                    ""
                };
                println!(
                    "{k:>5} {lexical_weight:>6} {:>6} {semantic_margin:>7} | {:>7.3} {:>6.3} {mark}",
                    1.0,
                    ndcg / n,
                    mrr / n
                );
            }
        }
    }
    Ok(())
}

async fn entity_ids(app: &App) -> anyhow::Result<Vec<uuid::Uuid>> {
    use sea_orm::{EntityTrait, QuerySelect};
    Ok(entity::product::Entity::find()
        .select_only()
        .column(entity::product::Column::Id)
        .into_tuple()
        .all(&app.db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_of_a_hand_checked_ranking() {
        let relevant = HashMap::from([("a".to_owned(), 2), ("b".to_owned(), 1)]);
        let perfect = score(&["a".into(), "b".into(), "x".into()], &relevant);
        assert!((perfect.ndcg10 - 1.0).abs() < 1e-9);
        assert_eq!((perfect.recall5, perfect.mrr), (1.0, 1.0));
        let late = score(&["x".into(), "b".into()], &relevant);
        assert_eq!((late.recall5, late.mrr), (0.5, 0.5));
        // dcg = 1 / log2(3); idcg = 3 + 1 / log2(3)
        let expected = (1.0 / 3f64.log2()) / (3.0 + 1.0 / 3f64.log2());
        assert!((late.ndcg10 - expected).abs() < 1e-9);
    }
}
