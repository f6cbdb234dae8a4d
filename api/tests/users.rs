//! User management: the role matrix, input rules, audit rows.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

mod common;

use common::Backend;
use common::error_code;
use serde_json::{Value, json};

const CREATE: &str = "mutation($input: CreateUserInput!) { createUser(input: $input) { id username fullName role active } }";
const UPDATE: &str = "mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id username fullName role active } }";
const SET_ACTIVE: &str = "mutation($id: ID!, $active: Boolean!) { setUserActive(id: $id, active: $active) { id active } }";
const USERS: &str = "query($first: Int, $after: String) { users(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id username fullName role active } } } }";

fn new_user(username: &str, role: &str) -> Value {
    json!({
        "input": { "username": username, "fullName": "Test User", "password": "password-123", "role": role },
    })
}

/// What each role gets from each user operation: `None` means allowed, `Some(code)` refused.
async fn attempt(
    app: &common::TestApp,
    token: Option<&str>,
    target_id: &str,
    op: &str,
) -> Option<String> {
    let body = match op {
        "createUser" => {
            app.gql(
                token,
                CREATE,
                new_user(&format!("new-{}", uuid::Uuid::now_v7().simple()), "CASHIER"),
            )
            .await
        }
        "updateUser" => {
            app.gql(
                token,
                UPDATE,
                json!({ "id": target_id, "input": { "fullName": "Renamed" } }),
            )
            .await
        }
        "setUserActive" => {
            app.gql(
                token,
                SET_ACTIVE,
                json!({ "id": target_id, "active": true }),
            )
            .await
        }
        "users" => app.gql(token, USERS, json!({})).await,
        "me" => app.gql(token, "{ me { id } }", json!({})).await,
        other => panic!("unknown operation {other}"),
    };
    match body["errors"][0]["extensions"]["code"].as_str() {
        Some(code) => {
            assert!(
                body["data"].is_null() || body["data"][op].is_null(),
                "{body}"
            );
            Some(code.to_owned())
        }
        None => {
            assert!(body["data"][op].is_object(), "{op}: {body}");
            None
        }
    }
}

both_backends!(
    each_role_gets_exactly_its_user_operations,
    refused_user_changes_change_nothing,
    create_user_returns_the_user_and_audits_it,
    bad_user_input_gets_its_code_and_field_and_changes_nothing,
    a_taken_username_is_a_conflict,
    ids_are_checked_before_use,
    update_user_changes_only_what_it_is_given,
    a_password_reset_ends_the_users_sessions_and_tokens,
    the_last_active_admin_cannot_be_demoted_or_deactivated,
    every_user_change_writes_an_audit_row,
    users_are_listed_in_keyset_pages,
    page_sizes_and_cursors_are_checked,
    an_internal_failure_is_hidden_and_rolls_the_mutation_back
);

async fn each_role_gets_exactly_its_user_operations(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let manager = app.user_with_role("mario", "MANAGER").await;
    let cashier = app.user_with_role("carla", "CASHIER").await;
    let target = app.user_with_role("target", "CASHIER").await;
    let forbidden = Some("FORBIDDEN".to_owned());
    let expected: [(&str, [Option<String>; 3]); 5] = [
        // (operation, [ADMIN, MANAGER, CASHIER])
        ("createUser", [None, forbidden.clone(), forbidden.clone()]),
        ("updateUser", [None, forbidden.clone(), forbidden.clone()]),
        (
            "setUserActive",
            [None, forbidden.clone(), forbidden.clone()],
        ),
        ("users", [None, None, forbidden.clone()]),
        ("me", [None, None, None]),
    ];

    for (op, outcomes) in expected {
        for (who, outcome) in [&admin, &manager, &cashier].iter().zip(outcomes) {
            assert_eq!(
                attempt(&app, Some(&who.access), &target.user_id, op).await,
                outcome,
                "{op} as {}",
                who.user_id
            );
        }
        assert_eq!(
            attempt(&app, None, &target.user_id, op).await.as_deref(),
            Some("UNAUTHENTICATED"),
            "{op} anonymous"
        );
    }
}

async fn refused_user_changes_change_nothing(backend: Backend) {
    let app = backend.spawn().await;
    let manager = app.user_with_role("mario", "MANAGER").await;
    let (users, audits) = (
        app.count_rows("users").await,
        app.count_rows("audit_log").await,
    );

    let body = app
        .gql(Some(&manager.access), CREATE, new_user("sneaky", "ADMIN"))
        .await;
    let promote = app
        .gql(
            Some(&manager.access),
            UPDATE,
            json!({ "id": manager.user_id, "input": { "role": "ADMIN" } }),
        )
        .await;

    assert_eq!(error_code(&body), "FORBIDDEN");
    assert_eq!(error_code(&promote), "FORBIDDEN");
    assert_eq!(app.count_rows("users").await, users);
    assert_eq!(app.count_rows("audit_log").await, audits);
}

