//! `createSale`: lines, taxes, payments, stock and a sale number in one transaction, exactly
//! once per idempotency key.
//!
//! # Order of work, and why
//! 1. Parse everything that needs no database (quantities, amounts, the request's hash).
//! 2. A retry whose sale exists returns it at once (same hash) or is CONFLICT (another hash).
//! 3. In the transaction: share-lock the register session (a close waits for the sale), lock
//!    the products in id order (concurrent sales over the same products queue instead of
//!    deadlocking), then look for the key again: a concurrent retry that got the locks first
//!    has committed by now, so its sale is found and returned.
//! 4. Compute the lines, check the payments, take the location's next number if no other
//!    sale holds the counter ([`numbers`]), insert the sale, lines and payments, move the
//!    stock (conditional updates: stock never goes below zero).
//! 5. After the commit, a sale that could not take a number gets one ([`numbers::ensure`]).

use std::collections::HashMap;

use chrono::Utc;
use entity::product::{self, Unit};
use entity::sale::{self, SaleStatus};
use entity::sale_line;
use entity::sale_payment::{self, PaymentMethod};
use entity::stock_movement::StockReason;
use entity::tax_rate;
use entity::{location, register_session};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, Set, SqlErr, TransactionTrait,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::arithmetic::{self, Discount, LineAmounts, LineInput, Tender};
use super::numbers;
use super::registers::{self, Lock};
use super::{idempotency_key, rows};
use crate::auth::Principal;
use crate::catalog::tax_rates;
use crate::error::{Error, Result};
use crate::inventory::{self, Alert, Out, OutOf};
use crate::money::Currency;
use crate::quantity::{MILLI, Sign, parse_percent, parse_quantity};
use crate::{audit, customers, locations, text};

/// Most lines one sale may have.
const MAX_LINES: usize = 500;

pub struct SaleLineRequest {
    pub product_id: Uuid,
    /// Decimal strings.
    pub quantity: String,
    pub discount: Option<String>,
    pub discount_percent: Option<String>,
}

pub struct PaymentRequest {
    pub method: PaymentMethod,
    /// Decimal string.
    pub amount: String,
    pub reference: Option<String>,
}

pub struct NewSale {
    pub idempotency_key: String,
    pub register_session_id: Uuid,
    pub customer_id: Option<Uuid>,
    pub lines: Vec<SaleLineRequest>,
    pub payments: Vec<PaymentRequest>,
    pub note: Option<String>,
}

/// A sale request after parsing: amounts in minor units, quantities in thousandths.
struct Parsed {
    key: String,
    hash: String,
    register_session_id: Uuid,
    customer_id: Option<Uuid>,
    lines: Vec<ParsedLine>,
    payments: Vec<ParsedPayment>,
    note: Option<String>,
}

struct ParsedLine {
    product_id: Uuid,
    quantity_milli: i64,
    discount: Discount,
}

struct ParsedPayment {
    method: PaymentMethod,
    amount: i64,
    reference: Option<String>,
}

/// What a sale did, for the caller to publish after commit.
pub struct Created {
    pub sale: sale::Model,
    /// Products the sale took to or below their low-stock threshold.
    pub alerts: Vec<Alert>,
    /// What this call made, when it made the sale (`None`: a retry returned the sale already
    /// made): rows the API can show without reading them back.
    pub fresh: Option<Fresh>,
}

/// The rows of a sale just made.
pub struct Fresh {
    pub lines: Vec<sale_line::Model>,
    pub payments: Vec<sale_payment::Model>,
    pub products: Vec<product::Model>,
    pub session: register_session::Model,
}

