//! `locations`: stores and warehouses.

use sea_orm::entity::prelude::*;

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
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
