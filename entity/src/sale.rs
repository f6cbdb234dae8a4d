//! `sales`: one checkout, with its totals; lines and payments are in their own tables.

use sea_orm::entity::prelude::*;

/// Where a sale stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum SaleStatus {
    #[sea_orm(string_value = "COMPLETED")]
    Completed,
    #[sea_orm(string_value = "PARTIALLY_REFUNDED")]
    PartiallyRefunded,
    #[sea_orm(string_value = "REFUNDED")]
    Refunded,
    #[sea_orm(string_value = "VOIDED")]
    Voided,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sales")]
pub struct Model {
    /// UUIDv7: ordering by id is ordering by time.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `<LOCATION CODE>-<6 digits>`, gap-free per location; null from the sale's commit until
    /// numbering gives it one (milliseconds, see `domain::sales::numbers`).
    pub number: Option<String>,
    pub location_id: Uuid,
    pub register_session_id: Uuid,
    pub cashier_id: Uuid,
    pub customer_id: Option<Uuid>,
    pub status: SaleStatus,
    /// Sum of the lines' `quantity × unit price`, before discounts.
    pub subtotal_minor: i64,
    pub discount_total_minor: i64,
    pub tax_total_minor: i64,
    /// What the customer owes, tax included.
    pub total_minor: i64,
    /// What was tendered, all methods.
    pub amount_paid_minor: i64,
    /// Cash given back.
    pub change_minor: i64,
    /// Cost of the goods sold, from the products' average cost at sale time.
    pub cost_total_minor: i64,
    pub note: Option<String>,
    /// Unique per cashier: a retry with the same key returns this sale.
    pub idempotency_key: String,
    /// SHA-256 of the request, to tell a retry from a different sale under the same key.
    pub request_hash: String,
    /// When the sale happened on the till: the server's clock for an online sale, the till's
    /// (bounded) for one rung up offline. Reports and receipts go by it.
    pub created_at: DateTimeUtc,
    /// When the server stored it.
    pub recorded_at: DateTimeUtc,
    /// Rung up while the till could not reach the server (the goods had left).
    pub offline: bool,
    /// An offline sale that took stock below zero: for a manager to review.
    pub oversold: bool,
    /// An offline sale charged at a price the catalog no longer had: for a manager to review.
    pub price_changed: bool,
    /// An offline sale that reached the server after its register session was closed: not in
    /// the expected cash of the closing count. For a manager to review.
    pub after_close: bool,
    pub voided_at: Option<DateTimeUtc>,
    pub voided_by: Option<Uuid>,
    pub void_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
