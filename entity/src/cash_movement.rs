//! `cash_movements`: cash put into or taken out of a drawer outside a sale.

use sea_orm::entity::prelude::*;

/// Which way the cash went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
pub enum CashMovementKind {
    #[sea_orm(string_value = "PAY_IN")]
    PayIn,
    #[sea_orm(string_value = "PAY_OUT")]
    PayOut,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cash_movements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub register_session_id: Uuid,
    pub kind: CashMovementKind,
    /// Always positive; `kind` says the direction.
    pub amount_minor: i64,
    pub reason: String,
    pub user_id: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
