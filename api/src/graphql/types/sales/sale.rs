//! Sales, their lines and their payments.

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use domain::money::Currency;
use entity::{customer, location, product, refund, sale, sale_line, sale_payment};

use super::*;
use crate::graphql::context::services;
use crate::graphql::loaders::{children, load};
use crate::graphql::pagination::connection_type;
use crate::graphql::types::catalog::Product;
use crate::graphql::types::customer::Customer;
use crate::graphql::types::location::Location;
use crate::graphql::types::scalars::{Decimal, Money};
use crate::graphql::types::user::User;

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

    /// When it was rung up: on the till's clock for a sale rung up offline (`occurredAt`),
    /// the server's otherwise. Reports and receipts go by it.
    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }

    /// When the server stored it: `createdAt` for an online sale, later for one that waited
    /// in a till's outbox.
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.row.recorded_at
    }

    /// Rung up while the till could not reach the server (`createSale(input: { offline:
    /// true })`).
    async fn offline(&self) -> bool {
        self.row.offline
    }

    /// Why a manager should look at this sale; empty for almost every sale. Only sales rung
    /// up offline get reasons: the goods had left before the server saw them.
    async fn review_reasons(&self) -> Vec<SaleReviewReason> {
        let mut reasons = Vec::new();
        if self.row.oversold {
            reasons.push(SaleReviewReason::Oversold);
        }
        if self.row.price_changed {
            reasons.push(SaleReviewReason::PriceChanged);
        }
        if self.row.after_close {
            reasons.push(SaleReviewReason::AfterClose);
        }
        reasons
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
    #[graphql(complexity = "crate::graphql::pagination::LIST_COST * child_complexity + 1")]
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
    #[graphql(complexity = "crate::graphql::pagination::LIST_COST * child_complexity + 1")]
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
    #[graphql(complexity = "crate::graphql::pagination::LIST_COST * child_complexity + 1")]
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
        RegisterSession::seen_by_caller(ctx, self.row.register_session_id, self.currency).await
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
    #[graphql(complexity = 10)]
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

    /// The price charged per unit (with tax where the location's prices include it): the
    /// catalog's at sale time, or for a sale rung up offline the one the till showed.
    async fn unit_price(&self) -> Money {
        Money::new(self.row.unit_price_minor, self.currency)
    }

    /// The catalog's price when the line was sold; differs from `unitPrice` only on an
    /// offline sale charged an older price (review reason PRICE_CHANGED). Null on lines sold
    /// before it was recorded.
    async fn catalog_price(&self) -> Option<Money> {
        self.row
            .catalog_price_minor
            .map(|minor| Money::new(minor, self.currency))
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

connection_type!(SaleConnection, SaleEdge, Sale, "sales");
