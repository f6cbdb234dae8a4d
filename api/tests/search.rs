//! searchProducts: each signal, the fusion, the bounds, and the embeddings behind it, with the
//! real model (built by scripts/fetch-model.sh when missing).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly
mod common;

use common::{Backend, TestApp, eventually};
use serde_json::{Value, json};

const SEARCH: &str = "query($q: String!, $first: Int) {
    searchProducts(query: $q, first: $first) { score matchedBy product { id sku name } }
}";

async fn search(app: &TestApp, token: &str, query: &str, first: Option<i64>) -> Vec<Value> {
    let data = app
        .ok(token, SEARCH, json!({ "q": query, "first": first }))
        .await;
    data["searchProducts"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn names(hits: &[Value]) -> Vec<&str> {
    hits.iter()
        .map(|h| h["product"]["name"].as_str().unwrap_or_default())
        .collect()
}

fn signals(hit: &Value) -> Vec<&str> {
    hit["matchedBy"]
        .as_array()
        .map(|s| s.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// A small shop: (sku, name, description, barcode).
const SHOP: &[(&str, &str, Option<&str>, Option<&str>)] = &[
    (
        "COLA-2L",
        "Gaseosa Coca-Cola 2 L",
        None,
        Some("5449000000996"),
    ),
    ("LECHE-1L", "Leche entera 1 L", None, None),
    ("LECHE-DES", "Leche desnatada 1 L", None, None),
    ("CAFE-250", "Café molido natural 250 g", None, None),
    (
        "PARA-500",
        "Paracetamol 500 mg 20 comprimidos",
        Some("Analgésico y antitérmico"),
        None,
    ),
    ("TORN-5", "Tornillo 5 mm caja 100 uds", None, None),
    ("PAN-250", "Barra de pan 250 g", None, None),
];

/// Starts a server with the model, creates the shop and waits until every product has its
/// vector in the index. `None` when the model cannot be built here.
async fn shop(backend: &Backend) -> Option<(TestApp, String, Vec<String>)> {
    let app = backend.spawn_with_model(&[]).await?;
    let token = app.admin().await.access;
    let mut ids = Vec::new();
    for (sku, name, description, barcode) in SHOP {
        ids.push(
            app.product(
                &token,
                sku,
                json!({ "name": name, "description": description, "barcode": barcode }),
            )
            .await,
        );
    }
    let expected = SHOP.len();
    let search = app.app.search.clone();
    eventually("every product embedded and indexed", || {
        let search = search.clone();
        async move { search.index.vector_count() == expected }
    })
    .await;
    Some((app, token, ids))
}

both_backends!(
    each_signal_alone_and_fused,
    archived_products_never_appear_and_first_bounds_the_list,
    a_product_edit_changes_its_vector_and_an_unchanged_save_does_not,
    bad_queries_are_refused,
    without_a_model_search_runs_on_codes_and_words
);

async fn each_signal_alone_and_fused(backend: Backend) {
    let Some((app, token, _)) = shop(&backend).await else {
        return;
    };

    // A scanned barcode: that product first, found by its code.
    let hits = search(&app, &token, "5449000000996", None).await;
    assert_eq!(names(&hits)[0], "Gaseosa Coca-Cola 2 L");
    assert_eq!(signals(&hits[0])[0], "EXACT_CODE");
    let hits = search(&app, &token, "TORN-5", None).await;
    assert_eq!(names(&hits)[0], "Tornillo 5 mm caja 100 uds");
    // A SKU typed in lower case is still that code.
    let hits = search(&app, &token, "torn-5", None).await;
    assert_eq!(names(&hits)[0], "Tornillo 5 mm caja 100 uds");
    assert_eq!(signals(&hits[0])[0], "EXACT_CODE", "{hits:?}");

    // Words: a typo, missing accents, a plural, an unfinished word; and words no product has,
    // looked up in the lexicon ("pills" names "comprimidos", "screws" "tornillos", "baguette"
    // "barra").
    for (query, expected) in [
        ("lehce entera", "Leche entera 1 L"),
        ("cafe molido", "Café molido natural 250 g"),
        ("tornillos", "Tornillo 5 mm caja 100 uds"),
        ("paracet", "Paracetamol 500 mg 20 comprimidos"),
        ("headache pills", "Paracetamol 500 mg 20 comprimidos"),
        ("screws", "Tornillo 5 mm caja 100 uds"),
        ("baguette", "Barra de pan 250 g"),
    ] {
        let hits = search(&app, &token, query, None).await;
        assert_eq!(names(&hits)[0], expected, "{query}: {hits:?}");
        assert!(signals(&hits[0]).contains(&"LEXICAL"), "{query}: {hits:?}");
    }

    // Meaning alone: no word in common, another language.
    let hits = search(&app, &token, "fever medicine", None).await;
    assert_eq!(
        names(&hits)[0],
        "Paracetamol 500 mg 20 comprimidos",
        "{hits:?}"
    );
    assert_eq!(signals(&hits[0]), vec!["SEMANTIC"], "{hits:?}");
    // English shopping words also reach the Spanish names through the glossary.
    for (query, expected) in [
        ("whole milk", "Leche entera 1 L"),
        ("ground coffee", "Café molido natural 250 g"),
    ] {
        let hits = search(&app, &token, query, None).await;
        assert_eq!(names(&hits)[0], expected, "{query}: {hits:?}");
        assert_eq!(
            signals(&hits[0]),
            vec!["LEXICAL", "SEMANTIC"],
            "{query}: {hits:?}"
        );
    }

    // Both: the words and the meaning agree, and the fusion ranks it first.
    let hits = search(&app, &token, "refresco de cola", None).await;
    assert_eq!(names(&hits)[0], "Gaseosa Coca-Cola 2 L", "{hits:?}");
    let hits = search(&app, &token, "paracetamol para el dolor de cabeza", None).await;
    assert_eq!(
        names(&hits)[0],
        "Paracetamol 500 mg 20 comprimidos",
        "{hits:?}"
    );
    assert_eq!(signals(&hits[0]), vec!["LEXICAL", "SEMANTIC"]);
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");

    // /ready reports the model and its vectors.
    let ready: Value = app
        .client
        .get(app.url("/ready"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["checks"]["embeddings"]["status"], "up", "{ready}");
    assert_eq!(
        ready["checks"]["embeddings"]["model"],
        "multilingual-e5-small"
    );
}

async fn archived_products_never_appear_and_first_bounds_the_list(backend: Backend) {
    let Some((app, token, ids)) = shop(&backend).await else {
        return;
    };
    let skimmed = &ids[2];
    app.ok(
        &token,
        "mutation($id: ID!) { archiveProduct(id: $id) { id } }",
        json!({ "id": skimmed }),
    )
    .await;
    // By its code, its words, or its meaning: gone (once the index has seen it).
    for query in ["LECHE-DES", "leche desnatada", "skimmed milk"] {
        let (app, token, skimmed) = (&app, &token, skimmed.as_str());
        eventually("the archived product leaves the results", || async move {
            search(app, token, query, Some(100))
                .await
                .iter()
                .all(|h| h["product"]["id"] != skimmed)
        })
        .await;
    }

    assert_eq!(search(&app, &token, "leche", Some(1)).await.len(), 1);
    assert!(search(&app, &token, "leche", Some(0)).await.is_empty());
    // Without `first`: at most 20, here the whole shop less the archived product at most.
    assert!(search(&app, &token, "leche", None).await.len() < SHOP.len());
    for first in [-1, 101] {
        let response = app
            .gql(
                Some(&token),
                SEARCH,
                json!({ "q": "leche", "first": first }),
            )
            .await;
        assert_eq!(
            response["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{response}"
        );
    }
}

async fn a_product_edit_changes_its_vector_and_an_unchanged_save_does_not(backend: Backend) {
    let Some((app, token, ids)) = shop(&backend).await else {
        return;
    };
    use entity::product_embedding;
    use sea_orm::EntityTrait;
    let stored = |id: String| {
        let db = app.app.db.clone();
        async move {
            product_embedding::Entity::find_by_id(uuid::Uuid::parse_str(&id).unwrap())
                .one(&db)
                .await
                .unwrap()
                .unwrap()
        }
    };
    let bread = ids[6].clone();
    let before = stored(bread.clone()).await;

    // A price change and a save of the same name embed nothing.
    app.ok(
        &token,
        "mutation($id: ID!) { updateProduct(id: $id, input: { price: \"0.80\", name: \"Barra de pan 250 g\" }) { id } }",
        json!({ "id": bread }),
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(app.count_rows("jobs").await, 0, "no job waits or runs");
    assert_eq!(stored(bread.clone()).await, before);

    // A new name: a new vector, and search follows it.
    app.ok(
        &token,
        "mutation($id: ID!) { updateProduct(id: $id, input: { name: \"Baguette rústica 250 g\" }) { id } }",
        json!({ "id": bread }),
    )
    .await;
    let (stored, before) = (&stored, &before);
    let bread_id = bread.as_str();
    eventually("the new vector is stored", || async move {
        stored(bread_id.to_owned()).await.content_hash != before.content_hash
    })
    .await;
    let after = stored(bread.clone()).await;
    assert_ne!(after.vector, before.vector);
    assert_eq!(after.dimensions, 384);
    assert_eq!(after.model, "multilingual-e5-small");
    let (app, token, bread) = (&app, &token, bread.as_str());
    eventually("search finds the new name by its meaning", || async move {
        search(app, token, "french bread stick", Some(1))
            .await
            .first()
            .is_some_and(|h| h["product"]["id"] == bread)
    })
    .await;
}

async fn bad_queries_are_refused(backend: Backend) {
    let app = backend.spawn().await;
    let token = app.admin().await.access;
    let long = "a".repeat(10_000);
    for query in ["", "   ", "\t\n", long.as_str()] {
        let response = app.gql(Some(&token), SEARCH, json!({ "q": query })).await;
        assert_eq!(
            response["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{response}"
        );
        assert_eq!(response["errors"][0]["extensions"]["field"], "query");
    }
    let response = app.gql(None, SEARCH, json!({ "q": "leche" })).await;
    assert_eq!(
        response["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    // Any role may search.
    let cashier = app.user_with_role("caja1", "CASHIER").await.access;
    assert!(search(&app, &cashier, "leche", None).await.is_empty());
}

async fn without_a_model_search_runs_on_codes_and_words(backend: Backend) {
    let app = backend
        .spawn_with(&[
            ("EMBEDDINGS", "on"),
            ("EMBEDDING_MODEL_DIR", "/nonexistent/model"),
            ("ORT_DYLIB_PATH", "/nonexistent/libonnxruntime.so"),
        ])
        .await;
    let token = app.admin().await.access;
    let milk = app
        .product(&token, "LECHE-1L", json!({ "name": "Leche entera 1 L" }))
        .await;
    app.product(
        &token,
        "COLA-2L",
        json!({ "name": "Gaseosa Coca-Cola 2 L" }),
    )
    .await;

    let ready: Value = app
        .client
        .get(app.url("/ready"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["status"], "ready");
    assert_eq!(
        ready["checks"]["embeddings"]["status"], "unavailable",
        "{ready}"
    );
    assert!(
        ready["checks"]["embeddings"]["detail"]
            .as_str()
            .unwrap()
            .contains("fetch-model.sh")
    );

    let (app_ref, token_ref) = (&app, &token);
    eventually("the words find the product", || async move {
        !search(app_ref, token_ref, "lech", None).await.is_empty()
    })
    .await;
    let hits = search(&app, &token, "leche entera", None).await;
    assert_eq!(hits[0]["product"]["id"], milk.as_str());
    assert_eq!(signals(&hits[0]), vec!["LEXICAL"]);
    let hits = search(&app, &token, "LECHE-1L", None).await;
    assert_eq!(signals(&hits[0]), vec!["EXACT_CODE", "LEXICAL"]);
    assert!(
        search(&app, &token, "headache pills", None)
            .await
            .is_empty()
    );
    // The embedding jobs wait for a worker that has the model.
    assert_eq!(app.count_rows("jobs WHERE status = 'PENDING'").await, 2);
}

both_backends!(with_an_external_worker_the_server_leaves_embedding_to_it);

async fn with_an_external_worker_the_server_leaves_embedding_to_it(backend: Backend) {
    let Some(app) = backend
        .spawn_with_model(&[("WORKER_MODE", "external")])
        .await
    else {
        return;
    };
    let token = app.admin().await.access;
    app.product(
        &token,
        "COLA-2L",
        json!({ "name": "Gaseosa Coca-Cola 2 L" }),
    )
    .await;
    app.product(&token, "LECHE-1L", json!({ "name": "Leche entera 1 L" }))
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(app.count_rows("jobs WHERE status = 'PENDING'").await, 2);
    assert_eq!(app.count_rows("product_embeddings").await, 0);

    // pos-worker's runner, on the same database.
    let embedder = app.app.embedder.clone();
    let runner = worker::Runner::new(
        app.app.db.clone(),
        embedder,
        worker::RunnerSettings::default(),
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(runner.run(async {
        let _ = stopped.await;
    }));

    let (app_ref, token_ref) = (&app, &token);
    eventually(
        "the worker's vectors reach the server's index",
        || async move {
            search(app_ref, token_ref, "refresco de cola", Some(1))
                .await
                .first()
                .is_some_and(|h| {
                    h["product"]["name"] == "Gaseosa Coca-Cola 2 L"
                        && signals(h).contains(&"SEMANTIC")
                })
        },
    )
    .await;
    assert_eq!(app.count_rows("jobs").await, 0);
    let _ = stop.send(());
    running.await.unwrap();
}

/// Queries that arrive together are embedded together, and each still gets its own vector:
/// the same, to rounding, as that query embedded alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queries_embedded_together_get_their_own_vectors() {
    let Some(app) = Backend::Sqlite.spawn_with_model(&[]).await else {
        return;
    };
    let embedder = app.app.embedder.clone().expect("the model is loaded");
    let queries = [
        "leche entera",
        "refresco de cola sin azúcar",
        "headache pills",
        "tornillos de 5 mm para madera",
        "pan",
        "café molido natural de Colombia 250 g",
        "whole milk",
        "agua 2 litros",
    ];
    let search = app.app.search.clone();
    let together = futures_util::future::join_all(
        queries
            .iter()
            .map(|query| {
                let search = search.clone();
                async move { search.query_vector(query).await }
            })
            .collect::<Vec<_>>(),
    )
    .await;
    for (query, vector) in queries.iter().zip(together) {
        let vector = vector.expect("an embedding");
        let alone = embedder.embed_query(query).unwrap();
        let cosine: f32 = vector.iter().zip(&alone).map(|(a, b)| a * b).sum();
        assert!(cosine > 0.999, "{query}: cosine {cosine} to itself alone");
    }
}

/// The model's threads run in Linux's idle scheduling class (`SCHED_IDLE`), below every other
/// thread of the server: a barcode scan or a sale takes the CPU from a semantic query's
/// inference at once. That is the thread that runs the model and ONNX Runtime's pool, which
/// it started; the server's own threads stay in the normal class.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_model_runs_below_the_rest_of_the_server() {
    let Some(app) = Backend::Sqlite.spawn_with_model(&[]).await else {
        return;
    };
    let embedder = app.app.embedder.clone().expect("the model is loaded");
    tokio::task::spawn_blocking(move || embedder.embed_query("leche entera"))
        .await
        .unwrap()
        .expect("an embedding");

    // Each thread's name and scheduling policy, from /proc: `stat`'s 41st field, counting
    // the name in parentheses as the 2nd (0 is SCHED_OTHER, 5 SCHED_IDLE).
    const SCHED_OTHER: i64 = 0;
    const SCHED_IDLE: i64 = 5;
    let threads: Vec<(String, i64)> = std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|task| {
            let stat = std::fs::read_to_string(task.ok()?.path().join("stat")).ok()?;
            let (head, tail) = stat.rsplit_once(") ")?;
            let name = head.split_once(" (")?.1.to_owned();
            let policy = tail.split_whitespace().nth(38)?.parse().ok()?;
            Some((name, policy))
        })
        .collect();
    // ONNX Runtime's pool threads are started by the model's thread, and take its name.
    let (model, rest): (Vec<_>, Vec<_>) = threads
        .iter()
        .partition(|(name, _)| name == "embedding-model");
    assert!(
        model.len() >= 2,
        "the model's thread and its pool: {threads:?}"
    );
    assert!(
        model.iter().all(|(_, policy)| *policy == SCHED_IDLE),
        "{threads:?}"
    );
    assert!(
        rest.iter().all(|(_, policy)| *policy == SCHED_OTHER),
        "{threads:?}"
    );
    assert!(
        rest.iter().any(|(name, _)| name.starts_with("tokio-")),
        "the server's runtime threads were looked at: {threads:?}"
    );
}

both_backends!(repeated_queries_follow_a_changed_vector);

async fn repeated_queries_follow_a_changed_vector(backend: Backend) {
    let Some((app, token, ids)) = shop(&backend).await else {
        return;
    };
    let pills = ids[4].clone();
    // Asked twice: the second answer may come from the semantic cache.
    for _ in 0..2 {
        let hits = search(&app, &token, "headache pills", None).await;
        assert_eq!(hits[0]["product"]["id"], pills.as_str(), "{hits:?}");
    }

    // The product becomes something else: once its new vector is in the index, the same
    // words no longer find it first.
    app.ok(
        &token,
        "mutation($id: ID!) { updateProduct(id: $id, input: { name: \"Tornillo hexagonal 8 mm\", description: \"Acero galvanizado\" }) { id } }",
        json!({ "id": pills }),
    )
    .await;
    let (app_ref, token_ref, pills_ref) = (&app, &token, pills.as_str());
    eventually("search follows the new vector", || async move {
        let hits = search(app_ref, token_ref, "headache pills", None).await;
        hits.first()
            .is_some_and(|h| h["product"]["id"] != pills_ref)
    })
    .await;
}

both_backends!(
    partial_codes_come_first_in_code_order,
    a_renamed_category_reaches_word_search_and_the_embeddings
);

/// What a cashier types of a code: a barcode's first digits, a SKU's start, a SKU without its
/// separator or in lower case, a barcode without its check digit. Needs no model.
async fn partial_codes_come_first_in_code_order(backend: Backend) {
    let app = backend.spawn_with(&[("EMBEDDINGS", "off")]).await;
    let token = app.admin().await.access;
    for (sku, name, barcode) in [
        ("LIM-010", "Lejía Conejo 2 L", "8410019001479"),
        ("LIM-011", "Friegasuelos limón 1,5 L", "8410019001486"),
        ("FER-0203", "Tornillos 4x30 caja 100", "8433333000010"),
    ] {
        app.product(&token, sku, json!({ "name": name, "barcode": barcode }))
            .await;
    }
    let first_names = |hits: Vec<Value>| -> Vec<String> {
        hits.iter()
            .filter(|h| signals(h).contains(&"PARTIAL_CODE") || signals(h).contains(&"EXACT_CODE"))
            .map(|h| h["product"]["name"].as_str().unwrap().to_owned())
            .collect()
    };

    common::eventually("the index has the three products", || async {
        !search(&app, &token, "tornillos", None).await.is_empty()
            && !search(&app, &token, "friegasuelos", None).await.is_empty()
            && !search(&app, &token, "lejia", None).await.is_empty()
    })
    .await;
    let prefix = search(&app, &token, "841001900", None).await;
    let sku_start = search(&app, &token, "LIM-0", None).await;
    let no_separator = search(&app, &token, "lim010", None).await;
    let spaced = search(&app, &token, "LIM 011", None).await;
    let no_check_digit = search(&app, &token, "843333300001", None).await;

    assert_eq!(
        first_names(prefix),
        ["Lejía Conejo 2 L", "Friegasuelos limón 1,5 L"]
    );
    assert_eq!(
        first_names(sku_start),
        ["Lejía Conejo 2 L", "Friegasuelos limón 1,5 L"]
    );
    assert_eq!(names(&no_separator)[0], "Lejía Conejo 2 L");
    assert_eq!(names(&spaced)[0], "Friegasuelos limón 1,5 L");
    assert_eq!(names(&no_check_digit)[0], "Tornillos 4x30 caja 100");
    assert_eq!(signals(&no_check_digit[0]), ["PARTIAL_CODE"]);
}

/// updateCategory renames what word search and the embeddings see of its products at once,
/// not when each product next changes.
async fn a_renamed_category_reaches_word_search_and_the_embeddings(backend: Backend) {
    let app = backend
        .spawn_with(&[("EMBEDDINGS", "off"), ("WORKER_MODE", "external")])
        .await;
    let token = app.admin().await.access;
    let category = app
        .ok(
            &token,
            "mutation { createCategory(input: { name: \"Varios\" }) { id } }",
            json!({}),
        )
        .await["createCategory"]["id"]
        .clone();
    app.product(
        &token,
        "ZUMO-1",
        json!({ "name": "Zumo de naranja 1 L", "categoryId": category }),
    )
    .await;
    common::eventually("the index has the product", || async {
        search(&app, &token, "zumo", None).await.len() == 1
    })
    .await;
    // As if a worker had embedded it since.
    {
        use sea_orm::ConnectionTrait;
        app.app
            .db
            .execute_unprepared("DELETE FROM jobs")
            .await
            .unwrap();
    }
    assert!(search(&app, &token, "desayunos", None).await.is_empty());

    app.ok(
        &token,
        "mutation($id: ID!) { updateCategory(id: $id, input: { name: \"Desayunos\" }) { id } }",
        json!({ "id": category }),
    )
    .await;

    common::eventually("the renamed category is searched", || async {
        names(&search(&app, &token, "desayunos", None).await) == ["Zumo de naranja 1 L"]
    })
    .await;
    assert_eq!(
        app.count_rows("jobs").await,
        1,
        "its embedding is queued again"
    );
}
