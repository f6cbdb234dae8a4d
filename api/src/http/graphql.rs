//! `/graphql` (POST to run, GET for GraphiQL), `/graphiql` and `/graphql/ws`.

use std::net::SocketAddr;

use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, WebSocketProtocols};
use async_graphql::{BatchRequest, Executor};
use async_graphql_axum::{GraphQLProtocol, GraphQLResponse};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, Path, State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use super::{HttpState, client_address};
use crate::graphql::context::{Caller, Credentials};

/// Runs a query or mutation (or a JSON array of them).
pub async fn execute(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            let limit = state.config.max_body_bytes;
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "BAD_USER_INPUT",
                &format!("request body is over the limit of {limit} bytes"),
            );
        }
        Err(rejection) => {
            return error(rejection.status(), "BAD_USER_INPUT", &rejection.body_text());
        }
    };
    let request: BatchRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                "BAD_USER_INPUT",
                &format!(
                    "the body is not a GraphQL request ({{\"query\": …, \"variables\": …}}): {e}"
                ),
            );
        }
    };
    if let BatchRequest::Batch(operations) = &request
        && operations.len() > state.config.graphql_max_batch
    {
        return error(
            StatusCode::BAD_REQUEST,
            "BAD_USER_INPUT",
            &format!(
                "a batch may hold at most {} operations (GRAPHQL_MAX_BATCH)",
                state.config.graphql_max_batch
            ),
        );
    }
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let caller = Caller::new(
        Credentials::from_authorization(authorization),
        client_address(&headers, peer, state.config.trust_proxy_headers),
    );
    GraphQLResponse::from(state.schema.execute_batch(request.data(caller)).await).into_response()
}

/// GraphiQL for browsers; a hint for anything else that GETs `/graphql`.
pub async fn graphiql_or_hint(headers: HeaderMap) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_html {
        graphiql().await.into_response()
    } else {
        error(
            StatusCode::METHOD_NOT_ALLOWED,
            "BAD_USER_INPUT",
            "send GraphQL requests with POST; open this address in a browser for GraphiQL",
        )
    }
}

/// The GraphiQL page. Its scripts and styles come from this binary too (see
/// [`graphiql_asset`]), not from a CDN: a shop's network may have no internet.
pub async fn graphiql() -> Html<&'static str> {
    Html(include_str!("../../assets/graphiql/index.html"))
}

/// GraphiQL's files, embedded at build time (`scripts/fetch-graphiql-assets.sh` refreshes
/// them from the npm registry).
pub async fn graphiql_asset(Path(name): Path<String>) -> Response {
    const JS: &str = "text/javascript; charset=utf-8";
    const CSS: &str = "text/css; charset=utf-8";
    let (body, content_type): (&'static [u8], &str) = match name.as_str() {
        "graphiql.min.js" => (include_bytes!("../../assets/graphiql/graphiql.min.js"), JS),
        "graphiql.min.css" => (
            include_bytes!("../../assets/graphiql/graphiql.min.css"),
            CSS,
        ),
        "react.production.min.js" => (
            include_bytes!("../../assets/graphiql/react.production.min.js"),
            JS,
        ),
        "react-dom.production.min.js" => (
            include_bytes!("../../assets/graphiql/react-dom.production.min.js"),
            JS,
        ),
        _ => return (StatusCode::NOT_FOUND, "not found").into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
        .into_response()
}

/// GraphQL over a WebSocket (see [`super::socket`]). The access token goes in
/// `connection_init`'s payload as `{"authorization": "Bearer <token>"}`; without a valid one the
/// socket is closed.
pub async fn subscriptions(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    let address = client_address(&headers, peer, state.config.trust_proxy_headers);
    // The extractor has checked the header names a protocol; its choice is private to it.
    let _ = protocol;
    let protocol = headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .and_then(|offered| {
            offered
                .split(',')
                .find_map(|p| p.trim().parse::<WebSocketProtocols>().ok())
        })
        .unwrap_or(WebSocketProtocols::GraphQLWS);
    let limits = super::socket::SocketLimits {
        init_timeout: state.config.ws_init_timeout,
        max_operations: state.config.ws_max_operations,
        max_message_bytes: state.config.ws_max_message_bytes,
    };
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .max_message_size(limits.max_message_bytes)
        .max_frame_size(limits.max_message_bytes)
        .on_upgrade(move |socket| super::socket::serve(socket, state, protocol, address, limits))
}

/// A GraphQL-shaped error for failures before GraphQL runs.
fn error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    (status, axum::Json(body)).into_response()
}
