//! Logins, sessions and tokens, through real HTTP.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

mod common;

use common::{ADMIN_PASSWORD, Backend, error_code};
use serde_json::{Value, json};

const ME: &str = "{ me { id username fullName role active } }";
const REFRESH: &str = "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken expiresAt } }";
const LOGOUT: &str = "mutation($t: String!) { logout(refreshToken: $t) }";

fn refreshed(body: &Value) -> (String, String) {
    let session = &body["data"]["refreshSession"];
    assert!(session.is_object(), "refresh failed: {body}");
    (
        session["accessToken"].as_str().unwrap().to_owned(),
        session["refreshToken"].as_str().unwrap().to_owned(),
    )
}

both_backends!(
    login_returns_tokens_that_identify_the_user,
    usernames_are_matched_without_case_or_spaces,
    wrong_password_and_unknown_user_get_the_same_answer,
    empty_credentials_are_bad_input,
    repeated_failures_for_a_username_are_rate_limited,
    repeated_failures_from_an_address_are_rate_limited_across_usernames,
    an_expired_access_token_is_refused,
    malformed_and_missing_tokens_are_unauthenticated,
    login_works_even_with_a_stale_token_in_the_headers,
    refreshing_rotates_the_refresh_token,
    reusing_a_rotated_token_revokes_the_whole_family,
    an_unknown_refresh_token_is_unauthenticated,
    logout_ends_the_session,
    a_reused_refresh_token_also_ends_the_access_tokens_of_its_session,
    a_deactivated_user_is_locked_out_everywhere,
    changing_the_password_keeps_this_session_and_ends_the_others,
    a_wrong_current_password_changes_nothing
);

async fn login_returns_tokens_that_identify_the_user(backend: Backend) {
    let app = backend.spawn().await;

    let body = app.try_login("admin", ADMIN_PASSWORD).await;

    let login = &body["data"]["login"];
    assert_eq!(login["user"]["username"], "admin");
    assert_eq!(login["user"]["role"], "ADMIN");
    assert!(login["expiresAt"].as_str().unwrap().ends_with("+00:00"));
    let me = app.gql(login["accessToken"].as_str(), ME, json!({})).await;
    assert_eq!(me["data"]["me"]["username"], "admin");
    assert_eq!(me["data"]["me"]["id"], login["user"]["id"]);
}

async fn usernames_are_matched_without_case_or_spaces(backend: Backend) {
    let app = backend.spawn().await;

    let body = app.try_login("  ADMIN ", ADMIN_PASSWORD).await;

    assert_eq!(body["data"]["login"]["user"]["username"], "admin");
}

async fn wrong_password_and_unknown_user_get_the_same_answer(backend: Backend) {
    let app = backend.spawn().await;

    let wrong_password = app.try_login("admin", "not-the-password").await;
    let unknown_user = app.try_login("nobody", ADMIN_PASSWORD).await;

    assert_eq!(error_code(&wrong_password), "UNAUTHENTICATED");
    assert_eq!(error_code(&unknown_user), "UNAUTHENTICATED");
    assert_eq!(
        wrong_password["errors"][0]["message"],
        unknown_user["errors"][0]["message"]
    );
    assert!(wrong_password["data"].is_null());
    assert_eq!(app.count_rows("refresh_tokens").await, 0);
}

async fn empty_credentials_are_bad_input(backend: Backend) {
    let app = backend.spawn().await;

    let no_username = app.try_login("   ", ADMIN_PASSWORD).await;
    let no_password = app.try_login("admin", "").await;

    assert_eq!(error_code(&no_username), "BAD_USER_INPUT");
    assert_eq!(no_username["errors"][0]["extensions"]["field"], "username");
    assert_eq!(error_code(&no_password), "BAD_USER_INPUT");
    assert_eq!(no_password["errors"][0]["extensions"]["field"], "password");
}

async fn repeated_failures_for_a_username_are_rate_limited(backend: Backend) {
    let app = backend
        .spawn_with(&[("LOGIN_MAX_FAILURES_PER_USER", "3")])
        .await;
    for _ in 0..3 {
        let body = app.try_login("admin", "wrong-password").await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED");
    }

    let limited = app.try_login("admin", ADMIN_PASSWORD).await;

    assert_eq!(error_code(&limited), "RATE_LIMITED");
    let retry_after = limited["errors"][0]["extensions"]["retryAfterSeconds"]
        .as_u64()
        .unwrap();
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    assert_eq!(app.count_rows("refresh_tokens").await, 0);
}

