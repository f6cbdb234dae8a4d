//! Password rules and argon2id hashing.
//!
//! Hashing is deliberately slow (OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane), so it
//! runs on tokio's blocking pool, never on the executor threads, and a semaphore bounds how
//! many hashes run at once: a burst of logins must not allocate 19 MiB per request.

use std::sync::{Arc, OnceLock};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::rngs::OsRng;
use tokio::sync::Semaphore;

use crate::error::{Error, Result};

/// A password that passed the policy, as typed.
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 8;
    pub const MAX_CHARS: usize = 128;

    /// Checks the policy (length only, as NIST SP 800-63B recommends); `field` names the input.
    pub fn parse(raw: String, field: &'static str) -> Result<Self> {
        let chars = raw.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(Error::bad_input(
                field,
                format!("password must be at least {} characters", Self::MIN_CHARS),
            ));
        }
        if chars > Self::MAX_CHARS {
            return Err(Error::bad_input(
                field,
                format!("password must be at most {} characters", Self::MAX_CHARS),
            ));
        }
        Ok(Password(raw))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// Hashes and verifies passwords off the async executor.
#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
}

impl Passwords {
    /// `concurrency`: how many hashes may run at once (about the number of cores).
    pub fn new(concurrency: usize) -> Self {
        Passwords {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
        }
    }

    pub async fn hash(&self, password: &Password) -> Result<String> {
        let password = password.expose().to_owned();
        self.blocking(move || {
            let salt = SaltString::generate(&mut OsRng);
            hasher()
                .hash_password(password.as_bytes(), &salt)
                .map(|hash| hash.to_string())
                .map_err(|e| Error::internal(format!("hashing a password: {e}")))
        })
        .await
    }

    /// Whether `password` matches `hash`. With `hash` absent, a dummy hash is checked instead so
    /// that an unknown username costs the same time as a wrong password.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> Result<bool> {
        let password = password.to_owned();
        let hash = hash.map(str::to_owned);
        self.blocking(move || {
            let (hash, real) = match &hash {
                Some(hash) => (hash.as_str(), true),
                None => (dummy_hash()?, false),
            };
            let parsed = PasswordHash::new(hash)
                .map_err(|e| Error::internal(format!("stored password hash is malformed: {e}")))?;
            let matches = hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok();
            // The dummy hash never authenticates, whatever was typed.
            Ok(matches && real)
        })
        .await
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| Error::internal(format!("password hashing pool closed: {e}")))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| Error::internal(format!("password hashing task failed: {e}")))?
    }
}

fn hasher() -> Argon2<'static> {
    // OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1.
    // These constants are valid; the default (argon2's own, stronger) is never reached.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn dummy_hash() -> Result<&'static str> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(hash) = DUMMY.get() {
        return Ok(hash);
    }
    let salt = SaltString::generate(&mut OsRng);
    let hash = hasher()
        .hash_password(b"pos-odata dummy password", &salt)
        .map_err(|e| Error::internal(format!("hashing the dummy password: {e}")))?
        .to_string();
    Ok(DUMMY.get_or_init(|| hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_nothing_else() {
        let passwords = Passwords::new(2);
        let password = Password::parse("correct horse".into(), "password").unwrap();

        let hash = passwords.hash(&password).await.unwrap();

        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            passwords
                .verify("correct horse", Some(&hash))
                .await
                .unwrap()
        );
        assert!(
            !passwords
                .verify("correct horse!", Some(&hash))
                .await
                .unwrap()
        );
        assert!(!passwords.verify("correct horse", None).await.unwrap());
    }

    #[test]
    fn the_policy_counts_characters_not_bytes() {
        assert!(Password::parse("short".into(), "password").is_err());
        assert!(Password::parse("ñandúñandú".into(), "password").is_ok());
        let err = Password::parse("x".repeat(129), "newPassword").unwrap_err();
        assert!(matches!(err, Error::BadInput { field: Some(f), .. } if f == "newPassword"));
    }
}
