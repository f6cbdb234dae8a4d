use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use domain::inventory::LowStock;
use domain::money::Currency;
use entity::{location, product, stock_movement, user};

use super::catalog::Product;
use super::location::Location;
use super::scalars::{Decimal, Money};
use super::user::User;
use crate::graphql::loaders::load;
use crate::graphql::pagination::connection_type;

/// Why stock moved.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::stock_movement::StockReason")]
pub enum StockReason {
    /// Goods received from a supplier.
    Receipt,
    /// Sold.
    Sale,
    /// Brought back by a customer (a refund with restock).
    Return,
    /// Put back by voiding a sale.
    Void,
    /// A correction by hand.
    Adjustment,
    /// The difference found by a physical count.
    Count,
    /// Damaged and written off.
    Damage,
    /// Stolen or lost.
    Theft,
    /// Arrived from another location.
    TransferIn,
    /// Sent to another location.
    TransferOut,
}

/// One entry of the stock ledger: a signed quantity of one product at one location.
pub struct StockMovement {
    pub row: stock_movement::Model,
    pub currency: Currency,
}

/// One entry of the stock ledger: a signed quantity of one product at one location.
#[Object]
impl StockMovement {
    /// Unique ID (UUID, time-ordered).
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }

    /// Why the stock moved.
    async fn reason(&self) -> StockReason {
        self.row.reason.into()
    }

    /// Signed quantity: positive in, negative out.
    async fn quantity(&self) -> Decimal {
        Decimal::milli(self.row.quantity_milli)
    }

    /// Stock on hand at the location right after this movement.
    async fn on_hand_after(&self) -> Decimal {
        Decimal::milli(self.row.on_hand_after_milli)
    }

    /// For receipts: what one unit cost.
    async fn unit_cost(&self) -> Option<Money> {
        self.row
            .unit_cost_minor
            .map(|minor| Money::new(minor, self.currency))
    }

    /// For receipts: the supplier.
    async fn supplier(&self) -> Option<&str> {
        self.row.supplier.as_deref()
    }

    /// A document this movement belongs to: a delivery note, or for SALE, RETURN and VOID
    /// movements the sale's number.
    async fn reference(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        if let Some(reference) = &self.row.reference {
            return Ok(Some(reference.clone()));
        }
        let Some(sale_id) = self.row.sale_id else {
            return Ok(None);
        };
        Ok(load::<entity::sale::Model>(ctx, sale_id)
            .await?
            .and_then(|sale| sale.number))
    }

    /// Free text from whoever made the change.
    async fn note(&self) -> Option<&str> {
        self.row.note.as_deref()
    }

    /// When the stock moved.
    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }

    /// The product.
    async fn product(&self, ctx: &Context<'_>) -> async_graphql::Result<Product> {
        let row = load::<product::Model>(ctx, self.row.product_id)
            .await?
            .ok_or_else(|| domain::Error::internal("movement of a missing product"))?;
        Ok(Product::new(row, self.currency))
    }

    /// The location.
    async fn location(&self, ctx: &Context<'_>) -> async_graphql::Result<Location> {
        let row = load::<location::Model>(ctx, self.row.location_id)
            .await?
            .ok_or_else(|| domain::Error::internal("movement at a missing location"))?;
        Ok(Location::from(row))
    }

    /// Who made the change; null for the system.
    async fn user(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        let Some(id) = self.row.user_id else {
            return Ok(None);
        };
        Ok(load::<user::Model>(ctx, id).await?.map(User))
    }
}

connection_type!(
    StockMovementConnection,
    StockMovementEdge,
    StockMovement,
    "stock movements"
);

/// A product at or below its low-stock threshold at a location.
pub struct LowStockItem {
    pub item: LowStock,
    pub product: Product,
}

/// A product at or below its low-stock threshold at a location.
#[Object]
impl LowStockItem {
    /// Stock on hand at the location.
    async fn on_hand(&self) -> Decimal {
        Decimal::milli(self.item.on_hand_milli)
    }

    /// The product's threshold.
    async fn threshold(&self) -> Decimal {
        Decimal::milli(self.item.threshold_milli)
    }

    /// The product.
    async fn product(&self) -> &Product {
        &self.product
    }
}
/// A product that just fell to or below its low-stock threshold at a location.
pub struct LowStockAlert {
    pub product_id: uuid::Uuid,
    pub location_id: uuid::Uuid,
    pub on_hand_milli: i64,
    pub threshold_milli: i64,
    pub currency: Currency,
}

/// A product that just fell to or below its low-stock threshold at a location.
#[Object]
impl LowStockAlert {
    /// Stock on hand at the location after the movement that crossed the threshold.
    async fn on_hand(&self) -> Decimal {
        Decimal::milli(self.on_hand_milli)
    }

    /// The product's low-stock threshold.
    async fn threshold(&self) -> Decimal {
        Decimal::milli(self.threshold_milli)
    }

    /// The product.
    async fn product(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Product>> {
        let currency = self.currency;
        Ok(load::<product::Model>(ctx, self.product_id)
            .await?
            .map(|row| Product {
                row,
                currency,
                relations: None,
            }))
    }

    /// The location.
    async fn location(&self, ctx: &Context<'_>) -> async_graphql::Result<Location> {
        let row = load::<location::Model>(ctx, self.location_id)
            .await?
            .ok_or_else(|| domain::Error::internal("alert at a missing location"))?;
        Ok(Location::from(row))
    }
}
