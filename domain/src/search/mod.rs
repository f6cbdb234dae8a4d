//! Product search at the register: exact codes, words, and meaning, fused into one ranking.
//!
//! # Signals
//! - **EXACT_CODE**: the query is a product's barcode or SKU (what a scanner sends); that
//!   product always ranks first. Looked up in the database like `productByCode`.
//! - **LEXICAL**: the words of the query against the product's name (strongly), and its
//!   description and category (weakly), with [tantivy]: Spanish stemming ("manzanas" finds
//!   "Manzana"), accent and case folding ("cafe" finds "Café"), typo tolerance by edit distance
//!   ("lehce" finds "Leche") and prefixes for as-you-type ("lech"), and sizes in base units
//!   ("6 litros" finds "pack 6x1 L"). Scores are BM25 plus constant boosts for fuzzy and
//!   prefix matches.
//! - **SEMANTIC**: cosine similarity of the query's embedding to each product's embedding
//!   ("refresco de cola" finds "Gaseosa Coca-Cola"), when a model is loaded.
//!
//! The ranks of the lexical and semantic lists are fused by weighted reciprocal rank fusion
//! ([`Fusion`]; a lexical hit counts in proportion to the share of the query's words it
//! matched; `bench -- search-eval` measures each signal and the fusion on a judged query
//! set). Query words also search for their regional and English synonyms (`synonyms`, a
//! short glossary), and a query word that no product's name has is looked up in a general
//! lexicon of English and Spanish nouns (`lexicon`: WordNet and the Spanish wordnet of
//! MultiWordNet, with LibreOffice's Spanish thesaurus): "bleach" also searches "lejía",
//! "trapeador" "fregona", each sense's names weighed by how common the sense is and by how
//! common the name's own sense that names the word back is (a fregona is a mop first, an
//! estropajo a scourer first), and only the names some product has.
//!
//! # Why tantivy, kept in memory on each instance
//! The lexical signal needs typo tolerance, prefixes, stemming and folding that rank the same
//! on SQLite and PostgreSQL. PostgreSQL's full-text search and `pg_trgm` do most of it but
//! SQLite has no equivalent (FTS5 has no edit distance), so two implementations would rank
//! differently on the two backends. tantivy does all of it in process, on the same index for
//! both, and a catalog of 100,000 products fits in a few tens of MB of RAM.
//!
//! The database stays the system of record: every instance builds its index at start-up from
//! the `products` and `product_embeddings` tables and then follows them ([`SearchIndex::refresh`],
//! by `updated_at`, with an overlap window so a transaction that committed late is not missed).
//! Changes made through another instance, and vectors written by any worker, arrive within one
//! refresh interval.
//!
//! Vectors are held as int8 (each scaled by its own largest component), a quarter of the
//! memory of f32 with rankings that differ only in near-ties. Up to 4,096 vectors a query
//! scores them all; above, a first pass over one bit per dimension (around the mean vector,
//! compared by Hamming distance: a twelfth of the bytes to read) shortlists 1,000 and the
//! int8 vectors rank those exactly. On 100,000 vectors that made the cached query 3 times
//! faster (`bench -- search`), and a test holds its recall@10 against the full scan at 0.95
//! or better (0.996 measured on clustered vectors that all lean one way, as e5's do).
//! A query asked again while the index is unchanged reuses its semantic candidates (see
//! `SearchIndex::semantic_candidates`); the exact-code lookup and the lexical signal still
//! run every time.
//!
//! # Layout
//! - this module: the signals, the fusion's weights, a hit, and the texts and hashes the
//!   worker and the index agree on.
//! - `index`: [`SearchIndex`], what one instance has read of the catalog (refreshed by
//!   `updated_at`), and the search that fuses the signals.
//! - `lexical`: the tantivy index (analyzers, the query built from the words, synonyms).
//! - `vectors`: int8 product vectors, the one-bit first pass, the dot product.
//! - `sizes`: sizes in names and queries ("5 L", "5 litros", "6x1 L") as terms in base units.
//! - `synonyms`: the glossary of regional and English names.
//! - `lexicon`: the general lexicon (`domain/data/lexicon.tsv.gz`, sources in `LEXICON.md`).

use std::collections::HashMap;

use entity::product;
use sea_orm::ConnectionTrait;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::catalog::products;

use crate::error::{Error, Result};

mod codes;
mod index;
mod lexical;
mod lexicon;
mod sizes;
mod synonyms;
mod vectors;

pub use codes::fold_sku;
pub use index::{Refreshed, SearchIndex, category_labels};
pub use vectors::{vector_from_bytes, vector_to_bytes};

/// The longest query accepted, in characters (a product name is at most 200).
pub const MAX_QUERY_CHARS: usize = 200;

/// A signal that found a product (the contract's `SearchSignal`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Signal {
    ExactCode,
    /// Part of a code: a barcode's first digits, a SKU's start or a SKU typed without its
    /// separators, a barcode without its check digit (see `codes`).
    PartialCode,
    Lexical,
    Semantic,
}

