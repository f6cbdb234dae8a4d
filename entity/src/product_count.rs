//! `product_counts`: how many products are active and archived (two rows).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "product_counts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub active: bool,
    pub products: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
