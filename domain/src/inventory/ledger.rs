//! The ledger's mechanics: locking products, moving a level and appending its movement.
//!
//! The ledger invariant: for every product and location, `on_hand` equals the sum of its
//! movements. Every change goes through [`apply`] (or [`take_many`] for a sale's lines), which
//! moves the level and writes the movement in the caller's transaction. Concurrent changes to
//! one product are serialised by locking the product rows first, always in id order (so two
//! changes over the same products cannot deadlock), and the level itself moves with one
//! conditional `UPDATE … RETURNING`, so no update is ever lost and stock never goes below zero
//! where that is not allowed. SQLite has no row locks; it serialises every writer, which gives
//! the same guarantees.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use entity::product;
use entity::stock_level;
use entity::stock_movement::{self, StockReason};
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait, OnConflict, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::catalog::products;
use crate::error::{Error, Result};

/// One change of stock, before it is applied.
#[derive(Debug, Clone)]
pub struct Change {
    pub product_id: Uuid,
    pub location_id: Uuid,
    pub reason: StockReason,
    /// Signed thousandths.
    pub quantity_milli: i64,
    /// Whether the level may end below zero (never for adjustments, transfers and sales).
    pub may_go_negative: bool,
    pub unit_cost_minor: Option<i64>,
    pub supplier: Option<String>,
    pub reference: Option<String>,
    pub note: Option<String>,
    pub user_id: Option<Uuid>,
    /// The sale a SALE, RETURN or VOID movement belongs to.
    pub sale_id: Option<Uuid>,
}

