//! `refund_lines`: how much of each sale line a refund gave back.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "refund_lines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub refund_id: Uuid,
    pub sale_line_id: Uuid,
    pub position: i32,
    pub quantity_milli: i64,
    pub amount_minor: i64,
    pub tax_minor: i64,
    pub cost_minor: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
