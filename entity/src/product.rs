//! `products`: what the shop sells.

use sea_orm::entity::prelude::*;

/// How a product is measured. UNIT products are sold in whole numbers; the others may take
/// three decimals (0.375 kg).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
pub enum Unit {
    #[sea_orm(string_value = "UNIT")]
    Unit,
    #[sea_orm(string_value = "KG")]
    Kg,
    #[sea_orm(string_value = "G")]
    G,
    #[sea_orm(string_value = "L")]
    L,
    #[sea_orm(string_value = "ML")]
    Ml,
    #[sea_orm(string_value = "M")]
    M,
}

impl Unit {
    /// Whether quantities must be whole numbers.
    pub fn is_counted(self) -> bool {
        self == Unit::Unit
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub sku: String,
    #[sea_orm(unique)]
    pub barcode: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub category_id: Option<Uuid>,
    pub unit: Unit,
    /// Shelf price in minor units (with tax where the selling location includes it).
    pub price_minor: i64,
    /// Cost in minor units: set by hand or by the weighted average of receipts.
    pub cost_minor: Option<i64>,
    pub tax_rate_id: Option<Uuid>,
    pub track_stock: bool,
    /// Thousandths; `None` means no low-stock alerts.
    pub low_stock_threshold_milli: Option<i64>,
    pub active: bool,
    /// Name, SKU and barcode folded (lower case, no accents) for searching.
    pub search_text: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