/// Locks the products' rows for the rest of the transaction, in id order, and returns them
/// in that order. On SQLite (no row locks) the whole database is already serialised.
pub async fn lock_products(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<Vec<product::Model>> {
    let ids: BTreeSet<Uuid> = ids.into_iter().collect();
    let found = product::Entity::find()
        .filter(product::Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(product::Column::Id)
        .lock_exclusive()
        .all(conn)
        .await?;
    if found.len() != ids.len() {
        return Err(Error::not_found("product"));
    }
    Ok(found)
}

/// Applies one change: moves the level (creating it at zero if needed) and appends the
/// movement. The caller holds the product's lock ([`lock_products`]).
pub async fn apply(
    conn: &impl ConnectionTrait,
    change: Change,
    now: DateTime<Utc>,
) -> Result<stock_movement::Model> {
    // Taking stock out where it may not go negative needs an existing level (a missing one is
    // zero, so the conditional update below finds nothing and reports the shortage).
    let may_create_level = change.quantity_milli > 0 || change.may_go_negative;
    if may_create_level {
        ensure_level(conn, change.product_id, change.location_id, now).await?;
    }

    let mut update = stock_level::Entity::update_many()
        .col_expr(
            stock_level::Column::OnHandMilli,
            Expr::col(stock_level::Column::OnHandMilli).add(change.quantity_milli),
        )
        .col_expr(stock_level::Column::UpdatedAt, Expr::value(now))
        .filter(stock_level::Column::ProductId.eq(change.product_id))
        .filter(stock_level::Column::LocationId.eq(change.location_id));
    if !change.may_go_negative {
        update = update.filter(
            Expr::col(stock_level::Column::OnHandMilli)
                .add(change.quantity_milli)
                .gte(0),
        );
    }
    let moved = update.exec_with_returning(conn).await?;
    let Some(level) = moved.into_iter().next() else {
        return Err(insufficient(conn, change.product_id, change.location_id).await);
    };

    Ok(stock_movement::ActiveModel {
        id: Set(Uuid::now_v7()),
        product_id: Set(change.product_id),
        location_id: Set(change.location_id),
        reason: Set(change.reason),
        quantity_milli: Set(change.quantity_milli),
        on_hand_after_milli: Set(level.on_hand_milli),
        unit_cost_minor: Set(change.unit_cost_minor),
        supplier: Set(change.supplier),
        reference: Set(change.reference),
        note: Set(change.note),
        user_id: Set(change.user_id),
        created_at: Set(now),
        sale_id: Set(change.sale_id),
    }
    .insert(conn)
    .await?)
}

/// One line of stock going out in [`take_many`].
#[derive(Debug, Clone, Copy)]
pub struct Out {
    pub product_id: Uuid,
    /// Thousandths, more than zero.
    pub quantity_milli: i64,
}

/// What the movements of [`take_many`] record besides their quantities.
#[derive(Debug, Clone)]
pub struct OutOf {
    pub location_id: Uuid,
    pub reason: StockReason,
    pub user_id: Option<Uuid>,
    pub sale_id: Option<Uuid>,
    /// Whether levels may end below zero: only for goods that have already left (a sale rung
    /// up offline); otherwise a shortage is INSUFFICIENT_STOCK.
    pub may_go_negative: bool,
}

/// Takes several lines of stock out of one location at once (a sale), never below zero unless
/// [`OutOf::may_go_negative`]: one conditional `UPDATE` for all the products and one `INSERT`
/// for all the movements, one movement per line in line order. A product short of stock is
/// INSUFFICIENT_STOCK (and the caller rolls back). The caller holds the products' locks.
pub async fn take_many(
    conn: &impl ConnectionTrait,
    outs: &[Out],
    of: OutOf,
    now: DateTime<Utc>,
) -> Result<Vec<stock_movement::Model>> {
    if outs.is_empty() {
        return Ok(Vec::new());
    }
    let mut totals: BTreeMap<Uuid, i64> = BTreeMap::new();
    for out in outs {
        *totals.entry(out.product_id).or_default() += out.quantity_milli;
    }
    let mut delta = CaseStatement::new();
    for (product_id, total) in &totals {
        delta = delta.case(
            stock_level::Column::ProductId.eq(*product_id),
            Expr::value(-total),
        );
    }
    let delta: SimpleExpr = delta.into();
    if of.may_go_negative {
        for product_id in totals.keys() {
            ensure_level(conn, *product_id, of.location_id, now).await?;
        }
    }
    let mut update = stock_level::Entity::update_many()
        .col_expr(
            stock_level::Column::OnHandMilli,
            Expr::col(stock_level::Column::OnHandMilli).add(delta.clone()),
        )
        .col_expr(stock_level::Column::UpdatedAt, Expr::value(now))
        .filter(stock_level::Column::LocationId.eq(of.location_id))
        .filter(stock_level::Column::ProductId.is_in(totals.keys().copied()));
    if !of.may_go_negative {
        update = update.filter(
            Expr::col(stock_level::Column::OnHandMilli)
                .add(delta)
                .gte(0),
        );
    }
    let levels = update.exec_with_returning(conn).await?;
    // What each product had before, walked down line by line for the movements.
    let mut running: BTreeMap<Uuid, i64> = BTreeMap::new();
    for level in &levels {
        running.insert(
            level.product_id,
            level.on_hand_milli + totals[&level.product_id],
        );
    }
    if let Some(short) = totals.keys().find(|id| !running.contains_key(id)) {
        return Err(insufficient(conn, *short, of.location_id).await);
    }
    let movements: Vec<stock_movement::Model> = outs
        .iter()
        .map(|out| {
            let on_hand = running.entry(out.product_id).or_default();
            *on_hand -= out.quantity_milli;
            stock_movement::Model {
                id: Uuid::now_v7(),
                product_id: out.product_id,
                location_id: of.location_id,
                reason: of.reason,
                quantity_milli: -out.quantity_milli,
                on_hand_after_milli: *on_hand,
                unit_cost_minor: None,
                supplier: None,
                reference: None,
                note: None,
                user_id: of.user_id,
                created_at: now,
                sale_id: of.sale_id,
            }
        })
        .collect();
    stock_movement::Entity::insert_many(
        movements
            .iter()
            .cloned()
            .map(|movement| movement.into_active_model().reset_all()),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(movements)
}

/// Creates the level at zero when the product never had stock at the location.
async fn ensure_level(
    conn: &impl ConnectionTrait,
    product_id: Uuid,
    location_id: Uuid,
    now: DateTime<Utc>,
) -> Result<()> {
    stock_level::Entity::insert(stock_level::ActiveModel {
        product_id: Set(product_id),
        location_id: Set(location_id),
        on_hand_milli: Set(0),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            stock_level::Column::ProductId,
            stock_level::Column::LocationId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

async fn insufficient(conn: &impl ConnectionTrait, product_id: Uuid, location_id: Uuid) -> Error {
    let available = on_hand(conn, product_id, location_id).await;
    let sku = products::get(conn, product_id).await.map(|p| p.sku);
    match (available, sku) {
        (Ok(available_milli), Ok(sku)) => Error::InsufficientStock {
            product_id,
            sku,
            available_milli,
        },
        (Err(e), _) | (_, Err(e)) => e,
    }
}

/// Stock of a product at a location; zero where nothing ever moved.
pub async fn on_hand(
    conn: &impl ConnectionTrait,
    product_id: Uuid,
    location_id: Uuid,
) -> Result<i64> {
    Ok(stock_level::Entity::find_by_id((product_id, location_id))
        .one(conn)
        .await?
        .map_or(0, |level| level.on_hand_milli))
}
