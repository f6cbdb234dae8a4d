//! A search waits for the model only so long (`SEARCH_MODEL_WAIT`): the model has only the
//! CPU the rest of the server leaves it and may be busy with product texts, and a till must
//! not wait behind it. In a file of its own: it keeps the model busy, and the model is
//! shared by the whole test process.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly
mod common;

use std::time::{Duration, Instant};

use common::{Backend, eventually};
use serde_json::{Value, json};

const SEARCH: &str = "query($q: String!) {
    searchProducts(query: $q) { matchedBy product { name } }
}";

/// Needs meaning (no product has "dolor" or "cabeza"), and has a word a product has.
const QUERY: &str = "paracetamol para el dolor de cabeza";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_model_does_not_hold_up_a_search() {
    let Some(app) = Backend::Sqlite
        .spawn_with_model(&[("SEARCH_MODEL_WAIT", "300ms")])
        .await
    else {
        return;
    };
    let token = app.admin().await.access;
    app.product(
        &token,
        "PARA-500",
        json!({ "name": "Paracetamol 500 mg 20 comprimidos" }),
    )
    .await;
    let search = app.app.search.clone();
    eventually("the product embedded and indexed", || {
        let search = search.clone();
        async move { search.index.vector_count() == 1 }
    })
    .await;
    let first = |data: Value| -> (String, Vec<String>) {
        let hit = &data["searchProducts"][0];
        let signals = hit["matchedBy"]
            .as_array()
            .map(|s| {
                s.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        (
            hit["product"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            signals,
        )
    };

    // The model takes a long job (a reindex's product texts, seconds of work); once it is
    // running, a search that needs meaning answers on its words, in about the wait.
    let embedder = app.app.embedder.clone().expect("the model is loaded");
    let (started, running) = std::sync::mpsc::channel();
    let job = std::thread::spawn(move || {
        let texts =
            vec!["Paracetamol 500 mg 20 comprimidos, analgésico y antitérmico".to_owned(); 1500];
        started.send(()).unwrap();
        embedder.embed_passages(&texts).unwrap();
    });
    running.recv().unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let asked = Instant::now();
    let data = app.ok(&token, SEARCH, json!({ "q": QUERY })).await;
    let took = asked.elapsed();
    assert!(
        took < Duration::from_millis(1500),
        "the search took {took:?}"
    );
    assert!(
        !job.is_finished(),
        "the model's job ended too soon to test anything"
    );
    let (name, signals) = first(data);
    assert_eq!(name, "Paracetamol 500 mg 20 comprimidos");
    assert!(!signals.contains(&"SEMANTIC".to_owned()), "{signals:?}");

    // With the model free again, the same search has its meaning.
    tokio::task::spawn_blocking(move || job.join().unwrap())
        .await
        .unwrap();
    let (app, token) = (&app, &token);
    eventually("the search embedded again", || async move {
        let (_, signals) = first(app.ok(token, SEARCH, json!({ "q": QUERY })).await);
        signals.contains(&"SEMANTIC".to_owned())
    })
    .await;
}
