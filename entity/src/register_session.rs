//! `register_sessions`: a cash drawer from opening to closing, and `cash_movements` in it.

use sea_orm::entity::prelude::*;

/// Whether a session still takes sales.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
pub enum RegisterStatus {
    #[sea_orm(string_value = "OPEN")]
    Open,
    #[sea_orm(string_value = "CLOSED")]
    Closed,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "register_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub location_id: Uuid,
    pub register_name: String,
    pub status: RegisterStatus,
    /// Cash in the drawer at opening, in minor units.
    pub opening_float_minor: i64,
    pub opened_by: Uuid,
    pub opened_at: DateTimeUtc,
    pub closed_by: Option<Uuid>,
    pub closed_at: Option<DateTimeUtc>,
    /// What the drawer should have held at closing (set when closed).
    pub expected_cash_minor: Option<i64>,
    /// What was counted at closing.
    pub counted_cash_minor: Option<i64>,
    pub close_note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
