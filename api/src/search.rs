//! The search service of one `pos-api` instance: the index (see `domain::search`), the
//! embedding model for queries, and the loop that keeps the index current.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use domain::search::{Hit, SearchIndex, Signals};
use sea_orm::DatabaseConnection;
use tokio::sync::{Notify, oneshot};
use worker::Embedder;

/// Query embeddings kept (cashiers type the same words all day).
const QUERY_CACHE: u64 = 10_000;

/// The most queries embedded in one run of the model. Measured with e5-small on 2 threads:
/// one query alone 6.1 ms, 2.9 ms each in a batch of 8, 2.8 ms in 16, 3.7 ms in 32 (longer
/// padding).
const QUERY_BATCH: usize = 16;

pub struct Search {
    pub index: SearchIndex,
    pub embedder: Option<Arc<Embedder>>,
    batcher: Option<QueryBatcher>,
    queries: moka::future::Cache<String, Arc<Vec<f32>>>,
    /// The longest a search waits for its query's embedding. The model has only the CPU the
    /// rest of the server leaves it (see `worker::Embedder`) and may be busy with product
    /// texts: past this, the search answers on codes and words, not keeping a till waiting.
    model_wait: Duration,
    /// Rung after a local product change, so the index follows it at once.
    changed: Notify,
    loaded: AtomicBool,
}

impl Search {
    pub fn new(embedder: Option<Arc<Embedder>>, model_wait: Duration) -> domain::Result<Self> {
        let batcher = match &embedder {
            Some(embedder) => Some(QueryBatcher::start(embedder.clone()).map_err(|err| {
                domain::Error::internal(format!("starting the query embedder: {err}"))
            })?),
            None => None,
        };
        Ok(Self {
            index: SearchIndex::new(embedder.as_ref().map(|e| e.name().to_owned()))?,
            embedder,
            batcher,
            queries: moka::future::Cache::new(QUERY_CACHE),
            model_wait,
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

    /// The query's embedding, from the cache or the model; `None` without a model, or when
    /// the model fails or takes longer than `model_wait` (logged: search goes on with the
    /// other signals).
    pub async fn query_vector(&self, query: &str) -> Option<Arc<Vec<f32>>> {
        let batcher = self.batcher.as_ref()?;
        let key = domain::text::fold(query);
        let computed = self.queries.try_get_with(key, async move {
            batcher.embed(query.to_owned()).await.map(Arc::new)
        });
        match tokio::time::timeout(self.model_wait, computed).await {
            Ok(Ok(vector)) => Some(vector),
            Ok(Err(err)) => {
                tracing::warn!(error = %err, "embedding a search query failed");
                None
            }
            Err(_) => {
                tracing::warn!(
                    wait_ms = self.model_wait.as_millis() as u64,
                    "the model did not embed a search query in time; answering without it"
                );
                None
            }
        }
    }

    /// Searches with every signal available: at most `first` products, best first, each with
    /// its hit.
    pub async fn find(
        &self,
        db: &DatabaseConnection,
        query: &str,
        first: usize,
    ) -> domain::Result<Vec<(Hit, entity::product::Model)>> {
        let hits = self.search_with(db, query, first, Signals::ALL).await?;
        domain::search::with_products(db, hits).await
    }

    pub async fn search_with(
        &self,
        db: &DatabaseConnection,
        query: &str,
        first: usize,
        signals: Signals,
    ) -> domain::Result<Vec<Hit>> {
        // The model runs only when it can change the answer (see `needs_meaning`).
        let vector =
            if signals.semantic && (signals.always_meaning || self.index.needs_meaning(query)?) {
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

/// A query waiting for its embedding, and where to send it.
type Waiting = (String, oneshot::Sender<Result<Vec<f32>, String>>);

/// Embeds search queries on a thread of its own, in batches: while the model runs one batch,
/// the queries that arrive wait, and the next run takes them all (up to [`QUERY_BATCH`]). One
/// query alone goes straight through; under load, each query costs the model about half as
/// much. The thread ends when the batcher is dropped.
struct QueryBatcher {
    queue: mpsc::Sender<Waiting>,
}

impl QueryBatcher {
    fn start(embedder: Arc<Embedder>) -> std::io::Result<Self> {
        let (queue, waiting) = mpsc::channel::<Waiting>();
        std::thread::Builder::new()
            .name("query-embedder".to_owned())
            .spawn(move || {
                while let Ok(first) = waiting.recv() {
                    let mut batch = vec![first];
                    while batch.len() < QUERY_BATCH {
                        match waiting.try_recv() {
                            Ok(next) => batch.push(next),
                            Err(_) => break,
                        }
                    }
                    let texts: Vec<&str> = batch.iter().map(|(text, _)| text.as_str()).collect();
                    match embedder.embed_queries(&texts) {
                        Ok(vectors) => {
                            for ((_, reply), vector) in batch.into_iter().zip(vectors) {
                                let _ = reply.send(Ok(vector));
                            }
                        }
                        Err(err) => {
                            let err = format!("{err:#}");
                            for (_, reply) in batch {
                                let _ = reply.send(Err(err.clone()));
                            }
                        }
                    }
                }
            })?;
        Ok(QueryBatcher { queue })
    }

    async fn embed(&self, query: String) -> anyhow::Result<Vec<f32>> {
        let (reply, answer) = oneshot::channel();
        let stopped = || anyhow::anyhow!("the query embedder stopped");
        self.queue.send((query, reply)).map_err(|_| stopped())?;
        answer
            .await
            .map_err(|_| stopped())?
            .map_err(anyhow::Error::msg)
    }
}
