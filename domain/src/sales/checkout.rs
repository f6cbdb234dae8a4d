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

use chrono::{DateTime, Utc};
use entity::product::{self, Unit};
use entity::sale::{self, SaleStatus};
use entity::sale_line;
use entity::sale_payment::{self, PaymentMethod};
use entity::stock_movement::StockReason;
use entity::tax_rate;
use entity::{location, register_session};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, IntoActiveModel, QueryFilter, Set, SqlErr, TransactionTrait,
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
    /// The shelf price the till showed; see [`NewSale::offline`].
    pub unit_price: Option<String>,
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
    /// When the till completed the sale; `None`: now.
    pub occurred_at: Option<DateTime<Utc>>,
    /// The till completed the sale without the server, and the goods have left: it is
    /// recorded even when stock ran out (stock goes below zero, the sale is flagged
    /// `oversold`) and at the lines' `unit_price` (flagged `price_changed` where that is not
    /// the catalog's). Online, a line's `unit_price` other than the catalog's is refused with
    /// the current price. Not part of the idempotency hash: a retry may set it after an
    /// earlier attempt's answer was lost.
    pub offline: bool,
}

/// How far ahead of the server's clock a till's may run.
const CLOCK_AHEAD: chrono::Duration = chrono::Duration::minutes(5);
/// The oldest sale a till may still send: 72 hours, as long as the longest offline window
/// card terminals allow.
const OLDEST_OFFLINE: chrono::Duration = chrono::Duration::hours(72);

/// A sale request after parsing: amounts in minor units, quantities in thousandths.
struct Parsed {
    key: String,
    hash: String,
    register_session_id: Uuid,
    customer_id: Option<Uuid>,
    lines: Vec<ParsedLine>,
    payments: Vec<ParsedPayment>,
    note: Option<String>,
    occurred_at: Option<DateTime<Utc>>,
    offline: bool,
}

