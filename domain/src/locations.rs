//! Locations: stores and warehouses.

use chrono::Utc;
use entity::location;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryOrder, Set};
use serde_json::json;
use uuid::Uuid;

use crate::audit;
use crate::error::{Result, unique_violation};
use crate::money::Currency;

/// The location every fresh database gets, so sales can start at once.
pub const DEFAULT_LOCATION_CODE: &str = "MAIN";

pub async fn list(conn: &impl ConnectionTrait) -> Result<Vec<location::Model>> {
    Ok(location::Entity::find()
        .order_by_asc(location::Column::Code)
        .all(conn)
        .await?)
}

/// Creates the `MAIN` location when there is no location at all. Returns whether it did.
pub(crate) async fn ensure_default(
    conn: &impl ConnectionTrait,
    currency: Currency,
) -> Result<bool> {
    if location::Entity::find().count(conn).await? > 0 {
        return Ok(false);
    }
    let now = Utc::now();
    let created = location::ActiveModel {
        id: Set(Uuid::now_v7()),
        code: Set(DEFAULT_LOCATION_CODE.to_owned()),
        name: Set("Main store".to_owned()),
        currency: Set(currency.code().to_owned()),
        timezone: Set("UTC".to_owned()),
        prices_include_tax: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await
    .map_err(|e| unique_violation(e, "code", "location code is already taken"))?;
    audit::record(
        conn,
        None,
        "location.create",
        "location",
        Some(created.id.to_string()),
        json!({ "code": created.code, "currency": created.currency }),
    )
    .await?;
    Ok(true)
}
