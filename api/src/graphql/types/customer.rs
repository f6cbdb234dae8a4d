use async_graphql::{ID, Object};
use chrono::{DateTime, Utc};
use entity::customer;

use crate::graphql::pagination::connection_type;

/// A person or company a sale can be made out to.
pub struct Customer(pub customer::Model);

/// A person or company a sale can be made out to.
#[Object]
impl Customer {
    /// Unique ID (UUID).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// Full name or company name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Email address, lower case.
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }

    /// Phone number as entered.
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }

    /// Tax identification number (NIF/CIF, VAT number) for invoices.
    async fn tax_id(&self) -> Option<&str> {
        self.0.tax_id.as_deref()
    }

    /// When the customer was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the customer was last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

connection_type!(CustomerConnection, CustomerEdge, Customer, "customers");
