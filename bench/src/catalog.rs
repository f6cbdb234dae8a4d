//! The catalog benchmark: a catalog of 100,000 products on PostgreSQL, read the way the back
//! office lists it (`products(first: 100)`, every field of the contract's Products operation,
//! first page and pages deep in the list) and the way a scanner looks a code up
//! (`productByCode`). The first page and the lookup run next to pgbench running the same
//! statements as plain SQL (`pgbench/products-page.pgbench`, `pgbench/product-by-code.pgbench`)
//! at the same client counts: the machine's limit for them, and the API's share of it.

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context as _;
use chrono::Utc;
use entity::product::Unit;
use entity::stock_movement::StockReason;
use entity::{category, product, stock_level, stock_movement, tax_rate};
use rand::Rng;
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::load::{self, Outcome, Settings};
use crate::pgbench;
use crate::server::{ADMIN_PASSWORD, Server};

/// The contract's Products operation (api/tests/contract/operations.graphql), as sent.
const PRODUCTS: &str = "query Products($first: Int, $after: String, $filter: ProductFilter) {
  products(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id sku barcode name active
        price { amount currency }
        category { id name }
        stock { location { id } onHand }
      }
    }
  }
}";

/// The contract's ProductByCode operation, as sent.
const PRODUCT_BY_CODE: &str = "query ProductByCode($code: String!) {
  productByCode(code: $code) {
    id sku barcode name
    price { amount currency }
    taxRate { ratePercent }
    stock { location { id } onHand }
  }
}";

pub fn run(
    database_url: &str,
    products: usize,
    clients: &[usize],
    settings: Settings,
    only: Option<&str>,
) -> anyhow::Result<()> {
    let server = Server::start(database_url)?;
    let runtime = crate::load::runtime()?;
    runtime.block_on(async {
        seed(&server.app.db, products).await?;
        let url = server.url();
        let token = load::login(&url, "admin", ADMIN_PASSWORD).await?;
        let cursors = Arc::new(page_cursors(&url, &token).await?);
        println!(
            "catalog: {products} products, {} pages; {} s per run after a {} s warm-up",
            cursors.len() + 1,
            settings.measure.as_secs(),
            settings.warm_up.as_secs()
        );
        println!(
            "{}   {:>10} {:>9} {:>9} {:>8}",
            Outcome::header(),
            "pgbench/s",
            "pgb p50",
            "pgb p99",
            "API/pgb"
        );

        let first_page: load::NextRequest =
            Arc::new(|_, _| json!({ "query": PRODUCTS, "variables": { "first": 100 } }));
        let deep_page: load::NextRequest = {
            let cursors = cursors.clone();
            Arc::new(move |_, _| {
                let after = &cursors[rand::thread_rng().gen_range(0..cursors.len())];
                json!({ "query": PRODUCTS, "variables": { "first": 100, "after": after } })
            })
        };
        let by_code: load::NextRequest = Arc::new(move |_, _| {
            let n = rand::thread_rng().gen_range(0..products);
            json!({ "query": PRODUCT_BY_CODE, "variables": { "code": barcode(n) } })
        });
        // Each scenario with the plain-SQL script of the same statements, when it has one.
        for (name, next, baseline) in [
            (
                "products(first:100) page 1",
                first_page,
                Some("products-page.pgbench"),
            ),
            ("products(first:100) deep", deep_page, None),
            ("productByCode", by_code, Some("product-by-code.pgbench")),
        ] {
            if only.is_some_and(|only| !name.contains(only)) {
                continue;
            }
            for &n in clients {
                let outcome = load::run(
                    &url,
                    std::slice::from_ref(&token),
                    n,
                    settings,
                    next.clone(),
                )
                .await;
                let row = outcome.row(name, n);
                match baseline {
                    Some(script) => {
                        let plain = pgbench::run(database_url, script, n, settings)?;
                        println!(
                            "{row}   {:>10.1} {:>9.2} {:>9.2} {:>8.2}",
                            plain.per_second,
                            plain.p50.as_secs_f64() * 1000.0,
                            plain.p99.as_secs_f64() * 1000.0,
                            outcome.per_second / plain.per_second
                        );
                    }
                    None => println!("{row}"),
                }
            }
        }
        anyhow::Ok(())
    })?;
    drop(server);
    Ok(())
}

pub fn barcode(n: usize) -> String {
    domain::catalog::barcode::with_check_digit(&format!("20{n:010}"))
}

/// Walks the whole list once, keeping each page's end cursor (and checking that keyset
/// pagination visits every product exactly once).
async fn page_cursors(url: &str, token: &str) -> anyhow::Result<Vec<String>> {
    let http = reqwest::Client::new();
    let mut cursors = Vec::new();
    let mut after: Option<String> = None;
    let mut seen = 0;
    loop {
        let body = json!({
            "query": "query($after: String) { products(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { cursor } } }",
            "variables": { "after": after },
        });
        let response: Value = http
            .post(url)
            .bearer_auth(token)
            .json(&body)
            .send()
            .await?
            .json()
            .await?;
        let page = &response["data"]["products"];
        seen += page["edges"].as_array().map_or(0, Vec::len);
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        let cursor = page["pageInfo"]["endCursor"]
            .as_str()
            .context("a page without endCursor")?
            .to_owned();
        cursors.push(cursor.clone());
        after = Some(cursor);
    }
    println!("walked {seen} products in {} pages", cursors.len() + 1);
    Ok(cursors)
}

