//! Stock: one level per product and location, changed only by appending movements.
//!
//! The ledger invariant: for every product and location, `on_hand` equals the sum of its
//! movements. Every change goes through [`apply`], which moves the level and writes the
//! movement in the caller's transaction. Concurrent changes to one product are serialised by
//! locking the product rows first, always in id order (so two changes over the same products
//! cannot deadlock), and the level itself moves with one conditional `UPDATE … RETURNING`, so
//! no update is ever lost and stock never goes below zero where that is not allowed. SQLite
//! has no row locks; it serialises every writer, which gives the same guarantees.
//!
//! # Layout
//! - this module: the use cases that change stock by hand (goods in, corrections and
//!   counts, transfers) and the weighted-average cost.
//! - [`ledger`]: locking products, [`apply`] and [`take_many`], the level never below zero.
//! - [`alerts`]: low-stock alerts, raised by the movements of every stock change.
//! - [`queries`]: the ledger's pages, low stock, the ledger check.

mod alerts;
mod ledger;
mod queries;

pub use alerts::{Alert, Moved};
pub use ledger::{Change, Out, OutOf, apply, lock_products, on_hand, take_many};
pub use queries::{
    LowStock, MovementFilter, count_movements, ledger_discrepancies, list_movements, low_stock,
};

use chrono::Utc;
use entity::product::{self, Unit};
use entity::stock_movement::StockReason;
use entity::{location, stock_level};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::audit;
use crate::error::{Error, Result, item_field};
use crate::money::Currency;
use crate::quantity::{Sign, format_milli, parse_quantity};
use crate::text;

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
) -> Result<Moved> {
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
        ensure_tracked(product, item_field("lines", index, "productId"))?;
        let quantity_milli = quantity(&line.quantity, "quantity", Sign::Positive, product.unit)
            .map_err(|e| e.in_item("lines", index))?;
        let unit_cost_minor = line
            .unit_cost
            .as_deref()
            .map(|c| currency.parse_amount(c, "unitCost", false))
            .transpose()
            .map_err(|e| e.in_item("lines", index))?;
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
    Ok(Moved::of(movements, &products))
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
) -> Result<Moved> {
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
    Ok(Moved::of(vec![movement], &[product]))
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
) -> Result<Moved> {
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
    Ok(Moved::of(vec![out, into], &[product]))
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
