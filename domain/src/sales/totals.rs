//! Totals of sales and refunds over a register session or a time range, computed by SQL
//! aggregates (never by loading the sales). Definitions are the contract's CONVENTIONS.md.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use entity::cash_movement::{self, CashMovementKind};
use entity::refund;
use entity::sale::{self, SaleStatus};
use entity::sale_payment::{self, PaymentMethod};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect,
    RelationDef,
};
use uuid::Uuid;

use crate::error::Result;

/// What the totals are over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Sales rung up in a register session; refunds paid through it.
    Session(Uuid),
    /// Sales by sale time and refunds by refund time in `[from, to)`, at one location or all.
    Range {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        location_id: Option<Uuid>,
    },
}

/// The X/Z report of a session, and the head of the sales report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionTotals {
    /// Sales not voided.
    pub sales_count: i64,
    /// Sum of their totals.
    pub gross_sales: i64,
    pub refunds_total: i64,
    /// Tax of those sales minus tax refunded.
    pub tax_total: i64,
    /// What each method took (cash net of change) minus what it refunded; methods that
    /// neither took nor refunded anything are left out.
    pub by_payment_method: Vec<(PaymentMethod, i64)>,
    /// Cost of the goods sold minus cost of the goods refunded.
    pub cost_of_goods: i64,
}

impl SessionTotals {
    /// Gross sales minus refunds.
    pub fn net_sales(&self) -> i64 {
        self.gross_sales - self.refunds_total
    }

    /// Net sales without tax, minus the cost of the goods that stayed sold.
    pub fn gross_margin(&self) -> i64 {
        self.net_sales() - self.tax_total - self.cost_of_goods
    }
}

/// `CAST(COALESCE(SUM(x), 0) AS BIGINT)`: PostgreSQL sums BIGINT into NUMERIC.
pub(crate) fn sum(column: &str) -> SimpleExpr {
    Expr::cust(format!("CAST(COALESCE(SUM({column}), 0) AS BIGINT)"))
}

pub(crate) fn sales_condition(scope: &Scope) -> Condition {
    let live = Condition::all().add(sale::Column::Status.ne(SaleStatus::Voided));
    match *scope {
        Scope::Session(id) => live.add(sale::Column::RegisterSessionId.eq(id)),
        Scope::Range {
            from,
            to,
            location_id,
        } => live
            .add(sale::Column::CreatedAt.gte(from))
            .add(sale::Column::CreatedAt.lt(to))
            .add_option(location_id.map(|id| sale::Column::LocationId.eq(id))),
    }
}

fn refunds_condition(scope: &Scope) -> Condition {
    match *scope {
        Scope::Session(id) => Condition::all().add(refund::Column::RegisterSessionId.eq(id)),
        Scope::Range {
            from,
            to,
            location_id,
        } => Condition::all()
            .add(refund::Column::CreatedAt.gte(from))
            .add(refund::Column::CreatedAt.lt(to))
            .add_option(location_id.map(|id| sale::Column::LocationId.eq(id))),
    }
}

pub(crate) fn refund_to_sale() -> RelationDef {
    refund::Entity::belongs_to(sale::Entity)
        .from(refund::Column::SaleId)
        .to(sale::Column::Id)
        .into()
}

fn payment_to_sale() -> RelationDef {
    sale_payment::Entity::belongs_to(sale::Entity)
        .from(sale_payment::Column::SaleId)
        .to(sale::Column::Id)
        .into()
}

/// Refunds in scope, joined to their sale (for the location filter).
fn refunds_in(scope: &Scope) -> sea_orm::Select<refund::Entity> {
    refund::Entity::find()
        .join(JoinType::InnerJoin, refund_to_sale())
        .filter(refunds_condition(scope))
}