fn parse(currency: Currency, new: NewSale) -> Result<Parsed> {
    let key = idempotency_key(&new.idempotency_key)?;
    if new.lines.is_empty() {
        return Err(Error::bad_input("lines", "a sale needs at least one line"));
    }
    if new.lines.len() > MAX_LINES {
        return Err(Error::bad_input(
            "lines",
            format!("a sale has at most {MAX_LINES} lines"),
        ));
    }
    let lines = new
        .lines
        .into_iter()
        .enumerate()
        .map(|(index, line)| parse_line(currency, line).map_err(|e| e.in_item("lines", index)))
        .collect::<Result<Vec<_>>>()?;
    let payments = new
        .payments
        .into_iter()
        .enumerate()
        .map(|(index, payment)| {
            parse_payment(currency, payment).map_err(|e| e.in_item("payments", index))
        })
        .collect::<Result<Vec<_>>>()?;
    let note = text::optional(new.note.as_deref(), "note", 2000)?;
    let hash = hash_request(
        new.register_session_id,
        new.customer_id,
        &lines,
        &payments,
        note.as_deref(),
    );
    Ok(Parsed {
        key,
        hash,
        register_session_id: new.register_session_id,
        customer_id: new.customer_id,
        lines,
        payments,
        note,
    })
}

fn parse_line(currency: Currency, line: SaleLineRequest) -> Result<ParsedLine> {
    // Whether the product takes fractions is checked once it is loaded.
    let quantity_milli = parse_quantity(&line.quantity, "quantity", Sign::Positive, false)?;
    let discount = match (line.discount, line.discount_percent) {
        (Some(_), Some(_)) => {
            return Err(Error::bad_input(
                "discountPercent",
                "give discount or discountPercent, not both",
            ));
        }
        (Some(amount), None) => {
            Discount::Amount(currency.parse_amount(&amount, "discount", false)?)
        }
        (None, Some(percent)) => {
            Discount::PercentMilli(parse_percent(&percent, "discountPercent")?)
        }
        (None, None) => Discount::None,
    };
    Ok(ParsedLine {
        product_id: line.product_id,
        quantity_milli,
        discount,
    })
}

fn parse_payment(currency: Currency, payment: PaymentRequest) -> Result<ParsedPayment> {
    let amount = currency.parse_amount(&payment.amount, "amount", false)?;
    if amount == 0 {
        return Err(Error::bad_input(
            "amount",
            "a payment must be more than zero",
        ));
    }
    Ok(ParsedPayment {
        method: payment.method,
        amount,
        reference: text::optional(payment.reference.as_deref(), "reference", 100)?,
    })
}

/// SHA-256 of the request as parsed, so "12.5" and "12.50" are the same request.
fn hash_request(
    session: Uuid,
    customer: Option<Uuid>,
    lines: &[ParsedLine],
    payments: &[ParsedPayment],
    note: Option<&str>,
) -> String {
    let canonical = json!({
        "session": session,
        "customer": customer,
        "lines": lines.iter().map(|l| json!([
            l.product_id,
            l.quantity_milli,
            match l.discount {
                Discount::None => json!(null),
                Discount::Amount(a) => json!({ "amount": a }),
                Discount::PercentMilli(p) => json!({ "percent": p }),
            },
        ])).collect::<Vec<_>>(),
        "payments": payments.iter().map(|p| json!([
            p.method.to_value(), p.amount, p.reference,
        ])).collect::<Vec<_>>(),
        "note": note,
    });
    format!("{:x}", Sha256::digest(canonical.to_string().as_bytes()))
}

/// The sale already made with this key by this cashier: itself when the request is the same,
/// CONFLICT when it is not.
async fn replay(
    conn: &impl ConnectionTrait,
    cashier: Uuid,
    key: &str,
    hash: &str,
) -> Result<Option<sale::Model>> {
    let existing = sale::Entity::find()
        .filter(sale::Column::CashierId.eq(cashier))
        .filter(sale::Column::IdempotencyKey.eq(key))
        .one(conn)
        .await?;
    match existing {
        Some(sale) if sale.request_hash == hash => Ok(Some(sale)),
        Some(_) => Err(Error::conflict(
            Some("idempotencyKey"),
            "this idempotency key was used for a different sale",
        )),
        None => Ok(None),
    }
}

