//! Login failure limits, per username and per client address.
//!
//! A fixed window per key: the first attempt opens a window of `window` length; a key may
//! have `max` attempts in flight or failed within its window, and further attempts are
//! refused until the window closes. Each attempt is *reserved* before its password is
//! checked (one atomic increment), so sixty wrong passwords sent at once are checked five at
//! most, not sixty. A successful attempt gives its reservation back: the username's count is
//! cleared and the address's one attempt returned (an address is shared by every till of a
//! shop behind one router, so successes must not use it up). IPv6 clients count per /64, the
//! block one household or shop gets.
//!
//! The counters live in this process, in moka caches whose time-to-live is the window, so
//! they clean themselves up and stay bounded. With [`SharedCounters`] (Redis, when
//! configured) the counts are shared by every replica; the local ones are kept too and
//! decide whenever the shared store does not answer.

use std::net::{IpAddr, Ipv6Addr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use moka::sync::Cache;

use super::{SharedStoreError, SharedStoreHealth};
use crate::error::{Error, Result};

/// How many attempts a key may have in a window.
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

/// Attempt counters in fixed windows, shared by every replica (implemented over Redis by the
/// API). Errors (the store unreachable) make the limiter use its local counts.
#[async_trait::async_trait]
pub trait SharedCounters: Send + Sync {
    /// Adds one attempt to `key`, opening a window of `window` when none is open; returns the
    /// count after it and the time left in the window.
    async fn add(
        &self,
        key: &str,
        window: Duration,
    ) -> std::result::Result<(u32, Duration), SharedStoreError>;
    /// Gives one attempt back to `key`, if its window is still open.
    async fn release(&self, key: &str) -> std::result::Result<(), SharedStoreError>;
    /// Forgets `key`.
    async fn clear(&self, key: &str) -> std::result::Result<(), SharedStoreError>;
}

struct Window {
    opened: Instant,
    attempts: AtomicU32,
}

pub struct LoginLimiter {
    limits: LoginLimits,
    by_username: Cache<String, Arc<Window>>,
    by_address: Cache<IpAddr, Arc<Window>>,
    shared: Option<Arc<dyn SharedCounters>>,
    shared_health: SharedStoreHealth,
}

/// One attempt, reserved: give it to [`LoginLimiter::succeeded`] when the password was right;
/// drop it when it was wrong (it then counts as a failure).
#[must_use]
pub struct Reservation {
    username: String,
    address: IpAddr,
}

fn user_key(username: &str) -> String {
    format!("login:user:{username}")
}

fn address_key(address: IpAddr) -> String {
    format!("login:addr:{address}")
}

/// The address as counted: IPv4 as it is, IPv6 by its /64 (an IPv4 address written as IPv6
/// is the IPv4 address).
pub fn counted_address(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX))),
        },
    }
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

    /// Reserves one attempt for `username` from `address`, before its password is checked.
    /// RATE_LIMITED (and nothing to check) when either has used up its attempts: counted by
    /// every replica when shared, by this one when the shared store does not answer.
    pub async fn reserve(&self, username: &str, address: IpAddr) -> Result<Reservation> {
        let address = counted_address(address);
        let (user_local, address_local) = self.add_local(username, address);
        let counts = match &self.shared {
            Some(shared) => {
                let added = async {
                    let user = shared.add(&user_key(username), self.limits.window).await?;
                    let addr = shared
                        .add(&address_key(address), self.limits.window)
                        .await?;
                    Ok::<_, SharedStoreError>((user, addr))
                };
                match added.await {
                    Ok(counts) => {
                        self.shared_health.answered(Ok(()));
                        counts
                    }
                    Err(error) => {
                        self.shared_health.answered(Err(&error));
                        (user_local, address_local)
                    }
                }
            }
            None => (user_local, address_local),
        };
        let over = |(count, left): (u32, Duration), max: u32| (count > max).then_some(left);
        let wait =
            over(counts.0, self.limits.per_username).max(over(counts.1, self.limits.per_address));
        match wait {
            Some(wait) => Err(Error::RateLimited {
                retry_after_secs: wait.as_secs().max(1),
            }),
            None => Ok(Reservation {
                username: username.to_owned(),
                address,
            }),
        }
    }

    /// One more attempt for each key in this process; the counts after it and the time left
    /// in their windows.
    fn add_local(&self, username: &str, address: IpAddr) -> ((u32, Duration), (u32, Duration)) {
        let open = || {
            Arc::new(Window {
                opened: Instant::now(),
                attempts: AtomicU32::new(0),
            })
        };
        let window = self.limits.window;
        let add = |entry: Arc<Window>| {
            let count = entry
                .attempts
                .fetch_add(1, Ordering::AcqRel)
                .saturating_add(1);
            (count, window.saturating_sub(entry.opened.elapsed()))
        };
        (
            add(self.by_username.get_with(username.to_owned(), open)),
            add(self.by_address.get_with(address, open)),
        )
    }

    /// The reserved attempt succeeded: the username's count is cleared and the address's
    /// attempt given back.
    pub async fn succeeded(&self, reservation: Reservation) {
        self.by_username.invalidate(&reservation.username);
        if let Some(window) = self.by_address.get(&reservation.address) {
            let _ = window
                .attempts
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1));
        }
        if let Some(shared) = &self.shared {
            let given_back = async {
                shared.clear(&user_key(&reservation.username)).await?;
                shared.release(&address_key(reservation.address)).await
            };
            if let Err(error) = given_back.await {
                self.shared_health.answered(Err(&error));
            }
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
            drop(limiter.reserve("ana", ip).await.unwrap()); // a wrong password
        }

        let err = limiter.reserve("ana", ip).await.err().unwrap();
        assert!(
            matches!(err, Error::RateLimited { retry_after_secs } if (1..=60).contains(&retry_after_secs))
        );
        let luis = limiter.reserve("luis", ip).await.unwrap();
        limiter.succeeded(luis).await;

        limiter.by_username.invalidate("ana"); // what a success of ana's does
        let _admitted = limiter.reserve("ana", ip).await.unwrap();
    }

    #[tokio::test]
    async fn an_address_is_blocked_across_usernames_but_not_by_successes() {
        let limiter = limiter(100, 2);
        let ip: IpAddr = "10.0.0.2".parse().unwrap();
        for _ in 0..5 {
            let ok = limiter.reserve("cashier", ip).await.unwrap();
            limiter.succeeded(ok).await;
        }
        drop(limiter.reserve("a", ip).await.unwrap());
        drop(limiter.reserve("b", ip).await.unwrap());

        assert!(limiter.reserve("c", ip).await.is_err());
        let _admitted = limiter
            .reserve("c", "10.0.0.3".parse().unwrap())
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn attempts_at_once_are_counted_before_any_is_checked() {
        let limiter = Arc::new(limiter(5, 1000));
        let ip: IpAddr = "10.0.0.4".parse().unwrap();

        let attempts: Vec<_> = (0..60)
            .map(|_| {
                let limiter = limiter.clone();
                tokio::spawn(async move { limiter.reserve("ana", ip).await.is_ok() })
            })
            .collect();
        let mut admitted = 0;
        for attempt in attempts {
            admitted += usize::from(attempt.await.unwrap());
        }

        assert_eq!(admitted, 5);
    }

    #[test]
    fn ipv6_clients_count_by_their_64_block() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        let mapped: IpAddr = "::ffff:10.0.0.5".parse().unwrap();

        assert_eq!(counted_address(a), counted_address(b));
        assert_ne!(counted_address(a), counted_address(other));
        assert_eq!(
            counted_address(mapped),
            "10.0.0.5".parse::<IpAddr>().unwrap()
        );
    }
}
