//! Refunds and their lines.

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use domain::money::Currency;
use entity::{refund, refund_line, sale, sale_line};

use super::*;
use crate::graphql::loaders::{children, load};
use crate::graphql::types::scalars::{Decimal, Money};
use crate::graphql::types::user::User;

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
    #[graphql(complexity = "crate::graphql::pagination::LIST_COST * child_complexity + 1")]
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

    /// The drawer that paid it (cash refunds); null when none was named, or when it is
    /// another cashier's drawer and the caller a cashier.
    async fn register_session(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<RegisterSession>> {
        match self.row.register_session_id {
            Some(id) => RegisterSession::seen_by_caller(ctx, id, self.currency).await,
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
