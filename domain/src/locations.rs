//! Locations: stores and warehouses.

use chrono::Utc;
use entity::location::{self, Language};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
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
    pub receipt: ReceiptDetails,
}

/// What a location's receipts say about the business, and in which language.
#[derive(Debug, Clone, Default)]
pub struct ReceiptDetails {
    pub legal_name: Option<String>,
    pub tax_id: Option<String>,
    pub address: Option<String>,
    pub footer: Option<String>,
    /// Spanish when not given.
    pub language: Option<Language>,
}

/// Changes to a location: `None` leaves a field alone; for the optional ones `Some(None)`
/// clears it.
#[derive(Debug, Clone, Default)]
pub struct LocationChanges {
    pub name: Option<String>,
    pub timezone: Option<String>,
    pub legal_name: Option<Option<String>>,
    pub tax_id: Option<Option<String>>,
    pub address: Option<Option<String>>,
    pub footer: Option<Option<String>>,
    pub language: Option<Language>,
}

fn parse_timezone(raw: &str) -> Result<String> {
    let timezone = raw.trim();
    if timezone.parse::<chrono_tz::Tz>().is_err() {
        return Err(Error::bad_input(
            "timezone",
            format!("{timezone:?} is not an IANA time zone such as Europe/Madrid"),
        ));
    }
    Ok(timezone.to_owned())
}

/// A tax id as printed: upper case, 1 to 32 of A-Z, 0-9 and `-` (a Spanish NIF is 9).
fn parse_tax_id(raw: Option<&str>) -> Result<Option<String>> {
    let Some(tax_id) = text::optional(raw, "taxId", 32)? else {
        return Ok(None);
    };
    let tax_id = tax_id.to_uppercase();
    if !tax_id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(Error::bad_input(
            "taxId",
            "taxId may hold only letters, digits and '-'",
        ));
    }
    Ok(Some(tax_id))
}

fn parse_legal_name(raw: Option<&str>) -> Result<Option<String>> {
    text::optional(raw, "legalName", 200)
}

fn parse_address(raw: Option<&str>) -> Result<Option<String>> {
    text::optional(raw, "address", 300)
}

fn parse_footer(raw: Option<&str>) -> Result<Option<String>> {
    text::optional(raw, "receiptFooter", 300)
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
    let timezone = parse_timezone(&new.timezone)?;
    let receipt = new.receipt;
    let legal_name = parse_legal_name(receipt.legal_name.as_deref())?;
    let tax_id = parse_tax_id(receipt.tax_id.as_deref())?;
    let address = parse_address(receipt.address.as_deref())?;
    let footer = parse_footer(receipt.footer.as_deref())?;
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
        timezone: Set(timezone),
        prices_include_tax: Set(new.prices_include_tax),
        legal_name: Set(legal_name),
        tax_id: Set(tax_id),
        address: Set(address),
        receipt_footer: Set(footer),
        language: Set(receipt.language.unwrap_or(Language::Es)),
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

/// Changes a location's name, time zone or receipt details; the code, currency and whether
/// prices include tax stay (sales already made depend on them).
pub async fn update(
    conn: &impl ConnectionTrait,
    actor: Uuid,
    id: Uuid,
    changes: LocationChanges,
) -> Result<location::Model> {
    let current = get(conn, id).await?;
    let mut row: location::ActiveModel = current.clone().into();
    if let Some(name) = &changes.name {
        row.name = Set(text::required(name, "name", 100)?);
    }
    if let Some(timezone) = &changes.timezone {
        row.timezone = Set(parse_timezone(timezone)?);
    }
    if let Some(legal_name) = &changes.legal_name {
        row.legal_name = Set(parse_legal_name(legal_name.as_deref())?);
    }
    if let Some(tax_id) = &changes.tax_id {
        row.tax_id = Set(parse_tax_id(tax_id.as_deref())?);
    }
    if let Some(address) = &changes.address {
        row.address = Set(parse_address(address.as_deref())?);
    }
    if let Some(footer) = &changes.footer {
        row.receipt_footer = Set(parse_footer(footer.as_deref())?);
    }
    if let Some(language) = changes.language {
        row.language = Set(language);
    }
    row.updated_at = Set(Utc::now());
    let updated = row.update(conn).await?;
    audit::record(
        conn,
        Some(actor),
        "location.update",
        "location",
        Some(id.to_string()),
        json!({
            "name": updated.name,
            "timezone": updated.timezone,
            "legalName": updated.legal_name,
            "taxId": updated.tax_id,
            "address": updated.address,
            "receiptFooter": updated.receipt_footer,
            "language": updated.language.to_value(),
        }),
    )
    .await?;
    Ok(updated)
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
        receipt: ReceiptDetails::default(),
    };
    create(conn, None, currency, main).await?;
    Ok(true)
}
