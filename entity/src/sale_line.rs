//! `sale_lines`: what was sold, with snapshots of the catalog at sale time.

use sea_orm::entity::prelude::*;

use crate::product::Unit;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sale_lines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub sale_id: Uuid,
    /// Order on the receipt, from 0.
    pub position: i32,
    pub product_id: Uuid,
    pub sku: String,
    pub name: String,
    pub unit: Unit,
    pub quantity_milli: i64,
    /// The shelf price at sale time.
    pub unit_price_minor: i64,
    /// The catalog's price when the line was sold; differs from `unit_price_minor` only for
    /// an offline sale charged at an older price. `None` on lines sold before it was kept.
    pub catalog_price_minor: Option<i64>,
    /// `round(quantity × unit price)`.
    pub base_minor: i64,
    pub discount_minor: i64,
    /// Thousandths of a percent.
    pub tax_rate_milli: i64,
    pub tax_minor: i64,
    /// What the line costs the customer, tax included.
    pub total_minor: i64,
    /// Cost of these goods: the product's average cost at sale time × quantity.
    pub cost_minor: i64,
    /// Whether the product tracked stock when sold (refunds and voids move stock back only then).
    pub tracks_stock: bool,
    pub refunded_quantity_milli: i64,
    pub refunded_minor: i64,
    pub refunded_tax_minor: i64,
    pub refunded_cost_minor: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
