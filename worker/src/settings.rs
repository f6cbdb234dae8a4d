//! What `pos-api` and `pos-worker` both read from the environment about the model, and
//! the loading of it (once per process).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use crate::embedder::{Embedder, EmbedderSettings};

/// The model settings from `EMBEDDINGS` (`off` turns semantic search off), `EMBEDDING_MODEL_DIR`,
/// `ORT_DYLIB_PATH` and `EMBEDDING_THREADS`, over any source of variables (both binaries pass
/// `worker::config::Vars::get`, tests their own); `None` when turned off. Defaults: the layout
/// of `scripts/fetch-model.sh` under `./models`.
pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Result<Option<EmbedderSettings>, String> {
    let var = |name: &str| get(name).filter(|v| !v.trim().is_empty());
    match var("EMBEDDINGS").as_deref().map(str::trim) {
        None | Some("on") => {}
        Some("off") => return Ok(None),
        Some(other) => return Err(format!("EMBEDDINGS must be on or off, not {other:?}")),
    }
    let mut settings = EmbedderSettings::under(&PathBuf::from("models"));
    if let Some(dir) = var("EMBEDDING_MODEL_DIR") {
        settings.model_dir = dir.into();
    }
    if let Some(path) = var("ORT_DYLIB_PATH") {
        settings.ort_dylib = path.into();
    }
    if let Some(threads) = var("EMBEDDING_THREADS") {
        settings.threads = threads
            .trim()
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| {
                format!("EMBEDDING_THREADS must be a positive number, not {threads:?}")
            })?;
    }
    Ok(Some(settings))
}

/// The model, loaded on a blocking thread, or `None` (logged once per process, with how to
/// install it) when it cannot be. A process loads each model directory once, however many
/// servers it starts (tests start many).
pub async fn load(settings: &EmbedderSettings) -> Option<Arc<Embedder>> {
    static LOADED: OnceLock<Mutex<HashMap<PathBuf, Option<Arc<Embedder>>>>> = OnceLock::new();
    let loaded = LOADED.get_or_init(Default::default);
    if let Some(known) = loaded
        .lock()
        .ok()
        .and_then(|map| map.get(&settings.model_dir).cloned())
    {
        return known;
    }
    let owned = settings.clone();
    let started = std::time::Instant::now();
    let outcome = tokio::task::spawn_blocking(move || Embedder::load(&owned)).await;
    let embedder = match outcome {
        Ok(Ok(embedder)) => {
            tracing::info!(
                model = embedder.name(),
                load_ms = started.elapsed().as_millis() as u64,
                "embedding model loaded"
            );
            Some(Arc::new(embedder))
        }
        Ok(Err(err)) => {
            tracing::warn!(
                "semantic search is unavailable: {err}. Install the model with \
                 scripts/fetch-model.sh; search still works on codes and words"
            );
            None
        }
        Err(err) => {
            tracing::error!(%err, "loading the embedding model panicked");
            None
        }
    };
    if let Ok(mut map) = loaded.lock() {
        map.insert(settings.model_dir.clone(), embedder.clone());
    }
    embedder
}
