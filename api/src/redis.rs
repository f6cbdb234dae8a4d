//! The Redis connection, when `REDIS_URL` is set.
//!
//! fred keeps the connection up by itself (exponential back-off, forever), so a Redis that is
//! down at start-up or restarts later never stops the API. `/ready` watches it; the live
//! events of subscriptions travel through its pub/sub ([`crate::events`]).

use std::time::Duration;

use fred::clients::SubscriberClient;
use fred::prelude::{
    Builder, ClientLike, Config, EventInterface, PubsubInterface, ReconnectPolicy,
};
use fred::types::Message;
use tokio::sync::broadcast;

#[derive(Clone)]
pub struct Redis {
    client: fred::clients::Client,
    config: Config,
}

fn builder(config: Config) -> Builder {
    let mut builder = Builder::from_config(config);
    builder
        .with_connection_config(|c| c.connection_timeout = Duration::from_secs(2))
        .set_policy(ReconnectPolicy::new_exponential(0, 100, 5_000, 2));
    builder
}

impl Redis {
    /// Starts connecting in the background; never waits for Redis.
    pub fn connect(url: &str) -> Result<Self, fred::error::Error> {
        let config = Config::from_url(url)?;
        let client = builder(config.clone()).build()?;
        client.connect();
        Ok(Redis { client, config })
    }

    /// Publishes a message on a pub/sub channel.
    pub async fn publish(&self, channel: &str, message: String) -> Result<(), fred::error::Error> {
        self.client.publish::<(), _, _>(channel, message).await
    }

    /// Subscribes to a channel on a connection of its own, which re-subscribes after every
    /// reconnect. Messages arrive on the returned receiver for as long as the returned client
    /// is kept.
    pub fn subscribe(
        &self,
        channel: &'static str,
    ) -> Result<(SubscriberClient, broadcast::Receiver<Message>), fred::error::Error> {
        let subscriber: SubscriberClient =
            builder(self.config.clone()).build_subscriber_client()?;
        let messages = subscriber.message_rx();
        subscriber.connect();
        let _resubscribe = subscriber.manage_subscriptions();
        let subscribing = subscriber.clone();
        tokio::spawn(async move {
            if let Err(error) = subscribing.subscribe(channel).await {
                tracing::warn!(%error, channel, "Redis subscribe failed; retried on reconnect");
            }
        });
        Ok((subscriber, messages))
    }

    /// Whether Redis answers a PING within a second.
    pub async fn is_up(&self) -> bool {
        let ping = self.client.ping::<String>(None);
        matches!(
            tokio::time::timeout(Duration::from_secs(1), ping).await,
            Ok(Ok(_))
        )
    }
}