async fn repeated_failures_from_an_address_are_rate_limited_across_usernames(backend: Backend) {
    let app = backend
        .spawn_with(&[
            ("LOGIN_MAX_FAILURES_PER_ADDRESS", "4"),
            ("LOGIN_MAX_FAILURES_PER_USER", "100"),
        ])
        .await;
    for name in ["ana", "luis", "marta", "pablo"] {
        assert_eq!(
            error_code(&app.try_login(name, "guess-123").await),
            "UNAUTHENTICATED"
        );
    }

    let limited = app.try_login("admin", ADMIN_PASSWORD).await;

    assert_eq!(error_code(&limited), "RATE_LIMITED");
}

async fn an_expired_access_token_is_refused(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let user_id = uuid::Uuid::parse_str(&admin.user_id).unwrap();
    let an_hour_ago = chrono::Utc::now() - chrono::Duration::hours(1);
    let expired = app
        .app
        .auth
        .access_tokens()
        .issue(user_id, uuid::Uuid::now_v7(), an_hour_ago)
        .unwrap();

    let body = app.gql(Some(&expired.token), ME, json!({})).await;

    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    assert_eq!(body["errors"][0]["message"], "access token expired");
}

async fn malformed_and_missing_tokens_are_unauthenticated(backend: Backend) {
    let app = backend.spawn().await;

    let garbage = app.gql(Some("not-a-token"), ME, json!({})).await;
    let none = app.gql(None, ME, json!({})).await;
    let wrong_scheme = app
        .client
        .post(app.url("/graphql"))
        .header("Authorization", "Basic YWRtaW46YWRtaW4=")
        .json(&json!({ "query": ME }))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();

    for body in [&garbage, &none, &wrong_scheme] {
        assert_eq!(error_code(body), "UNAUTHENTICATED", "{body}");
        assert!(body["data"].is_null());
    }
}

async fn login_works_even_with_a_stale_token_in_the_headers(backend: Backend) {
    let app = backend.spawn().await;

    let body = app
        .gql(
            Some("stale.token.here"),
            "mutation { login(username: \"admin\", password: \"admin-password-1\") { accessToken } }",
            json!({}),
        )
        .await;

    assert!(body["data"]["login"]["accessToken"].is_string(), "{body}");
}

async fn refreshing_rotates_the_refresh_token(backend: Backend) {
    let app = backend.spawn().await;
    let session = app.admin().await;

    let first = app
        .gql(None, REFRESH, json!({ "t": session.refresh }))
        .await;
    let (access, refresh) = refreshed(&first);

    assert_ne!(refresh, session.refresh);
    assert_eq!(
        app.gql(Some(&access), ME, json!({})).await["data"]["me"]["username"],
        "admin"
    );
    // A replay is a reuse: refused (and the session ended, see below).
    let replay = app
        .gql(None, REFRESH, json!({ "t": session.refresh }))
        .await;
    assert_eq!(error_code(&replay), "UNAUTHENTICATED");
}

async fn reusing_a_rotated_token_revokes_the_whole_family(backend: Backend) {
    let app = backend.spawn().await;
    let session = app.admin().await;
    let (_, current) = refreshed(
        &app.gql(None, REFRESH, json!({ "t": session.refresh }))
            .await,
    );
    let other_login = app.admin().await;

    // A thief replays the first token: the family, including `current`, is revoked.
    let theft = app
        .gql(None, REFRESH, json!({ "t": session.refresh }))
        .await;
    let legit = app.gql(None, REFRESH, json!({ "t": current })).await;
    let unrelated = app
        .gql(None, REFRESH, json!({ "t": other_login.refresh }))
        .await;

    assert_eq!(error_code(&theft), "UNAUTHENTICATED");
    assert_eq!(error_code(&legit), "UNAUTHENTICATED");
    refreshed(&unrelated);
}

async fn an_unknown_refresh_token_is_unauthenticated(backend: Backend) {
    let app = backend.spawn().await;

    let body = app.gql(None, REFRESH, json!({ "t": "made-up" })).await;

    assert_eq!(error_code(&body), "UNAUTHENTICATED");
}

