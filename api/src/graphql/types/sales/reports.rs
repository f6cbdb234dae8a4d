//! The sales report.

use async_graphql::{Context, Object};
use domain::money::Currency;
use entity::product;

use super::*;
use crate::graphql::context::services;
use crate::graphql::loaders::load;
use crate::graphql::types::catalog::Product;
use crate::graphql::types::scalars::{Decimal, Money};
use crate::graphql::types::user::User;

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
        Money::new(self.report.totals.net_sales(), self.currency)
    }

    /// Tax of those sales minus tax refunded.
    async fn tax_total(&self) -> Money {
        Money::new(self.report.totals.tax_total, self.currency)
    }

    /// Net sales without tax minus the cost of the goods that stayed sold (each line's cost
    /// is the product's weighted-average cost when it was sold).
    async fn gross_margin(&self) -> Money {
        Money::new(self.report.totals.gross_margin(), self.currency)
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
    #[graphql(complexity = "crate::graphql::pagination::page_cost(first, child_complexity)")]
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
