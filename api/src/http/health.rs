//! `/health` (the process runs), `/ready` (it can serve: the database answers) and `/metrics`
//! (Prometheus' text format).

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::HttpState;

pub async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// 200 only when the database answers. The body names each dependency and its state; Redis
/// being down makes the API degraded, not unready (every use of Redis has a fallback).
pub async fn ready(State(state): State<HttpState>) -> (StatusCode, Json<Value>) {
    let database_up = matches!(
        tokio::time::timeout(Duration::from_secs(2), state.db.ping()).await,
        Ok(Ok(()))
    );
    let backend = if state.config.database.is_postgres() {
        "postgres"
    } else {
        "sqlite"
    };
    let redis = match &state.redis {
        None => {
            json!({ "status": "disabled", "detail": "REDIS_URL is not set; in-process fallbacks are used" })
        }
        Some(redis) if redis.is_up().await => json!({ "status": "up" }),
        Some(_) => {
            json!({ "status": "degraded", "detail": "Redis does not answer; in-process fallbacks are used" })
        }
    };
    let scheduler = match &state.config.backup_cron {
        Some(cron) => json!({
            "status": "up",
            "detail": format!("nightly backup at {cron:?} in {}", state.config.backup_tz),
        }),
        None => json!({ "status": "disabled", "detail": "BACKUP_CRON=off" }),
    };
    let backups = match domain::backups::check_writable(&state.config.backup_dir) {
        Ok(()) => json!({ "status": "up", "dir": state.config.backup_dir.display().to_string() }),
        Err(error) => json!({ "status": "degraded", "detail": error.to_string() }),
    };
    let status = if database_up {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if database_up { "ready" } else { "unavailable" },
        "checks": {
            "database": { "status": if database_up { "up" } else { "down" }, "backend": backend },
            "redis": redis,
            "embeddings": embeddings(&state),
            "scheduler": scheduler,
            "backups": backups,
        },
    });
    (status, Json(body))
}

/// The semantic signal: up with its model, or unavailable (search runs on codes and words).
fn embeddings(state: &HttpState) -> Value {
    match &state.search.embedder {
        Some(model) => json!({
            "status": "up",
            "model": model.name(),
            "vectors": state.search.index.vector_count(),
            "indexLoaded": state.search.is_loaded(),
        }),
        None if state.config.embeddings.is_none() => json!({
            "status": "disabled",
            "detail": "EMBEDDINGS=off: search runs on codes and words",
        }),
        None => json!({
            "status": "unavailable",
            "detail": "no embedding model: run scripts/fetch-model.sh (or set EMBEDDING_MODEL_DIR and ORT_DYLIB_PATH); search runs on codes and words",
        }),
    }
}

/// The metrics of [`crate::metrics`] in Prometheus' text format. Open like `/health`: route
/// it to the monitoring network only, not to the internet (it counts sales).
pub async fn metrics(State(state): State<HttpState>) -> axum::response::Response {
    use axum::response::IntoResponse;
    if let Err(error) = domain::db::uncounted(state.metrics.sample(&state.db)).await {
        tracing::warn!(%error, "/metrics: reading the job queue and backups failed");
    }
    match state.metrics.prometheus_text() {
        Ok(text) => (
            [(
                axum::http::header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(error) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("collecting metrics failed: {error}"),
        )
            .into_response(),
    }
}