async fn logout_ends_the_session(backend: Backend) {
    let app = backend.spawn().await;
    let session = app.admin().await;

    let body = app.gql(None, LOGOUT, json!({ "t": session.refresh })).await;
    let after = app
        .gql(None, REFRESH, json!({ "t": session.refresh }))
        .await;
    let unknown = app.gql(None, LOGOUT, json!({ "t": "never-issued" })).await;

    assert_eq!(body["data"]["logout"], true);
    assert_eq!(error_code(&after), "UNAUTHENTICATED");
    assert_eq!(unknown["data"]["logout"], true);
    // The session's access token is refused at once, not when it expires.
    let me = app.gql(Some(&session.access), ME, json!({})).await;
    assert_eq!(error_code(&me), "UNAUTHENTICATED");
    assert_eq!(
        me["errors"][0]["message"],
        "this session has ended; sign in again"
    );
    // Other sessions of the same user go on.
    let other = app.admin().await;
    assert_eq!(
        app.ok(&other.access, ME, json!({})).await["me"]["username"],
        "admin"
    );
}

async fn a_reused_refresh_token_also_ends_the_access_tokens_of_its_session(backend: Backend) {
    let app = backend.spawn().await;
    let session = app.admin().await;
    let (access, _) = refreshed(
        &app.gql(None, REFRESH, json!({ "t": session.refresh }))
            .await,
    );
    app.ok(&access, ME, json!({})).await;

    let stolen = app
        .gql(None, REFRESH, json!({ "t": session.refresh }))
        .await;

    assert_eq!(error_code(&stolen), "UNAUTHENTICATED");
    for token in [&session.access, &access] {
        assert_eq!(
            error_code(&app.gql(Some(token), ME, json!({})).await),
            "UNAUTHENTICATED"
        );
    }
}

async fn a_deactivated_user_is_locked_out_everywhere(backend: Backend) {
    let app = backend.spawn().await;
    let cashier = app.user_with_role("carla", "CASHIER").await;
    let admin = app.admin().await;

    let body = app
        .gql(
            Some(&admin.access),
            "mutation($id: ID!) { setUserActive(id: $id, active: false) { id active } }",
            json!({ "id": cashier.user_id }),
        )
        .await;
    assert_eq!(body["data"]["setUserActive"]["active"], false, "{body}");

    let login = app.try_login("carla", "password-123").await;
    let refresh = app
        .gql(None, REFRESH, json!({ "t": cashier.refresh }))
        .await;
    let me = app.gql(Some(&cashier.access), ME, json!({})).await;
    assert_eq!(error_code(&login), "UNAUTHENTICATED");
    assert_eq!(login["errors"][0]["message"], "this account is deactivated");
    assert_eq!(error_code(&refresh), "UNAUTHENTICATED");
    assert_eq!(error_code(&me), "UNAUTHENTICATED");
}

async fn changing_the_password_keeps_this_session_and_ends_the_others(backend: Backend) {
    let app = backend.spawn().await;
    let here = app.admin().await;
    let elsewhere = app.admin().await;

    let body = app
        .gql(
            Some(&here.access),
            "mutation { changePassword(currentPassword: \"admin-password-1\", newPassword: \"a-new-password\") }",
            json!({}),
        )
        .await;

    assert_eq!(body["data"]["changePassword"], true, "{body}");
    app.ok(&here.access, ME, json!({})).await;
    assert_eq!(
        error_code(&app.gql(Some(&elsewhere.access), ME, json!({})).await),
        "UNAUTHENTICATED"
    );
    refreshed(&app.gql(None, REFRESH, json!({ "t": here.refresh })).await);
    assert_eq!(
        error_code(
            &app.gql(None, REFRESH, json!({ "t": elsewhere.refresh }))
                .await
        ),
        "UNAUTHENTICATED"
    );
    assert_eq!(
        error_code(&app.try_login("admin", ADMIN_PASSWORD).await),
        "UNAUTHENTICATED"
    );
    app.login("admin", "a-new-password").await;
}

async fn a_wrong_current_password_changes_nothing(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let audit_before = app.count_rows("audit_log").await;

    let wrong = app
        .gql(
            Some(&admin.access),
            "mutation { changePassword(currentPassword: \"nope-nope\", newPassword: \"a-new-password\") }",
            json!({}),
        )
        .await;
    let short = app
        .gql(
            Some(&admin.access),
            "mutation { changePassword(currentPassword: \"admin-password-1\", newPassword: \"short\") }",
            json!({}),
        )
        .await;

    assert_eq!(error_code(&wrong), "BAD_USER_INPUT");
    assert_eq!(wrong["errors"][0]["extensions"]["field"], "currentPassword");
    assert_eq!(error_code(&short), "BAD_USER_INPUT");
    assert_eq!(short["errors"][0]["extensions"]["field"], "newPassword");
    app.login("admin", ADMIN_PASSWORD).await;
    assert_eq!(app.count_rows("audit_log").await, audit_before);
}

