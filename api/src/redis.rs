//! The Redis connection, when `REDIS_URL` is set.
//!
//! fred keeps the connection up by itself (exponential back-off, forever), so a Redis that is
//! down at start-up or restarts later never stops the API. `/ready` watches it; the live
//! events of subscriptions travel through its pub/sub ([`crate::events`]).

use std::time::Duration;

use domain::auth::SharedStoreError;
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
    pub fn connect(config: Config) -> Result<Self, fred::error::Error> {
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
        channel: String,
    ) -> Result<(SubscriberClient, broadcast::Receiver<Message>), fred::error::Error> {
        let subscriber: SubscriberClient =
            builder(self.config.clone()).build_subscriber_client()?;
        let messages = subscriber.message_rx();
        subscriber.connect();
        let _resubscribe = subscriber.manage_subscriptions();
        let subscribing = subscriber.clone();
        tokio::spawn(async move {
            if let Err(error) = subscribing.subscribe(channel.as_str()).await {
                tracing::warn!(%error, %channel, "Redis subscribe failed; retried on reconnect");
            }
        });
        Ok((subscriber, messages))
    }

    /// Login failure counters in Redis, shared by every replica on the same database
    /// (`namespace` tells databases apart when several deployments share one Redis).
    pub fn login_counters(&self, namespace: &str) -> RedisCounters {
        RedisCounters {
            client: self.client.clone(),
            prefix: format!("pos:{namespace}:"),
        }
    }

    /// The cache of which product a scanned code names (`productByCode`), shared by every
    /// replica on the same database.
    pub fn code_cache(&self, namespace: &str) -> CodeCache {
        CodeCache {
            client: self.client.clone(),
            prefix: format!("pos:{namespace}:code:"),
        }
    }

    /// Sessions ended before their access tokens expire, shared by every replica on the same
    /// database.
    pub fn revocations(&self, namespace: &str) -> RedisRevocations {
        RedisRevocations {
            client: self.client.clone(),
            prefix: format!("pos:{namespace}:ended:"),
        }
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

/// [`domain::auth::SharedCounters`] over Redis: `SET key 0 NX PX window`, then `INCR` (so a key
/// always has its expiry, even if the process stops between the two). Each command waits at
/// most [`COMMAND_TIMEOUT`]: a Redis that is down or restarting makes the limiter count in
/// process instead of holding up logins.
pub struct RedisCounters {
    client: fred::clients::Client,
    prefix: String,
}

const COMMAND_TIMEOUT: Duration = Duration::from_millis(300);

async fn bounded<T>(
    command: impl std::future::Future<Output = Result<T, fred::error::Error>>,
) -> Result<T, SharedStoreError> {
    match tokio::time::timeout(COMMAND_TIMEOUT, command).await {
        Ok(result) => result.map_err(|e| SharedStoreError::Failed(Box::new(e))),
        Err(_) => Err(SharedStoreError::Timeout(COMMAND_TIMEOUT)),
    }
}

#[async_trait::async_trait]
impl domain::auth::SharedCounters for RedisCounters {
    async fn add(&self, key: &str, window: Duration) -> Result<(u32, Duration), SharedStoreError> {
        use fred::prelude::KeysInterface;
        use fred::types::{Expiration, SetOptions};
        let key = format!("{}{key}", self.prefix);
        let millis = i64::try_from(window.as_millis()).unwrap_or(i64::MAX);
        bounded(self.client.set::<(), _, _>(
            key.as_str(),
            0,
            Some(Expiration::PX(millis)),
            Some(SetOptions::NX),
            false,
        ))
        .await?;
        let count: i64 = bounded(self.client.incr(key.as_str())).await?;
        let left: i64 = bounded(self.client.pttl(key.as_str())).await?;
        Ok((
            u32::try_from(count).unwrap_or(u32::MAX),
            Duration::from_millis(u64::try_from(left).unwrap_or(0)),
        ))
    }

    async fn release(&self, key: &str) -> Result<(), SharedStoreError> {
        use fred::prelude::LuaInterface;
        // Only while the window is open, and never below zero: a DECR after the key expired
        // would leave a count with no expiry.
        const RELEASE: &str = "if redis.call('GET', KEYS[1]) and tonumber(redis.call('GET', KEYS[1])) > 0 \
             then return redis.call('DECR', KEYS[1]) else return 0 end";
        let key = format!("{}{key}", self.prefix);
        bounded(
            self.client
                .eval::<i64, _, _, _>(RELEASE, vec![key], Vec::<String>::new()),
        )
        .await?;
        Ok(())
    }

    async fn clear(&self, key: &str) -> Result<(), SharedStoreError> {
        use fred::prelude::KeysInterface;
        bounded(self.client.del::<(), _>(format!("{}{key}", self.prefix))).await
    }
}

/// Barcode or SKU → product id, for `productByCode`, the read a till makes on every scan.
///
/// Entries live [`CODE_TTL`] and are deleted when a product's codes change; a reader also
/// checks that the product it finds still has the code, so an entry that outlived its
/// product's codes (a change on a replica whose delete did not reach Redis) is never served.
/// Misses are not cached. Redis away: every lookup goes to the database.
pub struct CodeCache {
    client: fred::clients::Client,
    prefix: String,
}

const CODE_TTL: Duration = Duration::from_secs(600);

#[async_trait::async_trait]
impl domain::catalog::products::CodeCache for CodeCache {
    async fn get(&self, code: &str) -> Option<uuid::Uuid> {
        use fred::prelude::KeysInterface;
        let key = format!("{}{code}", self.prefix);
        let id: Option<String> = bounded(self.client.get(key.as_str())).await.ok()?;
        id.and_then(|id| uuid::Uuid::parse_str(&id).ok())
    }

    async fn put(&self, code: &str, id: uuid::Uuid) {
        use fred::prelude::KeysInterface;
        use fred::types::Expiration;
        let key = format!("{}{code}", self.prefix);
        let ttl = i64::try_from(CODE_TTL.as_secs()).unwrap_or(600);
        let _ = bounded(self.client.set::<(), _, _>(
            key.as_str(),
            id.to_string(),
            Some(Expiration::EX(ttl)),
            None,
            false,
        ))
        .await;
    }
}

impl CodeCache {
    pub async fn forget(&self, codes: &[String]) {
        use fred::prelude::KeysInterface;
        let keys: Vec<String> = codes
            .iter()
            .map(|code| format!("{}{code}", self.prefix))
            .collect();
        if !keys.is_empty() {
            let _ = bounded(self.client.del::<(), _>(keys)).await;
        }
    }
}

/// [`domain::auth::SharedRevocations`] over Redis: one key per ended session, expiring with
/// the last access token it could have issued. Asked on every authenticated request, so each
/// command waits at most [`COMMAND_TIMEOUT`].
pub struct RedisRevocations {
    client: fred::clients::Client,
    prefix: String,
}

#[async_trait::async_trait]
impl domain::auth::SharedRevocations for RedisRevocations {
    async fn end(
        &self,
        sessions: &[uuid::Uuid],
        keep_for: Duration,
    ) -> Result<(), SharedStoreError> {
        use fred::prelude::KeysInterface;
        use fred::types::Expiration;
        let millis = i64::try_from(keep_for.as_millis())
            .unwrap_or(i64::MAX)
            .max(1);
        for session in sessions {
            bounded(self.client.set::<(), _, _>(
                format!("{}{session}", self.prefix),
                1,
                Some(Expiration::PX(millis)),
                None,
                false,
            ))
            .await?;
        }
        Ok(())
    }

    async fn has_ended(&self, session: uuid::Uuid) -> Result<bool, SharedStoreError> {
        use fred::prelude::KeysInterface;
        let found: i64 = bounded(self.client.exists(format!("{}{session}", self.prefix))).await?;
        Ok(found > 0)
    }
}
