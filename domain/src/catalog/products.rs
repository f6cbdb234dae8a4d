//! Products: what the shop sells, at what price, with which tax.

use std::collections::HashSet;

use chrono::Utc;
use entity::product::{self, Unit};
use entity::{product_count, stock_level};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, Query, QueryStatementBuilder};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect, Select, Set,
};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::{barcode, categories, tax_rates};
use crate::audit;
use crate::error::{Error, Result};
use crate::jobs;
use crate::money::Currency;
use crate::pagination::{NameKey, Page, PageRequest};
use crate::quantity::{Sign, format_milli, parse_quantity};
use crate::text;

/// A new product, as the client sent it.
#[derive(Debug, Clone)]
pub struct NewProduct {
    pub sku: String,
    pub barcode: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub category_id: Option<Uuid>,
    pub unit: Unit,
    pub price: String,
    pub cost: Option<String>,
    pub tax_rate_id: Option<Uuid>,
    pub track_stock: bool,
    pub low_stock_threshold: Option<String>,
}

/// Changes to a product. Outer `None`: leave the field alone; `Some(None)`: clear it (only
/// optional fields may be cleared).
#[derive(Debug, Clone, Default)]
pub struct ProductChanges {
    pub sku: Option<Option<String>>,
    pub barcode: Option<Option<String>>,
    pub name: Option<Option<String>>,
    pub description: Option<Option<String>>,
    pub category_id: Option<Option<Uuid>>,
    pub price: Option<Option<String>>,
    pub cost: Option<Option<String>>,
    pub tax_rate_id: Option<Option<Uuid>>,
    pub low_stock_threshold: Option<Option<String>>,
    pub active: Option<Option<bool>>,
}

/// Which products a list shows.
#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    /// Contained in the name, SKU or barcode, ignoring case and accents.
    pub text: Option<String>,
    /// The category or any category below it.
    pub category_id: Option<Uuid>,
    /// Active (the default) or archived products.
    pub active: bool,
    /// Only tracked products at or below their threshold at this location.
    pub low_stock_at: Option<Uuid>,
}

/// The longest a SKU (and so any code) may be, in characters; barcodes take at most 32.
pub const MAX_CODE_CHARS: usize = 64;

fn parse_sku(raw: &str) -> Result<String> {
    let sku = text::required(raw, "sku", MAX_CODE_CHARS)?;
    if sku.chars().any(char::is_whitespace) {
        return Err(Error::bad_input("sku", "sku must not contain spaces"));
    }
    Ok(sku)
}

fn parse_threshold(raw: &str, unit: Unit) -> Result<i64> {
    parse_quantity(
        raw,
        "lowStockThreshold",
        Sign::NonNegative,
        unit.is_counted(),
    )
}

fn search_text(name: &str, sku: &str, barcode: Option<&str>) -> String {
    text::fold(&format!("{name} {sku} {}", barcode.unwrap_or_default()))
}

/// A required field sent as null in an update.
fn not_clearable(field: &'static str) -> Error {
    Error::bad_input(field, format!("{field} cannot be removed"))
}