/// Rings up a sale, or returns the one already made with the same idempotency key.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Principal,
    currency: Currency,
    new: NewSale,
) -> Result<Created> {
    let parsed = parse(currency, new)?;
    if let Some(sale) = replay(db, actor.user_id, &parsed.key, &parsed.hash).await? {
        return Ok(Created {
            sale: numbers::ensure(db, sale, None).await?,
            alerts: Vec::new(),
            fresh: None,
        });
    }
    let txn = db.begin().await?;
    match ring_up(&txn, actor, currency, &parsed).await {
        Ok(Rung::Made(made)) => {
            txn.commit().await?;
            let made = *made;
            Ok(Created {
                sale: numbers::ensure(db, made.sale, Some(&made.code)).await?,
                alerts: made.alerts,
                fresh: Some(Fresh {
                    lines: made.lines,
                    payments: made.payments,
                    products: made.products,
                    session: made.session,
                }),
            })
        }
        Ok(Rung::AlreadyMade(sale)) => {
            txn.rollback().await?;
            Ok(Created {
                sale: numbers::ensure(db, *sale, None).await?,
                alerts: Vec::new(),
                fresh: None,
            })
        }
        Err(failure) if failure.key_taken => {
            // A concurrent retry committed between our check and our insert.
            txn.rollback().await?;
            let sale = replay(db, actor.user_id, &parsed.key, &parsed.hash)
                .await?
                .ok_or_else(|| Error::internal("idempotency key taken but no sale found"))?;
            Ok(Created {
                sale: numbers::ensure(db, sale, None).await?,
                alerts: Vec::new(),
                fresh: None,
            })
        }
        Err(failure) => Err(failure.error),
    }
}

enum Rung {
    Made(Box<Made>),
    AlreadyMade(Box<sale::Model>),
}

/// A sale just rung up, with what the transaction already holds of it.
struct Made {
    sale: sale::Model,
    alerts: Vec<Alert>,
    /// The location's code, for the number.
    code: String,
    lines: Vec<sale_line::Model>,
    payments: Vec<sale_payment::Model>,
    products: Vec<product::Model>,
    session: register_session::Model,
}

/// An error inside the transaction; a unique violation of the idempotency key is told apart.
struct Failure {
    error: Error,
    key_taken: bool,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure {
            error,
            key_taken: false,
        }
    }
}

impl From<DbErr> for Failure {
    fn from(err: DbErr) -> Self {
        let key_taken = matches!(
            err.sql_err(),
            Some(SqlErr::UniqueConstraintViolation(ref message)) if message.contains("idempotency")
        );
        Failure {
            error: Error::from(err),
            key_taken,
        }
    }
}

