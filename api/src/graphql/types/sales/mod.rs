//! Registers, sales, payments, refunds and reports as the API shows them; split as
//! `domain::sales` is.
//!
//! # Layout
//! - this module: the enums the others share, and payment totals.
//! - `registers`: register sessions, cash movements, the X/Z totals.
//! - `sale`: sales, their lines and payments.
//! - `refunds`: refunds and their lines.
//! - `reports`: the sales report, by cashier and top products.

mod refunds;
mod registers;
mod reports;
mod sale;

pub use refunds::{Refund, RefundLine};
pub use registers::{CashMovement, RegisterSession, RegisterTotals};
pub use reports::{CashierTotal, SalesReport, TopProduct};
pub use sale::{Sale, SaleConnection, SaleEdge, SaleLine, SalePayment};

use async_graphql::{Context, Enum, SimpleObject};
use domain::money::Currency;
use domain::sales::totals::SessionTotals;
use entity::user;

use super::scalars::Money;
use super::user::User;
use crate::graphql::loaders::load;

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

/// Why a manager should review a sale rung up offline.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaleReviewReason {
    /// It sold stock the location did not have: stock went below zero (the goods had left
    /// before the server could refuse). Count the shelf and adjust.
    Oversold,
    /// A line was charged a price the catalog no longer had (the till showed the old one);
    /// `SaleLine.catalogPrice` says what the catalog asked.
    PriceChanged,
    /// It reached the server after its register session was counted and closed (it happened
    /// while the drawer was open): its cash is not in that closing's expected cash, and the
    /// session's totals now include it.
    AfterClose,
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
