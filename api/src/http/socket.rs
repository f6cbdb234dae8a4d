//! `/graphql/ws`: GraphQL over a WebSocket (`graphql-transport-ws`, and the older
//! `graphql-ws`), with the limits a long-lived socket needs that a request gets from HTTP:
//!
//! - `connection_init` must come within [`SocketLimits::init_timeout`] (else close 4408), and
//!   until it is acknowledged a message may hold at most [`INIT_MESSAGE_BYTES`] (else 4400);
//!   after it, at most [`SocketLimits::max_message_bytes`] (the upgrade refuses bigger ones).
//! - Every operation on the socket is authorised afresh with the token `connection_init`
//!   carried (see `graphql::context::SocketCredentials`), so a deactivated user, an expired
//!   token or an ended session gets UNAUTHENTICATED, and a changed role its new rights.
//! - The socket closes with 4401 when its token expires, its session ends or its user's role
//!   or active flag changes (checked every [`RECHECK`]): the client reconnects with a fresh
//!   token, and its subscriptions start again under its current rights.
//! - At most [`SocketLimits::max_operations`] operations run at once on one socket; one more
//!   gets an `error` message (BAD_USER_INPUT) and nothing runs.
//! - Queries and mutations sent over the socket have the request timeout of HTTP (see
//!   `PosSchema::execute_stream`).

use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_graphql::Data;
use async_graphql::http::{WebSocketProtocols, WsMessage};
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use domain::auth::Role;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::HttpState;
use crate::graphql::context::{Caller, Credentials, SocketCredentials};

/// The most a message may hold before `connection_init` is acknowledged: a token and a little.
pub const INIT_MESSAGE_BYTES: usize = 4 * 1024;
/// How often an open socket checks that its token and session still stand.
pub const RECHECK: Duration = Duration::from_secs(5);

/// The configurable limits (see `Config`).
#[derive(Debug, Clone, Copy)]
pub struct SocketLimits {
    pub init_timeout: Duration,
    pub max_operations: usize,
    pub max_message_bytes: usize,
}

/// Who a socket belongs to, once `connection_init` was accepted.
struct Owner {
    token: String,
    role: Role,
}

/// Closes the socket with `code` and `reason`.
fn close(code: u16, reason: &str) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: reason.to_owned().into(),
    }))
}

/// An operation's id and whether a message starts (`Some(true)`) or ends (`Some(false)`) one,
/// in either protocol.
fn operation_of(message: &Value) -> (Option<String>, Option<bool>) {
    let id = message["id"].as_str().map(str::to_owned);
    let kind = match message["type"].as_str() {
        Some("subscribe" | "start") => Some(true),
        Some("complete" | "stop" | "error") => Some(false),
        _ => None,
    };
    (id, kind)
}

/// An `error` message for operation `id`, in the socket's protocol.
fn refusal(protocol: WebSocketProtocols, id: &str, message: &str) -> Message {
    let error = json!({ "message": message, "extensions": { "code": "BAD_USER_INPUT" } });
    let body = match protocol {
        WebSocketProtocols::GraphQLWS => json!({ "type": "error", "id": id, "payload": [error] }),
        WebSocketProtocols::SubscriptionsTransportWS => {
            json!({ "type": "error", "id": id, "payload": error })
        }
    };
    Message::Text(body.to_string().into())
}

