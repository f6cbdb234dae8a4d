//! Registers, sales, payments and refunds as the API shows them.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use domain::money::Currency;
use domain::sales::totals::SessionTotals;
use entity::{
    cash_movement, customer, location, product, refund, refund_line, register_session, sale,
    sale_line, sale_payment, user,
};

use super::catalog::Product;
use super::customer::Customer;
use super::location::Location;
use super::scalars::{Decimal, Money};
use super::user::User;
use crate::graphql::context::services;
use crate::graphql::loaders::{children, load};
use crate::graphql::pagination::connection_type;

/// How a customer pays or is paid back.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::sale_payment::PaymentMethod")]
pub enum PaymentMethod {
    /// Notes and coins; the only method that may pay more than is due (the excess is change).
    Cash,
    /// Debit or credit card.
    Card,
    /// Bank transfer.
    Transfer,
    /// Anything else (vouchers, store credit).
    Other,
}

/// Where a sale stands.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::sale::SaleStatus")]
pub enum SaleStatus {
    /// Paid, nothing refunded.
    Completed,
    /// Some of it was refunded.
    PartiallyRefunded,
    /// All of it was refunded.
    Refunded,
    /// Cancelled while its register session was open: stock went back, it counts nowhere.
    Voided,
}

/// Whether a register session takes sales.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::register_session::RegisterStatus")]
pub enum RegisterStatus {
    /// Taking sales.
    Open,
    /// Counted and closed: no more sales, cash movements or voids.
    Closed,
}

/// Which way cash moved outside a sale.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::cash_movement::CashMovementKind")]
pub enum CashMovementKind {
    /// Cash put into the drawer (more change, say).
    PayIn,
    /// Cash taken out (paying a supplier, a bank drop).
    PayOut,
}

async fn user_by_id(ctx: &Context<'_>, id: uuid::Uuid) -> async_graphql::Result<Option<User>> {
    Ok(load::<user::Model>(ctx, id).await?.map(User))
}

/// A cash drawer from opening to closing.
pub struct RegisterSession {
    pub row: register_session::Model,
    pub currency: Currency,
}

/// A cash drawer from opening to closing: the float it started with, the cash that went
/// through it, and the count that closed it.
#[Object]
impl RegisterSession {
    /// Unique ID (UUID, time-ordered).
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }

    /// The register (till) this session runs on, unique among open sessions of its location.
    async fn register_name(&self) -> &str {
        &self.row.register_name
    }

    /// OPEN while it takes sales, CLOSED once counted.
    async fn status(&self) -> RegisterStatus {
        self.row.status.into()
    }

    /// Where the register is.
    async fn location(&self, ctx: &Context<'_>) -> async_graphql::Result<Location> {
        let row = load::<location::Model>(ctx, self.row.location_id)
            .await?
            .ok_or_else(|| domain::Error::internal("session at a missing location"))?;
        Ok(Location::from(row))
    }

    /// When it was opened.
    async fn opened_at(&self) -> DateTime<Utc> {
        self.row.opened_at
    }

    /// Who opened it.
    async fn opened_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        user_by_id(ctx, self.row.opened_by).await
    }

    /// When it was closed; null while open.
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.row.closed_at
    }

    /// Who closed it; null while open.
    async fn closed_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        match self.row.closed_by {
            Some(id) => user_by_id(ctx, id).await,
            None => Ok(None),
        }
    }

    /// Cash in the drawer at opening.
    async fn opening_float(&self) -> Money {
        Money::new(self.row.opening_float_minor, self.currency)
    }

    /// What the drawer should hold: opening float + cash taken for sales not voided (tendered
    /// minus change) - cash refunds paid from this drawer + pay-ins - pay-outs. While open,
    /// computed now; once closed, as it was at closing.
    async fn expected_cash(&self, ctx: &Context<'_>) -> async_graphql::Result<Money> {
        let minor = match self.row.expected_cash_minor {
            Some(minor) => minor,
            None => domain::sales::registers::expected_cash(&services(ctx)?.db, &self.row).await?,
        };
        Ok(Money::new(minor, self.currency))
    }

    /// What was counted at closing; null while open.
    async fn counted_cash(&self) -> Option<Money> {
        self.row
            .counted_cash_minor
            .map(|minor| Money::new(minor, self.currency))
    }

    /// Counted minus expected cash: negative when the drawer is short; null while open.
    async fn over_short(&self) -> Option<Money> {
        match (self.row.counted_cash_minor, self.row.expected_cash_minor) {
            (Some(counted), Some(expected)) => Some(Money::new(counted - expected, self.currency)),
            _ => None,
        }
    }

    /// The note left at closing.
    async fn close_note(&self) -> Option<&str> {
        self.row.close_note.as_deref()
    }

    /// Pay-ins and pay-outs, oldest first.
    async fn cash_movements(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CashMovement>> {
        let rows =
            domain::sales::registers::cash_movements(&services(ctx)?.db, self.row.id).await?;
        Ok(rows
            .into_iter()
            .map(|row| CashMovement {
                row,
                currency: self.currency,
            })
            .collect())
    }

    /// The session's totals: the X report while open, the Z report once closed. Sales
    /// rung up in this session and refunds paid through it.
    async fn totals(&self, ctx: &Context<'_>) -> async_graphql::Result<RegisterTotals> {
        let totals =
            domain::sales::registers::session_totals(&services(ctx)?.db, self.row.id).await?;
        Ok(RegisterTotals {
            totals,
            currency: self.currency,
        })
    }
}

