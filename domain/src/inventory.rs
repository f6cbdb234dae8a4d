//! Stock: one level per product and location, changed only by appending movements.
//!
//! The ledger invariant: for every product and location, `on_hand` equals the sum of its
//! movements. Every change goes through [`apply`], which moves the level and writes the
//! movement in the caller's transaction. Concurrent changes to one product are serialised by
//! locking the product rows first, always in id order (so two changes over the same products
//! cannot deadlock), and the level itself moves with one conditional `UPDATE … RETURNING`, so
//! no update is ever lost and stock never goes below zero where that is not allowed. SQLite
//! has no row locks; it serialises every writer, which gives the same guarantees.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use entity::product::{self, Unit};
use entity::stock_movement::{self, StockReason};
use entity::{location, stock_level};
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait, OnConflict, SimpleExpr};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::audit;
use crate::catalog::products;
use crate::error::{Error, Result};
use crate::money::Currency;
use crate::pagination::{Page, PageRequest};
use crate::quantity::{Sign, format_milli, parse_quantity};
use crate::text;

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
}

/// Takes several lines of stock out of one location at once (a sale), never below zero: one
/// conditional `UPDATE` for all the products and one `INSERT` for all the movements, one
/// movement per line in line order. A product short of stock is INSUFFICIENT_STOCK (and the
/// caller rolls back). The caller holds the products' locks.
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
    let levels = stock_level::Entity::update_many()
        .col_expr(
            stock_level::Column::OnHandMilli,
            Expr::col(stock_level::Column::OnHandMilli).add(delta.clone()),
        )
        .col_expr(stock_level::Column::UpdatedAt, Expr::value(now))
        .filter(stock_level::Column::LocationId.eq(of.location_id))
        .filter(stock_level::Column::ProductId.is_in(totals.keys().copied()))
        .filter(
            Expr::col(stock_level::Column::OnHandMilli)
                .add(delta)
                .gte(0),
        )
        .exec_with_returning(conn)
        .await?;
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

async fn ensure_location(conn: &impl ConnectionTrait, id: Uuid) -> Result<()> {
    location::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(|_| ())
        .ok_or(Error::not_found("location"))
}

/// Products that do not track stock have no levels and no movements.
fn ensure_tracked(product: &product::Model, field: String) -> Result<()> {
    if product.track_stock {
        Ok(())
    } else {
        Err(Error::bad_input(
            field,
            format!("{} does not track stock", product.sku),
        ))
    }
}

fn quantity(raw: &str, field: &'static str, sign: Sign, unit: Unit) -> Result<i64> {
    parse_quantity(raw, field, sign, unit.is_counted())
}

/// Names a field of the n-th item of an input list: `lines[2].quantity`.
pub(crate) fn item_field(list: &str, index: usize, field: &str) -> String {
    format!("{list}[{index}].{field}")
}

fn line_field(index: usize, field: &str) -> String {
    item_field("lines", index, field)
}

/// Re-labels a field error of the n-th item of an input list with the item's index.
pub(crate) fn in_item<T>(list: &str, index: usize, result: Result<T>) -> Result<T> {
    result.map_err(|e| match e {
        Error::BadInput {
            field: Some(field),
            message,
        } => Error::BadInput {
            field: Some(item_field(list, index, &field).into()),
            message,
        },
        other => other,
    })
}

/// Re-labels a line's field error with the line's index.
pub(crate) fn in_line<T>(index: usize, result: Result<T>) -> Result<T> {
    in_item("lines", index, result)
}

pub struct ReceiptLine {
    pub product_id: Uuid,
    pub quantity: String,
    pub unit_cost: Option<String>,
}

pub struct Receipt {
    pub location_id: Uuid,
    pub lines: Vec<ReceiptLine>,
    pub supplier: Option<String>,
    pub reference: Option<String>,
}

