//! The HTTP surface: routes and the middleware every request goes through.

mod graphql;
mod health;
mod socket;
mod web;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::routing::get;
use domain::auth::Auth;
use sea_orm::DatabaseConnection;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::config::{Config, CorsOrigins};
use crate::graphql::PosSchema;
use crate::redis::Redis;

/// What the handlers share.
#[derive(Clone)]
pub struct HttpState {
    pub schema: PosSchema,
    pub db: DatabaseConnection,
    pub auth: Arc<Auth>,
    pub redis: Option<Redis>,
    pub config: Arc<Config>,
    pub search: Arc<crate::search::Search>,
    pub metrics: Arc<crate::metrics::Metrics>,
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn router(state: HttpState) -> Router {
    let config = state.config.clone();
    Router::new()
        .route("/graphql", get(graphql::graphiql_or_hint).post(graphql::execute))
        .route("/graphiql", get(graphql::graphiql))
        .route("/graphiql/assets/{name}", get(graphql::graphiql_asset))
        .route("/graphql/ws", get(graphql::subscriptions))
        .route("/health", get(health::health))
        .route("/ready", get(health::ready))
        .route("/metrics", get(health::metrics))
        .fallback(web::serve)
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(cors(&config.cors_allowed_origins))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, config.request_timeout))
        .layer(CatchPanicLayer::new())
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
            let id = request
                .headers()
                .get(&REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            tracing::info_span!("http", method = %request.method(), path = %request.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}

fn cors(origins: &CorsOrigins) -> CorsLayer {
    let layer = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE]);
    match origins {
        // Tokens travel in headers, never cookies, so any origin is safe to allow.
        CorsOrigins::Any => layer.allow_origin(Any),
        CorsOrigins::List(list) => layer.allow_origin(AllowOrigin::list(
            list.iter().filter_map(|o| HeaderValue::from_str(o).ok()),
        )),
    }
}

/// The client's address: the peer, or behind a trusted proxy the last `X-Forwarded-For` hop.
fn client_address(
    headers: &axum::http::HeaderMap,
    peer: SocketAddr,
    trust_proxy: bool,
) -> std::net::IpAddr {
    if trust_proxy
        && let Some(forwarded) = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok())
        && let Some(last) = forwarded.rsplit(',').next()
        && let Ok(ip) = last.trim().parse()
    {
        return ip;
    }
    peer.ip()
}
