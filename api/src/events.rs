//! Live events for subscriptions (completed sales, low-stock alerts), delivered to the
//! subscribers of every server instance.
//!
//! Without Redis, an in-process broadcast channel. With `REDIS_URL`, every instance publishes
//! to one Redis pub/sub channel and feeds what it receives from it into its own broadcast
//! channel, so a client connected to instance A sees a sale made through instance B. An
//! instance's own events also make the round trip through Redis (so each arrives once); when
//! Redis cannot take one, it is delivered to this instance's subscribers only, and the log
//! says so.

use fred::clients::SubscriberClient;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::redis::Redis;

/// The Redis pub/sub channel of the events of one deployment: `pos:{namespace}:events`, like
/// its other keys, so two shops (or two test databases) on one Redis never see each other's
/// sales.
fn channel(namespace: &str) -> String {
    format!("pos:{namespace}:events")
}
/// Events a slow subscriber may fall behind before it skips some.
const BACKLOG: usize = 1024;

/// Something that happened, as subscribers learn of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Event {
    /// A sale committed.
    #[serde(rename_all = "camelCase")]
    SaleCompleted { sale_id: Uuid, location_id: Uuid },
    /// A movement took a product from above its low-stock threshold to at or below it.
    #[serde(rename_all = "camelCase")]
    LowStock {
        product_id: Uuid,
        location_id: Uuid,
        on_hand_milli: i64,
        threshold_milli: i64,
    },
}

impl From<&domain::inventory::Alert> for Event {
    fn from(alert: &domain::inventory::Alert) -> Self {
        Event::LowStock {
            product_id: alert.product_id,
            location_id: alert.location_id,
            on_hand_milli: alert.on_hand_milli,
            threshold_milli: alert.threshold_milli,
        }
    }
}

/// Publishes and subscribes to [`Event`]s. Cheap to clone.
#[derive(Clone)]
pub struct Events {
    local: broadcast::Sender<Event>,
    /// Redis and the channel on it, when shared.
    redis: Option<(Redis, String)>,
    /// Keeps the Redis subscription alive for as long as the events are.
    _subscriber: Option<SubscriberClient>,
}

impl Events {
    /// Events of this process only.
    pub fn in_process() -> Self {
        Events {
            local: broadcast::channel(BACKLOG).0,
            redis: None,
            _subscriber: None,
        }
    }

    /// Events shared by every instance connected to this Redis.
    pub fn through_redis(redis: &Redis, namespace: &str) -> Result<Self, fred::error::Error> {
        let local = broadcast::channel(BACKLOG).0;
        let channel = channel(namespace);
        let (subscriber, mut messages) = redis.subscribe(channel.clone())?;
        let feed = local.clone();
        tokio::spawn(async move {
            loop {
                match messages.recv().await {
                    Ok(message) => {
                        let Some(text) = message.value.as_str() else {
                            continue;
                        };
                        match serde_json::from_str::<Event>(&text) {
                            // No subscriber right now is fine.
                            Ok(event) => drop(feed.send(event)),
                            Err(error) => tracing::warn!(%error, "unreadable event on Redis"),
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(missed)) => {
                        tracing::warn!(missed, "events from Redis were dropped: too slow");
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                }
            }
        });
        Ok(Events {
            local,
            redis: Some((redis.clone(), channel)),
            _subscriber: Some(subscriber),
        })
    }

    /// Publishes an event. Never fails: an event Redis cannot take still reaches this
    /// instance's subscribers.
    pub async fn publish(&self, event: Event) {
        if let Some((redis, channel)) = &self.redis {
            match serde_json::to_string(&event) {
                Ok(text) => match redis.publish(channel, text).await {
                    Ok(()) => return,
                    Err(error) => {
                        tracing::warn!(%error, "Redis did not take an event; delivered locally only");
                    }
                },
                Err(error) => tracing::error!(%error, "event not serialisable"),
            }
        }
        let _ = self.local.send(event);
    }

    /// Publishes in the background, so a slow or absent Redis never holds up a response.
    pub fn publish_soon(&self, events: Vec<Event>) {
        if events.is_empty() {
            return;
        }
        let this = self.clone();
        tokio::spawn(async move {
            for event in events {
                this.publish(event).await;
            }
        });
    }

    /// Every event published from now on, by any instance.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.local.subscribe()
    }
}