async fn ring_up(
    txn: &impl ConnectionTrait,
    actor: &Principal,
    currency: Currency,
    parsed: &Parsed,
) -> Result<Rung, Failure> {
    let held = hold(txn, actor, parsed).await?;
    // A concurrent retry with the same key that got the locks first has committed by now.
    if let Some(sale) = replay(txn, actor.user_id, &parsed.key, &parsed.hash).await? {
        return Ok(Rung::AlreadyMade(Box::new(sale)));
    }
    let priced = price(txn, parsed, &held).await?;
    let totals = arithmetic::Totals::of(priced.iter().map(|line| &line.amounts));
    let tenders: Vec<Tender> = parsed
        .payments
        .iter()
        .map(|p| Tender {
            method: p.method,
            amount: p.amount,
        })
        .collect();
    let settlement = arithmetic::settle(currency, totals.total, &tenders)?;

    let now = Utc::now();
    let number = numbers::try_take(txn, held.location.id, &held.location.code).await?;
    let sale = sale::ActiveModel {
        id: Set(Uuid::now_v7()),
        number: Set(number.clone()),
        location_id: Set(held.location.id),
        register_session_id: Set(held.session.id),
        cashier_id: Set(actor.user_id),
        customer_id: Set(parsed.customer_id),
        status: Set(SaleStatus::Completed),
        subtotal_minor: Set(totals.subtotal),
        discount_total_minor: Set(totals.discount),
        tax_total_minor: Set(totals.tax),
        total_minor: Set(totals.total),
        amount_paid_minor: Set(settlement.amount_paid),
        change_minor: Set(settlement.change),
        cost_total_minor: Set(priced.iter().map(|line| line.cost).sum()),
        note: Set(parsed.note.clone()),
        idempotency_key: Set(parsed.key.clone()),
        request_hash: Set(parsed.hash.clone()),
        created_at: Set(now),
        voided_at: Set(None),
        voided_by: Set(None),
        void_reason: Set(None),
    }
    .insert(txn)
    .await?;
    let lines = insert_lines(txn, sale.id, parsed, &held.products, &priced).await?;
    let payments = insert_payments(txn, sale.id, parsed).await?;
    let alerts = take_stock(txn, actor, parsed, &held, sale.id, now).await?;
    audit::record(
        txn,
        Some(actor.user_id),
        "sale.create",
        "sale",
        Some(sale.id.to_string()),
        json!({ "number": number, "total": currency.format(totals.total) }),
    )
    .await?;
    Ok(Rung::Made(Box::new(Made {
        sale,
        alerts,
        code: held.location.code,
        lines,
        payments,
        products: held.products.into_values().collect(),
        session: held.session,
    })))
}

/// What the transaction holds before it writes: the open session (share-locked), its
/// location and the sale's products (locked in id order).
struct Held {
    session: register_session::Model,
    location: location::Model,
    products: HashMap<Uuid, product::Model>,
}

async fn hold(txn: &impl ConnectionTrait, actor: &Principal, parsed: &Parsed) -> Result<Held> {
    let session =
        registers::lock_open(txn, actor, parsed.register_session_id, Lock::Shared).await?;
    let location = locations::get(txn, session.location_id).await?;
    if let Some(customer_id) = parsed.customer_id {
        customers::get(txn, customer_id).await?;
    }
    let products: HashMap<Uuid, product::Model> =
        inventory::lock_products(txn, parsed.lines.iter().map(|l| l.product_id))
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
    Ok(Held {
        session,
        location,
        products,
    })
}

/// One line of the sale, priced.
struct Priced {
    amounts: LineAmounts,
    tax_rate_milli: i64,
    /// What its goods cost the shop.
    cost: i64,
}

/// The lines' amounts, in line order; a line's error names it (`lines[2].quantity`).
async fn price(txn: &impl ConnectionTrait, parsed: &Parsed, held: &Held) -> Result<Vec<Priced>> {
    let rate_ids: Vec<Uuid> = held
        .products
        .values()
        .filter_map(|p| p.tax_rate_id)
        .collect();
    let rates: HashMap<Uuid, i64> = if rate_ids.is_empty() {
        HashMap::new()
    } else {
        tax_rates::get_many(txn, &rate_ids)
            .await?
            .into_iter()
            .map(|r: tax_rate::Model| (r.id, r.rate_milli))
            .collect()
    };
    parsed
        .lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let product = held
                .products
                .get(&line.product_id)
                .ok_or(Error::not_found("product"))?;
            price_line(line, product, &rates, held.location.prices_include_tax)
                .map_err(|e| e.in_item("lines", index))
        })
        .collect()
}

