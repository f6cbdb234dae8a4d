//! Locations: stores and warehouses.

use chrono::Utc;
use entity::location;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::audit;
use crate::error::{Error, Result, unique_violation};
use crate::money::Currency;
use crate::text;

/// The location every fresh database gets, so sales can start at once.
pub const DEFAULT_LOCATION_CODE: &str = "MAIN";

pub async fn list(conn: &impl ConnectionTrait) -> Result<Vec<location::Model>> {
    Ok(location::Entity::find()
        .order_by_asc(location::Column::Code)
        .all(conn)
        .await?)
}

/// A new location as the client sent it.
pub struct NewLocation {
    pub code: String,
    pub name: String,
    pub timezone: String,
    pub prices_include_tax: bool,
}

/// Creates a store or warehouse in the shop's currency. The code is upper-cased and unique.
/// `actor` is `None` for the system (the first start).
pub async fn create(
    conn: &impl ConnectionTrait,
    actor: Option<Uuid>,
    currency: Currency,
    new: NewLocation,
) -> Result<location::Model> {
    let code = new.code.trim().to_uppercase();
    let valid_code = (1..=16).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !valid_code {
        return Err(Error::bad_input(
            "code",
            "code must be 1 to 16 of A-Z, 0-9, '-' and '_'",
        ));
    }
    let name = text::required(&new.name, "name", 100)?;
    let timezone = new.timezone.trim();
    if timezone.parse::<chrono_tz::Tz>().is_err() {
        return Err(Error::bad_input(
            "timezone",
            format!("{timezone:?} is not an IANA time zone such as Europe/Madrid"),
        ));
    }
    if location::Entity::find()
        .filter(location::Column::Code.eq(&code))
        .count(conn)
        .await?
        > 0
    {
        return Err(Error::conflict(
            Some("code"),
            "location code is already taken",
        ));
    }
    let now = Utc::now();
    let created = location::ActiveModel {
        id: Set(Uuid::now_v7()),
        code: Set(code),
        name: Set(name),
        currency: Set(currency.code().to_owned()),
        timezone: Set(timezone.to_owned()),
        prices_include_tax: Set(new.prices_include_tax),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await
    .map_err(|e| unique_violation(e, "code", "location code is already taken"))?;
    audit::record(
        conn,
        actor,
        "location.create",
        "location",
        Some(created.id.to_string()),
        json!({ "code": created.code, "name": created.name, "timezone": created.timezone, "pricesIncludeTax": created.prices_include_tax }),
    )
    .await?;
    Ok(created)
}

pub async fn get(conn: &impl ConnectionTrait, id: Uuid) -> Result<location::Model> {
    location::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("location"))
}

pub async fn by_code(conn: &impl ConnectionTrait, code: &str) -> Result<location::Model> {
    location::Entity::find()
        .filter(location::Column::Code.eq(code))
        .one(conn)
        .await?
        .ok_or(Error::not_found("location"))
}

pub async fn get_many(conn: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<location::Model>> {
    Ok(location::Entity::find()
        .filter(location::Column::Id.is_in(ids.iter().copied()))
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
    let main = NewLocation {
        code: DEFAULT_LOCATION_CODE.to_owned(),
        name: "Main store".to_owned(),
        timezone: "UTC".to_owned(),
        prices_include_tax: true,
    };
    create(conn, None, currency, main).await?;
    Ok(true)
}
