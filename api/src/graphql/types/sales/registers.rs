//! Register sessions, their cash movements and totals.

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use domain::money::Currency;
use domain::sales::totals::SessionTotals;
use entity::{cash_movement, location, register_session};

use super::*;
use crate::graphql::context::services;
use crate::graphql::loaders::load;
use crate::graphql::types::location::Location;
use crate::graphql::types::scalars::Money;
use crate::graphql::types::user::User;

/// A cash drawer from opening to closing.
pub struct RegisterSession {
    pub row: register_session::Model,
    pub currency: Currency,
}

impl RegisterSession {
    /// The session `id` as a sale or a refund names it, when the caller may see it: a
    /// cashier sees their own drawers only, whatever path leads to another's (null then).
    pub async fn seen_by_caller(
        ctx: &Context<'_>,
        id: uuid::Uuid,
        currency: Currency,
    ) -> async_graphql::Result<Option<RegisterSession>> {
        let actor = crate::graphql::context::principal(ctx).await?;
        Ok(load::<register_session::Model>(ctx, id)
            .await?
            .filter(|row| domain::sales::registers::may_use(actor, row))
            .map(|row| RegisterSession { row, currency }))
    }
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
        domain::sales::registers::over_short(&self.row)
            .map(|minor| Money::new(minor, self.currency))
    }

    /// The note left at closing.
    async fn close_note(&self) -> Option<&str> {
        self.row.close_note.as_deref()
    }

    /// Pay-ins and pay-outs, oldest first.
    #[graphql(complexity = "crate::graphql::pagination::LIST_COST * child_complexity + 1")]
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
        Money::new(self.totals.net_sales(), self.currency)
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
