//! `users`: people who log in, with their role and password hash.

use sea_orm::entity::prelude::*;

/// What a user may do; the permission table is in the contract's CONVENTIONS.md.
/// Each role includes everything the roles below it may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Role {
    #[sea_orm(string_value = "CASHIER")]
    Cashier,
    #[sea_orm(string_value = "MANAGER")]
    Manager,
    #[sea_orm(string_value = "ADMIN")]
    Admin,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Lower-case, unique.
    #[sea_orm(unique)]
    pub username: String,
    pub full_name: String,
    /// PHC string (argon2id), never shown.
    pub password_hash: String,
    pub role: Role,
    pub active: bool,
    /// Access tokens issued before this instant are refused (set on password reset).
    pub tokens_valid_after: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::refresh_token::Entity")]
    RefreshToken,
}

impl Related<super::refresh_token::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RefreshToken.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