/// Serves one upgraded socket until either side closes it.
pub async fn serve(
    socket: WebSocket,
    state: HttpState,
    protocol: WebSocketProtocols,
    address: IpAddr,
    limits: SocketLimits,
) {
    let (mut sink, mut source) = socket.split();
    let owner: Arc<Mutex<Option<Owner>>> = Arc::new(Mutex::new(None));
    let (incoming, messages) = mpsc::channel::<Vec<u8>>(16);
    let (db, auth) = (state.db.clone(), state.auth.clone());
    let accepted = owner.clone();
    let mut outgoing = async_graphql::http::WebSocket::new(
        state.schema.clone(),
        tokio_stream_of(messages),
        protocol,
    )
    .on_connection_init(move |payload| async move {
        let authorization = payload.get("authorization").and_then(Value::as_str);
        let credentials = Credentials::from_authorization(authorization);
        let caller = Caller::new(credentials.clone(), address);
        let principal = caller.principal(&db, &auth).await?;
        let Credentials::Bearer(token) = credentials else {
            return Err(domain::Error::unauthenticated("a bearer token is needed").into());
        };
        if let Ok(mut owner) = accepted.lock() {
            *owner = Some(Owner {
                token: token.clone(),
                role: principal.role,
            });
        }
        let mut data = Data::default();
        data.insert(SocketCredentials { token, address });
        Ok(data)
    })
    .boxed();

    let mut running: HashSet<String> = HashSet::new();
    let mut acknowledged = false;
    let init_deadline = tokio::time::sleep(limits.init_timeout);
    tokio::pin!(init_deadline);
    let mut recheck = tokio::time::interval(RECHECK);
    recheck.reset();

    let ending = loop {
        tokio::select! {
            received = source.next() => {
                let data = match received {
                    Some(Ok(Message::Text(text))) => text.as_bytes().to_vec(),
                    Some(Ok(Message::Binary(bytes))) => bytes.to_vec(),
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break None,
                };
                if !acknowledged && data.len() > INIT_MESSAGE_BYTES {
                    break Some(close(4400, "message too large before connection_init"));
                }
                let parsed: Value = serde_json::from_slice(&data).unwrap_or(Value::Null);
                match operation_of(&parsed) {
                    (Some(id), Some(true)) => {
                        if running.len() >= limits.max_operations && !running.contains(&id) {
                            let text = format!(
                                "too many operations on this connection: at most {} at once",
                                limits.max_operations
                            );
                            if sink.send(refusal(protocol, &id, &text)).await.is_err() {
                                break None;
                            }
                            continue;
                        }
                        running.insert(id);
                    }
                    (Some(id), Some(false)) => {
                        running.remove(&id);
                    }
                    _ => {}
                }
                if incoming.send(data).await.is_err() {
                    break None;
                }
            }
            sent = outgoing.next() => {
                let message = match sent {
                    Some(WsMessage::Text(text)) => {
                        let parsed: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                        if parsed["type"] == "connection_ack" {
                            acknowledged = true;
                        }
                        if let (Some(id), Some(false)) = operation_of(&parsed) {
                            running.remove(&id);
                        }
                        Message::Text(text.into())
                    }
                    Some(WsMessage::Close(code, reason)) => break Some(close(code, &reason)),
                    None => break None,
                };
                if sink.send(message).await.is_err() {
                    break None;
                }
            }
            () = &mut init_deadline, if !acknowledged => {
                break Some(close(4408, "connection initialisation timeout"));
            }
            _ = recheck.tick(), if acknowledged => {
                let token = owner
                    .lock()
                    .ok()
                    .and_then(|owner| owner.as_ref().map(|o| (o.token.clone(), o.role)));
                let Some((token, role)) = token else { continue };
                match state.auth.authenticate(&state.db, &token).await {
                    Ok(principal) if principal.role == role => {}
                    Ok(_) => break Some(close(4401, "your role changed: connect again")),
                    Err(_) => break Some(close(4401, "token expired or session ended: connect again")),
                }
            }
        }
    };
    if let Some(message) = ending {
        let _ = sink.send(message).await;
    }
    let _ = sink.close().await;
}

/// A receiver as the stream of messages async-graphql's protocol reads.
fn tokio_stream_of(
    mut messages: mpsc::Receiver<Vec<u8>>,
) -> impl futures_util::Stream<Item = Vec<u8>> + Send + Unpin + 'static {
    futures_util::stream::poll_fn(move |cx| messages.poll_recv(cx))
}
