use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use domain::money::Currency;
use entity::{category, location, product, stock_level, tax_rate};
use uuid::Uuid;

use super::location::Location;
use super::scalars::{Decimal, Money};
use crate::graphql::loaders::{FetchById, all_locations, load, prime, stock_of};
use crate::graphql::pagination::connection_type;

/// How a product is measured and sold.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::product::Unit")]
pub enum Unit {
    /// Pieces: quantities are whole numbers.
    Unit,
    /// Kilograms (weighed goods; quantities take 3 decimals).
    Kg,
    /// Grams.
    G,
    /// Litres.
    L,
    /// Millilitres.
    Ml,
    /// Metres.
    M,
}

/// A VAT rate products can carry.
pub struct TaxRate(pub Arc<tax_rate::Model>);

impl From<tax_rate::Model> for TaxRate {
    fn from(row: tax_rate::Model) -> Self {
        TaxRate(Arc::new(row))
    }
}

/// A VAT rate products can carry.
// Every field is at hand: resolved in turn (see `Money`).
#[Object(serial)]
impl TaxRate {
    /// Unique ID (UUID).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// Name shown on receipts, e.g. "IVA general".
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The rate as a percentage: "21", "10.5".
    async fn rate_percent(&self) -> Decimal {
        Decimal::milli(self.0.rate_milli)
    }
}

/// A product category; categories form a tree.
pub struct Category(pub Arc<category::Model>);

impl From<category::Model> for Category {
    fn from(row: category::Model) -> Self {
        Category(Arc::new(row))
    }
}

/// A product category; categories form a tree.
// Every field is at hand: resolved in turn (see `Money`).
#[Object(serial)]
impl Category {
    /// Unique ID (UUID).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// Name, unique among its siblings.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The category this one sits under; null for a top-level category.
    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Category>> {
        let Some(parent) = self.0.parent_id else {
            return Ok(None);
        };
        Ok(load::<category::Model>(ctx, parent)
            .await?
            .map(Category::from))
    }
}

/// Something the shop sells.
pub struct Product {
    pub row: product::Model,
    pub currency: Currency,
    /// A list's relations, loaded once for the whole page (see [`load_relations`]).
    pub relations: Option<Arc<Relations>>,
}

impl Product {
    /// A product on its own; its relations load through the request's loaders.
    pub fn new(row: product::Model, currency: Currency) -> Self {
        Product {
            row,
            currency,
            relations: None,
        }
    }
}

/// The relations of one page of products that the client selected, each fetched in one query
/// for the whole page, and shared by the page's products.
#[derive(Default)]
pub struct Relations {
    categories: Option<HashMap<Uuid, Arc<category::Model>>>,
    tax_rates: Option<HashMap<Uuid, Arc<tax_rate::Model>>>,
    /// Per tracked product: its stock at every location, by location code.
    stock: Option<HashMap<Uuid, Vec<StockLevel>>>,
}

