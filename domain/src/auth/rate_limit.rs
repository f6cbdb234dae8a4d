//! Login failure limits, per username and per client address.
//!
//! A fixed window per key: the first failure opens a window of `window` length; once a key has
//! `max` failures in its window, further attempts are refused until the window closes. A
//! successful login clears the username's count (not the address's, which may be shared by an
//! attacker trying many names). The counters live in this process, in moka caches whose
//! time-to-live is the window, so they clean themselves up and stay bounded. With
//! [`SharedCounters`] (Redis, when configured) the counts are shared by every replica; the
//! local ones are kept too and answer whenever the shared store does not.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use moka::sync::Cache;

use super::{SharedStoreError, SharedStoreHealth};
use crate::error::{Error, Result};

/// How many failures a key may have in a window.
#[derive(Debug, Clone, Copy)]
pub struct LoginLimits {
    pub per_username: u32,
    pub per_address: u32,
    pub window: Duration,
}

impl Default for LoginLimits {
    fn default() -> Self {
        LoginLimits {
            per_username: 5,
            per_address: 20,
            window: Duration::from_secs(15 * 60),
        }
    }
}

/// Failure counters in fixed windows, shared by every replica (implemented over Redis by the
/// API). Errors (the store unreachable) make the limiter use its local counts.
#[async_trait::async_trait]
pub trait SharedCounters: Send + Sync {
    /// Adds one failure to `key`, opening a window of `window` when none is open.
    async fn add(&self, key: &str, window: Duration) -> std::result::Result<(), SharedStoreError>;
    /// `key`'s failures and the time left in its window, when one is open.
    async fn read(
        &self,
        key: &str,
    ) -> std::result::Result<Option<(u32, Duration)>, SharedStoreError>;
    /// Forgets `key`.
    async fn clear(&self, key: &str) -> std::result::Result<(), SharedStoreError>;
}

struct Window {
    opened: Instant,
    failures: AtomicU32,
}

pub struct LoginLimiter {
    limits: LoginLimits,
    by_username: Cache<String, Arc<Window>>,
    by_address: Cache<IpAddr, Arc<Window>>,
    shared: Option<Arc<dyn SharedCounters>>,
    shared_health: SharedStoreHealth,
}

fn user_key(username: &str) -> String {
    format!("login:user:{username}")
}

fn address_key(address: IpAddr) -> String {
    format!("login:addr:{address}")
}

impl LoginLimiter {
    pub fn new(limits: LoginLimits) -> Self {
        LoginLimiter {
            limits,
            by_username: windows(limits.window),
            by_address: windows(limits.window),
            shared: None,
            shared_health: SharedStoreHealth::new(
                "shared login limits",
                "counting in this process until they are back",
            ),
        }
    }

    /// Shares the counts with every replica through `counters`.
    pub fn share(&mut self, counters: Arc<dyn SharedCounters>) {
        self.shared = Some(counters);
    }

    /// RATE_LIMITED when either key has used up its failures (counted by every replica when
    /// shared; by this one when the shared store does not answer).
    pub async fn check(&self, username: &str, address: IpAddr) -> Result<()> {
        if let Some(shared) = &self.shared {
            let read = async {
                let user = shared.read(&user_key(username)).await?;
                let addr = shared.read(&address_key(address)).await?;
                Ok::<_, SharedStoreError>((user, addr))
            };
            match read.await {
                Ok((user, addr)) => {
                    self.shared_health.answered(Ok(()));
                    let over = |count: Option<(u32, Duration)>, max: u32| {
                        count
                            .filter(|(n, left)| *n >= max && !left.is_zero())
                            .map(|(_, left)| left)
                    };
                    let wait = over(user, self.limits.per_username)
                        .max(over(addr, self.limits.per_address));
                    return match wait {
                        Some(wait) => Err(Error::RateLimited {
                            retry_after_secs: wait.as_secs().max(1),
                        }),
                        None => Ok(()),
                    };
                }
                Err(error) => self.shared_health.answered(Err(&error)),
            }
        }
        self.check_local(username, address)
    }

    fn check_local(&self, username: &str, address: IpAddr) -> Result<()> {
        let user_wait = blocked_for(
            self.by_username.get(username),
            self.limits.per_username,
            self.limits.window,
        );
        let address_wait = blocked_for(
            self.by_address.get(&address),
            self.limits.per_address,
            self.limits.window,
        );
        match user_wait.max(address_wait) {
            Some(wait) => Err(Error::RateLimited {
                retry_after_secs: wait.as_secs().max(1),
            }),
            None => Ok(()),
        }
    }

    pub async fn record_failure(&self, username: &str, address: IpAddr) {
        self.record_failure_local(username, address);
        if let Some(shared) = &self.shared {
            for key in [user_key(username), address_key(address)] {
                if let Err(error) = shared.add(&key, self.limits.window).await {
                    self.shared_health.answered(Err(&error));
                    break;
                }
            }
        }
    }

    fn record_failure_local(&self, username: &str, address: IpAddr) {
        let open = || {
            Arc::new(Window {
                opened: Instant::now(),
                failures: AtomicU32::new(0),
            })
        };
        self.by_username
            .get_with(username.to_owned(), open)
            .failures
            .fetch_add(1, Ordering::Relaxed);
        self.by_address
            .get_with(address, open)
            .failures
            .fetch_add(1, Ordering::Relaxed);
    }

    pub async fn record_success(&self, username: &str) {
        self.by_username.invalidate(username);
        if let Some(shared) = &self.shared
            && let Err(error) = shared.clear(&user_key(username)).await
        {
            self.shared_health.answered(Err(&error));
        }
    }
}

/// Entries expire `length` after they were created: a fixed window per key.
fn windows<K>(length: Duration) -> Cache<K, Arc<Window>>
where
    K: std::hash::Hash + Eq + Send + Sync + 'static,
{
    Cache::builder()
        .max_capacity(100_000)
        .time_to_live(length)
        .build()
}

/// How long the key stays blocked, if it is.
fn blocked_for(window: Option<Arc<Window>>, max: u32, length: Duration) -> Option<Duration> {
    let window = window?;
    if window.failures.load(Ordering::Relaxed) < max {
        return None;
    }
    let remaining = length.saturating_sub(window.opened.elapsed());
    (!remaining.is_zero()).then_some(remaining)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(per_username: u32, per_address: u32) -> LoginLimiter {
        LoginLimiter::new(LoginLimits {
            per_username,
            per_address,
            window: Duration::from_secs(60),
        })
    }

    #[tokio::test]
    async fn a_username_is_blocked_after_its_failures_and_freed_by_success() {
        let limiter = limiter(3, 100);
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..3 {
            limiter.check("ana", ip).await.unwrap();
            limiter.record_failure("ana", ip).await;
        }

        let err = limiter.check("ana", ip).await.unwrap_err();
        assert!(
            matches!(err, Error::RateLimited { retry_after_secs } if (1..=60).contains(&retry_after_secs))
        );
        limiter.check("luis", ip).await.unwrap();

        limiter.record_success("ana").await;
        limiter.check("ana", ip).await.unwrap();
    }

    #[tokio::test]
    async fn an_address_is_blocked_across_usernames() {
        let limiter = limiter(100, 2);
        let ip: IpAddr = "10.0.0.2".parse().unwrap();
        limiter.record_failure("a", ip).await;
        limiter.record_failure("b", ip).await;

        assert!(limiter.check("c", ip).await.is_err());
        limiter
            .check("c", "10.0.0.3".parse().unwrap())
            .await
            .unwrap();
    }
}
