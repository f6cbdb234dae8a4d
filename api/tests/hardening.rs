//! What an attacker or a broken client could do to pos-api, closed: sockets that outlive their
//! login, bursts past the login limit, unbounded metric labels, decimals that overflow, sums
//! that do, unbounded work per request, files and secrets others could read, sessions seen
//! through a side door, and a live backup marked failed by a restart.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

mod common;

use std::time::Duration;

use common::{Backend, TestApp, error_code};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

/// The next protocol message of a socket as JSON, its close code as `{"close": code}`, or
/// `None` after `wait`.
async fn next_message(socket: &mut common::ws::Socket, wait: Duration) -> Option<Value> {
    loop {
        let frame = tokio::time::timeout(wait, socket.next()).await.ok()??;
        match frame {
            Ok(Message::Text(text)) => return Some(serde_json::from_str(&text).unwrap()),
            Ok(Message::Close(frame)) => {
                let code = frame.map_or(0, |f| u16::from(f.code));
                return Some(json!({ "close": code }));
            }
            Ok(_) => continue,
            Err(_) => return Some(json!({ "close": 0 })),
        }
    }
}

async fn acknowledged(app: &TestApp, token: &str) -> common::ws::Socket {
    let mut socket = common::ws::connect(&app.addr.to_string(), token).await;
    let ack = next_message(&mut socket, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    socket
}

async fn send(socket: &mut common::ws::Socket, id: &str, query: &str, variables: Value) {
    let message = json!({
        "id": id,
        "type": "subscribe",
        "payload": { "query": query, "variables": variables },
    });
    socket
        .send(Message::text(message.to_string()))
        .await
        .unwrap();
}

both_backends!(
    an_operation_on_a_socket_is_refused_once_its_user_is_deactivated,
    sixty_wrong_passwords_at_once_are_checked_five_times,
    huge_decimals_are_bad_input_and_the_rest_of_the_batch_runs,
    a_sale_may_not_take_amounts_or_payments_no_till_could,
    a_cashier_never_sees_another_cashiers_drawer_through_a_refund,
    a_restart_leaves_alone_a_backup_another_process_is_writing,
);

async fn an_operation_on_a_socket_is_refused_once_its_user_is_deactivated(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await.access;
    let manager = app.user_with_role("marta", "MANAGER").await;
    let mut socket = acknowledged(&app, &manager.access).await;
    let marta = app
        .ok(
            &admin,
            "{ users { edges { node { id username } } } }",
            json!({}),
        )
        .await["users"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["username"] == "marta")
        .map(|e| e["node"]["id"].clone())
        .unwrap();
    app.ok(
        &admin,
        "mutation($id: ID!) { setUserActive(id: $id, active: false) { id } }",
        json!({ "id": marta }),
    )
    .await;

    send(
        &mut socket,
        "1",
        "mutation { createCategory(input: { name: \"Nope\" }) { id } }",
        json!({}),
    )
    .await;
    let answer = next_message(&mut socket, Duration::from_secs(10))
        .await
        .unwrap();

    let refused = answer["close"] == 4401
        || answer["payload"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        || answer["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED";
    assert!(refused, "{answer}");
    assert_eq!(app.count_rows("categories").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_socket_closes_when_its_access_token_expires() {
    let app = Backend::Sqlite
        .spawn_with(&[("ACCESS_TOKEN_TTL", "2s")])
        .await;
    let admin = app.admin().await.access;
    let mut socket = acknowledged(&app, &admin).await;

    let closed = next_message(&mut socket, Duration::from_secs(15))
        .await
        .unwrap();

    assert_eq!(closed["close"], 4401, "{closed}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_socket_must_introduce_itself_soon_and_briefly() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let app = Backend::Sqlite
        .spawn_with(&[("WS_INIT_TIMEOUT", "1s")])
        .await;
    let open = || async {
        let mut request = format!("ws://{}/graphql/ws", app.addr)
            .into_client_request()
            .unwrap();
        request.headers_mut().insert(
            "sec-websocket-protocol",
            "graphql-transport-ws".parse().unwrap(),
        );
        tokio_tungstenite::connect_async(request).await.unwrap().0
    };

    let mut silent = open().await;
    let mut chatty = open().await;
    chatty
        .send(Message::text(
            json!({ "type": "connection_init", "payload": { "pad": "x".repeat(8 * 1024) } })
                .to_string(),
        ))
        .await
        .unwrap();

    let silent = next_message(&mut silent, Duration::from_secs(5))
        .await
        .unwrap();
    let chatty = next_message(&mut chatty, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(silent["close"], 4408, "{silent}");
    assert_eq!(chatty["close"], 4400, "{chatty}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_socket_runs_at_most_its_operations_at_once() {
    let app = Backend::Sqlite
        .spawn_with(&[("WS_MAX_OPERATIONS", "2")])
        .await;
    let admin = app.admin().await.access;
    let location = app.main_location(&admin).await;
    let mut socket = acknowledged(&app, &admin).await;
    let alerts = "subscription($l: ID!) { lowStockAlerts(locationId: $l) { onHand } }";

    for id in ["1", "2", "3"] {
        send(&mut socket, id, alerts, json!({ "l": location })).await;
    }
    let refused = next_message(&mut socket, Duration::from_secs(5))
        .await
        .unwrap();

    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(refused["id"], "3");
    assert_eq!(
        refused["payload"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );
}

async fn sixty_wrong_passwords_at_once_are_checked_five_times(backend: Backend) {
    let app = std::sync::Arc::new(backend.spawn().await);

    let attempts: Vec<_> = (0..60)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { app.try_login("admin", "not-the-password").await })
        })
        .collect();
    let mut codes = Vec::new();
    for attempt in attempts {
        codes.push(error_code(&attempt.await.unwrap()).to_owned());
    }

    let checked = codes.iter().filter(|c| *c == "UNAUTHENTICATED").count();
    let limited = codes.iter().filter(|c| *c == "RATE_LIMITED").count();
    assert_eq!((checked, limited), (5, 55), "{codes:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ipv6_clients_are_counted_by_their_64_block() {
    let app = Backend::Sqlite
        .spawn_with(&[
            ("TRUST_PROXY_HEADERS", "true"),
            ("LOGIN_MAX_FAILURES_PER_ADDRESS", "3"),
        ])
        .await;
    let login = |from: &'static str, username: &'static str| {
        app.client
            .post(app.url("/graphql"))
            .header("x-forwarded-for", from)
            .json(&json!({
                "query": "mutation($u: String!) { login(username: $u, password: \"wrong-password\") { accessToken } }",
                "variables": { "u": username },
            }))
    };

    for (from, username) in [
        ("2001:db8:1:2::1", "a"),
        ("2001:db8:1:2::2", "b"),
        ("2001:db8:1:2::3", "c"),
    ] {
        let body = common::json_of(login(from, username)).await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED");
    }
    let same_block = common::json_of(login("2001:db8:1:2:ffff::9", "d")).await;
    let next_block = common::json_of(login("2001:db8:1:3::1", "d")).await;

    assert_eq!(error_code(&same_block), "RATE_LIMITED");
    assert_eq!(error_code(&next_block), "UNAUTHENTICATED");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_chosen_operation_names_do_not_grow_the_metrics() {
    let app = Backend::Sqlite.spawn().await;
    let before = app.metrics().await;

    for n in 0..50 {
        let name = format!("Op{n}{}", "x".repeat(20_000));
        let body =
            json!({ "query": format!("query {name} {{ __typename }}"), "operationName": name });
        app.client
            .post(app.url("/graphql"))
            .json(&body)
            .send()
            .await
            .unwrap();
    }
    let after = app.metrics().await;

    assert!(
        after.len() < before.len() + 20_000,
        "{} -> {} bytes",
        before.len(),
        after.len()
    );
    assert!(after.contains("operation=\"other\""), "{after}");
}

async fn huge_decimals_are_bad_input_and_the_rest_of_the_batch_runs(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await.access;
    let location = app.main_location(&admin).await;
    let huge = "79228162514264337593543950335";
    let open = "mutation($input: OpenRegisterInput!) { openRegister(input: $input) { id } }";
    let batch = json!([
        { "query": open, "variables": { "input": { "locationId": location, "registerName": "A", "openingFloat": huge } } },
        { "query": open, "variables": { "input": { "locationId": location, "registerName": "B", "openingFloat": "10" } } },
    ]);

    let response = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&admin)
        .json(&batch)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    let answers: Value = response.json().await.unwrap();
    assert_eq!(error_code(&answers[0]), "BAD_USER_INPUT", "{answers}");
    assert_eq!(
        answers[0]["errors"][0]["extensions"]["field"],
        "openingFloat"
    );
    assert!(
        answers[1]["data"]["openRegister"]["id"].is_string(),
        "{answers}"
    );
    for quantity in [
        huge,
        "-79228162514264337593543950335",
        "1e30",
        &"9".repeat(200),
    ] {
        let product = app
            .product(&admin, &format!("P{}", quantity.len()), json!({}))
            .await;
        let adjust = app
            .gql(
                Some(&admin),
                "mutation($input: AdjustStockInput!) { adjustStock(input: $input) { id } }",
                json!({ "input": { "locationId": location, "productId": product, "quantity": quantity, "reason": "ADJUSTMENT" } }),
            )
            .await;
        assert_eq!(
            error_code(&adjust),
            "BAD_USER_INPUT",
            "{quantity}: {adjust}"
        );
    }
}

async fn a_sale_may_not_take_amounts_or_payments_no_till_could(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await.access;
    let location = app.main_location(&admin).await;
    let product = app
        .product(
            &admin,
            "P",
            json!({ "trackStock": false, "price": "5000.00" }),
        )
        .await;
    let session = app.open_register(&admin, &location, "Caja 1").await;
    let sale = |key: &str, payments: Value| {
        json!({ "input": {
            "idempotencyKey": key,
            "registerSessionId": session,
            "lines": [{ "productId": product, "quantity": "1" }],
            "payments": payments,
        } })
    };
    let create = "mutation($input: CreateSaleInput!) { createSale(input: $input) { id } }";

    let many = vec![json!({ "method": "CASH", "amount": "1" }); 1000];
    let many = app
        .gql(Some(&admin), create, sale("many", json!(many)))
        .await;
    let huge = json!([{ "method": "CASH", "amount": "10000000000000" }]);
    let huge = app.gql(Some(&admin), create, sale("huge", huge)).await;
    let expensive = app
        .gql(
            Some(&admin),
            "mutation($input: CreateSaleInput!) { createSale(input: $input) { id } }",
            json!({ "input": {
                "idempotencyKey": "qty",
                "registerSessionId": session,
                // 5,000,000,000.00: over what one sale may come to.
                "lines": [{ "productId": product, "quantity": "1000000" }],
                "payments": [{ "method": "CASH", "amount": "100000000" }],
            } }),
        )
        .await;

    assert_eq!(error_code(&many), "BAD_USER_INPUT", "{many}");
    assert_eq!(many["errors"][0]["extensions"]["field"], "payments");
    assert_eq!(error_code(&huge), "BAD_USER_INPUT", "{huge}");
    assert_eq!(error_code(&expensive), "BAD_USER_INPUT", "{expensive}");
    assert_eq!(app.count_rows("sales").await, 0);
    // The drawer still closes and reports.
    let closed = app
        .ok(
            &admin,
            "mutation($input: CloseRegisterInput!) { closeRegister(input: $input) { overShort { amount } totals { salesCount } } }",
            json!({ "input": { "registerSessionId": session, "countedCash": "100.00" } }),
        )
        .await;
    assert_eq!(closed["closeRegister"]["overShort"]["amount"], "0.00");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_and_a_query_cost_what_they_will_run() {
    let app = Backend::Sqlite.spawn().await;
    let admin = app.admin().await.access;
    let post = |body: Value| {
        app.client
            .post(app.url("/graphql"))
            .bearer_auth(&admin)
            .json(&body)
            .send()
    };

    let eleven = json!(vec![json!({ "query": "{ me { id } }" }); 11]);
    let ten = json!(vec![json!({ "query": "{ me { id } }" }); 10]);
    let aliases: String = (0..10)
        .map(|n| format!("a{n}: sales(first: 100) {{ edges {{ node {{ receiptText }} }} }} "))
        .collect();

    let too_many = post(eleven).await.unwrap();
    assert_eq!(too_many.status(), 400);
    let too_many: Value = too_many.json().await.unwrap();
    assert_eq!(error_code(&too_many), "BAD_USER_INPUT");
    let fine: Value = post(ten).await.unwrap().json().await.unwrap();
    assert_eq!(fine.as_array().unwrap().len(), 10);
    let costly = app
        .gql(Some(&admin), &format!("{{ {aliases} }}"), json!({}))
        .await;
    assert_eq!(error_code(&costly), "BAD_USER_INPUT", "{costly}");
    assert!(
        costly["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("complex")
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backups_and_the_signing_key_are_private_to_their_owner() {
    use std::os::unix::fs::PermissionsExt;
    let app = Backend::Sqlite.spawn().await;
    let admin = app.admin().await.access;

    let run = app.run_backup(&admin).await;

    let dir = &app.app.config.backup_dir;
    let file = dir.join(run["fileName"].as_str().unwrap());
    let sidecar = dir.join(format!("{}.sha256", run["fileName"].as_str().unwrap()));
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&file), 0o600, "{file:?}");
    assert_eq!(mode(&sidecar), 0o600, "{sidecar:?}");
    assert_eq!(mode(dir), 0o700, "{dir:?}");
    assert_eq!(mode(&app.app.config.jwt_secret_file()), 0o600);
    // Nothing but the backup and its checksum: the plain snapshot was made elsewhere.
    let names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

async fn a_cashier_never_sees_another_cashiers_drawer_through_a_refund(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await.access;
    let location = app.main_location(&admin).await;
    let product = app
        .product(&admin, "P", json!({ "trackStock": false }))
        .await;
    let ana = app.user_with_role("ana", "CASHIER").await.access;
    let marta = app.user_with_role("marta", "MANAGER").await.access;
    let anas = app.open_register(&ana, &location, "Caja 1").await;
    let martas = app.open_register(&marta, &location, "Caja 2").await;
    let sale = app
        .ok(
            &ana,
            "mutation($input: CreateSaleInput!) { createSale(input: $input) { id lines { id } } }",
            json!({ "input": {
                "idempotencyKey": "s",
                "registerSessionId": anas,
                "lines": [{ "productId": product, "quantity": "1" }],
                "payments": [{ "method": "CASH", "amount": "1" }],
            } }),
        )
        .await;
    let sale = &sale["createSale"];
    app.ok(
        &marta,
        "mutation($input: RefundSaleInput!) { refundSale(input: $input) { id } }",
        json!({ "input": {
            "idempotencyKey": "r",
            "saleId": sale["id"],
            "registerSessionId": martas,
            "lines": [{ "saleLineId": sale["lines"][0]["id"], "quantity": "1" }],
            "method": "CASH",
            "reason": "broken",
        } }),
    )
    .await;
    let seen = "query($id: ID!) { sale(id: $id) { registerSession { id } refunds { registerSession { id registerName } } } }";

    let by_ana = app.ok(&ana, seen, json!({ "id": sale["id"] })).await;
    let by_marta = app.ok(&marta, seen, json!({ "id": sale["id"] })).await;

    assert_eq!(by_ana["sale"]["registerSession"]["id"], anas.as_str());
    assert!(
        by_ana["sale"]["refunds"][0]["registerSession"].is_null(),
        "{by_ana}"
    );
    assert_eq!(
        by_marta["sale"]["refunds"][0]["registerSession"]["id"],
        martas.as_str()
    );
}

async fn a_restart_leaves_alone_a_backup_another_process_is_writing(backend: Backend) {
    use entity::backup_run::{self, BackupStatus, BackupTrigger};
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    let app = backend.spawn().await;
    let db = &app.app.db;
    let row = |minutes_since_heartbeat: i64| {
        let beat = chrono::Utc::now() - chrono::Duration::minutes(minutes_since_heartbeat);
        backup_run::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            trigger: Set(BackupTrigger::Manual),
            status: Set(BackupStatus::Running),
            started_at: Set(beat),
            finished_at: Set(None),
            file_name: Set(None),
            size_bytes: Set(None),
            checksum: Set(None),
            error: Set(None),
            scheduled_for: Set(None),
            heartbeat_at: Set(Some(beat)),
        }
    };
    // One run at a time may be RUNNING: the live one first, then the stale one is checked
    // on its own.
    let live = row(0).insert(db).await.unwrap();

    let marked = domain::backups::mark_interrupted(db).await.unwrap();

    assert_eq!(marked, 0);
    let live = backup_run::Entity::find_by_id(live.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(live.status, BackupStatus::Running);
    let mut finished: backup_run::ActiveModel = live.into();
    finished.status = Set(BackupStatus::Succeeded);
    finished.update(db).await.unwrap();
    let stale = row(5).insert(db).await.unwrap();
    assert_eq!(domain::backups::mark_interrupted(db).await.unwrap(), 1);
    let stale = backup_run::Entity::find_by_id(stale.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stale.status, BackupStatus::Failed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_signing_key_file_stops_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("jwt_secret"), "").unwrap();

    let output = common::process::pos_api(dir.path())
        .arg("serve")
        .env(
            "BIND_ADDR",
            format!("127.0.0.1:{}", common::process::free_port()),
        )
        .output()
        .unwrap();

    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("jwt_secret"), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_travel_on_their_deployments_own_channel() {
    use fred::prelude::{Builder, ClientLike, Config, EventInterface, PubsubInterface};
    let Some(redis) = common::redis_url() else {
        return;
    };
    let app = Backend::Sqlite
        .spawn_with(&[("REDIS_URL", redis.as_str())])
        .await;
    let listener = Builder::from_config(Config::from_url(&redis).unwrap())
        .build_subscriber_client()
        .unwrap();
    listener.init().await.unwrap();
    let own = format!("pos:{}:events", app.redis_namespace);
    listener.subscribe(own.as_str()).await.unwrap();
    listener.subscribe("pos-odata:events").await.unwrap();
    let mut heard = listener.message_rx();
    let admin = app.admin().await.access;
    let location = app.main_location(&admin).await;
    let product = app
        .product(&admin, "P", json!({ "trackStock": false }))
        .await;
    let session = app.open_register(&admin, &location, "Caja 1").await;

    app.ok(
        &admin,
        "mutation($input: CreateSaleInput!) { createSale(input: $input) { id } }",
        json!({ "input": {
            "idempotencyKey": "s",
            "registerSessionId": session,
            "lines": [{ "productId": product, "quantity": "1" }],
            "payments": [{ "method": "CASH", "amount": "1" }],
        } }),
    )
    .await;

    let message = tokio::time::timeout(Duration::from_secs(5), heard.recv())
        .await
        .expect("an event within 5 s")
        .unwrap();
    assert_eq!(message.channel.to_string(), own);
}