async fn create_user_returns_the_user_and_audits_it(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;

    let body = app
        .gql(
            Some(&admin.access),
            CREATE,
            new_user("Ana.Lopez", "MANAGER"),
        )
        .await;

    let user = &body["data"]["createUser"];
    assert_eq!(user["username"], "ana.lopez");
    assert_eq!(user["role"], "MANAGER");
    assert_eq!(user["active"], true);
    let log = app
        .gql(Some(&admin.access), "{ auditLog(first: 1) { edges { node { action entityType entityId actor { username } } } } }", json!({}))
        .await;
    let entry = &log["data"]["auditLog"]["edges"][0]["node"];
    assert_eq!(entry["action"], "user.create");
    assert_eq!(entry["entityId"], user["id"]);
    assert_eq!(entry["actor"]["username"], "admin");
    app.login("ana.lopez", "password-123").await;
}

async fn bad_user_input_gets_its_code_and_field_and_changes_nothing(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let (users, audits) = (
        app.count_rows("users").await,
        app.count_rows("audit_log").await,
    );
    let cases = [
        (
            json!({ "username": "", "fullName": "X", "password": "password-123", "role": "CASHIER" }),
            "username",
        ),
        (
            json!({ "username": "a b", "fullName": "X", "password": "password-123", "role": "CASHIER" }),
            "username",
        ),
        (
            json!({ "username": "valid", "fullName": "  ", "password": "password-123", "role": "CASHIER" }),
            "fullName",
        ),
        (
            json!({ "username": "valid", "fullName": "X", "password": "short", "role": "CASHIER" }),
            "password",
        ),
    ];

    for (input, field) in cases {
        let body = app
            .gql(Some(&admin.access), CREATE, json!({ "input": input }))
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    let unknown_role = app
        .gql(Some(&admin.access), CREATE, json!({
            "input": { "username": "valid", "fullName": "X", "password": "password-123", "role": "OWNER" },
        }))
        .await;
    assert_eq!(
        error_code(&unknown_role),
        "BAD_USER_INPUT",
        "{unknown_role}"
    );
    assert_eq!(unknown_role["errors"][0]["extensions"]["field"], "role");
    assert_eq!(app.count_rows("users").await, users);
    assert_eq!(app.count_rows("audit_log").await, audits);
}

async fn a_taken_username_is_a_conflict(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;

    let body = app
        .gql(Some(&admin.access), CREATE, new_user("ADMIN", "CASHIER"))
        .await;

    assert_eq!(error_code(&body), "CONFLICT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "username");
}

async fn ids_are_checked_before_use(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;

    let malformed = app
        .gql(
            Some(&admin.access),
            SET_ACTIVE,
            json!({ "id": "42", "active": false }),
        )
        .await;
    let unknown = app
        .gql(
            Some(&admin.access),
            SET_ACTIVE,
            json!({ "id": uuid::Uuid::now_v7().to_string(), "active": false }),
        )
        .await;

    assert_eq!(error_code(&malformed), "BAD_USER_INPUT");
    assert_eq!(malformed["errors"][0]["extensions"]["field"], "id");
    assert_eq!(error_code(&unknown), "NOT_FOUND");
}

async fn update_user_changes_only_what_it_is_given(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let carla = app.user_with_role("carla", "CASHIER").await;

    let body = app
        .gql(
            Some(&admin.access),
            UPDATE,
            json!({ "id": carla.user_id, "input": { "role": "MANAGER" } }),
        )
        .await;

    let user = &body["data"]["updateUser"];
    assert_eq!(user["role"], "MANAGER");
    assert_eq!(user["fullName"], "carla");
    let me = app
        .gql(Some(&carla.access), "{ me { role } }", json!({}))
        .await;
    assert_eq!(
        me["data"]["me"]["role"], "MANAGER",
        "role changes apply to live tokens"
    );
}

async fn a_password_reset_ends_the_users_sessions_and_tokens(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let carla = app.user_with_role("carla", "CASHIER").await;
    // Tokens carry whole seconds: let the reset happen in a later second than the login.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;

    let body = app
        .gql(
            Some(&admin.access),
            UPDATE,
            json!({ "id": carla.user_id, "input": { "password": "brand-new-pass" } }),
        )
        .await;

    assert!(body["errors"].is_null(), "{body}");
    let refresh = app
        .gql(
            None,
            "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }",
            json!({ "t": carla.refresh }),
        )
        .await;
    assert_eq!(error_code(&refresh), "UNAUTHENTICATED");
    assert_eq!(
        error_code(
            &app.gql(Some(&carla.access), "{ me { id } }", json!({}))
                .await
        ),
        "UNAUTHENTICATED"
    );
    assert_eq!(
        error_code(&app.try_login("carla", "password-123").await),
        "UNAUTHENTICATED"
    );
    app.login("carla", "brand-new-pass").await;
}

async fn the_last_active_admin_cannot_be_demoted_or_deactivated(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;

    let demote = app
        .gql(
            Some(&admin.access),
            UPDATE,
            json!({ "id": admin.user_id, "input": { "role": "CASHIER" } }),
        )
        .await;
    let deactivate = app
        .gql(
            Some(&admin.access),
            SET_ACTIVE,
            json!({ "id": admin.user_id, "active": false }),
        )
        .await;

    assert_eq!(error_code(&demote), "CONFLICT");
    assert_eq!(error_code(&deactivate), "CONFLICT");
    let second = app.user_with_role("boss", "ADMIN").await;
    let now_allowed = app
        .gql(
            Some(&second.access),
            SET_ACTIVE,
            json!({ "id": admin.user_id, "active": false }),
        )
        .await;
    assert_eq!(
        now_allowed["data"]["setUserActive"]["active"], false,
        "{now_allowed}"
    );
}

async fn every_user_change_writes_an_audit_row(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let carla = app.user_with_role("carla", "CASHIER").await;

    app.gql(Some(&admin.access), UPDATE, json!({ "id": carla.user_id, "input": { "fullName": "Carla Ruiz", "password": "another-pass" } })).await;
    app.gql(
        Some(&admin.access),
        SET_ACTIVE,
        json!({ "id": carla.user_id, "active": false }),
    )
    .await;
    app.gql(
        Some(&admin.access),
        SET_ACTIVE,
        json!({ "id": carla.user_id, "active": true }),
    )
    .await;
    // Setting the state a user already has is no change and writes nothing.
    app.gql(
        Some(&admin.access),
        SET_ACTIVE,
        json!({ "id": carla.user_id, "active": true }),
    )
    .await;

    let log = app
        .gql(
            Some(&admin.access),
            "{ auditLog(first: 4) { totalCount edges { node { action entityId details } } } }",
            json!({}),
        )
        .await;
    let actions: Vec<&str> = log["data"]["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "user.activate",
            "user.deactivate",
            "user.update",
            "user.create"
        ]
    );
    let update = &log["data"]["auditLog"]["edges"][2]["node"];
    assert_eq!(update["details"]["fullName"]["to"], "Carla Ruiz");
    assert_eq!(update["details"]["password"], "reset");
    assert!(!update["details"].to_string().contains("another-pass"));
}

async fn users_are_listed_in_keyset_pages(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    for name in ["bea", "dani", "eva", "fede"] {
        app.gql(Some(&admin.access), CREATE, new_user(name, "CASHIER"))
            .await;
    }

    let first = app
        .gql(Some(&admin.access), USERS, json!({ "first": 3 }))
        .await;
    let cursor = first["data"]["users"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = app
        .gql(
            Some(&admin.access),
            USERS,
            json!({ "first": 3, "after": cursor }),
        )
        .await;

    let names = |body: &Value| -> Vec<String> {
        body["data"]["users"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["username"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(&first), ["admin", "bea", "dani"]);
    assert_eq!(names(&second), ["eva", "fede"]);
    assert_eq!(first["data"]["users"]["totalCount"], 5);
    assert_eq!(first["data"]["users"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(second["data"]["users"]["pageInfo"]["hasNextPage"], false);
}

async fn page_sizes_and_cursors_are_checked(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;

    let too_many = app
        .gql(Some(&admin.access), USERS, json!({ "first": 101 }))
        .await;
    let negative = app
        .gql(Some(&admin.access), USERS, json!({ "first": -1 }))
        .await;
    let bad_cursor = app
        .gql(Some(&admin.access), USERS, json!({ "after": "garbage" }))
        .await;

    for (body, field) in [
        (&too_many, "first"),
        (&negative, "first"),
        (&bad_cursor, "after"),
    ] {
        assert_eq!(error_code(body), "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field);
    }
}

async fn an_internal_failure_is_hidden_and_rolls_the_mutation_back(backend: Backend) {
    use sea_orm::ConnectionTrait;
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let users = app.count_rows("users").await;
    // The user row would insert fine; its audit row cannot, so neither may stay.
    app.app
        .db
        .execute_unprepared("DROP TABLE audit_log")
        .await
        .unwrap();

    let body = app
        .gql(Some(&admin.access), CREATE, new_user("orphan", "CASHIER"))
        .await;

    assert_eq!(error_code(&body), "INTERNAL");
    assert_eq!(body["errors"][0]["message"], "internal error");
    assert_eq!(app.count_rows("users").await, users);
}
