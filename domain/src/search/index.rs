//! The index of one instance: what it has read of the catalog, and the fused search over it.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use chrono::{DateTime, Utc};
use entity::{category, product, product_embedding};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::codes::Codes;
use super::lexical::Lexical;
use super::vectors::{Vectors, vector_from_bytes};
use super::{Hit, Signal, Signals};
use crate::catalog::products;
use crate::error::{Error, Result};

/// How many candidates each signal contributes to the fusion.
const CANDIDATES: usize = 50;

/// How far back each refresh looks again, for transactions that committed after a later one.
const OVERLAP: chrono::Duration = chrono::Duration::seconds(10);

/// How far behind this server's clock another server's may be. A refresh never looks back
/// further than this (plus [`OVERLAP`]) before its own start, so after a bulk import the rows
/// it wrote are read once more for a minute, not on every refresh until the next change.
const CLOCK_SKEW: chrono::Duration = chrono::Duration::seconds(60);

/// The search index of one instance.
pub struct SearchIndex {
    lexical: Lexical,
    /// Partial codes: barcode prefixes, SKUs folded (see `codes`).
    codes: RwLock<Codes>,
    vectors: RwLock<Vectors>,
    /// Archived products stay in the vector store (their rows do) and are skipped here.
    active: RwLock<HashSet<Uuid>>,
    /// The model whose vectors count; `None` turns the semantic signal off.
    model: Option<String>,
    since: Mutex<Watermarks>,
    /// Counts the changes to `vectors` and `active`; bumped under their write locks.
    generation: AtomicU64,
    /// Each query's semantic candidates, with the generation they were computed at: served
    /// again only while the index is unchanged (the same words come back all day at a till, and
    /// the scan is most of a search's work).
    semantic: moka::sync::Cache<String, (u64, Candidates)>,
}

/// Products and their cosines to a query, best first.
type Candidates = Arc<Vec<(Uuid, f32)>>;

/// Queries whose semantic candidates are kept.
const SEMANTIC_CACHE: u64 = 10_000;

/// How far each table has been read, and the version (`updated_at`) of each row indexed, so
/// the overlap window does not index the same row again.
#[derive(Default)]
struct Watermarks {
    products: Option<DateTime<Utc>>,
    embeddings: Option<DateTime<Utc>>,
    product_versions: HashMap<Uuid, DateTime<Utc>>,
    vector_versions: HashMap<Uuid, DateTime<Utc>>,
}

/// What one refresh changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Refreshed {
    pub products: usize,
    pub vectors: usize,
}

impl SearchIndex {
    /// An empty index; [`SearchIndex::refresh`] fills it. `model` names the embedding model
    /// whose vectors the semantic signal uses.
    pub fn new(model: Option<String>) -> Result<Self> {
        Ok(Self {
            lexical: Lexical::new().map_err(Error::internal)?,
            codes: RwLock::new(Codes::default()),
            vectors: RwLock::new(Vectors::default()),
            active: RwLock::new(HashSet::new()),
            model,
            since: Mutex::new(Watermarks::default()),
            generation: AtomicU64::new(0),
            semantic: moka::sync::Cache::new(SEMANTIC_CACHE),
        })
    }

    /// Whether the semantic signal is available (a model is loaded).
    pub fn semantic_enabled(&self) -> bool {
        self.model.is_some()
    }

    /// How many product vectors are loaded.
    pub fn vector_count(&self) -> usize {
        self.vectors.read().map(|v| v.ids.len()).unwrap_or(0)
    }

