use async_graphql::Object;
use chrono::{DateTime, Utc};
use domain::auth::Session;

use super::user::User;

/// The tokens of a session, as returned by `login` and `refreshSession`.
pub struct AuthSession(pub Session);

/// The tokens of a session, as returned by `login` and `refreshSession`.
#[Object]
impl AuthSession {
    /// Send as `Authorization: Bearer <accessToken>` on every request. Short-lived: see
    /// `expiresAt`, then call `refreshSession`.
    async fn access_token(&self) -> &str {
        &self.0.access.token
    }

    /// Opaque; exchange it with `refreshSession` for new tokens. Each refresh token works
    /// once: presenting a used one again ends the whole session.
    async fn refresh_token(&self) -> &str {
        &self.0.refresh_token
    }

    /// When the access token stops working.
    async fn expires_at(&self) -> DateTime<Utc> {
        self.0.access.expires_at
    }

    /// When the refresh token stops working if it is not used before.
    async fn refresh_expires_at(&self) -> DateTime<Utc> {
        self.0.refresh_expires_at
    }

    /// The signed-in user.
    async fn user(&self) -> User {
        User(self.0.user.clone())
    }
}
