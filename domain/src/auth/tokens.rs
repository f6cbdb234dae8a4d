//! Access tokens (short-lived JWTs, HS256) and refresh tokens (opaque random strings).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::{Error, Result};

const ISSUER: &str = "pos-odata";

/// What an access token says. The role is not in it: it is read from the user row (cached
/// briefly), so a role change or a deactivation takes effect without waiting for expiry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    /// The user's id.
    pub sub: Uuid,
    /// The login (refresh-token family) the token was issued for.
    pub sid: Uuid,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
}

/// A signed access token and when it stops working.
#[derive(Debug, Clone)]
pub struct AccessToken {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// Signs and checks access tokens.
pub struct AccessTokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
}

impl AccessTokens {
    pub fn new(secret: &[u8], ttl: Duration) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iat", "sub", "iss"]);
        validation.leeway = 0;
        AccessTokens {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            ttl,
        }
    }

    /// Issues a token as of `now` (tests pass a past instant to get an expired one).
    pub fn issue(
        &self,
        user_id: Uuid,
        session_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<AccessToken> {
        let expires_at = now + self.ttl;
        let claims = AccessClaims {
            sub: user_id,
            sid: session_id,
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
            iss: ISSUER.to_owned(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| Error::internal(format!("signing an access token: {e}")))?;
        Ok(AccessToken { token, expires_at })
    }

    /// Checks signature, issuer and expiry.
    pub fn verify(&self, token: &str) -> Result<AccessClaims> {
        use jsonwebtoken::errors::ErrorKind;
        jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => Error::unauthenticated("access token expired"),
                _ => Error::unauthenticated("invalid access token"),
            })
    }
}

/// A new opaque refresh token: 256 random bits, URL-safe.
pub fn new_refresh_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored for a refresh token: its SHA-256, hex. The token has 256 bits of entropy, so
/// a fast hash is enough (there is nothing to brute-force, unlike a password).
pub fn hash_refresh_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_until_it_expires() {
        let tokens = AccessTokens::new(b"0123456789abcdef0123456789abcdef", Duration::minutes(15));
        let (user, session) = (Uuid::now_v7(), Uuid::now_v7());

        let fresh = tokens.issue(user, session, Utc::now()).unwrap();
        let stale = tokens
            .issue(user, session, Utc::now() - Duration::hours(1))
            .unwrap();

        let claims = tokens.verify(&fresh.token).unwrap();
        assert_eq!((claims.sub, claims.sid), (user, session));
        assert!(
            matches!(tokens.verify(&stale.token), Err(Error::Unauthenticated(m)) if m == "access token expired")
        );
    }

    #[test]
    fn a_token_signed_with_another_secret_is_refused() {
        let ours = AccessTokens::new(b"0123456789abcdef0123456789abcdef", Duration::minutes(15));
        let theirs = AccessTokens::new(b"fedcba9876543210fedcba9876543210", Duration::minutes(15));
        let token = theirs
            .issue(Uuid::now_v7(), Uuid::now_v7(), Utc::now())
            .unwrap();

        assert!(matches!(
            ours.verify(&token.token),
            Err(Error::Unauthenticated(_))
        ));
        assert!(matches!(
            ours.verify("not.a.jwt"),
            Err(Error::Unauthenticated(_))
        ));
    }

    #[test]
    fn refresh_tokens_are_random_and_stored_hashed() {
        let (a, b) = (new_refresh_token(), new_refresh_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(hash_refresh_token(&a).len(), 64);
        assert_ne!(hash_refresh_token(&a), hash_refresh_token(&b));
    }
}