/// Goods in: one RECEIPT movement per line, in line order. A line with a unit cost moves the
/// product's cost to the weighted average of the stock on hand (all locations) and the stock
/// received.
pub async fn receive(
    conn: &impl ConnectionTrait,
    actor: Uuid,
    currency: Currency,
    receipt: Receipt,
) -> Result<Vec<stock_movement::Model>> {
    if receipt.lines.is_empty() {
        return Err(Error::bad_input(
            "lines",
            "a receipt needs at least one line",
        ));
    }
    let supplier = text::optional(receipt.supplier.as_deref(), "supplier", 100)?;
    let reference = text::optional(receipt.reference.as_deref(), "reference", 100)?;
    ensure_location(conn, receipt.location_id).await?;
    let mut products = lock_products(conn, receipt.lines.iter().map(|l| l.product_id)).await?;
    let now = Utc::now();

    let mut movements = Vec::with_capacity(receipt.lines.len());
    for (index, line) in receipt.lines.iter().enumerate() {
        let Some(product) = products.iter_mut().find(|p| p.id == line.product_id) else {
            return Err(Error::not_found("product"));
        };
        ensure_tracked(product, line_field(index, "productId"))?;
        let quantity_milli = in_line(
            index,
            quantity(&line.quantity, "quantity", Sign::Positive, product.unit),
        )?;
        let unit_cost_minor = in_line(
            index,
            line.unit_cost
                .as_deref()
                .map(|c| currency.parse_amount(c, "unitCost", false))
                .transpose(),
        )?;
        if let Some(unit_cost) = unit_cost_minor {
            let before = total_on_hand(conn, product.id).await?;
            let cost = weighted_average_cost(before, product.cost_minor, quantity_milli, unit_cost);
            if Some(cost) != product.cost_minor {
                let mut row: product::ActiveModel = product.clone().into();
                row.cost_minor = Set(Some(cost));
                row.updated_at = Set(now);
                *product = row.update(conn).await?;
            }
        }
        let movement = apply(
            conn,
            Change {
                product_id: product.id,
                location_id: receipt.location_id,
                reason: StockReason::Receipt,
                quantity_milli,
                may_go_negative: true,
                unit_cost_minor,
                supplier: supplier.clone(),
                reference: reference.clone(),
                note: None,
                user_id: Some(actor),
                sale_id: None,
            },
            now,
        )
        .await?;
        movements.push(movement);
    }
    audit::record(
        conn,
        Some(actor),
        "stock.receive",
        "location",
        Some(receipt.location_id.to_string()),
        json!({
            "supplier": supplier,
            "reference": reference,
            "movements": movements.iter().map(|m| m.id.to_string()).collect::<Vec<_>>(),
        }),
    )
    .await?;
    Ok(movements)
}

/// Stock of a product across all locations.
async fn total_on_hand(conn: &impl ConnectionTrait, product_id: Uuid) -> Result<i64> {
    let levels = stock_level::Entity::find()
        .filter(stock_level::Column::ProductId.eq(product_id))
        .all(conn)
        .await?;
    Ok(levels.iter().map(|l| l.on_hand_milli).sum())
}

/// `(on hand × cost + received × unit cost) / (on hand + received)`, rounded half away from
/// zero to the minor unit. Stock at or below zero, or no cost yet, takes the new unit cost.
pub fn weighted_average_cost(
    on_hand_milli: i64,
    cost_minor: Option<i64>,
    received_milli: i64,
    unit_cost_minor: i64,
) -> i64 {
    let Some(cost) = cost_minor.filter(|_| on_hand_milli > 0) else {
        return unit_cost_minor;
    };
    let value = i128::from(on_hand_milli) * i128::from(cost)
        + i128::from(received_milli) * i128::from(unit_cost_minor);
    let units = i128::from(on_hand_milli) + i128::from(received_milli);
    i64::try_from(div_round_half_away(value, units)).unwrap_or(unit_cost_minor)
}

/// Integer division rounding half away from zero (`units` positive).
pub(crate) fn div_round_half_away(value: i128, units: i128) -> i128 {
    let half = units / 2;
    if value >= 0 {
        (value + half) / units
    } else {
        (value - half) / units
    }
}

pub struct Adjustment {
    pub location_id: Uuid,
    pub product_id: Uuid,
    /// A signed delta…
    pub quantity: Option<String>,
    /// …or a physical count.
    pub counted_quantity: Option<String>,
    pub reason: StockReason,
    pub note: Option<String>,
}

