//! Registers and sales: what the cashier screen does all day.
//!
//! # Layout
//! - [`arithmetic`]: the contract's sale arithmetic (lines, taxes, payments, refund shares),
//!   pure integer functions with their hand-computed tests.
//! - [`registers`]: register sessions, cash movements, closing with a count.
//! - [`checkout`]: `createSale`, idempotent and oversell-proof.
//! - [`numbers`]: gap-free sale numbers per location, given in batches when tills are busy.
//! - [`refunds`]: refunds and voids.
//! - [`queries`]: reading sales, their lines, payments and refunds.
//! - [`reports`]: the sales report (totals, by cashier, top products).
//! - [`totals`]: SQL aggregates behind the X/Z reports and the sales report.
//! - [`receipt`]: the plain-text receipt.

pub mod arithmetic;
pub mod checkout;
pub mod numbers;
pub mod queries;
pub mod receipt;
pub mod refunds;
pub mod registers;
pub mod reports;
pub mod totals;

use entity::product;
use entity::stock_movement;
use sea_orm::{ActiveModelTrait, IntoActiveModel};
use uuid::Uuid;

use crate::error::{Error, Result};
pub(crate) use crate::inventory::in_line;

/// A movement that took a product from above its low-stock threshold to at or below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub product_id: Uuid,
    pub location_id: Uuid,
    pub on_hand_milli: i64,
    pub threshold_milli: i64,
}

impl Alert {
    /// The alert `movement` raises, if it takes the product from above its threshold to at
    /// or below it.
    pub fn crossing(product: &product::Model, movement: &stock_movement::Model) -> Option<Alert> {
        let threshold = product.low_stock_threshold_milli?;
        let after = movement.on_hand_after_milli;
        let before = after - movement.quantity_milli;
        (before > threshold && after <= threshold).then_some(Alert {
            product_id: product.id,
            location_id: movement.location_id,
            on_hand_milli: after,
            threshold_milli: threshold,
        })
    }
}

/// An idempotency key: 1 to 200 characters after trimming.
pub(crate) fn idempotency_key(raw: &str) -> Result<String> {
    let key = raw.trim();
    if key.is_empty() || key.chars().count() > 200 {
        return Err(Error::bad_input(
            "idempotencyKey",
            "idempotencyKey must be 1 to 200 characters (a UUID the terminal makes per sale)",
        ));
    }
    Ok(key.to_owned())
}

/// Re-labels a payment's field error with its index: `payments[1].amount`.
pub(crate) fn in_payment<T>(index: usize, result: Result<T>) -> Result<T> {
    crate::inventory::in_item("payments", index, result)
}

/// Rows to insert as they are.
pub(crate) fn rows<M, A>(models: &[M]) -> impl Iterator<Item = A> + '_
where
    M: Clone + IntoActiveModel<A>,
    A: ActiveModelTrait,
{
    models
        .iter()
        .cloned()
        .map(|m| m.into_active_model().reset_all())
}
