//! `reindex`: makes sure every product has a current embedding.

use std::sync::Arc;

use entity::product;
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use crate::embedder::Embedder;
use crate::embeddings::{self, Embedded};

/// Products read and embedded per step.
const CHUNK: u64 = 256;

/// Walks the catalog in id order and embeds every product whose vector is missing or stale
/// (another model, changed text); with `force`, every product.
///
/// Resumable: an interrupted run loses at most one chunk, and running it again skips what
/// was done (the content hashes match), so it goes on where it stopped. `progress` shows the
/// count, rate and time left; pass `ProgressBar::hidden()` for none.
pub async fn reindex(
    db: &DatabaseConnection,
    embedder: &Arc<Embedder>,
    force: bool,
    progress: &ProgressBar,
) -> anyhow::Result<Embedded> {
    let total = product::Entity::find().count(db).await?;
    progress.set_length(total);
    progress.set_style(
        ProgressStyle::with_template(
            "{spinner} {pos}/{len} products [{bar:30}] {per_sec} elapsed {elapsed} left {eta}",
        )?
        .progress_chars("=> "),
    );
    let mut done = Embedded::default();
    let mut after: Option<Uuid> = None;
    loop {
        let mut page = product::Entity::find()
            .select_only()
            .column(product::Column::Id)
            .order_by_asc(product::Column::Id)
            .limit(CHUNK);
        if let Some(after) = after {
            page = page.filter(product::Column::Id.gt(after));
        }
        let ids: Vec<Uuid> = page.into_tuple().all(db).await?;
        let Some(last) = ids.last().copied() else {
            break;
        };
        let step = embeddings::embed_products(db, embedder, &ids, force).await?;
        done.embedded += step.embedded;
        done.unchanged += step.unchanged;
        done.missing += step.missing;
        progress.inc(ids.len() as u64);
        after = Some(last);
    }
    progress.finish();
    Ok(done)
}

/// [`reindex`] from the command line: a progress bar on stderr, then a summary line.
pub async fn from_command_line(
    db: &DatabaseConnection,
    embedder: &Arc<Embedder>,
    force: bool,
) -> anyhow::Result<()> {
    let done = reindex(db, embedder, force, &ProgressBar::new(0)).await?;
    println!(
        "{} embedded, {} unchanged, {} gone",
        done.embedded, done.unchanged, done.missing
    );
    Ok(())
}
