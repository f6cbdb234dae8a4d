//! The audit log: one row per change to money, stock, users or settings.

use chrono::Utc;
use entity::audit_log;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::error::Result;
use crate::pagination::{Page, PageRequest};

/// Appends a row in the caller's transaction, so the record and the change commit together.
/// `actor` is `None` for the system. `details` must never hold secrets.
pub async fn record(
    conn: &impl ConnectionTrait,
    actor: Option<Uuid>,
    action: &str,
    entity_type: &str,
    entity_id: Option<String>,
    details: serde_json::Value,
) -> Result<()> {
    audit_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        actor_id: Set(actor),
        action: Set(action.to_owned()),
        entity_type: Set(entity_type.to_owned()),
        entity_id: Set(entity_id),
        details: Set(details),
        created_at: Set(Utc::now()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Newest first; the page key is the last id seen (ids are time-ordered).
pub async fn list(
    conn: &impl ConnectionTrait,
    page: &PageRequest<Uuid>,
) -> Result<Page<audit_log::Model>> {
    let mut query = audit_log::Entity::find().order_by_desc(audit_log::Column::Id);
    if let Some(after) = page.after {
        query = query.filter(audit_log::Column::Id.lt(after));
    }
    let rows = query.limit(page.first + 1).all(conn).await?;
    Ok(Page::from_rows(rows, page.first))
}

pub async fn count(conn: &impl ConnectionTrait) -> Result<u64> {
    Ok(audit_log::Entity::find().count(conn).await?)
}
