//! `stock_movements`: the stock ledger, append-only.

use sea_orm::entity::prelude::*;

/// Why stock moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum StockReason {
    #[sea_orm(string_value = "RECEIPT")]
    Receipt,
    #[sea_orm(string_value = "SALE")]
    Sale,
    #[sea_orm(string_value = "RETURN")]
    Return,
    #[sea_orm(string_value = "VOID")]
    Void,
    #[sea_orm(string_value = "ADJUSTMENT")]
    Adjustment,
    #[sea_orm(string_value = "COUNT")]
    Count,
    #[sea_orm(string_value = "DAMAGE")]
    Damage,
    #[sea_orm(string_value = "THEFT")]
    Theft,
    #[sea_orm(string_value = "TRANSFER_IN")]
    TransferIn,
    #[sea_orm(string_value = "TRANSFER_OUT")]
    TransferOut,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stock_movements")]
pub struct Model {
    /// UUIDv7: ordering by id is ordering by time.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub product_id: Uuid,
    pub location_id: Uuid,
    pub reason: StockReason,
    /// Signed thousandths: negative out, positive in.
    pub quantity_milli: i64,
    pub on_hand_after_milli: i64,
    /// For receipts: what one unit cost, in minor units.
    pub unit_cost_minor: Option<i64>,
    pub supplier: Option<String>,
    pub reference: Option<String>,
    pub note: Option<String>,
    pub user_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    /// The sale a SALE, RETURN or VOID movement belongs to.
    pub sale_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
