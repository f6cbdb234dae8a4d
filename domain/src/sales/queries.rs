//! Reading sales: one, a filtered page, and the rows that hang off them (for DataLoaders).
//!
//! A cashier reads only the sales they rang up; to them another cashier's sale is NOT_FOUND.

use chrono::{DateTime, Utc};
use entity::refund;
use entity::refund_line;
use entity::sale::{self, SaleStatus};
use entity::sale_line;
use entity::sale_payment;
use entity::user::Role;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::auth::Principal;
use crate::error::{Error, Result};
use crate::pagination::{Page, PageRequest};

fn visible(actor: &Principal, sale: &sale::Model) -> bool {
    actor.has_role(Role::Manager) || sale.cashier_id == actor.user_id
}

pub async fn get(conn: &impl ConnectionTrait, actor: &Principal, id: Uuid) -> Result<sale::Model> {
    sale::Entity::find_by_id(id)
        .one(conn)
        .await?
        .filter(|sale| visible(actor, sale))
        .ok_or(Error::not_found("sale"))
}

pub async fn get_many(conn: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<sale::Model>> {
    Ok(sale::Entity::find()
        .filter(sale::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// What `sales` filters on; every field narrows.
#[derive(Debug, Clone, Default)]
pub struct SaleFilter {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub location_id: Option<Uuid>,
    pub cashier_id: Option<Uuid>,
    pub register_session_id: Option<Uuid>,
    pub status: Option<SaleStatus>,
    pub number: Option<String>,
    /// Sales with (true) or without (false) a reason for a manager to review them.
    pub needs_review: Option<bool>,
}

fn matching(actor: &Principal, filter: &SaleFilter) -> sea_orm::Select<sale::Entity> {
    let mut query = sale::Entity::find();
    if !actor.has_role(Role::Manager) {
        query = query.filter(sale::Column::CashierId.eq(actor.user_id));
    }
    if let Some(from) = filter.from {
        query = query.filter(sale::Column::CreatedAt.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(sale::Column::CreatedAt.lt(to));
    }
    if let Some(id) = filter.location_id {
        query = query.filter(sale::Column::LocationId.eq(id));
    }
    if let Some(id) = filter.cashier_id {
        query = query.filter(sale::Column::CashierId.eq(id));
    }
    if let Some(id) = filter.register_session_id {
        query = query.filter(sale::Column::RegisterSessionId.eq(id));
    }
    if let Some(status) = filter.status {
        query = query.filter(sale::Column::Status.eq(status));
    }
    if let Some(number) = &filter.number {
        query = query.filter(sale::Column::Number.eq(number.trim().to_uppercase()));
    }
    if let Some(needs_review) = filter.needs_review {
        let flagged = sea_orm::Condition::any()
            .add(sale::Column::Oversold.eq(true))
            .add(sale::Column::PriceChanged.eq(true))
            .add(sale::Column::AfterClose.eq(true));
        query = query.filter(if needs_review { flagged } else { flagged.not() });
    }
    query
}

/// Newest first; the page key is the last id seen (ids are time-ordered).
pub async fn list(
    conn: &impl ConnectionTrait,
    actor: &Principal,
    filter: &SaleFilter,
    page: &PageRequest<Uuid>,
) -> Result<Page<sale::Model>> {
    let mut query = matching(actor, filter).order_by_desc(sale::Column::Id);
    if let Some(after) = page.after {
        query = query.filter(sale::Column::Id.lt(after));
    }
    let rows = query.limit(page.first + 1).all(conn).await?;
    Ok(Page::from_rows(rows, page.first))
}

pub async fn count(
    conn: &impl ConnectionTrait,
    actor: &Principal,
    filter: &SaleFilter,
) -> Result<u64> {
    Ok(matching(actor, filter).count(conn).await?)
}

/// The lines of these sales, in receipt order.
pub async fn lines_of(
    conn: &impl ConnectionTrait,
    sale_ids: &[Uuid],
) -> Result<Vec<sale_line::Model>> {
    Ok(sale_line::Entity::find()
        .filter(sale_line::Column::SaleId.is_in(sale_ids.iter().copied()))
        .order_by_asc(sale_line::Column::SaleId)
        .order_by_asc(sale_line::Column::Position)
        .all(conn)
        .await?)
}

pub async fn lines(conn: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<sale_line::Model>> {
    Ok(sale_line::Entity::find()
        .filter(sale_line::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// The payments of these sales, in the order given.
pub async fn payments_of(
    conn: &impl ConnectionTrait,
    sale_ids: &[Uuid],
) -> Result<Vec<sale_payment::Model>> {
    Ok(sale_payment::Entity::find()
        .filter(sale_payment::Column::SaleId.is_in(sale_ids.iter().copied()))
        .order_by_asc(sale_payment::Column::SaleId)
        .order_by_asc(sale_payment::Column::Position)
        .all(conn)
        .await?)
}

/// The refunds of these sales, oldest first.
pub async fn refunds_of(
    conn: &impl ConnectionTrait,
    sale_ids: &[Uuid],
) -> Result<Vec<refund::Model>> {
    Ok(refund::Entity::find()
        .filter(refund::Column::SaleId.is_in(sale_ids.iter().copied()))
        .order_by_asc(refund::Column::Id)
        .all(conn)
        .await?)
}

/// The lines of these refunds, in the order given.
pub async fn refund_lines_of(
    conn: &impl ConnectionTrait,
    refund_ids: &[Uuid],
) -> Result<Vec<refund_line::Model>> {
    Ok(refund_line::Entity::find()
        .filter(refund_line::Column::RefundId.is_in(refund_ids.iter().copied()))
        .order_by_asc(refund_line::Column::RefundId)
        .order_by_asc(refund_line::Column::Position)
        .all(conn)
        .await?)
}