/// A correction: a signed delta (ADJUSTMENT, or DAMAGE and THEFT, which only remove), or a
/// physical count (COUNT), which records the difference to what the system had.
pub async fn adjust(
    conn: &impl ConnectionTrait,
    actor: Uuid,
    adjustment: Adjustment,
) -> Result<stock_movement::Model> {
    let note = text::optional(adjustment.note.as_deref(), "note", 1000)?;
    ensure_location(conn, adjustment.location_id).await?;
    let product = lock_products(conn, [adjustment.product_id])
        .await?
        .into_iter()
        .next()
        .ok_or(Error::not_found("product"))?;
    ensure_tracked(&product, "productId".to_owned())?;
    let quantity_milli = match (
        &adjustment.quantity,
        &adjustment.counted_quantity,
        adjustment.reason,
    ) {
        (Some(delta), None, StockReason::Adjustment) => {
            quantity(delta, "quantity", Sign::NonZero, product.unit)?
        }
        (Some(delta), None, StockReason::Damage | StockReason::Theft) => {
            let delta = quantity(delta, "quantity", Sign::NonZero, product.unit)?;
            if delta > 0 {
                return Err(Error::bad_input(
                    "quantity",
                    "DAMAGE and THEFT take stock out: the quantity must be negative",
                ));
            }
            delta
        }
        (None, Some(counted), StockReason::Count) => {
            let counted = quantity(counted, "countedQuantity", Sign::NonNegative, product.unit)?;
            counted - on_hand(conn, product.id, adjustment.location_id).await?
        }
        (Some(_), Some(_), _) | (None, None, _) => {
            return Err(Error::bad_input(
                "quantity",
                "give either quantity (a change) or countedQuantity (a count), not both",
            ));
        }
        (Some(_), None, _) => {
            return Err(Error::bad_input(
                "reason",
                "a quantity change takes reason ADJUSTMENT, DAMAGE or THEFT",
            ));
        }
        (None, Some(_), _) => {
            return Err(Error::bad_input("reason", "a count takes reason COUNT"));
        }
    };
    let movement = apply(
        conn,
        Change {
            product_id: product.id,
            location_id: adjustment.location_id,
            reason: adjustment.reason,
            quantity_milli,
            may_go_negative: false,
            unit_cost_minor: None,
            supplier: None,
            reference: None,
            note,
            user_id: Some(actor),
            sale_id: None,
        },
        Utc::now(),
    )
    .await?;
    audit::record(
        conn,
        Some(actor),
        "stock.adjust",
        "product",
        Some(product.id.to_string()),
        json!({
            "locationId": adjustment.location_id,
            "reason": adjustment.reason.to_value(),
            "quantity": format_milli(quantity_milli),
            "movementId": movement.id,
        }),
    )
    .await?;
    Ok(movement)
}

pub struct Transfer {
    pub from_location_id: Uuid,
    pub to_location_id: Uuid,
    pub product_id: Uuid,
    pub quantity: String,
    pub note: Option<String>,
}

/// Moves stock between locations: TRANSFER_OUT then TRANSFER_IN, both or neither.
pub async fn transfer(
    conn: &impl ConnectionTrait,
    actor: Uuid,
    transfer: Transfer,
) -> Result<Vec<stock_movement::Model>> {
    if transfer.from_location_id == transfer.to_location_id {
        return Err(Error::bad_input(
            "toLocationId",
            "a transfer needs two different locations",
        ));
    }
    let note = text::optional(transfer.note.as_deref(), "note", 1000)?;
    ensure_location(conn, transfer.from_location_id).await?;
    ensure_location(conn, transfer.to_location_id).await?;
    let product = lock_products(conn, [transfer.product_id])
        .await?
        .into_iter()
        .next()
        .ok_or(Error::not_found("product"))?;
    ensure_tracked(&product, "productId".to_owned())?;
    let quantity_milli = quantity(&transfer.quantity, "quantity", Sign::Positive, product.unit)?;
    let now = Utc::now();
    let leg = |location_id, reason, quantity_milli| Change {
        product_id: product.id,
        location_id,
        reason,
        quantity_milli,
        may_go_negative: false,
        unit_cost_minor: None,
        supplier: None,
        reference: None,
        note: note.clone(),
        user_id: Some(actor),
        sale_id: None,
    };
    let out = apply(
        conn,
        leg(
            transfer.from_location_id,
            StockReason::TransferOut,
            -quantity_milli,
        ),
        now,
    )
    .await?;
    let into = apply(
        conn,
        leg(
            transfer.to_location_id,
            StockReason::TransferIn,
            quantity_milli,
        ),
        now,
    )
    .await?;
    audit::record(
        conn,
        Some(actor),
        "stock.transfer",
        "product",
        Some(product.id.to_string()),
        json!({
            "from": transfer.from_location_id,
            "to": transfer.to_location_id,
            "quantity": format_milli(quantity_milli),
        }),
    )
    .await?;
    Ok(vec![out, into])
}

/// Which movements a ledger page shows.
#[derive(Debug, Clone, Default)]
pub struct MovementFilter {
    pub product_id: Option<Uuid>,
    pub location_id: Option<Uuid>,
}

fn movements(filter: &MovementFilter) -> sea_orm::Select<stock_movement::Entity> {
    let mut query = stock_movement::Entity::find();
    if let Some(product) = filter.product_id {
        query = query.filter(stock_movement::Column::ProductId.eq(product));
    }
    if let Some(location) = filter.location_id {
        query = query.filter(stock_movement::Column::LocationId.eq(location));
    }
    query
}