both_backends!(
    replicas_on_one_redis_share_login_failure_counts,
    an_ended_session_is_refused_by_every_replica_at_once,
    without_redis_login_limits_are_counted_in_process,
    without_redis_this_replica_still_refuses_ended_sessions
);

async fn replicas_on_one_redis_share_login_failure_counts(backend: Backend) {
    let Some(redis) = common::redis_url() else {
        return;
    };
    let (a, b) = backend
        .spawn_replicas(&redis, &[("LOGIN_MAX_FAILURES_PER_USER", "4")])
        .await;
    a.user_with_role("ana", "CASHIER").await;

    // Two failures on each replica: four in all, the limit.
    for replica in [&a, &b, &a, &b] {
        assert_eq!(
            error_code(&replica.try_login("ana", "wrong-password").await),
            "UNAUTHENTICATED"
        );
    }
    for replica in [&a, &b] {
        let limited = replica.try_login("ana", "password-123").await;
        assert_eq!(error_code(&limited), "RATE_LIMITED", "{limited}");
    }
    // Other usernames, and other databases on the same Redis, are not affected.
    assert!(a.try_login("admin", ADMIN_PASSWORD).await["data"]["login"].is_object());
    let other = backend.spawn_with(&[("REDIS_URL", redis.as_str())]).await;
    other.user_with_role("ana", "CASHIER").await;
    assert!(other.try_login("ana", "password-123").await["data"]["login"].is_object());
}

async fn an_ended_session_is_refused_by_every_replica_at_once(backend: Backend) {
    let Some(redis) = common::redis_url() else {
        return;
    };
    let (a, b) = backend.spawn_replicas(&redis, &[]).await;
    let session = a.admin().await;
    let cashier = a.user_with_role("carla", "CASHIER").await;
    // b has the sessions' users cached: only the revocation can stop them there.
    b.ok(&session.access, ME, json!({})).await;
    b.ok(&cashier.access, ME, json!({})).await;

    a.gql(None, LOGOUT, json!({ "t": session.refresh })).await;
    let admin = a.admin().await;
    a.ok(
        &admin.access,
        "mutation($id: ID!) { setUserActive(id: $id, active: false) { id } }",
        json!({ "id": cashier.user_id }),
    )
    .await;

    for ended in [&session.access, &cashier.access] {
        let me = b.gql(Some(ended), ME, json!({})).await;
        assert_eq!(error_code(&me), "UNAUTHENTICATED", "{me}");
    }
    b.ok(&admin.access, ME, json!({})).await;
    // Another database on the same Redis knows nothing of these sessions.
    let other = backend.spawn_with(&[("REDIS_URL", redis.as_str())]).await;
    other.ok(&other.admin().await.access, ME, json!({})).await;
}

async fn without_redis_login_limits_are_counted_in_process(backend: Backend) {
    // Nothing listens on port 1: every Redis command times out or fails.
    let app = backend
        .spawn_with(&[
            ("REDIS_URL", "redis://127.0.0.1:1/0"),
            ("LOGIN_MAX_FAILURES_PER_USER", "3"),
        ])
        .await;
    assert!(app.try_login("admin", ADMIN_PASSWORD).await["data"]["login"].is_object());
    for _ in 0..3 {
        assert_eq!(
            error_code(&app.try_login("admin", "wrong-password").await),
            "UNAUTHENTICATED"
        );
    }
    assert_eq!(
        error_code(&app.try_login("admin", ADMIN_PASSWORD).await),
        "RATE_LIMITED"
    );
}

async fn without_redis_this_replica_still_refuses_ended_sessions(backend: Backend) {
    let app = backend
        .spawn_with(&[("REDIS_URL", "redis://127.0.0.1:1/0")])
        .await;
    let session = app.admin().await;
    app.ok(&session.access, ME, json!({})).await;
    assert_eq!(
        app.gql(None, LOGOUT, json!({ "t": session.refresh })).await["data"]["logout"],
        true
    );
    assert_eq!(
        error_code(&app.gql(Some(&session.access), ME, json!({})).await),
        "UNAUTHENTICATED"
    );
}
