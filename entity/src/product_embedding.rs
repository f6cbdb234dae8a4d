//! `product_embeddings`: one vector per product, the system of record for semantic search.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "product_embeddings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub product_id: Uuid,
    /// The model that made it (vectors of another model are ignored by search).
    pub model: String,
    pub dimensions: i32,
    /// `dimensions` little-endian f32, L2-normalised.
    pub vector: Vec<u8>,
    /// SHA-256 (hex) of the model name and the text embedded: an unchanged text is not
    /// embedded again.
    pub content_hash: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::product::Entity",
        from = "Column::ProductId",
        to = "super::product::Column::Id",
        on_delete = "Cascade"
    )]
    Product,
}

impl Related<super::product::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Product.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
