//! The test harness: every test gets its own server on its own fresh database.
//!
//! `both_backends!(name, ...)` runs each `async fn name(backend: Backend)` twice, on a
//! temporary SQLite file and on a fresh PostgreSQL database created on the server
//! `TEST_DATABASE_URL` points at (and dropped afterwards).
//!
//! A test whose dependency is missing here (`TEST_DATABASE_URL`, `TEST_REDIS_URL`, the
//! embedding model, a `redis-server` binary) says so on the terminal and returns, so the
//! suite runs anywhere. Under `POS_TEST_REQUIRE_ALL=1`, which `.ci/run` sets, it fails
//! instead: CI never passes a test that checked nothing. See [`skipped`].

#![allow(dead_code)]

pub mod process;
pub mod ws;

use std::collections::HashMap;
use std::net::SocketAddr;

use api::app::App;
use api::config::Config;
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub const ADMIN_PASSWORD: &str = "admin-password-1";

/// Runs each named test on SQLite and on PostgreSQL: `name::sqlite` and `name::postgres`
/// call `name(Backend::Sqlite)` and `name(Backend::Postgres(..))`. The tests are ordinary
/// functions, so rustfmt formats them.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::common::Backend::Sqlite).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(backend) = $crate::common::Backend::postgres() {
                        super::$name(backend).await;
                    }
                }
            }
        )+
    };
}

#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    /// The server URL from `TEST_DATABASE_URL`.
    Postgres(String),
}

impl Backend {
    /// PostgreSQL when `TEST_DATABASE_URL` is set; otherwise a notice and `None`.
    pub fn postgres() -> Option<Backend> {
        env_or_notice("TEST_DATABASE_URL", "PostgreSQL").map(Backend::Postgres)
    }

    pub async fn spawn(&self) -> TestApp {
        self.spawn_with(&[]).await
    }

    /// Two replicas on one database and one Redis (sharing their token-signing key), with
    /// `extra` variables on both.
    pub async fn spawn_replicas(&self, redis: &str, extra: &[(&str, &str)]) -> (TestApp, TestApp) {
        let mut shared = vec![
            ("REDIS_URL", redis),
            (
                "JWT_SECRET_KEY",
                "a-shared-secret-of-at-least-32-characters",
            ),
        ];
        shared.extend_from_slice(extra);
        let a = self.spawn_with(&shared).await;
        shared.push(("DATABASE_URL", a.database.url.as_str()));
        let b = self.spawn_with(&shared).await;
        (a, b)
    }

    /// Starts a server with extra environment variables on top of the test defaults.
    /// A server with the embedding model on ([`model_vars`]) and `vars` besides; `None`, with
    /// a notice, when the model cannot be built here.
    pub async fn spawn_with_model(&self, vars: &[(&str, &str)]) -> Option<TestApp> {
        let model = model_vars()?;
        let mut all: Vec<(&str, &str)> = model.iter().map(|(k, v)| (*k, v.as_str())).collect();
        all.extend_from_slice(vars);
        Some(self.spawn_with(&all).await)
    }

    pub async fn spawn_with(&self, vars: &[(&str, &str)]) -> TestApp {
        // Logs go through libtest's capture: shown only for failing tests.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(
                "info,sqlx=warn,sea_orm=warn",
            ))
            .with_test_writer()
            .try_init();
        let data_dir = TempDir::new().expect("temp dir");
        let database = TestDatabase::new(self, &data_dir);
        let mut env: HashMap<String, String> = HashMap::from([
            ("DATA_DIR".into(), data_dir.path().display().to_string()),
            (
                "BACKUP_DIR".into(),
                data_dir.path().join("backups").display().to_string(),
            ),
            // No nightly backup in the middle of a test run at 02:00; the tests of the
            // schedule set their own.
            ("BACKUP_CRON".into(), "off".into()),
            ("DATABASE_URL".into(), database.url.clone()),
            ("DATABASE_MAX_CONNECTIONS".into(), "5".into()),
            ("POS_ADMIN_PASSWORD".into(), ADMIN_PASSWORD.into()),
            // Most tests need no embedding model; the search tests turn it on.
            ("EMBEDDINGS".into(), "off".into()),
            ("SEARCH_REFRESH_INTERVAL".into(), "200ms".into()),
        ]);
        env.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let config = Config::from_vars(&env).expect("test configuration");
        let redis_namespace = config.redis_namespace();

        let app = App::start(config).await.expect("app starts");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local addr");
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(app.clone().serve(listener, async {
            let _ = stopped.await;
        }));
        TestApp {
            app,
            addr,
            client: reqwest::Client::new(),
            redis_namespace,
            stop: Some(stop),
            server: Some(server),
            _data_dir: data_dir,
            database,
        }
    }
}