async fn insert_lines(
    txn: &impl ConnectionTrait,
    sale_id: Uuid,
    parsed: &Parsed,
    products: &HashMap<Uuid, product::Model>,
    priced: &[Priced],
) -> Result<Vec<sale_line::Model>> {
    let lines: Vec<sale_line::Model> = parsed
        .lines
        .iter()
        .zip(priced)
        .enumerate()
        .map(|(position, (line, priced))| {
            let product = &products[&line.product_id];
            sale_line::Model {
                id: Uuid::now_v7(),
                sale_id,
                position: i32::try_from(position).unwrap_or(i32::MAX),
                product_id: product.id,
                sku: product.sku.clone(),
                name: product.name.clone(),
                unit: product.unit,
                quantity_milli: line.quantity_milli,
                unit_price_minor: product.price_minor,
                base_minor: priced.amounts.base,
                discount_minor: priced.amounts.discount,
                tax_rate_milli: priced.tax_rate_milli,
                tax_minor: priced.amounts.tax,
                total_minor: priced.amounts.total,
                cost_minor: priced.cost,
                tracks_stock: product.track_stock,
                refunded_quantity_milli: 0,
                refunded_minor: 0,
                refunded_tax_minor: 0,
                refunded_cost_minor: 0,
            }
        })
        .collect();
    sale_line::Entity::insert_many(rows(&lines))
        .exec_without_returning(txn)
        .await?;
    Ok(lines)
}

async fn insert_payments(
    txn: &impl ConnectionTrait,
    sale_id: Uuid,
    parsed: &Parsed,
) -> Result<Vec<sale_payment::Model>> {
    let payments: Vec<sale_payment::Model> = parsed
        .payments
        .iter()
        .enumerate()
        .map(|(position, payment)| sale_payment::Model {
            id: Uuid::now_v7(),
            sale_id,
            position: i32::try_from(position).unwrap_or(i32::MAX),
            method: payment.method,
            amount_minor: payment.amount,
            reference: payment.reference.clone(),
        })
        .collect();
    if !payments.is_empty() {
        sale_payment::Entity::insert_many(rows(&payments))
            .exec_without_returning(txn)
            .await?;
    }
    Ok(payments)
}

/// Takes the tracked lines' goods out of the location's stock (never below zero) and returns
/// the low-stock alerts that raises.
async fn take_stock(
    txn: &impl ConnectionTrait,
    actor: &Principal,
    parsed: &Parsed,
    held: &Held,
    sale_id: Uuid,
    now: chrono::DateTime<Utc>,
) -> Result<Vec<Alert>> {
    let outs: Vec<Out> = parsed
        .lines
        .iter()
        .filter(|line| held.products[&line.product_id].track_stock)
        .map(|line| Out {
            product_id: line.product_id,
            quantity_milli: line.quantity_milli,
        })
        .collect();
    let out_of = OutOf {
        location_id: held.location.id,
        reason: StockReason::Sale,
        user_id: Some(actor.user_id),
        sale_id: Some(sale_id),
    };
    Ok(inventory::take_many(txn, &outs, out_of, now)
        .await?
        .iter()
        .filter_map(|movement| Alert::crossing(&held.products[&movement.product_id], movement))
        .collect())
}

/// A line's amounts, its tax rate and the cost of its goods. Archived products cannot be
/// sold; UNIT products take whole quantities.
fn price_line(
    line: &ParsedLine,
    product: &product::Model,
    rates: &HashMap<Uuid, i64>,
    prices_include_tax: bool,
) -> Result<Priced> {
    if !product.active {
        return Err(Error::bad_input(
            "productId",
            format!("{} is archived and cannot be sold", product.sku),
        ));
    }
    if product.unit == Unit::Unit && line.quantity_milli % MILLI != 0 {
        return Err(Error::bad_input(
            "quantity",
            format!("{} is sold by the unit: whole quantities only", product.sku),
        ));
    }
    let rate = product
        .tax_rate_id
        .and_then(|id| rates.get(&id).copied())
        .unwrap_or(0);
    let amounts = arithmetic::line(
        LineInput {
            quantity_milli: line.quantity_milli,
            unit_price_minor: product.price_minor,
            discount: line.discount,
            tax_rate_milli: rate,
        },
        prices_include_tax,
    )?;
    let cost = i64::try_from(arithmetic::div_round(
        i128::from(product.cost_minor.unwrap_or(0)) * i128::from(line.quantity_milli),
        i128::from(MILLI),
    ))
    .unwrap_or(i64::MAX);
    Ok(Priced {
        amounts,
        tax_rate_milli: rate,
        cost,
    })
}
