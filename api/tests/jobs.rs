//! The job queue: enqueued with the change that causes it, claimed once, retried with
//! backoff, recovered after a worker dies, deduplicated.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly
mod common;

use std::collections::HashSet;
use std::time::Duration;

use chrono::Utc;
use common::Backend;
use domain::jobs;
use entity::job::{self, JobStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde_json::json;

const KIND: &str = "test_job";
const LEASE: Duration = Duration::from_secs(60);

async fn all(db: &sea_orm::DatabaseConnection) -> Vec<job::Model> {
    job::Entity::find().all(db).await.unwrap()
}

/// Moves every job's `run_at` into the past, as if its backoff had passed.
async fn make_due(db: &sea_orm::DatabaseConnection) {
    job::Entity::update_many()
        .col_expr(
            job::Column::RunAt,
            Expr::value(Utc::now() - chrono::Duration::hours(1)),
        )
        .exec(db)
        .await
        .unwrap();
}

both_backends!(
    a_job_commits_or_rolls_back_with_its_change,
    a_waiting_job_is_not_queued_twice,
    a_failed_job_backs_off_then_gives_up_with_its_error,
    a_job_whose_worker_died_is_taken_again_after_its_lease
);

async fn a_job_commits_or_rolls_back_with_its_change(backend: Backend) {
    let app = backend.spawn().await;
    let db = &app.app.db;
    let admin = app.admin().await;
    let actor = uuid::Uuid::parse_str(&admin.user_id).unwrap();
    let new = || domain::catalog::products::NewProduct {
        sku: "ROLLBACK-1".into(),
        barcode: None,
        name: "Producto".into(),
        description: None,
        category_id: None,
        unit: entity::product::Unit::Unit,
        price: "1.00".into(),
        cost: None,
        tax_rate_id: None,
        track_stock: false,
        low_stock_threshold: None,
    };
    let eur = domain::money::Currency::parse("EUR").unwrap();

    let txn = db.begin().await.unwrap();
    domain::catalog::products::create(&txn, actor, eur, new())
        .await
        .unwrap();
    txn.rollback().await.unwrap();
    assert_eq!(app.count_rows("products").await, 0);
    assert_eq!(all(db).await.len(), 0, "a rolled-back change leaves no job");

    // Through the API: a refused mutation leaves none either; a committed one leaves one.
    let refused = app
        .gql(
            Some(&admin.access),
            "mutation { createProduct(input: { sku: \"X\", name: \"\", price: \"1.00\" }) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(all(db).await.len(), 0);
    let id = app.product(&admin.access, "OK-1", json!({})).await;
    let queued = all(db).await;
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].kind, jobs::EMBED_PRODUCT);
    assert_eq!(queued[0].dedupe_key, id);
    assert_eq!(queued[0].status, JobStatus::Pending);
}

async fn a_waiting_job_is_not_queued_twice(backend: Backend) {
    let app = backend.spawn().await;
    let db = &app.app.db;
    for _ in 0..3 {
        jobs::enqueue(db, KIND, "p1", json!({})).await.unwrap();
    }
    jobs::enqueue(db, KIND, "p2", json!({})).await.unwrap();
    assert_eq!(all(db).await.len(), 2);

    // Once p1's job runs, a change may need a new one: it waits beside the running one.
    let claimed = jobs::claim(db, "w1", &[KIND], 10, LEASE).await.unwrap();
    assert_eq!(claimed.len(), 2);
    jobs::enqueue(db, KIND, "p1", json!({})).await.unwrap();
    jobs::enqueue(db, KIND, "p1", json!({})).await.unwrap();
    let pending = job::Entity::find()
        .filter(job::Column::Status.eq(JobStatus::Pending))
        .all(db)
        .await
        .unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].dedupe_key, "p1");

    // The running one fails: the waiting one does its work, so it just leaves.
    let p1 = claimed.iter().find(|j| j.dedupe_key == "p1").unwrap();
    jobs::fail(db, p1, "w1", "boom").await.unwrap();
    assert_eq!(all(db).await.len(), 2, "p1 waiting, p2 running");
    // Done jobs leave the table.
    let p2 = claimed.iter().find(|j| j.dedupe_key == "p2").unwrap();
    jobs::complete(db, p2, "w1").await.unwrap();
    assert_eq!(all(db).await.len(), 1);
}

