//! Refunds (part or all of a sale, with or without restocking) and voids.
//!
//! Locks are taken in the same order as a sale takes them, so none of these can deadlock with
//! a checkout: the register session (shared), then the sale's row (exclusive: refunds and
//! voids of one sale queue), then the products in id order.

use std::collections::HashMap;

use chrono::Utc;
use entity::product::Unit;
use entity::refund;
use entity::refund_line;
use entity::sale::{self, SaleStatus};
use entity::sale_line;
use entity::sale_payment::PaymentMethod;
use entity::stock_movement::StockReason;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set, SqlErr,
    TransactionTrait,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::arithmetic::refund_share;
use super::registers::{self, Lock};
use super::{idempotency_key, rows};
use crate::auth::Principal;
use crate::error::{Error, Result};
use crate::inventory::{self, Change};
use crate::money::Currency;
use crate::quantity::{MILLI, Sign, format_milli, parse_quantity};
use crate::{audit, text};

pub struct RefundLineRequest {
    pub sale_line_id: Uuid,
    /// Decimal string.
    pub quantity: String,
}

pub struct NewRefund {
    pub idempotency_key: String,
    pub sale_id: Uuid,
    pub register_session_id: Option<Uuid>,
    pub lines: Vec<RefundLineRequest>,
    pub method: PaymentMethod,
    pub restock: bool,
    pub reason: String,
}

struct Parsed {
    key: String,
    hash: String,
    sale_id: Uuid,
    register_session_id: Option<Uuid>,
    lines: Vec<(Uuid, i64)>,
    method: PaymentMethod,
    restock: bool,
    reason: String,
}

fn parse(new: NewRefund) -> Result<Parsed> {
    let key = idempotency_key(&new.idempotency_key)?;
    let reason = text::required(&new.reason, "reason", 500)?;
    if new.lines.is_empty() {
        return Err(Error::bad_input(
            "lines",
            "a refund needs at least one line",
        ));
    }
    if new.method == PaymentMethod::Cash && new.register_session_id.is_none() {
        return Err(Error::bad_input(
            "registerSessionId",
            "a cash refund is paid from a drawer: give the open registerSessionId",
        ));
    }
    let lines = new
        .lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            parse_quantity(&line.quantity, "quantity", Sign::Positive, false)
                .map_err(|e| e.in_item("lines", index))
                .map(|milli| (line.sale_line_id, milli))
        })
        .collect::<Result<Vec<_>>>()?;
    let canonical = json!({
        "sale": new.sale_id,
        "session": new.register_session_id,
        "lines": lines,
        "method": new.method.to_value(),
        "restock": new.restock,
        "reason": reason,
    });
    Ok(Parsed {
        key,
        hash: format!("{:x}", Sha256::digest(canonical.to_string().as_bytes())),
        sale_id: new.sale_id,
        register_session_id: new.register_session_id,
        lines,
        method: new.method,
        restock: new.restock,
        reason,
    })
}

async fn replay(
    conn: &impl ConnectionTrait,
    user: Uuid,
    key: &str,
    hash: &str,
) -> Result<Option<refund::Model>> {
    match refund::Entity::find()
        .filter(refund::Column::UserId.eq(user))
        .filter(refund::Column::IdempotencyKey.eq(key))
        .one(conn)
        .await?
    {
        Some(refund) if refund.request_hash == hash => Ok(Some(refund)),
        Some(_) => Err(Error::conflict(
            Some("idempotencyKey"),
            "this idempotency key was used for a different refund",
        )),
        None => Ok(None),
    }
}

/// A refund, and whether this call made it (`false`: the one already made with the key).
#[derive(Debug, Clone)]
pub struct Refunded {
    pub refund: refund::Model,
    pub fresh: bool,
}

/// Gives back part or all of a sale, or returns the refund already made with the same key.
pub async fn refund(
    db: &DatabaseConnection,
    actor: &Principal,
    currency: Currency,
    new: NewRefund,
) -> Result<Refunded> {
    let parsed = parse(new)?;
    let replayed = |refund| Refunded {
        refund,
        fresh: false,
    };
    if let Some(refund) = replay(db, actor.user_id, &parsed.key, &parsed.hash).await? {
        return Ok(replayed(refund));
    }
    let txn = db.begin().await?;
    match give_back(&txn, actor, currency, &parsed).await {
        Ok((refund, true)) => {
            txn.commit().await?;
            Ok(Refunded {
                refund,
                fresh: true,
            })
        }
        Ok((refund, false)) => {
            txn.rollback().await?;
            Ok(replayed(refund))
        }
        Err(Failure::KeyTaken) => {
            txn.rollback().await?;
            replay(db, actor.user_id, &parsed.key, &parsed.hash)
                .await?
                .map(replayed)
                .ok_or_else(|| Error::internal("idempotency key taken but no refund found"))
        }
        Err(Failure::Other(err)) => Err(err),
    }
}

