use async_graphql::{Context, Object};
use domain::auth::Password;

use crate::graphql::context::{caller, principal, services};
use crate::graphql::types::auth::AuthSession;

#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Signs in; needs no token. A wrong username or password gives UNAUTHENTICATED with the
    /// same message for both; too many failures for one username or client address give
    /// RATE_LIMITED with `extensions.retryAfterSeconds`.
    async fn login(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Login name (case does not matter).")] username: String,
        #[graphql(desc = "The user's password.")] password: String,
    ) -> async_graphql::Result<AuthSession> {
        let services = services(ctx)?;
        let address = caller(ctx)?.address;
        let session = services
            .auth
            .login(&services.db, &username, &password, address)
            .await?;
        Ok(AuthSession(session))
    }

    /// Exchanges a refresh token for new tokens; needs no access token. The old refresh token
    /// stops working. Presenting an already-used refresh token ends the whole session (someone
    /// kept a copy) and gives UNAUTHENTICATED.
    async fn refresh_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The refresh token from `login` or the last `refreshSession`.")]
        refresh_token: String,
    ) -> async_graphql::Result<AuthSession> {
        let services = services(ctx)?;
        let session = services.auth.refresh(&services.db, &refresh_token).await?;
        Ok(AuthSession(session))
    }

    /// Ends the session the refresh token belongs to; needs no access token (an expired one is
    /// fine). Returns true, also for a token that was already ended or unknown. The session's
    /// access tokens keep working until they expire (at most `ACCESS_TOKEN_TTL`).
    async fn logout(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The session's current refresh token.")] refresh_token: String,
    ) -> async_graphql::Result<bool> {
        let services = services(ctx)?;
        services.auth.logout(&services.db, &refresh_token).await?;
        Ok(true)
    }

    /// Changes the signed-in user's own password. A wrong current password gives
    /// BAD_USER_INPUT on `currentPassword`; a new password under 8 characters BAD_USER_INPUT on
    /// `newPassword`. The user's other sessions are ended; this one goes on. Returns true.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The password in use now.")] current_password: String,
        #[graphql(desc = "The new password: 8 to 128 characters.")] new_password: String,
    ) -> async_graphql::Result<bool> {
        let caller_principal = principal(ctx).await?;
        let new_password = Password::parse(new_password, "newPassword")?;
        let services = services(ctx)?;
        let address = caller(ctx)?.address;
        services
            .auth
            .change_password(
                &services.db,
                caller_principal,
                &current_password,
                new_password,
                address,
            )
            .await?;
        Ok(true)
    }
}
