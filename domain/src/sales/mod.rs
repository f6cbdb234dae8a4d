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

use sea_orm::{ActiveModelTrait, IntoActiveModel};

use crate::error::{Error, Result};

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
