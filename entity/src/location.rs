//! `locations`: stores and warehouses.

use sea_orm::entity::prelude::*;

/// The language receipts are printed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(2))")]
pub enum Language {
    #[sea_orm(string_value = "es")]
    Es,
    #[sea_orm(string_value = "en")]
    En,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "locations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Upper-case, unique; prefixes sale numbers (`MAIN-000123`).
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    /// ISO 4217 code; every location uses the shop's one currency.
    pub currency: String,
    /// IANA time zone name, e.g. `Europe/Madrid`.
    pub timezone: String,
    /// Whether shelf prices at this location already include tax.
    pub prices_include_tax: bool,
    /// The business's legal name, printed on receipts (the trade name is `name`).
    pub legal_name: Option<String>,
    /// Tax id (NIF/CIF in Spain), printed on receipts.
    pub tax_id: Option<String>,
    /// Postal address, printed on receipts; may hold line breaks.
    pub address: Option<String>,
    /// A line or two at the foot of every receipt.
    pub receipt_footer: Option<String>,
    pub language: Language,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
