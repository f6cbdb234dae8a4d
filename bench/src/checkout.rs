//! The checkout benchmark: cashiers ringing up 3-line cash sales through the API, next to the
//! same sale as plain SQL run by pgbench (`pgbench/sale.pgbench`, the machine's physical limit
//! for a checkout), at the same client counts, in the same run.

use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context as _, bail};
use chrono::Utc;
use entity::product::Unit;
use entity::stock_movement::StockReason;
use entity::{product, stock_level, stock_movement};
use rand::seq::index::sample;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::load::{self, Outcome, Settings};
use crate::pgbench;
use crate::server::{ADMIN_PASSWORD, Server};

/// Products sold, as many as pgbench's script has stock rows.
const PRODUCTS: usize = 10_000;
/// Units of each on hand, as in pgbench's script.
const ON_HAND: i64 = 1_000_000;

/// The contract's CreateSale operation, as a till sends it.
const CREATE_SALE: &str = "mutation CreateSale($input: CreateSaleInput!) {
  createSale(input: $input) {
    id number status createdAt
    subtotal { amount currency }
    discountTotal { amount }
    taxTotal { amount }
    total { amount currency }
    amountPaid { amount }
    change { amount }
    lines {
      id sku name quantity
      product { id }
      unitPrice { amount }
      discount { amount }
      taxAmount { amount }
      total { amount }
    }
    payments { method reference amount { amount } }
    customer { id name }
    cashier { username }
    registerSession { id }
  }
}";

pub fn run(
    database_url: &str,
    pgbench_url: &str,
    clients: &[usize],
    settings: Settings,
) -> anyhow::Result<()> {
    let server = Server::start(database_url)?;
    let runtime = crate::load::runtime()?;
    let cashiers = clients.iter().copied().max().unwrap_or(1);
    let (url, products, sessions, tokens) = runtime.block_on(async {
        let products = seed(&server.app.db).await?;
        let url = server.url();
        let admin = load::login(&url, "admin", ADMIN_PASSWORD).await?;
        let mut tokens = Vec::new();
        let mut sessions = Vec::new();
        for n in 1..=cashiers {
            let (token, session) = cashier(&url, &admin, n).await?;
            tokens.push(token);
            sessions.push(session);
        }
        anyhow::Ok((url, Arc::new(products), Arc::new(sessions), tokens))
    })?;
    prepare_pgbench(&runtime, pgbench_url)?;

    let statements = runtime.block_on(statements_per_sale(
        &server,
        &tokens[0],
        &sessions[0],
        &products,
    ))?;
    println!(
        "checkout: 3-line cash sales over {PRODUCTS} products ({statements} SQL statements per \
         sale, an uncontended one), {} s per run after a {} s warm-up",
        settings.measure.as_secs(),
        settings.warm_up.as_secs()
    );
    println!(
        "{}   {:>10} {:>9}",
        Outcome::header(),
        "pgbench/s",
        "API/pgb"
    );
    for &n in clients {
        let next: load::NextRequest = {
            let (products, sessions) = (products.clone(), sessions.clone());
            Arc::new(move |client, _| {
                let picked = sample(&mut rand::thread_rng(), products.len(), 3);
                let lines: Vec<Value> = picked
                    .iter()
                    .map(|i| json!({ "productId": products[i], "quantity": "1" }))
                    .collect();
                json!({ "query": CREATE_SALE, "variables": { "input": {
                    "idempotencyKey": Uuid::now_v7().to_string(),
                    "registerSessionId": sessions[client % sessions.len()],
                    "lines": lines,
                    "payments": [{ "method": "CASH", "amount": "5.00" }],
                } } })
            })
        };
        let outcome = runtime.block_on(load::run(&url, &tokens, n, settings, next));
        let pgbench = pgbench::run(pgbench_url, "sale.pgbench", n, settings)?.per_second;
        println!(
            "{}   {:>10.1} {:>9.2}",
            outcome.row("createSale (3 lines, cash)", n),
            pgbench,
            outcome.per_second / pgbench
        );
    }
    drop(server);
    Ok(())
}

/// The statements one sale costs the server, counted around a single createSale.
async fn statements_per_sale(
    server: &Server,
    token: &str,
    session: &str,
    products: &[Uuid],
) -> anyhow::Result<u64> {
    let lines: Vec<Value> = products[..3]
        .iter()
        .map(|id| json!({ "productId": id, "quantity": "1" }))
        .collect();
    let input = json!({ "input": {
        "idempotencyKey": Uuid::now_v7().to_string(), "registerSessionId": session,
        "lines": lines, "payments": [{ "method": "CASH", "amount": "5.00" }],
    } });
    let before = server.app.db_stats.statements();
    let answer = graphql(&server.url(), token, CREATE_SALE, input).await?;
    let after = server.app.db_stats.statements();
    if !answer["errors"].is_null() {
        bail!("a sale failed: {answer}");
    }
    Ok(after - before)
}

