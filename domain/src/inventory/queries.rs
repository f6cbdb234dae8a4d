//! Reading stock: the ledger's pages, what is low, and the ledger check the tests run.

use entity::product;
use entity::{stock_level, stock_movement};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::ensure_location;
use crate::catalog::products;
use crate::error::Result;
use crate::pagination::{Page, PageRequest};

/// Which movements a ledger page shows.
#[derive(Debug, Clone, Default)]
pub struct MovementFilter {
    pub product_id: Option<Uuid>,
    pub location_id: Option<Uuid>,
}

fn movements(filter: &MovementFilter) -> sea_orm::Select<stock_movement::Entity> {
    let mut query = stock_movement::Entity::find();
    if let Some(product) = filter.product_id {
        query = query.filter(stock_movement::Column::ProductId.eq(product));
    }
    if let Some(location) = filter.location_id {
        query = query.filter(stock_movement::Column::LocationId.eq(location));
    }
    query
}

/// The ledger, newest first; the page key is the last id seen.
pub async fn list_movements(
    conn: &impl ConnectionTrait,
    filter: &MovementFilter,
    page: &PageRequest<Uuid>,
) -> Result<Page<stock_movement::Model>> {
    let mut query = movements(filter).order_by_desc(stock_movement::Column::Id);
    if let Some(after) = page.after {
        query = query.filter(stock_movement::Column::Id.lt(after));
    }
    let rows = query.limit(page.first + 1).all(conn).await?;
    Ok(Page::from_rows(rows, page.first))
}

pub async fn count_movements(conn: &impl ConnectionTrait, filter: &MovementFilter) -> Result<u64> {
    Ok(movements(filter).count(conn).await?)
}

/// A product at or below its threshold at a location.
#[derive(Debug, Clone)]
pub struct LowStock {
    pub product: product::Model,
    pub on_hand_milli: i64,
    pub threshold_milli: i64,
}

/// Tracked, active products at or below their threshold at `location_id`, by name.
pub async fn low_stock(conn: &impl ConnectionTrait, location_id: Uuid) -> Result<Vec<LowStock>> {
    ensure_location(conn, location_id).await?;
    let found = product::Entity::find()
        .filter(product::Column::Active.eq(true))
        .filter(products::low_stock_at(location_id))
        .order_by_asc(product::Column::Name)
        .order_by_asc(product::Column::Id)
        .all(conn)
        .await?;
    let ids: Vec<Uuid> = found.iter().map(|p| p.id).collect();
    let levels = stock_level::Entity::find()
        .filter(stock_level::Column::LocationId.eq(location_id))
        .filter(stock_level::Column::ProductId.is_in(ids))
        .all(conn)
        .await?;
    Ok(found
        .into_iter()
        .map(|product| {
            let on_hand_milli = levels
                .iter()
                .find(|l| l.product_id == product.id)
                .map_or(0, |l| l.on_hand_milli);
            let threshold_milli = product.low_stock_threshold_milli.unwrap_or(0);
            LowStock {
                product,
                on_hand_milli,
                threshold_milli,
            }
        })
        .collect())
}

/// Levels that differ from the sum of their movements, as (product, location, on hand, sum).
/// Empty when the ledger holds; tests check it after every kind of change.
pub async fn ledger_discrepancies(
    conn: &impl ConnectionTrait,
) -> Result<Vec<(Uuid, Uuid, i64, i64)>> {
    let sums: Vec<(Uuid, Uuid, i64)> = stock_movement::Entity::find()
        .select_only()
        .column(stock_movement::Column::ProductId)
        .column(stock_movement::Column::LocationId)
        .column_as(Expr::cust("CAST(SUM(quantity_milli) AS BIGINT)"), "moved")
        .group_by(stock_movement::Column::ProductId)
        .group_by(stock_movement::Column::LocationId)
        .into_tuple()
        .all(conn)
        .await?;
    let levels = stock_level::Entity::find().all(conn).await?;
    Ok(levels
        .into_iter()
        .filter_map(|level| {
            let moved = sums
                .iter()
                .find(|(p, l, _)| *p == level.product_id && *l == level.location_id)
                .map_or(0, |(_, _, sum)| *sum);
            (moved != level.on_hand_milli).then_some((
                level.product_id,
                level.location_id,
                level.on_hand_milli,
                moved,
            ))
        })
        .collect())
}