struct ParsedLine {
    product_id: Uuid,
    quantity_milli: i64,
    discount: Discount,
    unit_price: Option<i64>,
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
    if new.payments.len() > arithmetic::MAX_PAYMENTS {
        return Err(Error::bad_input(
            "payments",
            format!("a sale takes at most {} payments", arithmetic::MAX_PAYMENTS),
        ));
    }
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
        occurred_at: new.occurred_at,
        offline: new.offline,
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
    let unit_price = line
        .unit_price
        .as_deref()
        .map(|price| currency.parse_amount(price, "unitPrice", false))
        .transpose()?;
    Ok(ParsedLine {
        product_id: line.product_id,
        quantity_milli,
        discount,
        unit_price,
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

/// The till's time of a sale about to be made: at most 5 minutes ahead of the server's clock,
/// at most 72 hours old, not before its register session opened. Checked only once no sale
/// holds the key: a retry of a sale already made gets it back whatever time it carries.
fn check_occurred_at(at: DateTime<Utc>, session_opened: DateTime<Utc>) -> Result<()> {
    let refused = |why: &'static str| Err(Error::bad_input("occurredAt", why));
    let now = Utc::now();
    if at > now + CLOCK_AHEAD {
        return refused("occurredAt is in the future: check the till's clock");
    }
    if at < now - OLDEST_OFFLINE {
        return refused("occurredAt is more than 72 hours ago");
    }
    if at < session_opened - CLOCK_AHEAD {
        return refused("occurredAt is before the register session opened");
    }
    Ok(())
}

/// SHA-256 of the request as parsed, so "12.5" and "12.50" are the same request. The till's
/// prices count only when sent, so requests from before they existed hash as they did. The
/// till's time and `offline` do not count: they say when and how the same sale was made, and
/// a till whose online attempt's answer was lost sends its retry with them.
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
        "lines": lines.iter().map(|l| {
            let mut line = json!([
                l.product_id,
                l.quantity_milli,
                match l.discount {
                    Discount::None => json!(null),
                    Discount::Amount(a) => json!({ "amount": a }),
                    Discount::PercentMilli(p) => json!({ "percent": p }),
                },
            ]);
            if let (Some(price), Some(array)) = (l.unit_price, line.as_array_mut()) {
                array.push(json!({ "unitPrice": price }));
            }
            line
        }).collect::<Vec<_>>(),
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
    if let Some(at) = parsed.occurred_at {
        check_occurred_at(at, held.session.opened_at)?;
    }
    let priced = price(txn, currency, parsed, &held).await?;
    let totals = arithmetic::Totals::of(priced.iter().map(|line| &line.amounts))?;
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
    let mut sale = sale::ActiveModel {
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
        created_at: Set(parsed.occurred_at.unwrap_or(now)),
        recorded_at: Set(now),
        offline: Set(parsed.offline),
        oversold: Set(false),
        price_changed: Set(priced.iter().any(|line| line.price_changed)),
        after_close: Set(held.after_close),
        voided_at: Set(None),
        voided_by: Set(None),
        void_reason: Set(None),
    }
    .insert(txn)
    .await?;
    let lines = insert_lines(txn, sale.id, parsed, &held.products, &priced).await?;
    let payments = insert_payments(txn, sale.id, parsed).await?;
    let taken = take_stock(txn, actor, parsed, &held, sale.id, now).await?;
    if taken.oversold {
        let mut flagged = sale.into_active_model();
        flagged.oversold = Set(true);
        sale = flagged.update(txn).await?;
    }
    let alerts = taken.alerts;
    audit::record(
        txn,
        Some(actor.user_id),
        "sale.create",
        "sale",
        Some(sale.id.to_string()),
        json!({
            "number": number,
            "total": currency.format(totals.total),
            "offline": sale.offline,
            "oversold": sale.oversold,
            "priceChanged": sale.price_changed,
            "afterClose": sale.after_close,
        }),
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
    /// An offline sale reaching its session after the session closed.
    after_close: bool,
    location: location::Model,
    products: HashMap<Uuid, product::Model>,
}

async fn hold(txn: &impl ConnectionTrait, actor: &Principal, parsed: &Parsed) -> Result<Held> {
    let (session, after_close) = match (parsed.offline, parsed.occurred_at) {
        (true, Some(at)) => {
            registers::lock_for_offline_sale(txn, actor, parsed.register_session_id, at).await?
        }
        _ => (
            registers::lock_open(txn, actor, parsed.register_session_id, Lock::Shared).await?,
            false,
        ),
    };
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
        after_close,
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
    /// The price charged per unit: the catalog's, or the till's for an offline sale.
    unit_price_minor: i64,
    /// Charged at a price the catalog no longer has (offline only).
    price_changed: bool,
}

/// The lines' amounts, in line order; a line's error names it (`lines[2].quantity`).
async fn price(
    txn: &impl ConnectionTrait,
    currency: Currency,
    parsed: &Parsed,
    held: &Held,
) -> Result<Vec<Priced>> {
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
            let pricing = Pricing {
                currency,
                rates: &rates,
                prices_include_tax: held.location.prices_include_tax,
                offline: parsed.offline,
            };
            price_line(line, product, &pricing).map_err(|e| e.in_item("lines", index))
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
                unit_price_minor: priced.unit_price_minor,
                catalog_price_minor: Some(product.price_minor),
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

/// What taking a sale's goods out of stock did.
struct Taken {
    /// Products the sale took to or below their low-stock threshold.
    alerts: Vec<Alert>,
    /// Some level ended below zero (only an offline sale may do that).
    oversold: bool,
}

/// Takes the tracked lines' goods out of the location's stock (never below zero, unless the
/// sale was rung up offline) and returns the low-stock alerts that raises.
async fn take_stock(
    txn: &impl ConnectionTrait,
    actor: &Principal,
    parsed: &Parsed,
    held: &Held,
    sale_id: Uuid,
    now: chrono::DateTime<Utc>,
) -> Result<Taken> {
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
        may_go_negative: parsed.offline,
    };
    let movements = inventory::take_many(txn, &outs, out_of, now).await?;
    Ok(Taken {
        oversold: movements.iter().any(|m| m.on_hand_after_milli < 0),
        alerts: movements
            .iter()
            .filter_map(|movement| Alert::crossing(&held.products[&movement.product_id], movement))
            .collect(),
    })
}

/// What pricing a line needs besides the line and its product.
struct Pricing<'a> {
    currency: Currency,
    /// Tax rate id -> rate in thousandths of a percent.
    rates: &'a HashMap<Uuid, i64>,
    prices_include_tax: bool,
    offline: bool,
}

/// The price a line is charged: the catalog's. A till that shows another price is refused
/// online (with the current price, so the cashier sees it); offline the customer already paid
/// the till's, which is charged and flagged.
fn charged_price(
    line: &ParsedLine,
    product: &product::Model,
    pricing: &Pricing,
) -> Result<(i64, bool)> {
    match line.unit_price {
        None => Ok((product.price_minor, false)),
        Some(price) if price == product.price_minor => Ok((price, false)),
        Some(price) if pricing.offline => Ok((price, true)),
        Some(_) => Err(Error::PriceChanged {
            field: "unitPrice".to_owned(),
            current_price: pricing.currency.format(product.price_minor),
        }),
    }
}

/// A line's amounts, its tax rate and the cost of its goods. Archived products cannot be
/// sold; UNIT products take whole quantities.
fn price_line(line: &ParsedLine, product: &product::Model, pricing: &Pricing) -> Result<Priced> {
    let rates = pricing.rates;
    // An offline sale of a product archived since is recorded: the goods have left.
    if !product.active && !pricing.offline {
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
    let (unit_price_minor, price_changed) = charged_price(line, product, pricing)?;
    let amounts = arithmetic::line(
        LineInput {
            quantity_milli: line.quantity_milli,
            unit_price_minor,
            discount: line.discount,
            tax_rate_milli: rate,
        },
        pricing.prices_include_tax,
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
        unit_price_minor,
        price_changed,
    })
}
