//! The report benchmark: `salesReport` over a month of 1,000,000 sale lines (333,334 sales of
//! 3 lines, 1 % of them refunded, 1 % voided, five cashiers), and over one day of it.
//!
//! The month is written with set-based SQL (PostgreSQL's `generate_series`), not through the
//! API: what is measured is the report, and a million checkouts would take an hour.

use std::time::Instant;

use anyhow::Context as _;
use chrono::{DateTime, Duration, Utc};
use entity::sale;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait};
use serde_json::json;

use crate::load::{self, Outcome, Settings};
use crate::server::{ADMIN_PASSWORD, Server};

const SALES: i64 = 333_334;
const CASHIERS: usize = 5;

/// The contract's SalesReport operation, as sent.
const SALES_REPORT: &str = "query SalesReport($from: DateTime!, $to: DateTime!, $locationId: ID) {
  salesReport(from: $from, to: $to, locationId: $locationId) {
    salesCount
    grossSales { amount currency }
    refundsTotal { amount }
    netSales { amount }
    taxTotal { amount }
    grossMargin { amount }
    byPaymentMethod { method amount { amount } }
    byCashier { cashier { username } salesCount total { amount } }
    topProducts(first: 10) { product { id name } quantity revenue { amount } }
  }
}";

/// Where the month starts: fixed, so every run reports over the same rows.
fn month_start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-10-01T00:00:00Z")
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

pub fn run(database_url: &str, settings: Settings) -> anyhow::Result<()> {
    let server = Server::start(database_url)?;
    let runtime = crate::load::runtime()?;
    runtime.block_on(async {
        let url = server.url();
        let admin = load::login(&url, "admin", ADMIN_PASSWORD).await?;
        for n in 1..CASHIERS {
            let body = json!({
                "query": "mutation($input: CreateUserInput!) { createUser(input: $input) { id } }",
                "variables": { "input": { "username": format!("report-cashier-{n}"), "fullName": format!("Cajero {n}"), "password": "report-cashier-password", "role": "CASHIER" } },
            });
            reqwest::Client::new()
                .post(&url)
                .bearer_auth(&admin)
                .json(&body)
                .send()
                .await?;
        }
        seed(&server.app.db).await?;
        println!(
            "report: {} sales, {} sale lines; {} s per run",
            sale::Entity::find().count(&server.app.db).await?,
            entity::sale_line::Entity::find().count(&server.app.db).await?,
            settings.measure.as_secs()
        );
        println!("{}", Outcome::header());
        let start = month_start();
        for (name, from, to) in [
            ("salesReport, the month", start, start + Duration::days(31)),
            ("salesReport, one day", start + Duration::days(14), start + Duration::days(15)),
        ] {
            let variables = json!({ "from": from.to_rfc3339(), "to": to.to_rfc3339() });
            let next: load::NextRequest = std::sync::Arc::new(move |_, _| {
                json!({ "query": SALES_REPORT, "variables": variables })
            });
            let outcome = load::run(&url, std::slice::from_ref(&admin), 1, settings, next).await;
            println!("{}", outcome.row(name, 1));
        }
        anyhow::Ok(())
    })?;
    drop(server);
    Ok(())
}