/// Loads, for the products of a list, the relations the client selected under `node` (the
/// look-ahead at one product of the list): at most one query each, whatever the page size.
pub async fn load_relations(
    ctx: &Context<'_>,
    node: async_graphql::Lookahead<'_>,
    rows: &[product::Model],
) -> async_graphql::Result<Arc<Relations>> {
    let services = crate::graphql::context::services(ctx)?;
    let (db, reference) = (&services.db, &services.reference);
    fn by_id<M: FetchById>(rows: &[M]) -> HashMap<Uuid, Arc<M>> {
        rows.iter()
            .map(|row| (row.id(), Arc::new(row.clone())))
            .collect()
    }
    // The selected relations load side by side (one round trip's wait, not three).
    let categories = async {
        if !node.field("category").exists() {
            return Ok(None);
        }
        // A shop has tens of categories: one small list serves every page.
        reference.categories(db).await.map(Some)
    };
    let tax_rates = async {
        if !node.field("taxRate").exists() {
            return Ok(None);
        }
        reference.tax_rates(db).await.map(Some)
    };
    let stock = async {
        if !node.field("stock").exists() {
            return Ok(None);
        }
        let tracked: Vec<Uuid> = rows
            .iter()
            .filter(|p| p.track_stock)
            .map(|p| p.id)
            .collect();
        let (locations, levels) = futures_util::try_join!(
            reference.locations(db),
            domain::catalog::products::stock_levels(db, &tracked)
        )?;
        let locations: Vec<Arc<location::Model>> =
            locations.iter().cloned().map(Arc::new).collect();
        let on_hand: HashMap<(Uuid, Uuid), i64> = levels
            .iter()
            .map(|l| ((l.product_id, l.location_id), l.on_hand_milli))
            .collect();
        let stock = tracked
            .iter()
            .map(|product| {
                let levels = locations
                    .iter()
                    .map(|location| StockLevel {
                        on_hand_milli: on_hand.get(&(*product, location.id)).copied().unwrap_or(0),
                        location: location.clone(),
                    })
                    .collect();
                (*product, levels)
            })
            .collect();
        Ok::<_, domain::Error>(Some(stock))
    };
    let (categories, tax_rates, stock) = futures_util::try_join!(categories, tax_rates, stock)?;
    if let Some(all) = &categories {
        prime(ctx, all.iter().cloned()).await?;
    }
    let relations = Relations {
        categories: categories.as_deref().map(|all| by_id(all)),
        tax_rates: tax_rates.as_deref().map(|all| by_id(all)),
        stock,
    };
    prime(ctx, rows.iter().cloned()).await?;
    Ok(Arc::new(relations))
}

