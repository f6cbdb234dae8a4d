//! The sales report over a half-open time range: SQL aggregates, never sales loaded into
//! memory. Definitions are the contract's CONVENTIONS.md.

use chrono::{DateTime, Utc};
use entity::sale;
use entity::sale_line;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ConnectionTrait, EntityTrait, JoinType, Order, QueryFilter, QueryOrder, QuerySelect,
    RelationDef,
};
use uuid::Uuid;

use super::totals::{self, Scope, SessionTotals, sales_condition, sum};
use crate::error::{Error, Result};

/// The head of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SalesReport {
    pub scope: Scope,
    pub totals: SessionTotals,
}

/// What one cashier rang up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CashierTotal {
    pub cashier_id: Uuid,
    pub sales_count: i64,
    /// Sum of their sales' totals.
    pub total: i64,
}

/// A product's sales in the range, net of refunds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopProduct {
    pub product_id: Uuid,
    pub quantity_milli: i64,
    pub revenue: i64,
}

/// Totals of `[from, to)`, at one location or all. `from` must be before `to`.
pub async fn report(
    conn: &impl ConnectionTrait,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    location_id: Option<Uuid>,
) -> Result<SalesReport> {
    if from >= to {
        return Err(Error::bad_input("to", "to must be after from"));
    }
    let scope = Scope::Range {
        from,
        to,
        location_id,
    };
    Ok(SalesReport {
        scope,
        totals: totals::totals(conn, &scope).await?,
    })
}

/// Sales per cashier, largest total first.
pub async fn by_cashier(conn: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<CashierTotal>> {
    let rows: Vec<(Uuid, i64, i64)> = sale::Entity::find()
        .filter(sales_condition(scope))
        .select_only()
        .column(sale::Column::CashierId)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .column_as(sum("sales.total_minor"), "total")
        .group_by(sale::Column::CashierId)
        .order_by(Expr::cust("3"), Order::Desc)
        .order_by_asc(sale::Column::CashierId)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(cashier_id, sales_count, total)| CashierTotal {
            cashier_id,
            sales_count,
            total,
        })
        .collect())
}

fn line_to_sale() -> RelationDef {
    sale_line::Entity::belongs_to(sale::Entity)
        .from(sale_line::Column::SaleId)
        .to(sale::Column::Id)
        .into()
}

/// The products with the most revenue (line totals minus what was refunded of them) in the
/// range's sales; quantities net of refunds.
pub async fn top_products(
    conn: &impl ConnectionTrait,
    scope: &Scope,
    first: u64,
) -> Result<Vec<TopProduct>> {
    let rows: Vec<(Uuid, i64, i64)> = sale_line::Entity::find()
        .join(JoinType::InnerJoin, line_to_sale())
        .filter(sales_condition(scope))
        .select_only()
        .column(sale_line::Column::ProductId)
        .column_as(
            sum("sale_lines.quantity_milli - sale_lines.refunded_quantity_milli"),
            "quantity",
        )
        .column_as(
            sum("sale_lines.total_minor - sale_lines.refunded_minor"),
            "revenue",
        )
        .group_by(sale_line::Column::ProductId)
        .order_by(Expr::cust("3"), Order::Desc)
        .order_by_asc(sale_line::Column::ProductId)
        .limit(first)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(product_id, quantity_milli, revenue)| TopProduct {
            product_id,
            quantity_milli,
            revenue,
        })
        .collect())
}
