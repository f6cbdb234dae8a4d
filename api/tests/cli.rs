//! The `pos-api` binary as an operator uses it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

mod common;

use std::io::Write;
use std::process::{Output, Stdio};

use common::process::{free_port, pos_api, sigterm, start_server};
use common::{Backend, TestDatabase};
use serde_json::{Value, json};

/// A PostgreSQL URL for a database that does not exist yet (pos-api must create it).
#[test]
fn a_malformed_variable_stops_start_up_with_one_line_naming_it() {
    let dir = tempfile::tempdir().unwrap();

    let output = pos_api(dir.path())
        .env("ACCESS_TOKEN_TTL", "soon")
        .arg("migrate")
        .output()
        .unwrap();

    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("ACCESS_TOKEN_TTL:"), "{stderr}");
}

#[test]
fn export_schema_prints_the_sdl_without_a_database() {
    let dir = tempfile::tempdir().unwrap();

    let output = pos_api(dir.path())
        .env("DATABASE_URL", "postgres://nowhere.invalid/db")
        .arg("export-schema")
        .output()
        .unwrap();

    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        api::graphql::sdl()
    );
}

#[test]
fn every_subcommand_has_help() {
    let dir = tempfile::tempdir().unwrap();
    for subcommand in [
        "serve",
        "migrate",
        "export-schema",
        "create-user",
        "seed-demo",
    ] {
        let output = pos_api(dir.path())
            .args([subcommand, "--help"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{subcommand}");
        assert!(
            String::from_utf8(output.stdout)
                .unwrap()
                .contains("Usage: pos-api"),
            "{subcommand}"
        );
    }
}

#[tokio::test]
async fn migrate_creates_the_embedded_database_in_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();

    let output = pos_api(dir.path()).arg("migrate").output().unwrap();

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(dir.path().join("data/pos.db").exists());
}

#[tokio::test]
async fn migrate_creates_a_missing_postgres_database() {
    let Some(backend) = Backend::postgres() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::new(&backend, &dir);

    let first = pos_api(dir.path())
        .env("DATABASE_URL", &database.url)
        .arg("migrate")
        .output()
        .unwrap();
    let again = pos_api(dir.path())
        .env("DATABASE_URL", &database.url)
        .arg("migrate")
        .output()
        .unwrap();

    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_user_reads_the_password_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = pos_api(dir.path())
        .args([
            "create-user",
            "--username",
            "Lucia",
            "--role",
            "manager",
            "--full-name",
            "Lucía Gil",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"lucia-password\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let config = api::config::Config::from_vars(
        &[(
            "DATA_DIR".to_string(),
            dir.path().join("data").display().to_string(),
        )]
        .into(),
    )
    .unwrap();
    let app = api::app::App::start(config).await.unwrap();
    let session = app
        .auth
        .login(
            &app.db,
            "lucia",
            "lucia-password",
            "127.0.0.1".parse().unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(session.user.full_name, "Lucía Gil");
    assert_eq!(session.user.role, domain::auth::Role::Manager);
}

#[test]
fn seed_demo_loads_the_demo_shop_once() {
    let dir = tempfile::tempdir().unwrap();

    let first = pos_api(dir.path()).arg("seed-demo").output().unwrap();
    let again = pos_api(dir.path()).arg("seed-demo").output().unwrap();

    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let first = String::from_utf8(first.stdout).unwrap();
    assert!(
        first.contains("4 tax rates") && first.contains("products added, with their stock"),
        "{first}"
    );
    assert!(
        String::from_utf8(again.stdout)
            .unwrap()
            .contains("0 products added (it was already loaded)")
    );
}

#[test]
fn create_user_refuses_a_short_password() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = pos_api(dir.path())
        .args(["create-user", "--username", "pepe", "--role", "CASHIER"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"short\n").unwrap();
    let output = child.wait_with_output().unwrap();

    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("at least 8 characters"));
}

async fn login(port: u16, password: &str) -> Value {
    reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/graphql"))
        .json(&json!({
            "query": "mutation($p: String!) { login(username: \"admin\", password: $p) { accessToken user { username role } } }",
            "variables": { "p": password },
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_no_configuration_it_serves_and_prints_the_admin_password_once() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let (mut child, log) = start_server(&mut pos_api(dir.path()), port);

    let lines: Vec<String> = log.try_iter().collect();
    let password = lines
        .iter()
        .find_map(|l| l.split("generated password ").nth(1))
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the generated password is logged")
        .to_owned();
    let body = login(port, &password).await;
    sigterm(&child);
    let status = child.wait().unwrap();

    assert_eq!(body["data"]["login"]["user"]["role"], "ADMIN", "{body}");
    assert!(status.success(), "SIGTERM ends pos-api cleanly");
    assert!(dir.path().join("data/pos.db").exists());
    assert!(dir.path().join("data/jwt_secret").exists());

    // A restart keeps the admin (no new password) and the signing key (old tokens still work).
    let (mut child, log) = start_server(&mut pos_api(dir.path()), port);
    let me = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/graphql"))
        .bearer_auth(body["data"]["login"]["accessToken"].as_str().unwrap())
        .json(&json!({ "query": "{ me { username } }" }))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    sigterm(&child);
    child.wait().unwrap();
    assert_eq!(me["data"]["me"]["username"], "admin", "{me}");
    assert!(!log.try_iter().any(|l| l.contains("generated password")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_it_creates_the_database_and_serves() {
    let Some(backend) = Backend::postgres() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::new(&backend, &dir);
    let port = free_port();
    let (mut child, _log) = start_server(
        pos_api(dir.path())
            .env("DATABASE_URL", &database.url)
            .env("POS_ADMIN_PASSWORD", "pg-admin-password"),
        port,
    );

    let body = login(port, "pg-admin-password").await;
    sigterm(&child);
    let status = child.wait().unwrap();

    assert_eq!(body["data"]["login"]["user"]["username"], "admin", "{body}");
    assert!(status.success());
}

#[test]
fn backup_writes_one_backup_into_backup_dir_and_prints_it() {
    let dir = tempfile::tempdir().unwrap();

    let output = pos_api(dir.path()).arg("backup").output().unwrap();

    assert!(output.status.success(), "{output:?}");
    let printed = String::from_utf8(output.stdout).unwrap();
    let mut written: Vec<String> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| !name.ends_with(".sha256"))
        .collect();
    written.sort();
    assert_eq!(written.len(), 1, "{written:?}");
    assert!(written[0].starts_with("pos_db_backup_") && written[0].ends_with(".sqlite.gz"));
    assert!(
        printed.contains(&written[0]) && printed.contains("sha256 "),
        "{printed}"
    );
}

/// Every table's rows as sorted text, from a database opened at `url` (or the app's own).
async fn contents(
    db: &sea_orm::DatabaseConnection,
) -> std::collections::BTreeMap<String, Vec<String>> {
    use sea_orm::{FromQueryResult, JsonValue, Statement};
    let backend = db.get_database_backend();
    let list = if matches!(backend, sea_orm::DatabaseBackend::Postgres) {
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'"
    } else {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    };
    let tables = JsonValue::find_by_statement(Statement::from_string(backend, list))
        .all(db)
        .await
        .unwrap();
    let mut all = std::collections::BTreeMap::new();
    for table in tables {
        let name = table["name"].as_str().unwrap().to_owned();
        let rows = JsonValue::find_by_statement(Statement::from_string(
            backend,
            format!("SELECT * FROM \"{name}\""),
        ))
        .all(db)
        .await
        .unwrap();
        let mut rows: Vec<String> = rows.iter().map(Value::to_string).collect();
        rows.sort();
        all.insert(name, rows);
    }
    all
}

/// `pos-api restore FILE` into `url`, with the key the backup was encrypted to, if any.
fn restore(dir: &std::path::Path, url: &str, file: &std::path::Path, key: Option<&str>) -> Output {
    pos_api(dir)
        .envs(key.map(|key| ("BACKUP_ENCRYPTION_KEY", key)))
        .env("DATABASE_URL", url)
        .arg("restore")
        .arg(file)
        .output()
        .unwrap()
}

/// A backup made through `runBackup` (encrypted when `key` is given) restores into an empty
/// database with every row as it was.
async fn backup_restores_into_an_empty_database_with_identical_contents(
    backend: Backend,
    key: Option<String>,
) {
    let key = key.as_deref();
    let app = backend
        .spawn_with(&Vec::from_iter(
            key.map(|key| ("BACKUP_ENCRYPTION_KEY", key)),
        ))
        .await;
    let admin = app.admin().await.access;
    let location = app.main_location(&admin).await;
    let product = app
        .product(&admin, "COPIA", json!({ "barcode": "8410188012092" }))
        .await;
    app.receive(&admin, &location, &product, "12").await;
    let session = app.open_register(&admin, &location, "Caja 1").await;
    app.ok(
        &admin,
        "mutation($input: CreateSaleInput!) { createSale(input: $input) { id } }",
        json!({
            "input": {
                "idempotencyKey": "copy",
                "registerSessionId": session,
                "lines": [{ "productId": product, "quantity": "2" }],
                "payments": [{ "method": "CASH", "amount": "5" }],
            },
        }),
    )
    .await;
    // Through the API, as an admin starts one from GraphiQL.
    let run = app.run_backup(&admin).await;
    assert_eq!(run["status"], "SUCCEEDED", "{run}");
    let file = app
        .app
        .config
        .backup_dir
        .join(run["fileName"].as_str().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let target = TestDatabase::created(&backend, &dir).await;

    if key.is_some() {
        assert!(file.display().to_string().ends_with(".gz.age"), "{file:?}");
        // Without the key it cannot be read, and nothing changes.
        let refused = restore(dir.path(), &target.url, &file, None);
        assert!(!refused.status.success());
        assert!(
            String::from_utf8_lossy(&refused.stderr).contains("BACKUP_ENCRYPTION_KEY"),
            "{refused:?}"
        );
    }
    let output = restore(dir.path(), &target.url, &file, key);

    assert!(output.status.success(), "{output:?}");
    let restored = sea_orm::Database::connect(target.url.as_str())
        .await
        .unwrap();
    let mut original = contents(&app.app.db).await;
    let mut copy = contents(&restored).await;
    // The run's own row said RUNNING in the copy and SUCCEEDED after: compare it by count.
    assert_eq!(
        original.remove("backup_runs").map(|r| r.len()),
        copy.remove("backup_runs").map(|r| r.len())
    );
    assert!(original["sales"].len() == 1 && original["stock_movements"].len() == 2);
    assert_eq!(original, copy);
    // Restoring again over a database that is no longer empty needs --force.
    let again = restore(dir.path(), &target.url, &file, key);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    restored.close().await.unwrap();
}

fn new_key() -> Option<String> {
    Some(domain::backups::EncryptionKey::generate().to_secret_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_backup_restores_with_identical_contents() {
    backup_restores_into_an_empty_database_with_identical_contents(Backend::Sqlite, None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_encrypted_sqlite_backup_restores_with_its_key() {
    backup_restores_into_an_empty_database_with_identical_contents(Backend::Sqlite, new_key())
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_encrypted_postgres_backup_restores_with_its_key() {
    if let Some(backend) = Backend::postgres() {
        backup_restores_into_an_empty_database_with_identical_contents(backend, new_key()).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_backup_restores_with_identical_contents() {
    if let Some(backend) = Backend::postgres() {
        backup_restores_into_an_empty_database_with_identical_contents(backend, None).await;
    }
}

#[test]
fn a_damaged_backup_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pos_db_backup_20261128_020000.sqlite.gz");
    std::fs::write(&file, b"not what was written").unwrap();
    std::fs::write(
        dir.path()
            .join("pos_db_backup_20261128_020000.sqlite.gz.sha256"),
        "0000000000000000000000000000000000000000000000000000000000000000  x\n",
    )
    .unwrap();

    let output = pos_api(dir.path())
        .arg("restore")
        .arg(&file)
        .output()
        .unwrap();

    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("damaged"),
        "{output:?}"
    );
    assert!(!dir.path().join("data/pos.db").exists());
}

/// Replicas starting together on a new release migrate once: three `pos-api migrate` at the
/// same moment on one fresh PostgreSQL database all succeed (one migrates, the others wait on
/// its advisory lock and find nothing to do).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_processes_migrate_one_fresh_database_together() {
    let Some(backend) = Backend::postgres() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::created(&backend, &dir).await;

    let migrating: Vec<_> = (0..3)
        .map(|_| {
            pos_api(dir.path())
                .env("DATABASE_URL", &database.url)
                .arg("migrate")
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<Output> = migrating
        .into_iter()
        .map(|child| child.wait_with_output().unwrap())
        .collect();

    for output in &outputs {
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

both_backends!(a_backup_by_a_newer_binary_keeps_the_older_schema);

/// `pos-api backup` before an upgrade: the new binary dumps the database as it is (it does not
/// migrate it first), and the file restores onto the older schema it was taken from.
async fn a_backup_by_a_newer_binary_keeps_the_older_schema(backend: Backend) {
    use migration::{Migrator, MigratorTrait};
    let dir = tempfile::tempdir().unwrap();
    let older = Migrator::migrations().len() - 2;
    let database = TestDatabase::created(&backend, &dir).await;
    let target = domain::db::DatabaseTarget::parse(&database.url).unwrap();
    let db = domain::db::connect(&target, 1, Default::default())
        .await
        .unwrap();
    Migrator::up(&db, Some(u32::try_from(older).unwrap()))
        .await
        .unwrap();

    let output = pos_api(dir.path())
        .env("DATABASE_URL", &database.url)
        .arg("backup")
        .output()
        .unwrap();

    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("not recorded"), "{said}");
    assert_eq!(
        Migrator::get_applied_migrations(&db).await.unwrap().len(),
        older
    );
    let file = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| !p.display().to_string().ends_with(".sha256"))
        .unwrap();
    let restore_dir = tempfile::tempdir().unwrap();
    let target = TestDatabase::created(&backend, &restore_dir).await;
    let restored = restore(restore_dir.path(), &target.url, &file, None);
    assert!(restored.status.success(), "{restored:?}");
    let copy = sea_orm::Database::connect(target.url.as_str())
        .await
        .unwrap();
    let applied = migration::Migrator::get_applied_migrations(&copy)
        .await
        .unwrap();
    assert_eq!(applied.len(), older);
    copy.close().await.unwrap();
    db.close().await.unwrap();
}
