use std::sync::Arc;

use async_graphql::{ID, Object};
use entity::location;

/// A store or warehouse. Every location sells in the shop's one currency.
pub struct Location(pub Arc<location::Model>);

impl From<location::Model> for Location {
    fn from(row: location::Model) -> Self {
        Location(Arc::new(row))
    }
}

/// A store or warehouse. Every location sells in the shop's one currency.
// Every field is at hand: resolved in turn (see `Money`).
#[Object(serial)]
impl Location {
    /// Unique ID (UUID).
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// Short unique code, upper case; prefixes the location's sale numbers (`MAIN-000123`).
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// Name shown on screens and receipts.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// ISO 4217 code of the shop's currency, e.g. `EUR`.
    async fn currency(&self) -> &str {
        &self.0.currency
    }

    /// IANA time zone of the location, e.g. `Europe/Madrid`.
    async fn timezone(&self) -> &str {
        &self.0.timezone
    }

    /// Whether catalog prices include tax at this location (tax is then contained in the
    /// price) or tax is added at the till.
    async fn prices_include_tax(&self) -> bool {
        self.0.prices_include_tax
    }
}
