//! Reference data: the shop's locations, tax rates and categories, kept in memory for a few
//! seconds.
//!
//! Every product view needs them (a product's stock lists every location; its tax rate and
//! category come from these tables), they are tiny, and they change a few times a year. Serving
//! them from memory takes two of the four queries off each scanner lookup. A change made
//! through this replica empties the cache at once; other replicas see it within [`FRESH_FOR`],
//! and a product whose tax rate or category is missing from a stale copy falls back to the
//! database, so no view is ever wrong, at most a brand-new location is missing from a stock
//! list for those seconds.

use std::sync::Arc;
use std::time::Duration;

use entity::{category, location, tax_rate};
use moka::future::Cache;
use sea_orm::DatabaseConnection;

/// How long a copy is used before it is read again.
pub const FRESH_FOR: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub struct ReferenceData {
    locations: Cache<(), Arc<Vec<location::Model>>>,
    tax_rates: Cache<(), Arc<Vec<tax_rate::Model>>>,
    categories: Cache<(), Arc<Vec<category::Model>>>,
}

impl Default for ReferenceData {
    fn default() -> Self {
        fn cache<T: Send + Sync + 'static>() -> Cache<(), Arc<T>> {
            Cache::builder()
                .max_capacity(1)
                .time_to_live(FRESH_FOR)
                .build()
        }
        ReferenceData {
            locations: cache(),
            tax_rates: cache(),
            categories: cache(),
        }
    }
}

/// A cache loader's error, shared by every caller that waited on it.
fn unshare(e: Arc<domain::Error>) -> domain::Error {
    domain::Error::internal(format!("loading reference data: {e:?}"))
}

impl ReferenceData {
    /// Every location, by code.
    pub async fn locations(
        &self,
        db: &DatabaseConnection,
    ) -> domain::Result<Arc<Vec<location::Model>>> {
        self.locations
            .try_get_with((), async {
                domain::locations::list(db).await.map(Arc::new)
            })
            .await
            .map_err(unshare)
    }

    /// Every tax rate, lowest first.
    pub async fn tax_rates(
        &self,
        db: &DatabaseConnection,
    ) -> domain::Result<Arc<Vec<tax_rate::Model>>> {
        self.tax_rates
            .try_get_with((), async {
                domain::catalog::tax_rates::list(db).await.map(Arc::new)
            })
            .await
            .map_err(unshare)
    }

    /// Every category, by name.
    pub async fn categories(
        &self,
        db: &DatabaseConnection,
    ) -> domain::Result<Arc<Vec<category::Model>>> {
        self.categories
            .try_get_with((), async {
                domain::catalog::categories::list(db).await.map(Arc::new)
            })
            .await
            .map_err(unshare)
    }

    /// After a change to any of them through this replica.
    pub fn forget(&self) {
        self.locations.invalidate_all();
        self.tax_rates.invalidate_all();
        self.categories.invalidate_all();
    }
}