/// Which signals a search may use, and how their rankings are fused (the evaluation turns
/// signals on one at a time and tries other fusions).
#[derive(Clone, Copy, Debug)]
pub struct Signals {
    pub exact: bool,
    pub lexical: bool,
    pub semantic: bool,
    /// Run the model even when the codes and words decide (see
    /// `SearchIndex::needs_meaning`); the evaluation compares both.
    pub always_meaning: bool,
    pub fusion: Fusion,
}

impl Signals {
    pub const ALL: Signals = Signals {
        exact: true,
        lexical: true,
        semantic: true,
        always_meaning: false,
        fusion: Fusion::DEFAULT,
    };
}

/// Weighted reciprocal rank fusion: a product at rank r (from 1) of a signal gets
/// `weight / (k + r)`, summed over the signals that found it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fusion {
    pub k: f64,
    pub lexical_weight: f64,
    pub semantic_weight: f64,
    /// Semantic candidates whose cosine is more than this below the best one's are dropped
    /// (the model's cosines sit in a narrow band, so the cut is relative).
    pub semantic_margin: f32,
    /// A product's lexical share is multiplied by its coverage (the share of the query's words
    /// it matched, by the word or another name for it) to this power; 0 ignores coverage.
    pub coverage_power: f64,
}

impl Fusion {
    /// Chosen with `bench -- search-eval --grid` on the judged demo queries: words count
    /// twice as much as meaning (a product the cashier named beats one that only means
    /// something close; equal weights gave nDCG@10 0.901, these 0.923), k in the middle of the
    /// plateau (5 to 60 differ by under 0.006), and no semantic margin (every cut lowered
    /// the scores). Coverage to the power 1: a product that matched one of the query's two
    /// words counts half as a word match, so "para limpiar cristales" is not answered by
    /// "Bic Cristal" alone. On the demo set, power 0 gave nDCG@10 0.933, 1 0.947, 2 0.945; the
    /// held-out set was only reported (0.888, 0.891, 0.890; intent 0.621, 0.654, 0.657).
    pub const DEFAULT: Fusion = Fusion {
        k: 10.0,
        lexical_weight: 2.0,
        semantic_weight: 1.0,
        semantic_margin: f32::INFINITY,
        coverage_power: 1.0,
    };
}

/// One result.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub product_id: Uuid,
    /// The fused score; higher is better, comparable only within one search.
    pub score: f64,
    /// In the order EXACT_CODE, LEXICAL, SEMANTIC.
    pub matched_by: Vec<Signal>,
}

/// The hits' products, in the ranking's order. A product archived since the index last looked
/// is left out, with its hit: archived products are never found.
pub async fn with_products(
    conn: &impl ConnectionTrait,
    hits: Vec<Hit>,
) -> Result<Vec<(Hit, product::Model)>> {
    let ids: Vec<Uuid> = hits.iter().map(|hit| hit.product_id).collect();
    let mut rows: HashMap<Uuid, product::Model> = products::get_many(conn, &ids)
        .await?
        .into_iter()
        .map(|row| (row.id, row))
        .collect();
    Ok(hits
        .into_iter()
        .filter_map(|hit| {
            let row = rows.remove(&hit.product_id).filter(|row| row.active)?;
            Some((hit, row))
        })
        .collect())
}

/// The text a product's embedding is computed from: name, category and description.
pub fn embedding_text(name: &str, category: Option<&str>, description: Option<&str>) -> String {
    let mut text = name.trim().to_owned();
    for part in [category, description].into_iter().flatten() {
        let part = part.trim();
        if !part.is_empty() {
            text.push_str(". ");
            text.push_str(part);
        }
    }
    text
}

/// SHA-256 (hex) of the model and the text: equal hashes need no new embedding.
pub fn content_hash(model: &str, text: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(model.as_bytes());
    hasher.update([0]);
    hasher.update(text.as_bytes());
    format!("{:x}", hasher.finalize())
}

/// Checks and trims a query: empty, blank or longer than [`MAX_QUERY_CHARS`] is BAD_USER_INPUT.
pub fn parse_query(raw: &str) -> Result<&str> {
    let query = raw.trim();
    if query.is_empty() {
        return Err(Error::bad_input("query", "query cannot be empty"));
    }
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(Error::bad_input(
            "query",
            format!("query is longer than {MAX_QUERY_CHARS} characters"),
        ));
    }
    Ok(query)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_trimmed_and_bounded() {
        assert_eq!(parse_query("  leche ").unwrap(), "leche");
        assert_eq!(parse_query(" \t ").unwrap_err().code(), "BAD_USER_INPUT");
        assert_eq!(
            parse_query(&"a".repeat(10_000)).unwrap_err().code(),
            "BAD_USER_INPUT"
        );
    }
}
