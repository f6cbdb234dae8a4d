//! Customers: who a sale can be made out to. Searchable by name, email, phone or tax id,
//! ignoring case and accents.

use chrono::Utc;
use entity::customer;
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, Select, Set,
};
use serde_json::{Map, json};
use uuid::Uuid;

use crate::audit;
use crate::error::{Error, Result};
use crate::pagination::{NameKey, Page, PageRequest};
use crate::text;

/// A customer's details as the client sent them. For an update, `None` leaves a field alone
/// and a blank value clears an optional one.
#[derive(Debug, Clone, Default)]
pub struct CustomerInput {
    pub name: Option<String>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub tax_id: Option<Option<String>>,
}

struct Details {
    name: String,
    email: Option<String>,
    phone: Option<String>,
    tax_id: Option<String>,
}

fn parse_email(raw: Option<&str>) -> Result<Option<String>> {
    let email = text::optional(raw, "email", 254)?;
    if let Some(email) = &email {
        let valid = email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }) && !email.chars().any(char::is_whitespace);
        if !valid {
            return Err(Error::bad_input(
                "email",
                format!("{email:?} is not an email address"),
            ));
        }
    }
    Ok(email.map(|e| e.to_lowercase()))
}

fn parse_phone(raw: Option<&str>) -> Result<Option<String>> {
    let phone = text::optional(raw, "phone", 32)?;
    if let Some(phone) = &phone
        && !phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
    {
        return Err(Error::bad_input(
            "phone",
            "a phone number holds digits, spaces and + - ( ) .",
        ));
    }
    Ok(phone)
}

fn search_text(details: &Details) -> String {
    let phone_digits: Option<String> = details
        .phone
        .as_ref()
        .map(|p| p.chars().filter(char::is_ascii_digit).collect());
    text::fold(&format!(
        "{} {} {} {} {}",
        details.name,
        details.email.as_deref().unwrap_or_default(),
        details.phone.as_deref().unwrap_or_default(),
        phone_digits.as_deref().unwrap_or_default(),
        details.tax_id.as_deref().unwrap_or_default(),
    ))
}

pub async fn create(
    conn: &impl ConnectionTrait,
    actor: Uuid,
    input: CustomerInput,
) -> Result<customer::Model> {
    let details = Details {
        name: text::required(input.name.as_deref().unwrap_or_default(), "name", 200)?,
        email: parse_email(input.email.flatten().as_deref())?,
        phone: parse_phone(input.phone.flatten().as_deref())?,
        tax_id: text::optional(input.tax_id.flatten().as_deref(), "taxId", 32)?,
    };
    let now = Utc::now();
    let created = customer::ActiveModel {
        id: Set(Uuid::now_v7()),
        search_text: Set(search_text(&details)),
        name: Set(details.name),
        email: Set(details.email),
        phone: Set(details.phone),
        tax_id: Set(details.tax_id),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await?;
    audit::record(
        conn,
        Some(actor),
        "customer.create",
        "customer",
        Some(created.id.to_string()),
        json!({ "name": created.name }),
    )
    .await?;
    Ok(created)
}

pub async fn update(
    conn: &impl ConnectionTrait,
    actor: Uuid,
    id: Uuid,
    input: CustomerInput,
) -> Result<customer::Model> {
    let current = get(conn, id).await?;
    let details = Details {
        name: match input.name.as_deref() {
            Some(name) => text::required(name, "name", 200)?,
            None => current.name.clone(),
        },
        email: match input.email {
            Some(email) => parse_email(email.as_deref())?,
            None => current.email.clone(),
        },
        phone: match input.phone {
            Some(phone) => parse_phone(phone.as_deref())?,
            None => current.phone.clone(),
        },
        tax_id: match input.tax_id {
            Some(tax_id) => text::optional(tax_id.as_deref(), "taxId", 32)?,
            None => current.tax_id.clone(),
        },
    };
    let mut changed = Map::new();
    for (field, from, to) in [
        ("name", Some(&current.name), Some(&details.name)),
        ("email", current.email.as_ref(), details.email.as_ref()),
        ("phone", current.phone.as_ref(), details.phone.as_ref()),
        ("taxId", current.tax_id.as_ref(), details.tax_id.as_ref()),
    ] {
        if from != to {
            changed.insert(field.to_owned(), json!({ "from": from, "to": to }));
        }
    }
    if changed.is_empty() {
        return Ok(current);
    }
    let mut row: customer::ActiveModel = current.into();
    row.search_text = Set(search_text(&details));
    row.name = Set(details.name);
    row.email = Set(details.email);
    row.phone = Set(details.phone);
    row.tax_id = Set(details.tax_id);
    row.updated_at = Set(Utc::now());
    let updated = row.update(conn).await?;
    audit::record(
        conn,
        Some(actor),
        "customer.update",
        "customer",
        Some(id.to_string()),
        changed.into(),
    )
    .await?;
    Ok(updated)
}

pub async fn get(conn: &impl ConnectionTrait, id: Uuid) -> Result<customer::Model> {
    customer::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("customer"))
}

pub async fn get_many(conn: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<customer::Model>> {
    Ok(customer::Entity::find()
        .filter(customer::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

fn matching(search: Option<&str>) -> Select<customer::Entity> {
    let query = customer::Entity::find();
    match search.map(str::trim).filter(|s| !s.is_empty()) {
        Some(needle) => query.filter(
            Expr::col((customer::Entity, customer::Column::SearchText))
                .like(LikeExpr::new(text::contains_pattern(needle)).escape('\\')),
        ),
        None => query,
    }
}

pub async fn list(
    conn: &impl ConnectionTrait,
    search: Option<&str>,
    page: &PageRequest<NameKey>,
) -> Result<Page<customer::Model>> {
    let query = NameKey::order(
        matching(search),
        customer::Column::Name,
        customer::Column::Id,
        page.after.as_ref(),
    );
    let rows = query.limit(page.first + 1).all(conn).await?;
    Ok(Page::from_rows(rows, page.first))
}

pub async fn count(conn: &impl ConnectionTrait, search: Option<&str>) -> Result<u64> {
    Ok(matching(search).count(conn).await?)
}
