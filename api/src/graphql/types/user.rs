use async_graphql::{Enum, ID, Object};

use crate::graphql::pagination::connection_type;
use chrono::{DateTime, Utc};
use entity::user;

/// What a user may do. Each role includes everything the roles below it may do:
/// ADMIN > MANAGER > CASHIER.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::user::Role")]
pub enum Role {
    /// Everything, including users, locations, tax rates, backups and the audit log.
    Admin,
    /// Catalog, stock, customers, reports, refunds and voids; reads users.
    Manager,
    /// Sells: opens and closes registers, rings up sales, reads the catalog.
    Cashier,
}

/// A person who logs in to the POS.
pub struct User(pub user::Model);

/// A person who logs in to the POS.
#[Object]
impl User {
    /// Unique ID (UUID).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// Login name, lower case, unique.
    async fn username(&self) -> &str {
        &self.0.username
    }

    /// Name shown on screens and receipts.
    async fn full_name(&self) -> &str {
        &self.0.full_name
    }

    /// What the user may do.
    async fn role(&self) -> Role {
        self.0.role.into()
    }

    /// Whether the user may log in. Deactivated users keep their history.
    async fn active(&self) -> bool {
        self.0.active
    }

    /// When the user was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the user was last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

connection_type!(UserConnection, UserEdge, User, "users");