/// Writes the month once per database.
pub async fn seed(db: &DatabaseConnection) -> anyhow::Result<()> {
    if sale::Entity::find().count(db).await? >= SALES as u64 {
        return Ok(());
    }
    let started = Instant::now();
    let start = month_start().to_rfc3339();
    let statements = [
        // 1,000 products that do not track stock (the report reads only sale rows).
        "INSERT INTO products (id, sku, barcode, name, description, category_id, unit, price_minor,
             cost_minor, tax_rate_id, track_stock, low_stock_threshold_milli, active, search_text,
             created_at, updated_at)
         SELECT gen_random_uuid(), 'RPT-' || lpad(g::text, 4, '0'), NULL, 'Artículo ' || g, NULL,
             NULL, 'UNIT', 200, 120, NULL, false, NULL, true, 'articulo ' || g, now(), now()
         FROM generate_series(1, 1000) g"
            .to_owned(),
        "INSERT INTO register_sessions (id, location_id, register_name, status, opening_float_minor,
             opened_by, opened_at, closed_by, closed_at, expected_cash_minor, counted_cash_minor,
             close_note)
         SELECT gen_random_uuid(), l.id, 'Informe', 'CLOSED', 0, u.id, now(), u.id, now(), 0, 0, NULL
         FROM locations l, users u WHERE l.code = 'MAIN' AND u.username = 'admin'"
            .to_owned(),
        // Sales spread evenly over 30 days: 3 lines of 2.00 (21 % VAT included: 0.35 each),
        // paid 10.00 in cash; every 100th voided.
        format!(
            "WITH cashiers AS (SELECT array_agg(id ORDER BY username) AS ids FROM users),
                  session AS (SELECT id, location_id FROM register_sessions WHERE register_name = 'Informe')
             INSERT INTO sales (id, number, location_id, register_session_id, cashier_id, customer_id,
                 status, subtotal_minor, discount_total_minor, tax_total_minor, total_minor,
                 amount_paid_minor, change_minor, cost_total_minor, note, idempotency_key,
                 request_hash, created_at, voided_at, voided_by, void_reason)
             SELECT gen_random_uuid(), 'MAIN-R' || lpad(g::text, 7, '0'), session.location_id,
                 session.id, cashiers.ids[1 + g % array_length(cashiers.ids, 1)], NULL,
                 CASE WHEN g % 100 = 0 THEN 'VOIDED' ELSE 'COMPLETED' END, 600, 0, 105, 600,
                 1000, 400, 360, NULL, 'report-' || g, 'seed',
                 TIMESTAMPTZ '{start}' + (g * 2592 / {SALES}) * INTERVAL '1000 seconds', NULL, NULL, NULL
             FROM generate_series(1, {SALES}) g, cashiers, session"
        ),
        "WITH p AS (SELECT array_agg(id ORDER BY sku) AS ids FROM products WHERE sku LIKE 'RPT-%')
         INSERT INTO sale_lines (id, sale_id, position, product_id, sku, name, unit, quantity_milli,
             unit_price_minor, base_minor, discount_minor, tax_rate_milli, tax_minor, total_minor,
             cost_minor, tracks_stock, refunded_quantity_milli, refunded_minor, refunded_tax_minor,
             refunded_cost_minor)
         SELECT gen_random_uuid(), s.id, k, p.ids[1 + (abs(hashtext(s.number)::bigint) + k * 337) % 1000],
             'RPT', 'Artículo', 'UNIT', 1000, 200, 200, 0, 21000, 35, 200, 120, false, 0, 0, 0, 0
         FROM sales s, p, generate_series(0, 2) k WHERE s.number LIKE 'MAIN-R%'"
            .to_owned(),
        "INSERT INTO sale_payments (id, sale_id, position, method, amount_minor, reference)
         SELECT gen_random_uuid(), id, 0, 'CASH', 1000, NULL FROM sales WHERE number LIKE 'MAIN-R%'"
            .to_owned(),
        // Every 100th sale (ending in 50) has its first line refunded in cash an hour later.
        "INSERT INTO refunds (id, sale_id, user_id, register_session_id, method, amount_minor,
             tax_minor, cost_minor, restocked, reason, idempotency_key, request_hash, created_at)
         SELECT gen_random_uuid(), s.id, s.cashier_id, NULL, 'CASH', 200, 35, 120, false, 'seed',
             'report-refund-' || s.number, 'seed', s.created_at + INTERVAL '1 hour'
         FROM sales s WHERE s.number LIKE 'MAIN-R%50' AND s.status = 'COMPLETED'"
            .to_owned(),
        "INSERT INTO refund_lines (id, refund_id, sale_line_id, position, quantity_milli,
             amount_minor, tax_minor, cost_minor)
         SELECT gen_random_uuid(), r.id, l.id, 0, 1000, 200, 35, 120
         FROM refunds r JOIN sale_lines l ON l.sale_id = r.sale_id AND l.position = 0
         WHERE r.reason = 'seed'"
            .to_owned(),
        "UPDATE sale_lines l SET refunded_quantity_milli = 1000, refunded_minor = 200,
             refunded_tax_minor = 35, refunded_cost_minor = 120
         FROM refund_lines rl WHERE rl.sale_line_id = l.id"
            .to_owned(),
        "UPDATE sales SET status = 'PARTIALLY_REFUNDED'
         WHERE id IN (SELECT sale_id FROM refunds WHERE reason = 'seed')"
            .to_owned(),
        "VACUUM ANALYZE".to_owned(),
    ];
    for statement in statements {
        db.execute_unprepared(&statement)
            .await
            .with_context(|| format!("seeding: {statement}"))?;
    }
    domain::catalog::products::recount(db).await?;
    println!(
        "seeded {SALES} sales in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
