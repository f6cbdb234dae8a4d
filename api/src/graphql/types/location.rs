use std::sync::Arc;

use async_graphql::{Enum, ID, Object};
use entity::location;

/// The language a location's receipts are printed in.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::location::Language")]
pub enum Language {
    /// Spanish (the default).
    Es,
    /// English.
    En,
}

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

    /// The business's legal name, printed on receipts under `name`; null when not set.
    async fn legal_name(&self) -> Option<&str> {
        self.0.legal_name.as_deref()
    }

    /// The business's tax id (NIF/CIF in Spain), printed on receipts; null when not set.
    async fn tax_id(&self) -> Option<&str> {
        self.0.tax_id.as_deref()
    }

    /// The postal address printed on receipts (may hold line breaks); null when not set.
    async fn address(&self) -> Option<&str> {
        self.0.address.as_deref()
    }

    /// Printed at the foot of every receipt (a return policy, a web address); null when not
    /// set.
    async fn receipt_footer(&self) -> Option<&str> {
        self.0.receipt_footer.as_deref()
    }

    /// The language of the location's receipts (`Sale.receiptText`): ES unless an ADMIN
    /// changed it.
    async fn language(&self) -> Language {
        self.0.language.into()
    }
}
