//! The search service of one `pos-api` instance: the index (see `domain::search`), the
//! embedding model for queries, and the loop that keeps the index current.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use domain::search::{Hit, SearchIndex, Signals};
use sea_orm::DatabaseConnection;
use tokio::sync::Notify;
use worker::Embedder;

/// Query embeddings kept (cashiers type the same words all day).
const QUERY_CACHE: u64 = 10_000;

pub struct Search {
    pub index: SearchIndex,
    pub embedder: Option<Arc<Embedder>>,
    queries: moka::future::Cache<String, Arc<Vec<f32>>>,
    /// Rung after a local product change, so the index follows it at once.
    changed: Notify,
    loaded: AtomicBool,
}

impl Search {
    pub fn new(embedder: Option<Arc<Embedder>>) -> domain::Result<Self> {
        Ok(Self {
            index: SearchIndex::new(embedder.as_ref().map(|e| e.name().to_owned()))?,
            embedder,
            queries: moka::future::Cache::new(QUERY_CACHE),
            changed: Notify::new(),
            loaded: AtomicBool::new(false),
        })
    }

    /// Whether the first full load of the index has finished.
    pub fn is_loaded(&self) -> bool {
        self.loaded.load(Ordering::Relaxed)
    }

    /// Asks the refresh loop to read changes now.
    pub fn changed(&self) {
        self.changed.notify_one();
    }

    /// Loads the index, then follows the database every `every` (or sooner when
    /// [`Search::changed`] rings). Runs until the task is dropped.
    pub async fn follow(self: Arc<Self>, db: DatabaseConnection, every: Duration) {
        loop {
            let started = std::time::Instant::now();
            match self.index.refresh(&db).await {
                Ok(done) => {
                    if !self.loaded.swap(true, Ordering::Relaxed) {
                        tracing::info!(
                            products = done.products,
                            vectors = done.vectors,
                            elapsed_ms = started.elapsed().as_millis() as u64,
                            "search index loaded"
                        );
                    } else if done != Default::default() {
                        tracing::debug!(?done, "search index refreshed");
                    }
                }
                Err(err) => tracing::warn!(%err, "refreshing the search index failed; retrying"),
            }
            tokio::select! {
                _ = self.changed.notified() => {}
                _ = tokio::time::sleep(every) => {}
            }
        }
    }

    /// The query's embedding, from the cache or the model; `None` without a model (or when
    /// the model fails, which is logged: search goes on with the other signals).
    pub async fn query_vector(&self, query: &str) -> Option<Arc<Vec<f32>>> {
        let embedder = self.embedder.clone()?;
        let key = domain::text::fold(query);
        let computed = self
            .queries
            .try_get_with(key, async move {
                let text = query.to_owned();
                tokio::task::spawn_blocking(move || embedder.embed_query(&text))
                    .await
                    .map_err(anyhow::Error::from)
                    .and_then(|r| r)
                    .map(Arc::new)
            })
            .await;
        match computed {
            Ok(vector) => Some(vector),
            Err(err) => {
                tracing::warn!(error = %err, "embedding a search query failed");
                None
            }
        }
    }

    /// Searches with every signal available.
    pub async fn search(
        &self,
        db: &DatabaseConnection,
        query: &str,
        first: usize,
    ) -> domain::Result<Vec<Hit>> {
        self.search_with(db, query, first, Signals::ALL).await
    }

    pub async fn search_with(
        &self,
        db: &DatabaseConnection,
        query: &str,
        first: usize,
        signals: Signals,
    ) -> domain::Result<Vec<Hit>> {
        let vector = if signals.semantic {
            self.query_vector(query).await
        } else {
            None
        };
        self.index
            .search(
                db,
                query,
                vector.as_deref().map(Vec::as_slice),
                first,
                signals,
            )
            .await
    }
}
