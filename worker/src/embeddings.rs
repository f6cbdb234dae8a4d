//! Product embeddings: from the catalog to `product_embeddings`.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::Utc;
use domain::search::{content_hash, embedding_text, vector_to_bytes};
use entity::{product, product_embedding};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::embedder::Embedder;

/// What one call did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Embedded {
    /// Vectors computed and stored.
    pub embedded: usize,
    /// Products whose text and model had not changed since their vector was made.
    pub unchanged: usize,
    /// Ids with no product (deleted since the job was queued).
    pub missing: usize,
}

/// Computes and stores the embeddings of `ids` whose text changed (all of them with
/// `force`). Idempotent: running it twice stores the same vectors.
pub async fn embed_products(
    db: &DatabaseConnection,
    embedder: &Arc<Embedder>,
    ids: &[Uuid],
    force: bool,
) -> anyhow::Result<Embedded> {
    let products = product::Entity::find()
        .filter(product::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let categories = domain::search::category_labels(db).await?;
    let stored: HashMap<Uuid, String> = product_embedding::Entity::find()
        .filter(product_embedding::Column::ProductId.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.product_id, row.content_hash))
        .collect();

    let mut outcome = Embedded {
        missing: ids.len().saturating_sub(products.len()),
        ..Embedded::default()
    };
    let mut todo: Vec<(Uuid, String, String)> = Vec::new();
    for p in &products {
        let category = p.category_id.and_then(|c| categories.get(&c));
        let text = embedding_text(
            &p.name,
            category.map(String::as_str),
            p.description.as_deref(),
        );
        let hash = content_hash(embedder.name(), &text);
        if !force && stored.get(&p.id) == Some(&hash) {
            outcome.unchanged += 1;
        } else {
            todo.push((p.id, text, hash));
        }
    }
    if todo.is_empty() {
        return Ok(outcome);
    }

    let texts: Vec<String> = todo.iter().map(|(_, text, _)| text.clone()).collect();
    let model = embedder.clone();
    let vectors = tokio::task::spawn_blocking(move || model.embed_passages(&texts)).await??;
    let now = Utc::now();
    let rows = todo
        .into_iter()
        .zip(vectors)
        .map(
            |((product_id, _, hash), vector)| product_embedding::ActiveModel {
                product_id: Set(product_id),
                model: Set(embedder.name().to_owned()),
                dimensions: Set(i32::try_from(vector.len()).unwrap_or(i32::MAX)),
                vector: Set(vector_to_bytes(&vector)),
                content_hash: Set(hash),
                updated_at: Set(now),
            },
        );
    outcome.embedded = rows.len();
    product_embedding::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::column(product_embedding::Column::ProductId)
                .update_columns([
                    product_embedding::Column::Model,
                    product_embedding::Column::Dimensions,
                    product_embedding::Column::Vector,
                    product_embedding::Column::ContentHash,
                    product_embedding::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(outcome)
}
