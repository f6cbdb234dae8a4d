//! Backups through the API: runBackup writes a complete, checksummed, gzip-compressed copy and
//! records it; a failing backup is recorded FAILED with its reason; only ADMIN may.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

mod common;

use std::io::Read;
use std::time::Duration;

use common::{Backend, TestApp, error_code};
use serde_json::json;
use sha2::{Digest, Sha256};

const RUN: &str = "mutation { runBackup { id trigger status startedAt } }";
const BACKUPS: &str = "{ backups(first: 10) { totalCount edges { node { id trigger status startedAt finishedAt fileName sizeBytes checksum error } } } }";

both_backends!(
    run_backup_writes_a_complete_checksummed_file,
    only_admins_run_or_list_backups
);

async fn run_backup_writes_a_complete_checksummed_file(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await.access;
    let location = app.main_location(&admin).await;
    let product = app.product(&admin, "RESPALDO", json!({})).await;
    app.receive(&admin, &location, &product, "7").await;

    let started = app.ok(&admin, RUN, json!({})).await;
    let run = app
        .finished_backup(&admin, &started["runBackup"]["id"])
        .await;

    assert_eq!(started["runBackup"]["trigger"], "MANUAL");
    assert_eq!(run["status"], "SUCCEEDED", "{run}");
    let name = run["fileName"].as_str().unwrap();
    let bytes = std::fs::read(app.app.config.backup_dir.join(name)).unwrap();
    assert_eq!(run["sizeBytes"].as_f64().unwrap(), bytes.len() as f64);
    assert_eq!(
        run["checksum"].as_str().unwrap(),
        format!("{:x}", Sha256::digest(&bytes))
    );
    let mut content = Vec::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_end(&mut content)
        .unwrap();
    if matches!(backend, Backend::Sqlite) {
        assert!(name.ends_with(".sqlite.gz") && content.starts_with(b"SQLite format 3"));
    } else {
        let sql = String::from_utf8(content).unwrap();
        assert!(name.ends_with(".sql.gz"));
        assert!(sql.contains("CREATE TABLE public.products") && sql.contains("RESPALDO"));
    }
    // Beside it only its checksum file (as `sha256sum -c` reads it), nothing half-written.
    let others: Vec<_> = std::fs::read_dir(&app.app.config.backup_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != name)
        .collect();
    assert_eq!(others, [format!("{name}.sha256")]);
    let sidecar = std::fs::read_to_string(app.app.config.backup_dir.join(&others[0])).unwrap();
    assert_eq!(
        sidecar,
        format!("{}  {name}\n", run["checksum"].as_str().unwrap())
    );
}

async fn only_admins_run_or_list_backups(backend: Backend) {
    let app = backend.spawn().await;
    let manager = app.user_with_role("marta", "MANAGER").await.access;

    assert_eq!(
        error_code(&app.gql(Some(&manager), RUN, json!({})).await),
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(&app.gql(Some(&manager), BACKUPS, json!({})).await),
        "FORBIDDEN"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_that_cannot_run_is_recorded_failed_with_its_reason() {
    let Some(backend) = Backend::postgres() else {
        return;
    };
    let app = backend
        .spawn_with(&[("BACKUP_PG_DUMP", "/nonexistent/pg_dump")])
        .await;
    let admin = app.admin().await.access;

    let started = app.ok(&admin, RUN, json!({})).await;
    let run = app
        .finished_backup(&admin, &started["runBackup"]["id"])
        .await;

    assert_eq!(run["status"], "FAILED");
    assert!(
        run["error"]
            .as_str()
            .unwrap()
            .contains("/nonexistent/pg_dump"),
        "{run}"
    );
    assert!(run["fileName"].is_null() && run["checksum"].is_null());
    // The next one may run: nothing stays RUNNING.
    let again = app.ok(&admin, RUN, json!({})).await;
    assert_eq!(again["runBackup"]["status"], "RUNNING");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_backup_while_one_runs_is_a_conflict() {
    use sea_orm::ConnectionTrait;
    let app = Backend::Sqlite.spawn().await;
    let admin = app.admin().await.access;
    // A run another replica is making: it renewed its lease a moment ago.
    let now = chrono::Utc::now().to_rfc3339();
    app.app.db.execute_unprepared(&format!(
        "INSERT INTO backup_runs (id, \"trigger\", status, started_at, heartbeat_at) VALUES ('01a22138-0000-7000-8000-000000000001', 'SCHEDULED', 'RUNNING', '{now}', '{now}')",
    )).await.unwrap();

    let second = app.gql(Some(&admin), RUN, json!({})).await;

    assert_eq!(error_code(&second), "CONFLICT");
    assert_eq!(app.count_rows("backup_runs").await, 1);
}

/// The scheduled runs so far, once at least `slots` of them have finished.
async fn scheduled_runs(app: &TestApp, slots: usize) -> Vec<entity::backup_run::Model> {
    use entity::backup_run::{self, BackupStatus, BackupTrigger};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    for _ in 0..150 {
        let runs = backup_run::Entity::find()
            .filter(backup_run::Column::Trigger.eq(BackupTrigger::Scheduled))
            .all(&app.app.db)
            .await
            .unwrap();
        if runs
            .iter()
            .filter(|r| r.status != BackupStatus::Running)
            .count()
            >= slots
        {
            return runs;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the schedule did not fire {slots} times");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_schedule_fires_and_records_its_backups() {
    let app = Backend::Sqlite
        .spawn_with(&[("BACKUP_CRON", "* * * * * *")])
        .await;

    let runs = scheduled_runs(&app, 1).await;

    let done = runs
        .iter()
        .find(|r| r.status == entity::backup_run::BackupStatus::Succeeded)
        .expect("a scheduled backup succeeded");
    assert!(done.scheduled_for.is_some());
    let file = app
        .app
        .config
        .backup_dir
        .join(done.file_name.as_ref().unwrap());
    assert!(file.is_file(), "{}", file.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_make_each_scheduled_backup_once() {
    let Some(backend) = Backend::postgres() else {
        return;
    };
    let shared = [
        ("BACKUP_CRON", "*/2 * * * * *"),
        (
            "JWT_SECRET_KEY",
            "a-shared-secret-of-at-least-32-characters",
        ),
    ];
    let a = backend.spawn_with(&shared).await;
    let mut on_b = shared.to_vec();
    on_b.push(("DATABASE_URL", a.database.url.as_str()));
    let _b = backend.spawn_with(&on_b).await;

    let runs = scheduled_runs(&a, 3).await;

    let mut slots: Vec<_> = runs.iter().map(|r| r.scheduled_for.unwrap()).collect();
    let fired = slots.len();
    slots.sort();
    slots.dedup();
    assert_eq!(slots.len(), fired, "a slot was backed up twice: {runs:?}");
    assert!(
        runs.iter()
            .all(|r| r.status != entity::backup_run::BackupStatus::Failed),
        "{runs:?}"
    );
}
