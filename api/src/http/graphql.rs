//! `/graphql` (POST to run, GET for GraphiQL), `/graphiql` and `/graphql/ws`.

use std::net::SocketAddr;

use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::{BatchRequest, Data, Executor};
use async_graphql_axum::{GraphQLProtocol, GraphQLResponse, GraphQLWebSocket};
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

/// Subscriptions over `graphql-transport-ws`. The access token goes in `connection_init`'s
/// payload as `{"authorization": "Bearer <token>"}`; without a valid one the socket is closed.
pub async fn subscriptions(
    State(state): State<HttpState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    let address = client_address(&headers, peer, state.config.trust_proxy_headers);
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            let schema = state.schema.clone();
            let db = state.db.clone();
            let auth = state.auth.clone();
            GraphQLWebSocket::new(socket, schema, protocol)
                .on_connection_init(move |payload| async move {
                    let authorization = payload.get("authorization").and_then(|v| v.as_str());
                    let caller =
                        Caller::new(Credentials::from_authorization(authorization), address);
                    let principal = caller.principal(&db, &auth).await?.clone();
                    let mut data = Data::default();
                    data.insert(Caller::authenticated(principal, address));
                    Ok(data)
                })
                .serve()
        })
}

/// A GraphQL-shaped error for failures before GraphQL runs.
fn error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    (status, axum::Json(body)).into_response()
}