    /// Reads what changed since the last refresh (everything, the first time).
    pub async fn refresh(&self, conn: &impl ConnectionTrait) -> Result<Refreshed> {
        let (products_since, embeddings_since) = {
            let since = self.since.lock().map_err(poisoned)?;
            (since.products, since.embeddings)
        };
        let started = Utc::now();
        let mut refreshed = Refreshed::default();

        let mut changed = product::Entity::find().order_by_asc(product::Column::UpdatedAt);
        if let Some(since) = products_since {
            changed = changed.filter(product::Column::UpdatedAt.gte(since - OVERLAP));
        }
        let mut changed = changed.all(conn).await?;
        let newest_product = changed.last().map(|p| p.updated_at).max(products_since);
        {
            let since = self.since.lock().map_err(poisoned)?;
            changed.retain(|p| since.product_versions.get(&p.id) != Some(&p.updated_at));
        }
        if !changed.is_empty() {
            let categories = category_labels(conn).await?;
            {
                let mut active = self.active.write().map_err(poisoned)?;
                self.generation.fetch_add(1, Ordering::AcqRel);
                for p in &changed {
                    if p.active {
                        active.insert(p.id);
                    } else {
                        active.remove(&p.id);
                    }
                }
            }
            self.lexical
                .upsert(&changed, &categories)
                .map_err(Error::internal)?;
            let mut codes = self.codes.write().map_err(poisoned)?;
            for p in &changed {
                codes.upsert(p.id, &p.sku, p.barcode.as_deref(), p.active);
            }
            refreshed.products = changed.len();
        }

        let mut rows = Vec::new();
        let mut newest_embedding = embeddings_since;
        if let Some(model) = &self.model {
            let mut query = product_embedding::Entity::find()
                .filter(product_embedding::Column::Model.eq(model.as_str()))
                .order_by_asc(product_embedding::Column::UpdatedAt);
            if let Some(since) = embeddings_since {
                query = query.filter(product_embedding::Column::UpdatedAt.gte(since - OVERLAP));
            }
            rows = query.all(conn).await?;
            newest_embedding = rows.last().map(|r| r.updated_at).max(embeddings_since);
            let since = self.since.lock().map_err(poisoned)?;
            rows.retain(|r| since.vector_versions.get(&r.product_id) != Some(&r.updated_at));
        }
        if !rows.is_empty() {
            let mut vectors = self.vectors.write().map_err(poisoned)?;
            self.generation.fetch_add(1, Ordering::AcqRel);
            for row in &rows {
                if let Some(vector) = vector_from_bytes(&row.vector) {
                    vectors.upsert(row.product_id, &vector);
                    refreshed.vectors += 1;
                }
            }
            vectors.recode();
        }

        let mut since = self.since.lock().map_err(poisoned)?;
        for p in &changed {
            since.product_versions.insert(p.id, p.updated_at);
        }
        for row in &rows {
            since.vector_versions.insert(row.product_id, row.updated_at);
        }
        // A clock far behind this one must not make the next refresh skip rows: never move a
        // watermark past the time this refresh started.
        let watermark = |newest: DateTime<Utc>| newest.min(started).max(started - CLOCK_SKEW);
        since.products = newest_product.map(watermark);
        since.embeddings = newest_embedding.map(watermark);
        Ok(refreshed)
    }

    /// Searches for `query` (already checked by [`parse_query`]); `query_vector` is its
    /// embedding when a model is loaded. Returns at most `first` hits, best first.
    pub async fn search(
        &self,
        conn: &impl ConnectionTrait,
        query: &str,
        query_vector: Option<&[f32]>,
        first: usize,
        signals: Signals,
    ) -> Result<Vec<Hit>> {
        let mut fused: HashMap<Uuid, Hit> = HashMap::new();
        let mut add = |id: Uuid, score: f64, signal: Signal| {
            let hit = fused.entry(id).or_insert_with(|| Hit {
                product_id: id,
                score: 0.0,
                matched_by: Vec::new(),
            });
            hit.score += score;
            if !hit.matched_by.contains(&signal) {
                hit.matched_by.push(signal);
                hit.matched_by.sort();
            }
        };

        let mut exact = None;
        if signals.exact
            && let Some(product) = products::by_typed_code(conn, query).await?
            && product.active
        {
            // Above anything else: partial codes and the fusion (under a point per signal).
            add(product.id, 1000.0, Signal::ExactCode);
            exact = Some(product.id);
        }
        if signals.exact {
            // Below an exact code, above any word or meaning, in code order: a point apart,
            // more than words and meaning can add.
            let partial = self.codes.read().map_err(poisoned)?.partial(query, first);
            for (rank, id) in partial
                .into_iter()
                .filter(|id| Some(*id) != exact)
                .enumerate()
            {
                add(id, 500.0 - rank as f64, Signal::PartialCode);
            }
        }

        // Held, not copied: nothing below awaits.
        let active = self.active.read().map_err(poisoned)?;
        if signals.lexical {
            let hits = self
                .lexical
                .search(query, CANDIDATES)
                .map_err(Error::internal)?;
            let fusion = signals.fusion;
            for (rank, found) in hits
                .into_iter()
                .filter(|found| active.contains(&found.id))
                .enumerate()
            {
                let coverage = f64::from(found.coverage).powf(fusion.coverage_power);
                add(
                    found.id,
                    fusion.lexical_weight * coverage / (fusion.k + rank as f64 + 1.0),
                    Signal::Lexical,
                );
            }
        }
        if signals.semantic
            && let Some(query_vector) = query_vector
        {
            let hits = self.semantic_candidates(query, query_vector, &active)?;
            let fusion = signals.fusion;
            let best = hits.first().map_or(0.0, |(_, cosine)| *cosine);
            for (rank, &(id, _)) in hits
                .iter()
                .take_while(|(_, cosine)| best - cosine <= fusion.semantic_margin)
                .enumerate()
            {
                add(
                    id,
                    fusion.semantic_weight / (fusion.k + rank as f64 + 1.0),
                    Signal::Semantic,
                );
            }
        }

        let mut hits: Vec<Hit> = fused.into_values().collect();
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.product_id.cmp(&b.product_id))
        });
        hits.truncate(first);
        Ok(hits)
    }
}

