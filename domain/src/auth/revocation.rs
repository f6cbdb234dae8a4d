//! Sessions ended before their access tokens expire.
//!
//! Ending a session (logout, a reused refresh token, a password change or reset, a
//! deactivation) revokes its refresh tokens in the database, which is what `refresh` reads.
//! Its access tokens are stateless JWTs that would otherwise work until they expire
//! (`ACCESS_TOKEN_TTL`), so the session is also remembered as ended for that long: in this
//! process at once, and through [`SharedRevocations`] (Redis, when configured) by every
//! replica. Without Redis, another replica refuses those access tokens when they expire, or
//! within [`super::USER_CACHE_TTL`] for a deactivation or a password reset.

use std::sync::Arc;
use std::time::Duration;

use uuid::Uuid;

use super::{SharedStoreError, SharedStoreHealth};

/// Ended sessions, shared by every replica (implemented over Redis by the API). Errors (the
/// store unreachable) leave each replica with what it knows itself.
#[async_trait::async_trait]
pub trait SharedRevocations: Send + Sync {
    /// Remembers `sessions` as ended for `keep_for`.
    async fn end(&self, sessions: &[Uuid], keep_for: Duration) -> Result<(), SharedStoreError>;
    /// Whether `session` was ended (and is still remembered).
    async fn has_ended(&self, session: Uuid) -> Result<bool, SharedStoreError>;
}

pub struct EndedSessions {
    /// As long as an access token lives: after that the token itself is refused.
    keep_for: Duration,
    local: moka::future::Cache<Uuid, ()>,
    shared: Option<Arc<dyn SharedRevocations>>,
    shared_health: SharedStoreHealth,
}

impl EndedSessions {
    pub fn new(access_ttl: Duration) -> Self {
        EndedSessions {
            keep_for: access_ttl,
            local: moka::future::Cache::builder()
                .max_capacity(100_000)
                .time_to_live(access_ttl)
                .build(),
            shared: None,
            shared_health: SharedStoreHealth::new(
                "shared session revocations",
                "other replicas refuse ended sessions when their access tokens expire",
            ),
        }
    }

    pub fn share(&mut self, shared: Arc<dyn SharedRevocations>) {
        self.shared = Some(shared);
    }

    /// Ends `sessions` here and, when shared, everywhere. Call after the database change
    /// committed.
    pub async fn end(&self, sessions: &[Uuid]) {
        for session in sessions {
            self.local.insert(*session, ()).await;
        }
        if let (Some(shared), false) = (&self.shared, sessions.is_empty()) {
            let outcome = shared.end(sessions, self.keep_for).await;
            self.shared_health.answered(outcome.as_ref().map(|_| ()));
        }
    }

    /// Whether `session` has ended. The shared store unreachable: what this process knows.
    pub async fn has_ended(&self, session: Uuid) -> bool {
        if self.local.contains_key(&session) {
            return true;
        }
        let Some(shared) = &self.shared else {
            return false;
        };
        match shared.has_ended(session).await {
            Ok(ended) => {
                self.shared_health.answered(Ok(()));
                if ended {
                    self.local.insert(session, ()).await;
                }
                ended
            }
            Err(error) => {
                self.shared_health.answered(Err(&error));
                false
            }
        }
    }
}
