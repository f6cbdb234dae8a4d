//! graphql-transport-ws connections to a server under test.

use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Connects to `/graphql/ws` at `addr` and sends `connection_init` with the access token;
/// the server's answer is the next message.
pub async fn connect(addr: &str, token: &str) -> Socket {
    let mut request = format!("ws://{addr}/graphql/ws")
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let mut socket = tokio_tungstenite::connect_async(request).await.unwrap().0;
    let init = json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {token}") } });
    socket.send(Message::text(init.to_string())).await.unwrap();
    socket
}

/// The next text message, whatever it is.
pub async fn next_text(socket: &mut Socket) -> String {
    socket.next().await.unwrap().unwrap().to_string()
}