impl SearchIndex {
    /// Whether the model can change this query's answer. Not when the query is (part of) a
    /// code, nor when each of its words is a word (or the start of one, as typed) of some
    /// product's name and some product matches them all: the codes and the words decide, and
    /// the query is answered without an inference. A word no product's name has (an English
    /// word, a typo, a need: "para la tos"), or known words no product has together ("para
    /// fregar los platos"), need the meaning.
    pub fn needs_meaning(&self, query: &str) -> Result<bool> {
        if !self
            .codes
            .read()
            .map_err(poisoned)?
            .partial(query, 1)
            .is_empty()
        {
            return Ok(false);
        }
        Ok(!self.lexical.decides(query).map_err(Error::internal)?)
    }

    /// The [`CANDIDATES`] products nearest to `query`'s embedding among `active`, best first:
    /// from the cache when computed at the index's current generation. The caller holds the
    /// `active` read lock and this holds the `vectors` one, so no refresh runs between reading
    /// the generation and scanning: what is cached is what that generation holds.
    fn semantic_candidates(
        &self,
        query: &str,
        query_vector: &[f32],
        active: &HashSet<Uuid>,
    ) -> Result<Candidates> {
        let vectors = self.vectors.read().map_err(poisoned)?;
        let generation = self.generation.load(Ordering::Acquire);
        if let Some((computed_at, hits)) = self.semantic.get(query)
            && computed_at == generation
        {
            return Ok(hits);
        }
        let hits = Arc::new(vectors.nearest(query_vector, CANDIDATES, |id| active.contains(id)));
        self.semantic
            .insert(query.to_owned(), (generation, hits.clone()));
        Ok(hits)
    }
}

fn poisoned<T>(_: std::sync::PoisonError<T>) -> Error {
    Error::internal("search index lock poisoned")
}

/// Category id → "Name (Parent)": the category text of a product's embedding and lexical
/// index.
pub async fn category_labels(conn: &impl ConnectionTrait) -> Result<HashMap<Uuid, String>> {
    let all: Vec<(Uuid, String, Option<Uuid>)> = category::Entity::find()
        .select_only()
        .columns([
            category::Column::Id,
            category::Column::Name,
            category::Column::ParentId,
        ])
        .into_tuple()
        .all(conn)
        .await?;
    let names: HashMap<Uuid, &str> = all
        .iter()
        .map(|(id, name, _)| (*id, name.as_str()))
        .collect();
    Ok(all
        .iter()
        .map(|(id, name, parent)| {
            let label = match parent.and_then(|p| names.get(&p)) {
                Some(parent) => format!("{name} ({parent})"),
                None => name.clone(),
            };
            (*id, label)
        })
        .collect())
}