async fn a_failed_job_backs_off_then_gives_up_with_its_error(backend: Backend) {
    let app = backend.spawn().await;
    let db = &app.app.db;
    jobs::enqueue(db, KIND, "p1", json!({ "n": 1 }))
        .await
        .unwrap();

    let mut delays = Vec::new();
    for attempt in 1..=jobs::MAX_ATTEMPTS {
        let claimed = jobs::claim(db, "w1", &[KIND], 10, LEASE).await.unwrap();
        assert_eq!(claimed.len(), 1, "attempt {attempt}");
        assert_eq!(claimed[0].attempts, attempt);
        let before = Utc::now();
        jobs::fail(db, &claimed[0], "w1", &format!("failure {attempt}"))
            .await
            .unwrap();
        let row = job::Entity::find_by_id(claimed[0].id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            row.last_error.as_deref(),
            Some(format!("failure {attempt}").as_str())
        );
        if attempt < jobs::MAX_ATTEMPTS {
            assert_eq!(row.status, JobStatus::Pending);
            delays.push((row.run_at - before).num_milliseconds());
            // Not due until its backoff has passed.
            assert!(
                jobs::claim(db, "w1", &[KIND], 10, LEASE)
                    .await
                    .unwrap()
                    .is_empty()
            );
            make_due(db).await;
        } else {
            assert_eq!(row.status, JobStatus::Failed);
        }
    }
    // 2 s, 4 s, 8 s, ... (a few ms of slack for the clock between the two reads).
    for (i, delay) in delays.iter().enumerate() {
        let expected = jobs::backoff(i32::try_from(i + 1).unwrap()).as_millis() as i64;
        assert!(
            (delay - expected).abs() < 1_000,
            "retry {i}: {delay} ms, expected {expected}"
        );
    }
    assert!(delays.windows(2).all(|w| w[1] > w[0]), "{delays:?}");
    // A failed job is kept, and never claimed again.
    make_due(db).await;
    assert!(
        jobs::claim(db, "w1", &[KIND], 10, LEASE)
            .await
            .unwrap()
            .is_empty()
    );
    let failed = jobs::failed(db).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].attempts, jobs::MAX_ATTEMPTS);
}

async fn a_job_whose_worker_died_is_taken_again_after_its_lease(backend: Backend) {
    let app = backend.spawn().await;
    let db = &app.app.db;
    jobs::enqueue(db, KIND, "p1", json!({})).await.unwrap();

    let first = jobs::claim(db, "dead", &[KIND], 10, Duration::from_millis(200))
        .await
        .unwrap();
    assert_eq!(first.len(), 1);
    // While the lease runs, nobody else takes it.
    assert!(
        jobs::claim(db, "alive", &[KIND], 10, LEASE)
            .await
            .unwrap()
            .is_empty()
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let again = jobs::claim(db, "alive", &[KIND], 10, LEASE).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].id, first[0].id);
    assert_eq!(again[0].attempts, 2);
    assert_eq!(again[0].locked_by.as_deref(), Some("alive"));

    // The dead worker coming back changes nothing; the live one completes it.
    jobs::complete(db, &first[0], "dead").await.unwrap();
    jobs::fail(db, &first[0], "dead", "late").await.unwrap();
    let row = job::Entity::find_by_id(first[0].id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.status, row.locked_by.as_deref()),
        (JobStatus::Running, Some("alive"))
    );
    jobs::complete(db, &again[0], "alive").await.unwrap();
    assert!(all(db).await.is_empty());
}

/// Two workers claiming from one PostgreSQL queue at the same time never hold the same job.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_never_run_the_same_job_at_once() {
    let Some(backend) = Backend::postgres() else {
        return;
    };
    let app = backend.spawn().await;
    let db = app.app.db.clone();
    const JOBS: usize = 300;
    for i in 0..JOBS {
        jobs::enqueue(&db, KIND, &format!("p{i}"), json!({}))
            .await
            .unwrap();
    }
    let worker = |name: &'static str| {
        let db = db.clone();
        tokio::spawn(async move {
            let mut taken = Vec::new();
            loop {
                let claimed = jobs::claim(&db, name, &[KIND], 7, LEASE).await.unwrap();
                if claimed.is_empty() {
                    return taken;
                }
                for job in claimed {
                    assert_eq!(job.locked_by.as_deref(), Some(name));
                    taken.push(job.id);
                    jobs::complete(&db, &job, name).await.unwrap();
                }
            }
        })
    };
    let (a, b) = (worker("a"), worker("b"));
    let (a, b) = (a.await.unwrap(), b.await.unwrap());
    let all_taken: HashSet<_> = a.iter().chain(&b).collect();
    assert_eq!(a.len() + b.len(), JOBS, "no job taken twice");
    assert_eq!(all_taken.len(), JOBS, "every job taken");
    assert!(all(&db).await.is_empty());
}