pub async fn totals(conn: &impl ConnectionTrait, scope: &Scope) -> Result<SessionTotals> {
    let (sales_count, gross, tax, change, cost): (i64, i64, i64, i64, i64) = sale::Entity::find()
        .filter(sales_condition(scope))
        .select_only()
        .column_as(Expr::cust("COUNT(*)"), "n")
        .column_as(sum("sales.total_minor"), "gross")
        .column_as(sum("sales.tax_total_minor"), "tax")
        .column_as(sum("sales.change_minor"), "change")
        .column_as(sum("sales.cost_total_minor"), "cost")
        .into_tuple()
        .one(conn)
        .await?
        .unwrap_or_default();
    let (refunded, refunded_tax, refunded_cost): (i64, i64, i64) = refunds_in(scope)
        .select_only()
        .column_as(sum("refunds.amount_minor"), "amount")
        .column_as(sum("refunds.tax_minor"), "tax")
        .column_as(sum("refunds.cost_minor"), "cost")
        .into_tuple()
        .one(conn)
        .await?
        .unwrap_or_default();

    let mut by_method: BTreeMap<PaymentMethod, i64> = BTreeMap::new();
    let taken: Vec<(PaymentMethod, i64)> = sale_payment::Entity::find()
        .join(JoinType::InnerJoin, payment_to_sale())
        .filter(sales_condition(scope))
        .select_only()
        .column(sale_payment::Column::Method)
        .column_as(sum("sale_payments.amount_minor"), "amount")
        .group_by(sale_payment::Column::Method)
        .into_tuple()
        .all(conn)
        .await?;
    for (method, amount) in taken {
        *by_method.entry(method).or_default() += amount;
    }
    if change != 0 {
        *by_method.entry(PaymentMethod::Cash).or_default() -= change;
    }
    let given_back: Vec<(PaymentMethod, i64)> = refunds_in(scope)
        .select_only()
        .column(refund::Column::Method)
        .column_as(sum("refunds.amount_minor"), "amount")
        .group_by(refund::Column::Method)
        .into_tuple()
        .all(conn)
        .await?;
    for (method, amount) in given_back {
        *by_method.entry(method).or_default() -= amount;
    }

    Ok(SessionTotals {
        sales_count,
        gross_sales: gross,
        refunds_total: refunded,
        tax_total: tax - refunded_tax,
        by_payment_method: by_method.into_iter().collect(),
        cost_of_goods: cost - refunded_cost,
    })
}

/// Cash that went through a session's drawer, apart from its opening float: cash taken for
/// sales not voided (tendered minus change), minus cash refunds it paid, plus pay-ins, minus
/// pay-outs.
pub async fn session_cash(conn: &impl ConnectionTrait, session_id: Uuid) -> Result<i64> {
    let scope = Scope::Session(session_id);
    let tendered: Option<i64> = sale_payment::Entity::find()
        .join(JoinType::InnerJoin, payment_to_sale())
        .filter(sales_condition(&scope))
        .filter(sale_payment::Column::Method.eq(PaymentMethod::Cash))
        .select_only()
        .column_as(sum("sale_payments.amount_minor"), "amount")
        .into_tuple()
        .one(conn)
        .await?;
    let change: Option<i64> = sale::Entity::find()
        .filter(sales_condition(&scope))
        .select_only()
        .column_as(sum("sales.change_minor"), "change")
        .into_tuple()
        .one(conn)
        .await?;
    let refunded: Option<i64> = refund::Entity::find()
        .filter(refund::Column::RegisterSessionId.eq(session_id))
        .filter(refund::Column::Method.eq(PaymentMethod::Cash))
        .select_only()
        .column_as(sum("refunds.amount_minor"), "amount")
        .into_tuple()
        .one(conn)
        .await?;
    let movements: Vec<(CashMovementKind, i64)> = cash_movement::Entity::find()
        .filter(cash_movement::Column::RegisterSessionId.eq(session_id))
        .select_only()
        .column(cash_movement::Column::Kind)
        .column_as(sum("cash_movements.amount_minor"), "amount")
        .group_by(cash_movement::Column::Kind)
        .into_tuple()
        .all(conn)
        .await?;
    let moved: i64 = movements
        .iter()
        .map(|(kind, amount)| match kind {
            CashMovementKind::PayIn => *amount,
            CashMovementKind::PayOut => -amount,
        })
        .sum();
    Ok(tendered.unwrap_or(0) - change.unwrap_or(0) - refunded.unwrap_or(0) + moved)
}