/// Something the shop sells.
#[Object]
impl Product {
    /// Unique ID (UUID).
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }

    /// Stock-keeping unit: the shop's own code, unique.
    async fn sku(&self) -> &str {
        &self.row.sku
    }

    /// EAN/UPC or other barcode, unique when present.
    async fn barcode(&self) -> Option<&str> {
        self.row.barcode.as_deref()
    }

    /// Name shown at the register and on receipts.
    async fn name(&self) -> &str {
        &self.row.name
    }

    /// Longer description, if any.
    async fn description(&self) -> Option<&str> {
        self.row.description.as_deref()
    }

    /// How the product is measured and sold.
    async fn unit(&self) -> Unit {
        self.row.unit.into()
    }

    /// False once archived: archived products leave lists and searches and cannot be sold.
    async fn active(&self) -> bool {
        self.row.active
    }

    /// Whether stock is counted. Products that do not track stock have no stock levels and
    /// never block a sale.
    async fn track_stock(&self) -> bool {
        self.row.track_stock
    }

    /// Stock at or below this (at a location) makes the product low on stock there; null: no
    /// alerts.
    async fn low_stock_threshold(&self) -> Option<Decimal> {
        self.row.low_stock_threshold_milli.map(Decimal::milli)
    }

    /// Shelf price per unit, as the location shows it: with tax where the location's prices
    /// include tax, before tax where tax is added at the till.
    async fn price(&self) -> Money {
        Money::new(self.row.price_minor, self.currency)
    }

    /// What one unit costs the shop (set by hand, or the weighted average of receipts); null
    /// when unknown.
    async fn cost(&self) -> Option<Money> {
        self.row
            .cost_minor
            .map(|minor| Money::new(minor, self.currency))
    }

    /// The product's VAT rate; null means no tax.
    async fn tax_rate(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<TaxRate>> {
        let Some(id) = self.row.tax_rate_id else {
            return Ok(None);
        };
        if let Some(rates) = self.relations.as_ref().and_then(|r| r.tax_rates.as_ref())
            && let Some(rate) = rates.get(&id)
        {
            return Ok(Some(TaxRate(rate.clone())));
        }
        Ok(load::<tax_rate::Model>(ctx, id).await?.map(TaxRate::from))
    }

    /// The product's category, if any.
    async fn category(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Category>> {
        let Some(id) = self.row.category_id else {
            return Ok(None);
        };
        if let Some(categories) = self.relations.as_ref().and_then(|r| r.categories.as_ref())
            && let Some(category) = categories.get(&id)
        {
            return Ok(Some(Category(category.clone())));
        }
        Ok(load::<category::Model>(ctx, id).await?.map(Category::from))
    }

    /// Stock on hand at every location, by location code (zero where nothing has moved yet).
    /// Empty for products that do not track stock.
    async fn stock(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<StockLevel>> {
        if !self.row.track_stock {
            return Ok(Vec::new());
        }
        if let Some(stock) = self.relations.as_ref().and_then(|r| r.stock.as_ref())
            && let Some(levels) = stock.get(&self.row.id)
        {
            return Ok(levels.clone());
        }
        let (locations, levels) =
            futures_util::try_join!(all_locations(ctx), stock_of(ctx, self.row.id))?;
        Ok(locations
            .iter()
            .map(|location| StockLevel {
                location: Arc::new(location.clone()),
                on_hand_milli: levels
                    .iter()
                    .find(|l: &&stock_level::Model| l.location_id == location.id)
                    .map_or(0, |l| l.on_hand_milli),
            })
            .collect())
    }

    /// When the product was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }

    /// When the product was last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.row.updated_at
    }
}

/// Stock of one product at one location.
#[derive(Clone)]
pub struct StockLevel {
    pub location: Arc<location::Model>,
    pub on_hand_milli: i64,
}

/// Stock of one product at one location.
// Every field is at hand: resolved in turn (see `Money`).
#[Object(serial)]
impl StockLevel {
    /// The location.
    async fn location(&self) -> Location {
        Location(self.location.clone())
    }

    /// Quantity on hand: always the sum of the product's movements at the location.
    async fn on_hand(&self) -> Decimal {
        Decimal::milli(self.on_hand_milli)
    }
}

connection_type!(ProductConnection, ProductEdge, Product, "products");

/// Wraps a page of products with their relations loaded for the whole page.
pub async fn products_with_relations(
    ctx: &Context<'_>,
    node: async_graphql::Lookahead<'_>,
    rows: Vec<product::Model>,
    currency: Currency,
) -> async_graphql::Result<Vec<Product>> {
    let relations = load_relations(ctx, node, &rows).await?;
    Ok(rows
        .into_iter()
        .map(|row| Product {
            row,
            currency,
            relations: Some(relations.clone()),
        })
        .collect())
}

/// A signal of `searchProducts` that found a product.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchSignal {
    /// The query is exactly the product's barcode or SKU.
    ExactCode,
    /// The query is part of the product's code: the first digits of its barcode (6 or more),
    /// the start of its SKU, its SKU typed in another case or without separators (`lim010` for
    /// `LIM-010`), or its 13-digit barcode without the check digit. Such products come right
    /// after an exact code, in code order.
    PartialCode,
    /// Words of the query match the product's name, description or category (forgiving
    /// accents, case, plurals, typos and unfinished words), or another name of a query word
    /// does: its regional or English names ("palta" for "aguacate"), and for a word no product
    /// has, its names in a general lexicon of English and Spanish nouns ("bleach" for "lejía").
    Lexical,
    /// The query means something close to the product's name, category and description
    /// (any language the model knows; needs the embedding model).
    Semantic,
}

impl From<domain::search::Signal> for SearchSignal {
    fn from(signal: domain::search::Signal) -> Self {
        match signal {
            domain::search::Signal::ExactCode => SearchSignal::ExactCode,
            domain::search::Signal::PartialCode => SearchSignal::PartialCode,
            domain::search::Signal::Lexical => SearchSignal::Lexical,
            domain::search::Signal::Semantic => SearchSignal::Semantic,
        }
    }
}

/// One product found by `searchProducts`.
pub struct ProductSearchResult {
    pub score: f64,
    pub matched_by: Vec<SearchSignal>,
    pub product: Product,
}

/// One product found by `searchProducts`, with why it was found.
#[Object]
impl ProductSearchResult {
    /// Relevance: higher is better. Comparable only within one search; an exact code match
    /// scores above everything else.
    async fn score(&self) -> f64 {
        self.score
    }

    /// The signals that found it, in the order EXACT_CODE, PARTIAL_CODE, LEXICAL, SEMANTIC.
    async fn matched_by(&self) -> &[SearchSignal] {
        &self.matched_by
    }

    /// The product (always active: archived products are never found).
    async fn product(&self) -> &Product {
        &self.product
    }
}