enum Failure {
    KeyTaken,
    Other(Error),
}

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        Failure::Other(err)
    }
}

impl From<DbErr> for Failure {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(message)) if message.contains("idempotency") => {
                Failure::KeyTaken
            }
            _ => Failure::Other(err.into()),
        }
    }
}

/// Locks a sale's row for the rest of the transaction.
async fn lock_sale(conn: &impl ConnectionTrait, id: Uuid) -> Result<sale::Model> {
    sale::Entity::find_by_id(id)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or(Error::not_found("sale"))
}

/// The refund, and whether it is new (false: a concurrent retry made it first).
async fn give_back(
    txn: &impl ConnectionTrait,
    actor: &Principal,
    currency: Currency,
    parsed: &Parsed,
) -> Result<(refund::Model, bool), Failure> {
    if let Some(session_id) = parsed.register_session_id {
        registers::lock_open(txn, actor, session_id, Lock::Shared).await?;
    }
    let sale = lock_sale(txn, parsed.sale_id).await?;
    if let Some(refund) = replay(txn, actor.user_id, &parsed.key, &parsed.hash).await? {
        return Ok((refund, false));
    }
    if sale.status == SaleStatus::Voided {
        return Err(Error::conflict(None, "a voided sale cannot be refunded").into());
    }
    let mut lines: HashMap<Uuid, sale_line::Model> = sale_line::Entity::find()
        .filter(sale_line::Column::SaleId.eq(sale.id))
        .all(txn)
        .await?
        .into_iter()
        .map(|line| (line.id, line))
        .collect();

    let now = Utc::now();
    let refund_id = Uuid::now_v7();
    let mut refund_rows = Vec::with_capacity(parsed.lines.len());
    for (index, &(line_id, quantity)) in parsed.lines.iter().enumerate() {
        let line = lines.get_mut(&line_id).ok_or_else(|| {
            Error::bad_input(
                format!("lines[{index}].saleLineId"),
                "not a line of this sale",
            )
        })?;
        if line.unit == Unit::Unit && quantity % MILLI != 0 {
            return Err(Error::bad_input(
                format!("lines[{index}].quantity"),
                format!("{} is sold by the unit: whole quantities only", line.sku),
            )
            .into());
        }
        let left = line.quantity_milli - line.refunded_quantity_milli;
        if quantity > left {
            return Err(Error::bad_input(
                format!("lines[{index}].quantity"),
                format!(
                    "only {} of {} is left to refund on this line",
                    format_milli(left),
                    line.sku
                ),
            )
            .into());
        }
        let amount = refund_share(
            line.total_minor,
            line.quantity_milli,
            line.refunded_minor,
            line.refunded_quantity_milli,
            quantity,
        );
        let tax = refund_share(
            line.tax_minor,
            line.quantity_milli,
            line.refunded_tax_minor,
            line.refunded_quantity_milli,
            quantity,
        );
        let cost = refund_share(
            line.cost_minor,
            line.quantity_milli,
            line.refunded_cost_minor,
            line.refunded_quantity_milli,
            quantity,
        );
        line.refunded_quantity_milli += quantity;
        line.refunded_minor += amount;
        line.refunded_tax_minor += tax;
        line.refunded_cost_minor += cost;
        refund_rows.push(refund_line::Model {
            id: Uuid::now_v7(),
            refund_id,
            sale_line_id: line_id,
            position: i32::try_from(index).unwrap_or(i32::MAX),
            quantity_milli: quantity,
            amount_minor: amount,
            tax_minor: tax,
            cost_minor: cost,
        });
    }

    let refund = refund::ActiveModel {
        id: Set(refund_id),
        sale_id: Set(sale.id),
        user_id: Set(actor.user_id),
        register_session_id: Set(parsed.register_session_id),
        method: Set(parsed.method),
        amount_minor: Set(refund_rows.iter().map(|r| r.amount_minor).sum()),
        tax_minor: Set(refund_rows.iter().map(|r| r.tax_minor).sum()),
        cost_minor: Set(refund_rows.iter().map(|r| r.cost_minor).sum()),
        restocked: Set(parsed.restock),
        reason: Set(parsed.reason.clone()),
        idempotency_key: Set(parsed.key.clone()),
        request_hash: Set(parsed.hash.clone()),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    refund_line::Entity::insert_many(rows(&refund_rows))
        .exec_without_returning(txn)
        .await?;
    for row in &refund_rows {
        let line = &lines[&row.sale_line_id];
        sale_line::Entity::update_many()
            .col_expr(
                sale_line::Column::RefundedQuantityMilli,
                Expr::value(line.refunded_quantity_milli),
            )
            .col_expr(
                sale_line::Column::RefundedMinor,
                Expr::value(line.refunded_minor),
            )
            .col_expr(
                sale_line::Column::RefundedTaxMinor,
                Expr::value(line.refunded_tax_minor),
            )
            .col_expr(
                sale_line::Column::RefundedCostMinor,
                Expr::value(line.refunded_cost_minor),
            )
            .filter(sale_line::Column::Id.eq(line.id))
            .exec(txn)
            .await?;
    }

    if parsed.restock {
        let restocked: Vec<&refund_line::Model> = refund_rows
            .iter()
            .filter(|row| lines[&row.sale_line_id].tracks_stock)
            .collect();
        inventory::lock_products(
            txn,
            restocked
                .iter()
                .map(|row| lines[&row.sale_line_id].product_id),
        )
        .await?;
        for row in restocked {
            let line = &lines[&row.sale_line_id];
            inventory::apply(
                txn,
                Change {
                    product_id: line.product_id,
                    location_id: sale.location_id,
                    reason: StockReason::Return,
                    quantity_milli: row.quantity_milli,
                    may_go_negative: false,
                    unit_cost_minor: None,
                    supplier: None,
                    reference: None,
                    note: Some(parsed.reason.clone()),
                    user_id: Some(actor.user_id),
                    sale_id: Some(sale.id),
                },
                now,
            )
            .await?;
        }
    }

    let fully = lines
        .values()
        .all(|line| line.refunded_quantity_milli >= line.quantity_milli);
    let status = if fully {
        SaleStatus::Refunded
    } else {
        SaleStatus::PartiallyRefunded
    };
    let number = sale.number.clone();
    let mut sale = sale.into_active_model();
    sale.status = Set(status);
    sale.update(txn).await?;
    audit::record(
        txn,
        Some(actor.user_id),
        "sale.refund",
        "sale",
        Some(parsed.sale_id.to_string()),
        json!({
            "number": number,
            "refundId": refund.id,
            "amount": currency.format(refund.amount_minor),
            "method": refund.method.to_value(),
            "restocked": refund.restocked,
        }),
    )
    .await?;
    Ok((refund, true))
}

/// Voids a sale while its register session is open and it has no refunds: its stock goes
/// back (VOID movements) and its cash leaves the drawer's expected cash. A voided sale is
/// returned unchanged.
pub async fn void(
    conn: &impl ConnectionTrait,
    actor: &Principal,
    sale_id: Uuid,
    reason: &str,
) -> Result<sale::Model> {
    let reason = text::required(reason, "reason", 500)?;
    let unlocked = sale::Entity::find_by_id(sale_id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("sale"))?;
    if unlocked.status == SaleStatus::Voided {
        return Ok(unlocked);
    }
    registers::lock_open(conn, actor, unlocked.register_session_id, Lock::Shared).await?;
    let sale = lock_sale(conn, sale_id).await?;
    match sale.status {
        SaleStatus::Voided => return Ok(sale),
        SaleStatus::Completed => {}
        SaleStatus::PartiallyRefunded | SaleStatus::Refunded => {
            return Err(Error::conflict(
                None,
                "a sale with refunds cannot be voided: refund the rest instead",
            ));
        }
    }
    let lines = sale_line::Entity::find()
        .filter(sale_line::Column::SaleId.eq(sale.id))
        .filter(sale_line::Column::TracksStock.eq(true))
        .order_by_asc(sale_line::Column::Position)
        .all(conn)
        .await?;
    inventory::lock_products(conn, lines.iter().map(|line| line.product_id)).await?;
    let now = Utc::now();
    for line in &lines {
        inventory::apply(
            conn,
            Change {
                product_id: line.product_id,
                location_id: sale.location_id,
                reason: StockReason::Void,
                quantity_milli: line.quantity_milli,
                may_go_negative: false,
                unit_cost_minor: None,
                supplier: None,
                reference: None,
                note: Some(reason.clone()),
                user_id: Some(actor.user_id),
                sale_id: Some(sale.id),
            },
            now,
        )
        .await?;
    }
    let number = sale.number.clone();
    let mut voiding = sale.into_active_model();
    voiding.status = Set(SaleStatus::Voided);
    voiding.voided_at = Set(Some(now));
    voiding.voided_by = Set(Some(actor.user_id));
    voiding.void_reason = Set(Some(reason.clone()));
    let voided = voiding.update(conn).await?;
    audit::record(
        conn,
        Some(actor.user_id),
        "sale.void",
        "sale",
        Some(sale_id.to_string()),
        json!({ "number": number, "reason": reason }),
    )
    .await?;
    Ok(voided)
}