/// Cash put into or taken out of a drawer outside a sale.
pub struct CashMovement {
    pub row: cash_movement::Model,
    pub currency: Currency,
}

/// Cash put into or taken out of a drawer outside a sale.
#[Object]
impl CashMovement {
    /// Unique ID (UUID, time-ordered).
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }

    /// PAY_IN or PAY_OUT.
    async fn kind(&self) -> CashMovementKind {
        self.row.kind.into()
    }

    /// How much; always positive, `kind` says which way.
    async fn amount(&self) -> Money {
        Money::new(self.row.amount_minor, self.currency)
    }

    /// Why.
    async fn reason(&self) -> &str {
        &self.row.reason
    }

    /// Who recorded it.
    async fn user(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        user_by_id(ctx, self.row.user_id).await
    }

    /// When.
    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }
}

/// What one payment method took, net of change and refunds.
#[derive(SimpleObject)]
pub struct PaymentTotal {
    /// The method.
    pub method: PaymentMethod,
    /// What it took for sales not voided (cash net of change), minus what it refunded.
    pub amount: Money,
}

pub fn payment_totals(totals: &SessionTotals, currency: Currency) -> Vec<PaymentTotal> {
    totals
        .by_payment_method
        .iter()
        .map(|(method, amount)| PaymentTotal {
            method: (*method).into(),
            amount: Money::new(*amount, currency),
        })
        .collect()
}

/// A register session's totals (the X report while open, the Z report once closed).
pub struct RegisterTotals {
    pub totals: SessionTotals,
    pub currency: Currency,
}

/// A register session's totals (the X report while open, the Z report once closed).
#[Object]
impl RegisterTotals {
    /// Sales rung up in the session, not voided.
    async fn sales_count(&self) -> i64 {
        self.totals.sales_count
    }

    /// Sum of those sales' totals, tax included.
    async fn gross_sales(&self) -> Money {
        Money::new(self.totals.gross_sales, self.currency)
    }

    /// Refunds paid through this session.
    async fn refunds_total(&self) -> Money {
        Money::new(self.totals.refunds_total, self.currency)
    }

    /// Gross sales minus refunds.
    async fn net_sales(&self) -> Money {
        Money::new(
            self.totals.gross_sales - self.totals.refunds_total,
            self.currency,
        )
    }

    /// Tax of those sales minus tax refunded.
    async fn tax_total(&self) -> Money {
        Money::new(self.totals.tax_total, self.currency)
    }

