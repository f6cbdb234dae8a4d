//! The Redis connection, when `REDIS_URL` is set.
//!
//! fred keeps the connection up by itself (exponential back-off, forever), so a Redis that is
//! down at start-up or restarts later never stops the API. For now Redis is only watched by
//! `/ready`; the shared rate limiter, cache and pub/sub build on this client.

use std::time::Duration;

use fred::prelude::{Builder, ClientLike, Config, ReconnectPolicy};

#[derive(Clone)]
pub struct Redis {
    client: fred::clients::Client,
}

impl Redis {
    /// Starts connecting in the background; never waits for Redis.
    pub fn connect(url: &str) -> Result<Self, fred::error::Error> {
        let config = Config::from_url(url)?;
        let client = Builder::from_config(config)
            .with_connection_config(|c| c.connection_timeout = Duration::from_secs(2))
            .set_policy(ReconnectPolicy::new_exponential(0, 100, 5_000, 2))
            .build()?;
        client.connect();
        Ok(Redis { client })
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