/// The first word of product `n`'s name.
pub fn noun(n: usize) -> &'static str {
    NOUNS[n % 20]
}

const NOUNS: [&str; 20] = [
    "Aceite",
    "Arroz",
    "Atún",
    "Café",
    "Cerveza",
    "Chocolate",
    "Detergente",
    "Galletas",
    "Gel",
    "Harina",
    "Leche",
    "Macarrones",
    "Mermelada",
    "Pan",
    "Queso",
    "Refresco",
    "Tomate",
    "Vino",
    "Yogur",
    "Zumo",
];
const KINDS: [&str; 25] = [
    "andaluz",
    "artesano",
    "bio",
    "campestre",
    "clásico",
    "con leche",
    "cremoso",
    "de la casa",
    "del valle",
    "ecológico",
    "especial",
    "extra",
    "familiar",
    "fino",
    "integral",
    "ligero",
    "natural",
    "original",
    "premium",
    "rústico",
    "selecto",
    "sin azúcar",
    "suave",
    "tradicional",
    "tostado",
];
const SIZES: [&str; 10] = [
    "100 g", "250 g", "500 g", "1 kg", "33 cl", "50 cl", "1 L", "1,5 L", "pack 6", "pack 12",
];

/// Brings the catalog to `count` products (SKU `BENCH-0000000`…), each with stock at MAIN
/// received through one movement, so the ledger holds. Seeding happens once per database.
pub async fn seed(db: &DatabaseConnection, count: usize) -> anyhow::Result<()> {
    let existing = product::Entity::find().count(db).await? as usize;
    if existing >= count {
        // Databases seeded before product_counts existed.
        domain::catalog::products::recount(db).await?;
        return Ok(());
    }
    let started = Instant::now();
    let now = Utc::now();
    let main = domain::locations::by_code(db, domain::locations::DEFAULT_LOCATION_CODE).await?;
    let tax = match tax_rate::Entity::find().one(db).await? {
        Some(tax) => tax.id,
        None => {
            let id = Uuid::now_v7();
            tax_rate::Entity::insert(tax_rate::ActiveModel {
                id: Set(id),
                name: Set("IVA general".into()),
                rate_milli: Set(21_000),
                created_at: Set(now),
            })
            .exec_without_returning(db)
            .await?;
            id
        }
    };
    let mut categories: Vec<Uuid> = category::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    if categories.is_empty() {
        for noun in NOUNS {
            let id = Uuid::now_v7();
            category::Entity::insert(category::ActiveModel {
                id: Set(id),
                name: Set(noun.into()),
                parent_id: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            })
            .exec_without_returning(db)
            .await?;
            categories.push(id);
        }
    }
    let mut rng = rand::thread_rng();
    for chunk_start in (existing..count).step_by(1000) {
        let chunk_end = (chunk_start + 1000).min(count);
        let txn = db.begin().await?;
        let mut products = Vec::with_capacity(1000);
        let mut levels = Vec::with_capacity(1000);
        let mut movements = Vec::with_capacity(1000);
        for n in chunk_start..chunk_end {
            let id = Uuid::now_v7();
            let name = format!(
                "{} {} {} #{n}",
                NOUNS[n % 20],
                KINDS[(n / 20) % 25],
                SIZES[(n / 500) % 10]
            );
            let (sku, barcode) = (format!("BENCH-{n:07}"), barcode(n));
            let on_hand = rng.gen_range(0..200) * 1000;
            products.push(product::ActiveModel {
                id: Set(id),
                search_text: Set(domain::text::fold(&format!("{name} {sku} {barcode}"))),
                sku: Set(sku),
                barcode: Set(Some(barcode)),
                name: Set(name),
                description: Set(None),
                category_id: Set(Some(categories[n % categories.len()])),
                unit: Set(Unit::Unit),
                price_minor: Set(rng.gen_range(50..5_000)),
                cost_minor: Set(None),
                tax_rate_id: Set(Some(tax)),
                track_stock: Set(true),
                low_stock_threshold_milli: Set(Some(5_000)),
                active: Set(true),
                created_at: Set(now),
                updated_at: Set(now),
            });
            levels.push(stock_level::ActiveModel {
                product_id: Set(id),
                location_id: Set(main.id),
                on_hand_milli: Set(on_hand),
                updated_at: Set(now),
            });
            movements.push(stock_movement::ActiveModel {
                id: Set(Uuid::now_v7()),
                product_id: Set(id),
                location_id: Set(main.id),
                reason: Set(StockReason::Receipt),
                quantity_milli: Set(on_hand),
                on_hand_after_milli: Set(on_hand),
                unit_cost_minor: Set(None),
                supplier: Set(None),
                reference: Set(Some("BENCH".into())),
                note: Set(None),
                user_id: Set(None),
                created_at: Set(now),
                sale_id: Set(None),
            });
        }
        product::Entity::insert_many(products)
            .exec_without_returning(&txn)
            .await?;
        stock_level::Entity::insert_many(levels)
            .exec_without_returning(&txn)
            .await?;
        stock_movement::Entity::insert_many(movements)
            .exec_without_returning(&txn)
            .await?;
        txn.commit().await?;
    }
    domain::catalog::products::recount(db).await?;
    db.execute_unprepared("VACUUM ANALYZE").await?;
    println!(
        "seeded {} products in {:.1} s",
        count - existing,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