    /// What each method took (cash net of change) minus what it refunded; methods that
    /// neither took nor refunded anything are left out.
    async fn by_payment_method(&self) -> Vec<PaymentTotal> {
        payment_totals(&self.totals, self.currency)
    }
}

/// A checkout: what was sold, how it was paid, and what happened to it since.
pub struct Sale {
    pub row: sale::Model,
    pub currency: Currency,
}

/// A checkout: what was sold, how it was paid, and what happened to it since.
#[Object]
impl Sale {
    /// Unique ID (UUID, time-ordered).
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }

    /// The number printed on the receipt: `<LOCATION CODE>-<6 digits>`, gap-free per
    /// location. Numbers are given to committed sales, so for a few milliseconds after a sale
    /// commits (never in createSale's answer) it may read `PENDING`.
    async fn number(&self) -> &str {
        self.row
            .number
            .as_deref()
            .unwrap_or(domain::sales::receipt::PENDING)
    }

    /// COMPLETED, PARTIALLY_REFUNDED, REFUNDED or VOIDED.
    async fn status(&self) -> SaleStatus {
        self.row.status.into()
    }

    /// When it was rung up.
    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }

    /// Sum of the lines' quantity × unit price, before discounts.
    async fn subtotal(&self) -> Money {
        Money::new(self.row.subtotal_minor, self.currency)
    }

    /// Sum of the lines' discounts.
    async fn discount_total(&self) -> Money {
        Money::new(self.row.discount_total_minor, self.currency)
    }

    /// Sum of the lines' tax (each line rounded on its own).
    async fn tax_total(&self) -> Money {
        Money::new(self.row.tax_total_minor, self.currency)
    }

    /// What the customer owes, tax included: the sum of the line totals.
    async fn total(&self) -> Money {
        Money::new(self.row.total_minor, self.currency)
    }

    /// What was tendered, all methods together.
    async fn amount_paid(&self) -> Money {
        Money::new(self.row.amount_paid_minor, self.currency)
    }

    /// Cash given back: amount paid minus total.
    async fn change(&self) -> Money {
        Money::new(self.row.change_minor, self.currency)
    }

    /// The lines, in the order rung up.
    async fn lines(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<SaleLine>> {
        Ok(children::<sale_line::Model>(ctx, self.row.id)
            .await?
            .into_iter()
            .map(|row| SaleLine {
                row,
                currency: self.currency,
            })
            .collect())
    }

    /// The tenders, in the order given (split tender is several).
    async fn payments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<SalePayment>> {
        Ok(children::<sale_payment::Model>(ctx, self.row.id)
            .await?
            .into_iter()
            .map(|row| SalePayment {
                row,
                currency: self.currency,
            })
            .collect())
    }

    /// Refunds made against this sale, oldest first.
    async fn refunds(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Refund>> {
        Ok(children::<refund::Model>(ctx, self.row.id)
            .await?
            .into_iter()
            .map(|row| Refund {
                row,
                currency: self.currency,
            })
            .collect())
    }

    /// The customer, when one was named.
    async fn customer(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Customer>> {
        match self.row.customer_id {
            Some(id) => Ok(load::<customer::Model>(ctx, id).await?.map(Customer)),
            None => Ok(None),
        }
    }

    /// Who rang it up.
    async fn cashier(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        user_by_id(ctx, self.row.cashier_id).await
    }

    /// The register session it was rung up in.
    async fn register_session(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<RegisterSession>> {
        Ok(
            load::<register_session::Model>(ctx, self.row.register_session_id)
                .await?
                .map(|row| RegisterSession {
                    row,
                    currency: self.currency,
                }),
        )
    }

    /// Where it was sold.
    async fn location(&self, ctx: &Context<'_>) -> async_graphql::Result<Location> {
        let row = load::<location::Model>(ctx, self.row.location_id)
            .await?
            .ok_or_else(|| domain::Error::internal("sale at a missing location"))?;
        Ok(Location::from(row))
    }

    /// The note given at checkout.
    async fn note(&self) -> Option<&str> {
        self.row.note.as_deref()
    }

    /// Why it was voided; null unless VOIDED.
    async fn void_reason(&self) -> Option<&str> {
        self.row.void_reason.as_deref()
    }

    /// When it was voided; null unless VOIDED.
    async fn voided_at(&self) -> Option<DateTime<Utc>> {
        self.row.voided_at
    }

    /// Who voided it; null unless VOIDED.
    async fn voided_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        match self.row.voided_by {
            Some(id) => user_by_id(ctx, id).await,
            None => Ok(None),
        }
    }

    /// The receipt as plain text for an 80 mm printer (42 columns): store, number, date,
    /// lines, taxes by rate, totals, payments, change.
    async fn receipt_text(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        let db = &services(ctx)?.db;
        Ok(domain::sales::receipt::render(db, self.currency, &self.row).await?)
    }
}

/// One line of a sale, with what the catalog said when it was sold.
pub struct SaleLine {
    pub row: sale_line::Model,
    pub currency: Currency,
}

/// One line of a sale, with what the catalog said when it was sold: later catalog edits never
/// change it.
#[Object]
impl SaleLine {
    /// Unique ID (UUID); refunds name lines by it.
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }

    /// The product's SKU at sale time.
    async fn sku(&self) -> &str {
        &self.row.sku
    }

    /// The product's name at sale time.
    async fn name(&self) -> &str {
        &self.row.name
    }

    /// The product as it is now.
    async fn product(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Product>> {
        let currency = self.currency;
        Ok(load::<product::Model>(ctx, self.row.product_id)
            .await?
            .map(|row| Product {
                row,
                currency,
                relations: None,
            }))
    }

    /// How much was sold (up to 3 decimals for weighed goods).
    async fn quantity(&self) -> Decimal {
        Decimal::milli(self.row.quantity_milli)
    }

    /// How much of it has been refunded so far.
    async fn refunded_quantity(&self) -> Decimal {
        Decimal::milli(self.row.refunded_quantity_milli)
    }

    /// The shelf price at sale time (with tax where the location's prices include it).
    async fn unit_price(&self) -> Money {
        Money::new(self.row.unit_price_minor, self.currency)
    }

    /// Quantity × unit price, rounded, before the discount.
    async fn subtotal(&self) -> Money {
        Money::new(self.row.base_minor, self.currency)
    }

    /// The discount taken off this line.
    async fn discount(&self) -> Money {
        Money::new(self.row.discount_minor, self.currency)
    }

    /// The tax rate applied, as a percentage ("21").
    async fn tax_rate_percent(&self) -> Decimal {
        Decimal::milli(self.row.tax_rate_milli)
    }

    /// The tax in this line's total.
    async fn tax_amount(&self) -> Money {
        Money::new(self.row.tax_minor, self.currency)
    }

    /// What the line costs the customer, tax included.
    async fn total(&self) -> Money {
        Money::new(self.row.total_minor, self.currency)
    }
}

/// One tender of a sale.
pub struct SalePayment {
    pub row: sale_payment::Model,
    pub currency: Currency,
}

/// One tender of a sale.
#[Object]
impl SalePayment {
    /// How it was paid.
    async fn method(&self) -> PaymentMethod {
        self.row.method.into()
    }

    /// What was tendered (for cash, before change).
    async fn amount(&self) -> Money {
        Money::new(self.row.amount_minor, self.currency)
    }

    /// Card slip or transfer reference, when given.
    async fn reference(&self) -> Option<&str> {
        self.row.reference.as_deref()
    }
}

/// Money (and maybe goods) given back for part or all of a sale.
pub struct Refund {
    pub row: refund::Model,
    pub currency: Currency,
}

/// Money (and maybe goods) given back for part or all of a sale.
#[Object]
impl Refund {
    /// Unique ID (UUID, time-ordered).
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }

    /// Why.
    async fn reason(&self) -> &str {
        &self.row.reason
    }

    /// Whether the goods went back into stock (RETURN movements).
    async fn restocked(&self) -> bool {
        self.row.restocked
    }

    /// When.
    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }

    /// What was given back, tax included: per line `round(line total × quantity / line
    /// quantity)`, the refund that completes a line taking exactly what is left of it.
    async fn amount(&self) -> Money {
        Money::new(self.row.amount_minor, self.currency)
    }

    /// The tax part of `amount`.
    async fn tax_amount(&self) -> Money {
        Money::new(self.row.tax_minor, self.currency)
    }

    /// How it was paid back.
    async fn method(&self) -> PaymentMethod {
        self.row.method.into()
    }

    /// What was refunded, line by line.
    async fn lines(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<RefundLine>> {
        Ok(children::<refund_line::Model>(ctx, self.row.id)
            .await?
            .into_iter()
            .map(|row| RefundLine {
                row,
                currency: self.currency,
            })
            .collect())
    }

    /// The sale refunded.
    async fn sale(&self, ctx: &Context<'_>) -> async_graphql::Result<Sale> {
        let row = load::<sale::Model>(ctx, self.row.sale_id)
            .await?
            .ok_or_else(|| domain::Error::internal("refund of a missing sale"))?;
        Ok(Sale {
            row,
            currency: self.currency,
        })
    }

    /// Who refunded.
    async fn refunded_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        user_by_id(ctx, self.row.user_id).await
    }

    /// The drawer that paid it (cash refunds); null when none was named.
    async fn register_session(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<RegisterSession>> {
        match self.row.register_session_id {
            Some(id) => {
                Ok(load::<register_session::Model>(ctx, id)
                    .await?
                    .map(|row| RegisterSession {
                        row,
                        currency: self.currency,
                    }))
            }
            None => Ok(None),
        }
    }
}

/// How much of one sale line a refund gave back.
pub struct RefundLine {
    pub row: refund_line::Model,
    pub currency: Currency,
}

/// How much of one sale line a refund gave back.
#[Object]
impl RefundLine {
    /// The quantity refunded.
    async fn quantity(&self) -> Decimal {
        Decimal::milli(self.row.quantity_milli)
    }

    /// The money given back for it, tax included.
    async fn amount(&self) -> Money {
        Money::new(self.row.amount_minor, self.currency)
    }

    /// The sale line refunded.
    async fn sale_line(&self, ctx: &Context<'_>) -> async_graphql::Result<SaleLine> {
        let row = load::<sale_line::Model>(ctx, self.row.sale_line_id)
            .await?
            .ok_or_else(|| domain::Error::internal("refund of a missing sale line"))?;
        Ok(SaleLine {
            row,
            currency: self.currency,
        })
    }
}

connection_type!(SaleConnection, SaleEdge, Sale, "sales");

/// Sales and refunds over a time range, by the contract's definitions.
pub struct SalesReport {
    pub report: domain::sales::reports::SalesReport,
    pub currency: Currency,
}

/// Sales over a half-open time range `[from, to)`: sales count by sale time, refunds by refund
/// time. Definitions are the contract's CONVENTIONS.md.
#[Object]
impl SalesReport {
    /// Sales not voided, by sale time.
    async fn sales_count(&self) -> i64 {
        self.report.totals.sales_count
    }

    /// Sum of those sales' totals, tax included.
    async fn gross_sales(&self) -> Money {
        Money::new(self.report.totals.gross_sales, self.currency)
    }

    /// Refunds made in the range, by refund time.
    async fn refunds_total(&self) -> Money {
        Money::new(self.report.totals.refunds_total, self.currency)
    }

    /// Gross sales minus refunds.
    async fn net_sales(&self) -> Money {
        Money::new(self.report.net_sales(), self.currency)
    }

    /// Tax of those sales minus tax refunded.
    async fn tax_total(&self) -> Money {
        Money::new(self.report.totals.tax_total, self.currency)
    }

    /// Net sales without tax minus the cost of the goods that stayed sold (each line's cost
    /// is the product's weighted-average cost when it was sold).
    async fn gross_margin(&self) -> Money {
        Money::new(self.report.gross_margin(), self.currency)
    }

    /// What each method took (cash net of change) minus what it refunded; methods that
    /// neither took nor refunded anything are left out.
    async fn by_payment_method(&self) -> Vec<PaymentTotal> {
        payment_totals(&self.report.totals, self.currency)
    }

    /// Sales per cashier, largest total first.
    async fn by_cashier(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CashierTotal>> {
        let db = &services(ctx)?.db;
        let rows = domain::sales::reports::by_cashier(db, &self.report.scope).await?;
        Ok(rows
            .into_iter()
            .map(|row| CashierTotal {
                row,
                currency: self.currency,
            })
            .collect())
    }

    /// The products with the most revenue (line totals minus refunds of those lines), most
    /// first; quantities net of refunds.
    async fn top_products(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many: default 20, at most 100.")] first: Option<i32>,
    ) -> async_graphql::Result<Vec<TopProduct>> {
        let first = crate::graphql::pagination::page_size(first)?;
        let db = &services(ctx)?.db;
        let rows = domain::sales::reports::top_products(db, &self.report.scope, first).await?;
        Ok(rows
            .into_iter()
            .map(|row| TopProduct {
                row,
                currency: self.currency,
            })
            .collect())
    }
}

/// What one cashier rang up in a report's range.
pub struct CashierTotal {
    pub row: domain::sales::reports::CashierTotal,
    pub currency: Currency,
}

/// What one cashier rang up in a report's range.
#[Object]
impl CashierTotal {
    /// The cashier.
    async fn cashier(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        user_by_id(ctx, self.row.cashier_id).await
    }

    /// Their sales, not voided.
    async fn sales_count(&self) -> i64 {
        self.row.sales_count
    }

    /// Sum of those sales' totals.
    async fn total(&self) -> Money {
        Money::new(self.row.total, self.currency)
    }
}

/// A product's sales in a report's range.
pub struct TopProduct {
    pub row: domain::sales::reports::TopProduct,
    pub currency: Currency,
}

/// A product's sales in a report's range.
#[Object]
impl TopProduct {
    /// The product.
    async fn product(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Product>> {
        let currency = self.currency;
        Ok(load::<product::Model>(ctx, self.row.product_id)
            .await?
            .map(|row| Product {
                row,
                currency,
                relations: None,
            }))
    }

    /// Quantity sold, net of refunds.
    async fn quantity(&self) -> Decimal {
        Decimal::milli(self.row.quantity_milli)
    }

    /// Line totals minus refunds, tax included.
    async fn revenue(&self) -> Money {
        Money::new(self.row.revenue, self.currency)
    }
}

/// A product that just fell to or below its low-stock threshold at a location.
pub struct LowStockAlert {
    pub product_id: uuid::Uuid,
    pub location_id: uuid::Uuid,
    pub on_hand_milli: i64,
    pub threshold_milli: i64,
    pub currency: Currency,
}

/// A product that just fell to or below its low-stock threshold at a location.
#[Object]
impl LowStockAlert {
    /// Stock on hand at the location after the movement that crossed the threshold.
    async fn on_hand(&self) -> Decimal {
        Decimal::milli(self.on_hand_milli)
    }

    /// The product's low-stock threshold.
    async fn threshold(&self) -> Decimal {
        Decimal::milli(self.threshold_milli)
    }

    /// The product.
    async fn product(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Product>> {
        let currency = self.currency;
        Ok(load::<product::Model>(ctx, self.product_id)
            .await?
            .map(|row| Product {
                row,
                currency,
                relations: None,
            }))
    }

    /// The location.
    async fn location(&self, ctx: &Context<'_>) -> async_graphql::Result<Location> {
        let row = load::<location::Model>(ctx, self.location_id)
            .await?
            .ok_or_else(|| domain::Error::internal("alert at a missing location"))?;
        Ok(Location::from(row))
    }
}