pub struct TestApp {
    pub app: App,
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    /// What this server's keys in Redis start with, after `pos:`.
    pub redis_namespace: String,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    _data_dir: TempDir,
    /// Last: dropped after the server.
    pub database: TestDatabase,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A logged-in session.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access: String,
    pub refresh: String,
    pub user_id: String,
}

impl TestApp {
    /// Asks the server to stop (as SIGTERM does) and waits until it has.
    pub async fn shut_down(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server
                .await
                .expect("server task")
                .expect("server stopped cleanly");
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// This instance's `/metrics` text (reached directly, not through a proxy).
    pub async fn metrics(&self) -> String {
        let response = self.client.get(self.url("/metrics")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        response.text().await.unwrap()
    }

    /// POSTs a GraphQL request and returns the JSON body.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        json_of(request).await
    }

    pub async fn try_login(&self, username: &str, password: &str) -> Value {
        self.gql(
            None,
            "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken refreshToken expiresAt user { id username role active } } }",
            json!({ "u": username, "p": password }),
        )
        .await
    }

    pub async fn login(&self, username: &str, password: &str) -> Tokens {
        let body = self.try_login(username, password).await;
        let login = &body["data"]["login"];
        assert!(login.is_object(), "login failed: {body}");
        Tokens {
            access: login["accessToken"].as_str().unwrap().to_owned(),
            refresh: login["refreshToken"].as_str().unwrap().to_owned(),
            user_id: login["user"]["id"].as_str().unwrap().to_owned(),
        }
    }

    pub async fn admin(&self) -> Tokens {
        self.login("admin", ADMIN_PASSWORD).await
    }

    /// Creates a user as the admin and logs them in.
    pub async fn user_with_role(&self, username: &str, role: &str) -> Tokens {
        let admin = self.admin().await;
        let body = self
            .gql(
                Some(&admin.access),
                "mutation($input: CreateUserInput!) { createUser(input: $input) { id } }",
                json!({ "input": { "username": username, "fullName": username, "password": "password-123", "role": role } }),
            )
            .await;
        assert!(body["errors"].is_null(), "createUser failed: {body}");
        self.login(username, "password-123").await
    }

    /// Runs an operation that must succeed and returns its `data`.
    pub async fn ok(&self, token: &str, query: &str, variables: Value) -> Value {
        let body = self.gql(Some(token), query, variables).await;
        assert!(body["errors"].is_null(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// The id of the `MAIN` location every fresh database has.
    pub async fn main_location(&self, token: &str) -> String {
        let data = self.ok(token, "{ locations { id code } }", json!({})).await;
        data["locations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["code"] == "MAIN")
            .map(|l| l["id"].as_str().unwrap().to_owned())
            .expect("MAIN exists")
    }

    /// Creates a product (SKU `sku`, price 1.00, tracked) with `extra` fields on top, and
    /// returns its id.
    pub async fn product(&self, token: &str, sku: &str, extra: Value) -> String {
        let mut input = json!({ "sku": sku, "name": format!("Product {sku}"), "price": "1.00" });
        input
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().cloned().unwrap_or_default());
        let data = self
            .ok(
                token,
                "mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }",
                json!({ "input": input }),
            )
            .await;
        data["createProduct"]["id"].as_str().unwrap().to_owned()
    }

    /// Receives `quantity` of a product at a location.
    pub async fn receive(&self, token: &str, location: &str, product: &str, quantity: &str) {
        self.ok(
            token,
            "mutation($input: ReceiveStockInput!) { receiveStock(input: $input) { id } }",
            json!({ "input": { "locationId": location, "lines": [{ "productId": product, "quantity": quantity }] } }),
        )
        .await;
    }

    /// Opens a register at a location with a float of 100.00; returns the session id.
    pub async fn open_register(&self, token: &str, location: &str, name: &str) -> String {
        let data = self
            .ok(
                token,
                "mutation($input: OpenRegisterInput!) { openRegister(input: $input) { id } }",
                json!({ "input": { "locationId": location, "registerName": name, "openingFloat": "100.00" } }),
            )
            .await;
        data["openRegister"]["id"].as_str().unwrap().to_owned()
    }

    /// Fails the test when some stock level differs from the sum of its movements.
    pub async fn assert_ledger_holds(&self) {
        let wrong = domain::inventory::ledger_discrepancies(&self.app.db)
            .await
            .unwrap();
        assert!(
            wrong.is_empty(),
            "levels that differ from their movements: {wrong:?}"
        );
    }

    /// Starts a backup with `runBackup` and returns its `backups` row once it is no longer
    /// RUNNING.
    pub async fn run_backup(&self, token: &str) -> Value {
        let started = self
            .ok(token, "mutation { runBackup { id } }", json!({}))
            .await;
        self.finished_backup(token, &started["runBackup"]["id"])
            .await
    }

    /// The backup's row once it is no longer RUNNING.
    pub async fn finished_backup(&self, token: &str, id: &Value) -> Value {
        const BACKUPS: &str = "{ backups(first: 10) { totalCount edges { node { id trigger status startedAt finishedAt fileName sizeBytes checksum error } } } }";
        for _ in 0..100 {
            let data = self.ok(token, BACKUPS, json!({})).await;
            let run = data["backups"]["edges"]
                .as_array()
                .expect("a list of backups")
                .iter()
                .map(|e| e["node"].clone())
                .find(|n| &n["id"] == id)
                .expect("the run is listed");
            if run["status"] != "RUNNING" {
                return run;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("the backup did not finish");
    }

    /// How many rows a table holds, straight from the database.
    pub async fn count_rows(&self, table: &str) -> i64 {
        use sea_orm::{ConnectionTrait, Statement};
        let backend = self.app.db.get_database_backend();
        let row = self
            .app
            .db
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count query")
            .expect("a row");
        row.try_get::<i64>("", "n").expect("count")
    }
}

/// A Redis server for tests (`TEST_REDIS_URL`), or a notice and `None`.
pub fn redis_url() -> Option<String> {
    env_or_notice("TEST_REDIS_URL", "Redis")
}

/// The variable's value, or `None` when it is unset and the test may be [`skipped`].
fn env_or_notice(var: &'static str, what: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(value) if !value.trim().is_empty() => Some(value),
        _ => {
            skipped(&format!(
                "{var} is not set: the {what} tests of this binary need it"
            ));
            None
        }
    }
}

/// A test cannot run here: `why` says what is missing. Under `POS_TEST_REQUIRE_ALL=1` (set by
/// `.ci/run`) that fails the test. Otherwise it is said once per reason on the terminal
/// (written to stderr directly: libtest hides `eprintln!` of passing tests) and the caller
/// returns.
pub fn skipped(why: &str) {
    if std::env::var("POS_TEST_REQUIRE_ALL").is_ok_and(|v| v == "1") {
        panic!("{why} (POS_TEST_REQUIRE_ALL=1: a test that cannot run fails)");
    }
    static SAID: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let mut said = SAID.lock().unwrap_or_else(|e| e.into_inner());
    if !said.iter().any(|s| s == why) {
        said.push(why.to_owned());
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "SKIPPED: {why}");
    }
}

/// The error code of the first error of a response.
/// Sends `request` and reads its answer as JSON; panics when either fails.
pub async fn json_of(request: reqwest::RequestBuilder) -> Value {
    request
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("JSON body")
}

pub fn error_code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {body}"))
}

/// A database that exists for one test.
pub struct TestDatabase {
    pub url: String,
    /// The PostgreSQL server and database name, to drop it afterwards.
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    /// The PostgreSQL server URL and database name, when on PostgreSQL.
    pub fn postgres(&self) -> Option<(&str, &str)> {
        self.postgres
            .as_ref()
            .map(|(server, name)| (server.as_str(), name.as_str()))
    }

    /// A database of this test's own, not created yet (pos-api creates it), dropped when this
    /// is: on SQLite `pos.db` in `data_dir`.
    pub fn new(backend: &Backend, data_dir: &TempDir) -> Self {
        match backend {
            Backend::Sqlite => TestDatabase {
                url: format!("sqlite://{}", data_dir.path().join("pos.db").display()),
                postgres: None,
            },
            Backend::Postgres(server) => {
                let name = format!("pos_test_{}", uuid::Uuid::now_v7().simple());
                let mut url = reqwest::Url::parse(server).expect("TEST_DATABASE_URL is a URL");
                url.set_path(&name);
                TestDatabase {
                    url: url.to_string(),
                    postgres: Some((server.clone(), name)),
                }
            }
        }
    }
}

impl TestDatabase {
    /// As [`TestDatabase::new`], created empty now (SQLite files are created when opened).
    pub async fn created(backend: &Backend, data_dir: &TempDir) -> Self {
        let database = TestDatabase::new(backend, data_dir);
        if let Some((server, name)) = database.postgres() {
            use sea_orm::ConnectionTrait;
            let admin = sea_orm::Database::connect(server)
                .await
                .expect("TEST_DATABASE_URL answers");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("create the test database");
        }
        database
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((server, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs inside the test's runtime; a thread with its own runtime may block.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                use sea_orm::{ConnectionTrait, Database};
                let admin = Database::connect(server).await.ok()?;
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await
                    .ok()
            })
        })
        .join();
    }
}

/// The environment that turns the embedding model on, built by `scripts/fetch-model.sh`
/// (which this runs first, as the README's commands do), under
/// `POS_MODELS_DIR` or the repository's `models/`. `None`, with a notice, only when the model
/// cannot be built here.
fn model_vars() -> Option<Vec<(&'static str, String)>> {
    use std::path::PathBuf;
    use std::sync::OnceLock;
    static MODELS: OnceLock<Option<PathBuf>> = OnceLock::new();
    let root = MODELS.get_or_init(|| {
        let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let root = std::env::var("POS_MODELS_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|_| repo.join("models"));
        let complete = |root: &PathBuf| {
            root.join("multilingual-e5-small/model.onnx").is_file()
                && root.join("onnxruntime/libonnxruntime.so.1.24.4").is_file()
        };
        // Always asked: it exits at once when the model is there and of its current build,
        // and builds it again when it is of an older one.
        let fetched = std::process::Command::new(repo.join("scripts/fetch-model.sh"))
            .env("POS_MODELS_DIR", &root)
            .output();
        match fetched {
            Ok(out) if out.status.success() && complete(&root) => Some(root),
            Ok(out) => {
                eprintln!("{}", String::from_utf8_lossy(&out.stderr));
                None
            }
            Err(err) => {
                eprintln!("scripts/fetch-model.sh did not run: {err}");
                None
            }
        }
    });
    let Some(root) = root.as_ref() else {
        skipped(
            "the embedding model could not be built: run scripts/fetch-model.sh to see why; \
             the search tests that need it",
        );
        return None;
    };
    Some(vec![
        ("EMBEDDINGS", "on".to_owned()),
        (
            "EMBEDDING_MODEL_DIR",
            root.join("multilingual-e5-small").display().to_string(),
        ),
        (
            "ORT_DYLIB_PATH",
            root.join("onnxruntime/libonnxruntime.so.1.24.4")
                .display()
                .to_string(),
        ),
    ])
}

/// Waits (up to 60 s) until `check` holds, polling every 100 ms; panics with `what` if not.
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !check().await {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting: {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