/// A cashier with an open register: creates `bench-cashier-N` the first time, logs in, and
/// opens (or finds) their register. Returns the access token and the session id.
async fn cashier(url: &str, admin: &str, n: usize) -> anyhow::Result<(String, String)> {
    let username = format!("bench-cashier-{n:02}");
    let password = "bench-cashier-password";
    let created = graphql(
        url,
        admin,
        "mutation($input: CreateUserInput!) { createUser(input: $input) { id } }",
        json!({ "input": { "username": username, "fullName": format!("Cajero {n}"), "password": password, "role": "CASHIER" } }),
    )
    .await?;
    let taken = created["errors"][0]["extensions"]["code"] == "CONFLICT";
    if !created["errors"].is_null() && !taken {
        bail!("creating {username}: {created}");
    }
    let token = load::login(url, &username, password).await?;
    let found = graphql(url, &token, "{ locations { id code } }", json!({})).await?;
    let main = found["data"]["locations"]
        .as_array()
        .and_then(|all| all.iter().find(|l| l["code"] == "MAIN"))
        .map(|l| l["id"].clone())
        .context("no MAIN location")?;
    let open = graphql(
        url,
        &token,
        "query($l: ID!) { openRegisterSessions(locationId: $l) { id } }",
        json!({ "l": main }),
    )
    .await?;
    if let Some(id) = open["data"]["openRegisterSessions"][0]["id"].as_str() {
        return Ok((token, id.to_owned()));
    }
    let opened = graphql(
        url,
        &token,
        "mutation($input: OpenRegisterInput!) { openRegister(input: $input) { id } }",
        json!({ "input": { "locationId": main, "registerName": format!("Bench {n}"), "openingFloat": "100.00" } }),
    )
    .await?;
    let id = opened["data"]["openRegister"]["id"]
        .as_str()
        .with_context(|| format!("opening a register: {opened}"))?;
    Ok((token, id.to_owned()))
}

async fn graphql(url: &str, token: &str, query: &str, variables: Value) -> anyhow::Result<Value> {
    Ok(reqwest::Client::new()
        .post(url)
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await?
        .json()
        .await?)
}

/// `PRODUCTS` products `CHK-00000`… at 1.00 with 21 % VAT, each with `ON_HAND` at MAIN
/// received through one movement. Once per database; returns their ids.
async fn seed(db: &DatabaseConnection) -> anyhow::Result<Vec<Uuid>> {
    let existing: Vec<Uuid> = product::Entity::find()
        .filter(product::Column::Sku.starts_with("CHK-"))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    if existing.len() >= PRODUCTS {
        return Ok(existing);
    }
    let started = Instant::now();
    let now = Utc::now();
    let main = domain::locations::by_code(db, domain::locations::DEFAULT_LOCATION_CODE).await?;
    let mut ids = existing;
    for chunk in (ids.len()..PRODUCTS).collect::<Vec<_>>().chunks(1000) {
        let txn = db.begin().await?;
        let (mut products, mut levels, mut movements) = (Vec::new(), Vec::new(), Vec::new());
        for &n in chunk {
            let id = Uuid::now_v7();
            ids.push(id);
            let (sku, name) = (format!("CHK-{n:05}"), format!("Artículo de caja {n}"));
            products.push(product::ActiveModel {
                id: Set(id),
                search_text: Set(domain::text::fold(&format!("{name} {sku}"))),
                sku: Set(sku),
                barcode: Set(None),
                name: Set(name),
                description: Set(None),
                category_id: Set(None),
                unit: Set(Unit::Unit),
                price_minor: Set(100),
                cost_minor: Set(Some(60)),
                tax_rate_id: Set(None),
                track_stock: Set(true),
                low_stock_threshold_milli: Set(None),
                active: Set(true),
                created_at: Set(now),
                updated_at: Set(now),
            });
            levels.push(stock_level::ActiveModel {
                product_id: Set(id),
                location_id: Set(main.id),
                on_hand_milli: Set(ON_HAND * 1000),
                updated_at: Set(now),
            });
            movements.push(stock_movement::ActiveModel {
                id: Set(Uuid::now_v7()),
                product_id: Set(id),
                location_id: Set(main.id),
                reason: Set(StockReason::Receipt),
                quantity_milli: Set(ON_HAND * 1000),
                on_hand_after_milli: Set(ON_HAND * 1000),
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
        "seeded {PRODUCTS} checkout products in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(ids)
}

/// Creates pgbench's database when missing and (re)loads its schema.
fn prepare_pgbench(runtime: &tokio::runtime::Runtime, url: &str) -> anyhow::Result<()> {
    let schema = std::fs::read_to_string(pgbench::script("sale-schema.sql"))?;
    runtime.block_on(async {
        let target = domain::db::DatabaseTarget::parse(url).map_err(anyhow::Error::msg)?;
        let db = domain::db::connect(&target, 1, Default::default()).await?;
        db.execute_unprepared(&schema).await?;
        anyhow::Ok(())
    })
}
