//! The job runner: claims due jobs, runs them, records the outcome, sleeps until woken.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use domain::jobs::{self, EMBED_PRODUCT};
use entity::job;
use sea_orm::{DatabaseBackend, DatabaseConnection};
use tracing::Instrument as _;
use uuid::Uuid;

use crate::embedder::Embedder;
use crate::embeddings;

/// How a runner paces itself.
#[derive(Clone, Debug)]
pub struct RunnerSettings {
    /// How long a claimed job is ours; after that another worker may take it again.
    pub lease: Duration,
    /// The slow poll, in case a wake-up was missed.
    pub poll: Duration,
    /// Jobs claimed at once (embeddings are computed in one batch).
    pub batch: u64,
}

impl Default for RunnerSettings {
    fn default() -> Self {
        Self {
            lease: Duration::from_secs(300),
            poll: Duration::from_secs(5),
            batch: 64,
        }
    }
}

/// One worker: in `pos-worker`, or inside `pos-api` in the single-node default.
pub struct Runner {
    db: DatabaseConnection,
    embedder: Option<Arc<Embedder>>,
    settings: RunnerSettings,
    id: String,
}

impl Runner {
    pub fn new(
        db: DatabaseConnection,
        embedder: Option<Arc<Embedder>>,
        settings: RunnerSettings,
    ) -> Self {
        let id = format!("{}:{}", std::process::id(), Uuid::now_v7());
        Self {
            db,
            embedder,
            settings,
            id,
        }
    }

    /// This runner's name in `jobs.locked_by`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The kinds of job this runner can do. Without a model it does none: embedding jobs
    /// wait for a worker that has one.
    pub fn kinds(&self) -> Vec<&'static str> {
        if self.embedder.is_some() {
            vec![EMBED_PRODUCT]
        } else {
            Vec::new()
        }
    }

    /// Claims one batch and runs it; returns how many jobs it took.
    pub async fn run_once(&self) -> anyhow::Result<usize> {
        let kinds = self.kinds();
        if kinds.is_empty() {
            return Ok(0);
        }
        let claimed = jobs::claim(
            &self.db,
            &self.id,
            &kinds,
            self.settings.batch,
            self.settings.lease,
        )
        .await?;
        let taken = claimed.len();
        let embeds: Vec<job::Model> = claimed
            .into_iter()
            .filter(|job| job.kind == EMBED_PRODUCT)
            .collect();
        if !embeds.is_empty() {
            // One trace per batch (exported when OTLP is configured), its statements inside.
            let span = tracing::info_span!(
                "job",
                otel.name = EMBED_PRODUCT,
                job.kind = EMBED_PRODUCT,
                job.count = embeds.len()
            );
            self.embed(&embeds).instrument(span).await?;
        }
        Ok(taken)
    }

    async fn embed(&self, batch: &[job::Model]) -> anyhow::Result<()> {
        let Some(embedder) = &self.embedder else {
            return Ok(());
        };
        let mut ids = Vec::with_capacity(batch.len());
        for job in batch {
            match Uuid::parse_str(&job.dedupe_key) {
                Ok(id) => ids.push(id),
                Err(_) => {
                    jobs::fail(&self.db, job, &self.id, "the job's key is not a product id")
                        .await?;
                }
            }
        }
        match embeddings::embed_products(&self.db, embedder, &ids, false).await {
            Ok(done) => {
                tracing::debug!(?done, "embedded products");
                jobs::complete_all(&self.db, batch, &self.id).await?;
            }
            Err(err) => {
                tracing::warn!(error = %format!("{err:#}"), jobs = batch.len(), "embedding jobs failed; they will be retried");
                let error = format!("{err:#}");
                for job in batch {
                    jobs::fail(&self.db, job, &self.id, &error).await?;
                }
            }
        }
        Ok(())
    }

    /// Runs until `shutdown` completes: a batch whenever jobs are due, otherwise sleeps until
    /// a job is enqueued (in this process, or on PostgreSQL by any process) or the poll
    /// interval passes. Errors (the database away) are logged and retried after the poll.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        if self.kinds().is_empty() {
            tracing::info!("job runner idle: no embedding model, so no job it can run");
            shutdown.await;
            return;
        }
        let listener = (self.db.get_database_backend() == DatabaseBackend::Postgres)
            .then(|| tokio::spawn(listen(self.db.clone())));
        tracing::info!(runner = %self.id, "job runner started");
        tokio::pin!(shutdown);
        loop {
            let idle = match self.run_once().await {
                Ok(0) => true,
                Ok(_) => false,
                Err(err) => {
                    tracing::error!(error = %format!("{err:#}"), "job runner: claiming or recording jobs failed");
                    true
                }
            };
            // Busy: straight to the next batch (unless stopping). Idle: until woken.
            let pause = if idle {
                self.settings.poll
            } else {
                Duration::ZERO
            };
            tokio::select! {
                biased;
                _ = &mut shutdown => break,
                _ = jobs::doorbell().notified(), if idle => {}
                _ = tokio::time::sleep(pause) => {}
            }
        }
        if let Some(listener) = listener {
            listener.abort();
        }
        tracing::info!(runner = %self.id, "job runner stopped");
    }
}

/// Forwards PostgreSQL's `NOTIFY pos_jobs` to this process's doorbell, reconnecting as
/// needed.
async fn listen(db: DatabaseConnection) {
    use sea_orm::sqlx::postgres::PgListener;
    loop {
        let pool = db.get_postgres_connection_pool().clone();
        match PgListener::connect_with(&pool).await {
            Ok(mut listener) => {
                if let Err(err) = listener.listen(jobs::CHANNEL).await {
                    tracing::warn!(%err, "LISTEN {} failed", jobs::CHANNEL);
                } else {
                    loop {
                        match listener.recv().await {
                            Ok(_) => jobs::doorbell().notify_one(),
                            Err(err) => {
                                tracing::warn!(%err, "job notifications interrupted; polling meanwhile");
                                break;
                            }
                        }
                    }
                }
            }
            Err(err) => tracing::warn!(%err, "cannot listen for job notifications; polling"),
        }
        // A missed notification costs at most one poll interval; catch up now.
        jobs::doorbell().notify_one();
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}
