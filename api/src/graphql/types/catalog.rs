use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use domain::money::Currency;
use entity::{category, location, product, stock_level, tax_rate};

use super::location::Location;
use super::scalars::{Decimal, Money};
use crate::graphql::loaders::{all_locations, load, prime, prime_all, prime_stock, stock_of};
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
pub struct TaxRate(pub tax_rate::Model);

/// A VAT rate products can carry.
#[Object]
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
pub struct Category(pub category::Model);

/// A product category; categories form a tree.
#[Object]
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
        Ok(load::<category::Model>(ctx, parent).await?.map(Category))
    }
}

/// Something the shop sells.
pub struct Product {
    pub row: product::Model,
    pub currency: Currency,
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
        Ok(load::<tax_rate::Model>(ctx, id).await?.map(TaxRate))
    }

    /// The product's category, if any.
    async fn category(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Category>> {
        let Some(id) = self.row.category_id else {
            return Ok(None);
        };
        Ok(load::<category::Model>(ctx, id).await?.map(Category))
    }

    /// Stock on hand at every location, by location code (zero where nothing has moved yet).
    /// Empty for products that do not track stock.
    async fn stock(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<StockLevel>> {
        if !self.row.track_stock {
            return Ok(Vec::new());
        }
        let (locations, levels) =
            futures_util::try_join!(all_locations(ctx), stock_of(ctx, self.row.id))?;
        Ok(locations
            .iter()
            .map(|location| StockLevel {
                location: location.clone(),
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
pub struct StockLevel {
    pub location: location::Model,
    pub on_hand_milli: i64,
}

/// Stock of one product at one location.
#[Object]
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

/// Primes the request's loaders for the relations a list of products shows: `node` is the
/// look-ahead at one product of the list. One query per selected relation, whatever the
/// list's length (see [`crate::graphql::loaders`]).
pub async fn prime_products(
    ctx: &Context<'_>,
    node: async_graphql::Lookahead<'_>,
    rows: &[product::Model],
) -> async_graphql::Result<()> {
    let db = &crate::graphql::context::services(ctx)?.db;
    if node.field("category").exists() {
        // A shop has tens of categories: all of them serve every parent chain too.
        prime_all(ctx, domain::catalog::categories::list(db)).await?;
    }
    if node.field("taxRate").exists() {
        prime_all(ctx, domain::catalog::tax_rates::list(db)).await?;
    }
    if node.field("stock").exists() {
        let ids: Vec<_> = rows
            .iter()
            .filter(|p| p.track_stock)
            .map(|p| p.id)
            .collect();
        prime_stock(ctx, db, &ids).await?;
    }
    prime(ctx, rows.iter().cloned()).await
}