/// The ledger, newest first; the page key is the last id seen.
pub async fn list_movements(
    conn: &impl ConnectionTrait,
    filter: &MovementFilter,
    page: &PageRequest<Uuid>,
) -> Result<Page<stock_movement::Model>> {
    let mut query = movements(filter).order_by_desc(stock_movement::Column::Id);
    if let Some(after) = page.after {
        query = query.filter(stock_movement::Column::Id.lt(after));
    }
    let rows = query.limit(page.first + 1).all(conn).await?;
    Ok(Page::from_rows(rows, page.first))
}

pub async fn count_movements(conn: &impl ConnectionTrait, filter: &MovementFilter) -> Result<u64> {
    Ok(movements(filter).count(conn).await?)
}

/// A product at or below its threshold at a location.
#[derive(Debug, Clone)]
pub struct LowStock {
    pub product: product::Model,
    pub on_hand_milli: i64,
    pub threshold_milli: i64,
}

/// Tracked, active products at or below their threshold at `location_id`, by name.
pub async fn low_stock(conn: &impl ConnectionTrait, location_id: Uuid) -> Result<Vec<LowStock>> {
    ensure_location(conn, location_id).await?;
    let found = product::Entity::find()
        .filter(product::Column::Active.eq(true))
        .filter(products::low_stock_at(location_id))
        .order_by_asc(product::Column::Name)
        .order_by_asc(product::Column::Id)
        .all(conn)
        .await?;
    let ids: Vec<Uuid> = found.iter().map(|p| p.id).collect();
    let levels = stock_level::Entity::find()
        .filter(stock_level::Column::LocationId.eq(location_id))
        .filter(stock_level::Column::ProductId.is_in(ids))
        .all(conn)
        .await?;
    Ok(found
        .into_iter()
        .map(|product| {
            let on_hand_milli = levels
                .iter()
                .find(|l| l.product_id == product.id)
                .map_or(0, |l| l.on_hand_milli);
            let threshold_milli = product.low_stock_threshold_milli.unwrap_or(0);
            LowStock {
                product,
                on_hand_milli,
                threshold_milli,
            }
        })
        .collect())
}

/// Levels that differ from the sum of their movements, as (product, location, on hand, sum).
/// Empty when the ledger holds; tests check it after every kind of change.
pub async fn ledger_discrepancies(
    conn: &impl ConnectionTrait,
) -> Result<Vec<(Uuid, Uuid, i64, i64)>> {
    let sums: Vec<(Uuid, Uuid, i64)> = stock_movement::Entity::find()
        .select_only()
        .column(stock_movement::Column::ProductId)
        .column(stock_movement::Column::LocationId)
        .column_as(Expr::cust("CAST(SUM(quantity_milli) AS BIGINT)"), "moved")
        .group_by(stock_movement::Column::ProductId)
        .group_by(stock_movement::Column::LocationId)
        .into_tuple()
        .all(conn)
        .await?;
    let levels = stock_level::Entity::find().all(conn).await?;
    Ok(levels
        .into_iter()
        .filter_map(|level| {
            let moved = sums
                .iter()
                .find(|(p, l, _)| *p == level.product_id && *l == level.location_id)
                .map_or(0, |(_, _, sum)| *sum);
            (moved != level.on_hand_milli).then_some((
                level.product_id,
                level.location_id,
                level.on_hand_milli,
                moved,
            ))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::MILLI;

    #[test]
    fn weighted_average_cost_blends_old_and_new_stock() {
        // 10 on hand at 2.00, 30 received at 3.00: (20 + 90) / 40 = 2.75.
        assert_eq!(
            weighted_average_cost(10 * MILLI, Some(200), 30 * MILLI, 300),
            275
        );
        // 0.5 kg at 9.99 plus 0.25 kg at 12.00 = 10.66 (10.663…).
        assert_eq!(weighted_average_cost(500, Some(999), 250, 1200), 1066);
        // Nothing on hand, or no cost yet: the new cost.
        assert_eq!(weighted_average_cost(0, Some(200), MILLI, 300), 300);
        assert_eq!(
            weighted_average_cost(-2 * MILLI, Some(200), MILLI, 300),
            300
        );
        assert_eq!(weighted_average_cost(5 * MILLI, None, MILLI, 300), 300);
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(div_round_half_away(5, 2), 3);
        assert_eq!(div_round_half_away(-5, 2), -3);
        assert_eq!(div_round_half_away(4, 3), 1);
        assert_eq!(div_round_half_away(-4, 3), -1);
    }
}