pub async fn create(
    conn: &impl ConnectionTrait,
    actor: Uuid,
    currency: Currency,
    new: NewProduct,
) -> Result<product::Model> {
    let sku = parse_sku(&new.sku)?;
    let barcode = new
        .barcode
        .as_deref()
        .map(|b| barcode::parse(b, "barcode"))
        .transpose()?;
    let name = text::required(&new.name, "name", 200)?;
    let description = text::optional(new.description.as_deref(), "description", 4000)?;
    let price_minor = currency.parse_amount(&new.price, "price", false)?;
    let cost_minor = new
        .cost
        .as_deref()
        .map(|c| currency.parse_amount(c, "cost", false))
        .transpose()?;
    let low_stock_threshold_milli = new
        .low_stock_threshold
        .as_deref()
        .map(|t| parse_threshold(t, new.unit))
        .transpose()?;
    ensure_references(conn, new.category_id, new.tax_rate_id).await?;
    ensure_codes_free(conn, Some(&sku), barcode.as_deref(), None).await?;

    let now = Utc::now();
    let created = product::ActiveModel {
        id: Set(Uuid::now_v7()),
        search_text: Set(search_text(&name, &sku, barcode.as_deref())),
        sku: Set(sku),
        barcode: Set(barcode),
        name: Set(name),
        description: Set(description),
        category_id: Set(new.category_id),
        unit: Set(new.unit),
        price_minor: Set(price_minor),
        cost_minor: Set(cost_minor),
        tax_rate_id: Set(new.tax_rate_id),
        track_stock: Set(new.track_stock),
        low_stock_threshold_milli: Set(low_stock_threshold_milli),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await
    .map_err(code_taken)?;
    count_in(conn, true, 1).await?;
    enqueue_embedding(conn, created.id).await?;
    audit::record(
        conn,
        Some(actor),
        "product.create",
        "product",
        Some(created.id.to_string()),
        json!({
            "sku": created.sku,
            "name": created.name,
            "price": currency.format(created.price_minor),
            "unit": created.unit.to_value(),
        }),
    )
    .await?;
    Ok(created)
}

/// Asks the worker to (re)compute the product's search embedding, in the caller's transaction.
/// Queues the product's embedding to be computed again (deduplicated per product).
pub(crate) async fn enqueue_embedding(conn: &impl ConnectionTrait, id: Uuid) -> Result<()> {
    let key = id.to_string();
    jobs::enqueue(conn, jobs::EMBED_PRODUCT, &key, json!({ "productId": key })).await
}

pub async fn update(
    conn: &impl ConnectionTrait,
    actor: Uuid,
    currency: Currency,
    id: Uuid,
    changes: ProductChanges,
) -> Result<Updated> {
    let current = get(conn, id).await?;
    let mut row: product::ActiveModel = current.clone().into();
    let mut changed = Map::new();
    let mut note = |field: &str, from: Value, to: Value| {
        if from != to {
            changed.insert(field.to_owned(), json!({ "from": from, "to": to }));
        }
    };

    let sku = match changes.sku {
        None => current.sku.clone(),
        Some(None) => return Err(not_clearable("sku")),
        Some(Some(raw)) => parse_sku(&raw)?,
    };
    let barcode = match changes.barcode {
        None => current.barcode.clone(),
        Some(raw) => raw
            .as_deref()
            .map(|b| barcode::parse(b, "barcode"))
            .transpose()?,
    };
    let name = match changes.name {
        None => current.name.clone(),
        Some(None) => return Err(not_clearable("name")),
        Some(Some(raw)) => text::required(&raw, "name", 200)?,
    };
    if let Some(description) = changes.description {
        let description = text::optional(description.as_deref(), "description", 4000)?;
        note(
            "description",
            json!(current.description),
            json!(description),
        );
        row.description = Set(description);
    }
    if let Some(price) = changes.price {
        let price = price.ok_or_else(|| not_clearable("price"))?;
        let price_minor = currency.parse_amount(&price, "price", false)?;
        note(
            "price",
            json!(currency.format(current.price_minor)),
            json!(currency.format(price_minor)),
        );
        row.price_minor = Set(price_minor);
    }
    if let Some(cost) = changes.cost {
        let cost_minor = cost
            .as_deref()
            .map(|c| currency.parse_amount(c, "cost", false))
            .transpose()?;
        let show = |minor: Option<i64>| minor.map(|m| currency.format(m));
        note(
            "cost",
            json!(show(current.cost_minor)),
            json!(show(cost_minor)),
        );
        row.cost_minor = Set(cost_minor);
    }
    if let Some(threshold) = changes.low_stock_threshold {
        let milli = threshold
            .as_deref()
            .map(|t| parse_threshold(t, current.unit))
            .transpose()?;
        let show = |m: Option<i64>| m.map(format_milli);
        note(
            "lowStockThreshold",
            json!(show(current.low_stock_threshold_milli)),
            json!(show(milli)),
        );
        row.low_stock_threshold_milli = Set(milli);
    }
    if let Some(active) = changes.active {
        let active = active.ok_or_else(|| not_clearable("active"))?;
        note("active", json!(current.active), json!(active));
        row.active = Set(active);
    }
    let category_id = changes.category_id.unwrap_or(current.category_id);
    let tax_rate_id = changes.tax_rate_id.unwrap_or(current.tax_rate_id);
    ensure_references(
        conn,
        category_id.filter(|c| Some(*c) != current.category_id),
        tax_rate_id.filter(|t| Some(*t) != current.tax_rate_id),
    )
    .await?;
    note("categoryId", json!(current.category_id), json!(category_id));
    note("taxRateId", json!(current.tax_rate_id), json!(tax_rate_id));
    row.category_id = Set(category_id);
    row.tax_rate_id = Set(tax_rate_id);

    let new_sku = (sku != current.sku).then_some(sku.as_str());
    let new_barcode = barcode
        .as_deref()
        .filter(|b| Some(*b) != current.barcode.as_deref());
    ensure_codes_free(conn, new_sku, new_barcode, Some(id)).await?;
    note("sku", json!(current.sku), json!(sku));
    note("barcode", json!(current.barcode), json!(barcode));
    note("name", json!(current.name), json!(name));
    row.search_text = Set(search_text(&name, &sku, barcode.as_deref()));
    row.sku = Set(sku);
    row.barcode = Set(barcode);
    row.name = Set(name);

    if changed.is_empty() {
        return Ok(Updated {
            product: current,
            stale_codes: Vec::new(),
        });
    }
    row.updated_at = Set(Utc::now());
    let updated = row.update(conn).await.map_err(code_taken)?;
    let stale_codes = if changed.contains_key("sku") || changed.contains_key("barcode") {
        // The codes it had may name nothing now, and a new barcode may now win over another
        // product's SKU.
        let mut codes = codes_of(&current);
        codes.extend(codes_of(&updated));
        codes
    } else {
        Vec::new()
    };
    if updated.active != current.active {
        count_moved(conn, updated.active).await?;
    }
    if ["name", "description", "categoryId", "barcode"]
        .iter()
        .any(|field| changed.contains_key(*field))
    {
        enqueue_embedding(conn, id).await?;
    }
    audit::record(
        conn,
        Some(actor),
        "product.update",
        "product",
        Some(id.to_string()),
        changed.into(),
    )
    .await?;
    Ok(Updated {
        product: updated,
        stale_codes,
    })
}

/// A product just changed, and the codes whose product a [`CodeCache`] may now get wrong.
pub struct Updated {
    pub product: product::Model,
    pub stale_codes: Vec<String>,
}

/// A product's codes: its SKU, and its barcode when it has one. A new product's codes are
/// stale in a [`CodeCache`] too: its barcode wins over another product's SKU.
pub fn codes_of(product: &product::Model) -> Vec<String> {
    let mut codes = vec![product.sku.clone()];
    codes.extend(product.barcode.clone());
    codes
}

/// A cache shared by replicas of which product a scanned code names (Redis in the API): a
/// shortcut for [`by_code`], never the truth.
#[async_trait::async_trait]
pub trait CodeCache: Send + Sync {
    async fn get(&self, code: &str) -> Option<Uuid>;
    async fn put(&self, code: &str, id: Uuid);
}

/// [`by_code`], through `cache` when there is one: an entry is served only while its product
/// still has the code (one that outlived a change never is); a code found in the database is
/// remembered, a miss is not.
pub async fn by_code_cached(
    conn: &impl ConnectionTrait,
    cache: Option<&dyn CodeCache>,
    code: &str,
) -> Result<Option<product::Model>> {
    let Some(cache) = cache else {
        return by_code(conn, code).await;
    };
    if let Some(id) = cache.get(code).await
        && let Ok(product) = get(conn, id).await
        && (product.barcode.as_deref() == Some(code) || product.sku == code)
    {
        return Ok(Some(product));
    }
    let found = by_code(conn, code).await?;
    if let Some(product) = &found {
        cache.put(code, product.id).await;
    }
    Ok(found)
}

/// Takes a product out of lists and sales; history keeps it. Archiving an archived product
/// changes nothing.
pub async fn archive(conn: &impl ConnectionTrait, actor: Uuid, id: Uuid) -> Result<product::Model> {
    let current = get(conn, id).await?;
    if !current.active {
        return Ok(current);
    }
    let mut row: product::ActiveModel = current.into();
    row.active = Set(false);
    row.updated_at = Set(Utc::now());
    let archived = row.update(conn).await?;
    count_moved(conn, false).await?;
    audit::record(
        conn,
        Some(actor),
        "product.archive",
        "product",
        Some(id.to_string()),
        json!({}),
    )
    .await?;
    Ok(archived)
}

async fn ensure_references(
    conn: &impl ConnectionTrait,
    category_id: Option<Uuid>,
    tax_rate_id: Option<Uuid>,
) -> Result<()> {
    if let Some(category) = category_id {
        categories::get(conn, category).await?;
    }
    if let Some(tax_rate) = tax_rate_id
        && !tax_rates::exists(conn, tax_rate).await?
    {
        return Err(Error::not_found("tax rate"));
    }
    Ok(())
}

/// CONFLICT when another product already has the SKU or the barcode.
async fn ensure_codes_free(
    conn: &impl ConnectionTrait,
    sku: Option<&str>,
    barcode: Option<&str>,
    except: Option<Uuid>,
) -> Result<()> {
    let others = |column: product::Column, value: &str| {
        let query = product::Entity::find().filter(column.eq(value));
        match except {
            Some(id) => query.filter(product::Column::Id.ne(id)),
            None => query,
        }
    };
    if let Some(sku) = sku
        && others(product::Column::Sku, sku).count(conn).await? > 0
    {
        return Err(Error::conflict(Some("sku"), "another product has this SKU"));
    }
    if let Some(barcode) = barcode
        && others(product::Column::Barcode, barcode)
            .count(conn)
            .await?
            > 0
    {
        return Err(Error::conflict(
            Some("barcode"),
            "another product has this barcode",
        ));
    }
    Ok(())
}

/// A unique violation that raced past [`ensure_codes_free`].
fn code_taken(err: DbErr) -> Error {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(message))
            if message.contains("barcode") =>
        {
            Error::conflict(Some("barcode"), "another product has this barcode")
        }
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            Error::conflict(Some("sku"), "another product has this SKU")
        }
        _ => err.into(),
    }
}

