//! Tax rates (VAT): a name and a percentage.

use chrono::Utc;
use entity::tax_rate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::audit;
use crate::error::{Result, unique_violation};
use crate::quantity::{format_milli, parse_percent};
use crate::text;

pub struct NewTaxRate {
    pub name: String,
    pub rate_milli: i64,
}

impl NewTaxRate {
    pub fn parse(name: &str, rate_percent: &str) -> Result<Self> {
        Ok(NewTaxRate {
            name: text::required(name, "name", 64)?,
            rate_milli: parse_percent(rate_percent, "ratePercent")?,
        })
    }
}

pub async fn create(
    conn: &impl ConnectionTrait,
    actor: Uuid,
    new: NewTaxRate,
) -> Result<tax_rate::Model> {
    const TAKEN: &str = "a tax rate with this name exists";
    let created = tax_rate::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(new.name),
        rate_milli: Set(new.rate_milli),
        created_at: Set(Utc::now()),
    }
    .insert(conn)
    .await
    .map_err(|e| unique_violation(e, "name", TAKEN))?;
    audit::record(
        conn,
        Some(actor),
        "tax_rate.create",
        "tax_rate",
        Some(created.id.to_string()),
        json!({ "name": created.name, "ratePercent": format_milli(created.rate_milli) }),
    )
    .await?;
    Ok(created)
}

/// All rates, lowest first.
pub async fn list(conn: &impl ConnectionTrait) -> Result<Vec<tax_rate::Model>> {
    Ok(tax_rate::Entity::find()
        .order_by_asc(tax_rate::Column::RateMilli)
        .order_by_asc(tax_rate::Column::Name)
        .all(conn)
        .await?)
}

pub async fn get_many(conn: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<tax_rate::Model>> {
    Ok(tax_rate::Entity::find()
        .filter(tax_rate::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

pub(crate) async fn exists(conn: &impl ConnectionTrait, id: Uuid) -> Result<bool> {
    Ok(tax_rate::Entity::find_by_id(id).one(conn).await?.is_some())
}