pub async fn get(conn: &impl ConnectionTrait, id: Uuid) -> Result<product::Model> {
    product::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("product"))
}

pub async fn get_many(conn: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<product::Model>> {
    Ok(product::Entity::find()
        .filter(product::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// The product whose barcode, or else SKU, is exactly `code` (archived ones too).
pub async fn by_code(conn: &impl ConnectionTrait, code: &str) -> Result<Option<product::Model>> {
    let code = code.trim();
    if code.is_empty() {
        return Ok(None);
    }
    with_code(conn, &[code]).await
}

/// What a search box's text finds as a code: the product whose barcode, or else SKU, is
/// exactly `text`; failing that, the one whose barcode or SKU is `text` in upper case (a
/// cashier may type a SKU in lower case). Archived products too. One statement, and none at
/// all for text that cannot be a code: codes have no spaces and at most [`MAX_CODE_CHARS`]
/// characters.
pub async fn by_typed_code(
    conn: &impl ConnectionTrait,
    text: &str,
) -> Result<Option<product::Model>> {
    let code = text.trim();
    if code.is_empty()
        || code.chars().count() > MAX_CODE_CHARS
        || code.chars().any(char::is_whitespace)
    {
        return Ok(None);
    }
    with_code(conn, &[code, &code.to_uppercase()]).await
}

/// In one statement, the product with the first of `candidates` as its barcode, or else as its
/// SKU, trying each candidate in turn.
async fn with_code(
    conn: &impl ConnectionTrait,
    candidates: &[&str],
) -> Result<Option<product::Model>> {
    let mut found = product::Entity::find()
        .filter(
            product::Column::Barcode
                .is_in(candidates.iter().copied())
                .or(product::Column::Sku.is_in(candidates.iter().copied())),
        )
        .limit(2 * candidates.len() as u64)
        .all(conn)
        .await?;
    let preferred = candidates.iter().find_map(|wanted| {
        found
            .iter()
            .position(|p| p.barcode.as_deref() == Some(*wanted))
            .or_else(|| found.iter().position(|p| p.sku == *wanted))
    });
    Ok(preferred.map(|index| found.swap_remove(index)))
}

/// A page of products by name.
pub async fn list(
    conn: &impl ConnectionTrait,
    filter: &ProductFilter,
    page: &PageRequest<NameKey>,
) -> Result<Page<product::Model>> {
    let query = NameKey::order(
        filtered(conn, filter).await?,
        product::Column::Name,
        product::Column::Id,
        page.after.as_ref(),
    );
    let rows = query.limit(page.first + 1).all(conn).await?;
    Ok(Page::from_rows(rows, page.first))
}

/// How many products the filter matches. Without text, category or low-stock conditions the
/// answer comes from `product_counts` (one row) instead of counting the catalog.
pub async fn count(conn: &impl ConnectionTrait, filter: &ProductFilter) -> Result<u64> {
    let plain = filter.text.as_deref().is_none_or(|t| t.trim().is_empty())
        && filter.category_id.is_none()
        && filter.low_stock_at.is_none();
    if plain {
        let counted = product_count::Entity::find_by_id(filter.active)
            .one(conn)
            .await?;
        return Ok(counted.map_or(0, |c| u64::try_from(c.products).unwrap_or(0)));
    }
    Ok(filtered(conn, filter).await?.count(conn).await?)
}

/// Adds `delta` to the number of active (or archived) products.
async fn count_in(conn: &impl ConnectionTrait, active: bool, delta: i64) -> Result<()> {
    product_count::Entity::update_many()
        .col_expr(
            product_count::Column::Products,
            Expr::col(product_count::Column::Products).add(delta),
        )
        .filter(product_count::Column::Active.eq(active))
        .exec(conn)
        .await?;
    Ok(())
}

/// A product moved between active and archived.
async fn count_moved(conn: &impl ConnectionTrait, now_active: bool) -> Result<()> {
    count_in(conn, now_active, 1).await?;
    count_in(conn, !now_active, -1).await
}

/// Recomputes `product_counts` from the products table (after products were loaded by some
/// other way than this module, like the benchmark's bulk seeding).
pub async fn recount(conn: &impl ConnectionTrait) -> Result<()> {
    for active in [true, false] {
        let products = product::Entity::find()
            .filter(product::Column::Active.eq(active))
            .count(conn)
            .await?;
        product_count::Entity::update_many()
            .col_expr(
                product_count::Column::Products,
                Expr::value(i64::try_from(products).unwrap_or(i64::MAX)),
            )
            .filter(product_count::Column::Active.eq(active))
            .exec(conn)
            .await?;
    }
    Ok(())
}

async fn filtered(
    conn: &impl ConnectionTrait,
    filter: &ProductFilter,
) -> Result<Select<product::Entity>> {
    let mut query = product::Entity::find().filter(product::Column::Active.eq(filter.active));
    if let Some(needle) = filter
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        query = query.filter(
            Expr::col((product::Entity, product::Column::SearchText))
                .like(LikeExpr::new(text::contains_pattern(needle)).escape('\\')),
        );
    }
    if let Some(category) = filter.category_id {
        let all = categories::list(conn).await?;
        if !all.iter().any(|c| c.id == category) {
            return Err(Error::not_found("category"));
        }
        let mut ids: HashSet<Uuid> = categories::descendants(&all, category);
        ids.insert(category);
        query = query.filter(product::Column::CategoryId.is_in(ids));
    }
    if let Some(location) = filter.low_stock_at {
        query = query.filter(low_stock_at(location));
    }
    Ok(query)
}

/// Tracked products with a threshold whose stock at `location` (none counts as zero) is at
/// or below it.
pub(crate) fn low_stock_at(location: Uuid) -> Expr {
    let on_hand = Query::select()
        .column((stock_level::Entity, stock_level::Column::OnHandMilli))
        .from(stock_level::Entity)
        .and_where(
            Expr::col((stock_level::Entity, stock_level::Column::ProductId))
                .equals((product::Entity, product::Column::Id)),
        )
        .and_where(Expr::col((stock_level::Entity, stock_level::Column::LocationId)).eq(location))
        .to_owned();
    product::Column::TrackStock
        .eq(true)
        .and(product::Column::LowStockThresholdMilli.is_not_null())
        .and(
            Expr::expr(Func::coalesce([
                Expr::SubQuery(None, Box::new(on_hand.into_sub_query_statement())),
                Expr::val(0_i64),
            ]))
            .lte(Expr::col((
                product::Entity,
                product::Column::LowStockThresholdMilli,
            ))),
        )
}

/// Stock levels of the given products at every location that has one.
pub async fn stock_levels(
    conn: &impl ConnectionTrait,
    product_ids: &[Uuid],
) -> Result<Vec<stock_level::Model>> {
    Ok(stock_level::Entity::find()
        .filter(stock_level::Column::ProductId.is_in(product_ids.iter().copied()))
        .all(conn)
        .await?)
}
