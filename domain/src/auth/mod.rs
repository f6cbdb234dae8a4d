//! Who is calling: logins, sessions (refresh-token families) and access tokens.
//!
//! A login starts a session: a family of refresh tokens, one live at a time. Refreshing
//! exchanges the live token for a new one in the same family; presenting a token that was
//! already exchanged means someone kept a copy, so the whole family is revoked. Access tokens
//! are short-lived JWTs naming the user and the session; on each request the user's row is
//! consulted (through a cache of [`USER_CACHE_TTL`]) so that deactivations and password resets
//! lock a user out within that time, on every replica; a session that ends is refused sooner
//! (see [`revocation`]).

mod password;
mod rate_limit;
mod revocation;
mod tokens;

use std::net::IpAddr;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use entity::{refresh_token, user};
use sea_orm::sea_query::{Expr, ExprTrait, IntoCondition};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

pub use self::password::{Password, Passwords};
pub use self::rate_limit::{LoginLimiter, LoginLimits, SharedCounters};
use self::revocation::EndedSessions;
pub use self::revocation::SharedRevocations;
pub use self::tokens::{
    AccessClaims, AccessToken, AccessTokens, hash_refresh_token, new_refresh_token,
};
use crate::audit;
use crate::error::{Error, Result};
use crate::users::normalize_username;

pub use entity::user::Role;

/// Whether a store shared by the replicas (Redis) answered last time, so that an outage is
/// logged when it starts and when it ends, not on every request.
/// A store shared by the replicas (Redis) that did not answer; the caller goes on with what
/// this process knows.
#[derive(Debug, thiserror::Error)]
pub enum SharedStoreError {
    #[error("no answer within {0:?}")]
    Timeout(StdDuration),
    #[error(transparent)]
    Failed(Box<dyn std::error::Error + Send + Sync>),
}

struct SharedStoreHealth {
    /// What is shared, for the log: "shared login limits".
    what: &'static str,
    /// What this process does meanwhile.
    meanwhile: &'static str,
    down: std::sync::atomic::AtomicBool,
}

impl SharedStoreHealth {
    const fn new(what: &'static str, meanwhile: &'static str) -> Self {
        SharedStoreHealth {
            what,
            meanwhile,
            down: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn answered(&self, outcome: std::result::Result<(), &SharedStoreError>) {
        use std::sync::atomic::Ordering::Relaxed;
        match outcome {
            Ok(()) => {
                if self.down.swap(false, Relaxed) {
                    tracing::info!("{} are back", self.what);
                }
            }
            Err(error) => {
                if !self.down.swap(true, Relaxed) {
                    tracing::warn!(%error, "{} unavailable; {}", self.what, self.meanwhile);
                }
            }
        }
    }
}

/// How long a replica may act on a stale copy of a user's role and active flag.
pub const USER_CACHE_TTL: StdDuration = StdDuration::from_secs(30);

const WRONG_CREDENTIALS: &str = "invalid username or password";

/// The authenticated caller of one request.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: Uuid,
    pub username: String,
    pub role: Role,
    /// The login this request's token belongs to.
    pub session_id: Uuid,
}

impl Principal {
    /// Whether the caller's role is `role` or above (ADMIN > MANAGER > CASHIER).
    pub fn has_role(&self, role: Role) -> bool {
        self.role >= role
    }
}

/// A started or refreshed session: what the client keeps.
#[derive(Debug, Clone)]
pub struct Session {
    pub access: AccessToken,
    pub refresh_token: String,
    pub refresh_expires_at: DateTime<Utc>,
    pub user: user::Model,
}

/// Settings of [`Auth`], from configuration.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    pub jwt_secret: Vec<u8>,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    pub limits: LoginLimits,
    /// How many password hashes may run at once.
    pub hash_concurrency: usize,
}

/// The part of a user row that authorises requests.
#[derive(Debug, Clone)]
struct UserState {
    username: String,
    role: Role,
    active: bool,
    tokens_valid_after: DateTime<Utc>,
}

pub struct Auth {
    passwords: Passwords,
    tokens: AccessTokens,
    refresh_ttl: Duration,
    limiter: LoginLimiter,
    users: moka::future::Cache<Uuid, UserState>,
    ended: EndedSessions,
}

impl Auth {
    pub fn new(settings: AuthSettings) -> Self {
        Auth {
            passwords: Passwords::new(settings.hash_concurrency),
            tokens: AccessTokens::new(&settings.jwt_secret, settings.access_ttl),
            refresh_ttl: settings.refresh_ttl,
            limiter: LoginLimiter::new(settings.limits),
            ended: EndedSessions::new(settings.access_ttl.to_std().unwrap_or(StdDuration::ZERO)),
            users: moka::future::Cache::builder()
                .max_capacity(10_000)
                .time_to_live(USER_CACHE_TTL)
                .build(),
        }
    }

    /// Shares login failure counts with every replica (Redis).
    pub fn share_login_limits(&mut self, counters: std::sync::Arc<dyn SharedCounters>) {
        self.limiter.share(counters);
    }

    /// Shares ended sessions with every replica (Redis), so their access tokens are refused
    /// everywhere at once.
    pub fn share_revocations(&mut self, shared: std::sync::Arc<dyn SharedRevocations>) {
        self.ended.share(shared);
    }

    pub fn passwords(&self) -> &Passwords {
        &self.passwords
    }

    pub fn access_tokens(&self) -> &AccessTokens {
        &self.tokens
    }

    /// Checks a username and password and starts a session.
    pub async fn login(
        &self,
        db: &DatabaseConnection,
        username: &str,
        password: &str,
        address: IpAddr,
    ) -> Result<Session> {
        let username = normalize_username(username);
        if username.is_empty() {
            return Err(Error::bad_input("username", "username is required"));
        }
        if password.is_empty() {
            return Err(Error::bad_input("password", "password is required"));
        }
        let attempt = self.limiter.reserve(&username, address).await?;

        let found = user::Entity::find()
            .filter(user::Column::Username.eq(&username))
            .one(db)
            .await?;
        let matches = self
            .passwords
            .verify(password, found.as_ref().map(|u| u.password_hash.as_str()))
            .await?;
        let user = match found {
            Some(user) if matches => user,
            // The reservation stays: a failure.
            _ => return Err(Error::unauthenticated(WRONG_CREDENTIALS)),
        };
        if !user.active {
            return Err(Error::unauthenticated("this account is deactivated"));
        }
        self.limiter.succeeded(attempt).await;

        let txn = db.begin().await?;
        let session = self
            .start_session(&txn, user, Uuid::now_v7(), Utc::now())
            .await?;
        txn.commit().await?;
        tracing::info!(user = %session.user.username, "login");
        Ok(session)
    }

    /// Exchanges a refresh token for a new session token pair (rotation).
    pub async fn refresh(&self, db: &DatabaseConnection, token: &str) -> Result<Session> {
        let now = Utc::now();
        let txn = db.begin().await?;
        let Some(current) = refresh_token::Entity::find()
            .filter(refresh_token::Column::TokenHash.eq(hash_refresh_token(token)))
            .one(&txn)
            .await?
        else {
            return Err(Error::unauthenticated("invalid refresh token"));
        };
        if current.revoked_at.is_some() {
            return Err(Error::unauthenticated(
                "this session has ended; sign in again",
            ));
        }
        if current.used_at.is_some() {
            return self.reuse_detected(txn, &current, now).await;
        }
        if current.expires_at <= now {
            return Err(Error::unauthenticated(
                "refresh token expired; sign in again",
            ));
        }
        let Some(user) = user::Entity::find_by_id(current.user_id).one(&txn).await? else {
            return Err(Error::unauthenticated("invalid refresh token"));
        };
        if !user.active {
            return Err(Error::unauthenticated("this account is deactivated"));
        }
        // Only one exchange of a token can win; a concurrent second one is a reuse.
        let claimed = refresh_token::Entity::update_many()
            .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
            .filter(refresh_token::Column::Id.eq(current.id))
            .filter(refresh_token::Column::UsedAt.is_null())
            .filter(refresh_token::Column::RevokedAt.is_null())
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            return self.reuse_detected(txn, &current, now).await;
        }
        let session = self
            .start_session(&txn, user, current.family_id, now)
            .await?;
        txn.commit().await?;
        Ok(session)
    }

    /// Ends the session the refresh token belongs to. Unknown tokens are ignored: the client
    /// wants to be signed out, and it is.
    pub async fn logout(&self, db: &DatabaseConnection, token: &str) -> Result<()> {
        let found = refresh_token::Entity::find()
            .filter(refresh_token::Column::TokenHash.eq(hash_refresh_token(token)))
            .one(db)
            .await?;
        if let Some(found) = found {
            revoke_family(db, found.family_id, Utc::now()).await?;
            self.ended.end(&[found.family_id]).await;
        }
        Ok(())
    }

    /// The caller behind an access token, or UNAUTHENTICATED.
    pub async fn authenticate(&self, db: &DatabaseConnection, token: &str) -> Result<Principal> {
        let claims = self.tokens.verify(token)?;
        let state = self
            .users
            .try_get_with(claims.sub, load_user_state(db, claims.sub))
            .await
            .map_err(|e| match &*e {
                Error::Unauthenticated(message) => Error::Unauthenticated(message.clone()),
                other => Error::internal(format!("loading the caller: {other:?}")),
            })?;
        if !state.active {
            return Err(Error::unauthenticated("this account is deactivated"));
        }
        if claims.iat < state.tokens_valid_after.timestamp() {
            return Err(Error::unauthenticated(
                "access token revoked; sign in again",
            ));
        }
        if self.ended.has_ended(claims.sid).await {
            return Err(Error::unauthenticated(
                "this session has ended; sign in again",
            ));
        }
        Ok(Principal {
            user_id: claims.sub,
            username: state.username,
            role: state.role,
            session_id: claims.sid,
        })
    }

    /// Drops this replica's cached copy of a user after a change to it.
    pub async fn forget_user(&self, user_id: Uuid) {
        self.users.invalidate(&user_id).await;
    }

    /// Refuses the access tokens of sessions whose refresh tokens were just revoked (after
    /// the commit), here and, with shared revocations, on every replica.
    pub async fn end_sessions(&self, sessions: &[Uuid]) {
        self.ended.end(sessions).await;
    }

    /// The caller changes their own password. Other sessions of the user are ended; this one
    /// goes on.
    pub async fn change_password(
        &self,
        db: &DatabaseConnection,
        caller: &Principal,
        current: &str,
        new: Password,
        address: IpAddr,
    ) -> Result<()> {
        let attempt = self.limiter.reserve(&caller.username, address).await?;
        let user = user::Entity::find_by_id(caller.user_id)
            .one(db)
            .await?
            .ok_or(Error::NotFound { entity: "user" })?;
        if !self
            .passwords
            .verify(current, Some(&user.password_hash))
            .await?
        {
            // The reservation stays: a failure.
            return Err(Error::bad_input(
                "currentPassword",
                "current password is wrong",
            ));
        }
        self.limiter.succeeded(attempt).await;
        let hash = self.passwords.hash(&new).await?;
        let now = Utc::now();

        let txn = db.begin().await?;
        let mut row: user::ActiveModel = user.into();
        row.password_hash = Set(hash);
        row.updated_at = Set(now);
        row.update(&txn).await?;
        let other_sessions = refresh_token::Column::UserId
            .eq(caller.user_id)
            .and(refresh_token::Column::FamilyId.ne(caller.session_id));
        let ended = revoke_tokens(&txn, other_sessions, now).await?;
        audit::record(
            &txn,
            Some(caller.user_id),
            "user.change_password",
            "user",
            Some(caller.user_id.to_string()),
            serde_json::json!({}),
        )
        .await?;
        txn.commit().await?;
        self.ended.end(&ended).await;
        Ok(())
    }

    async fn start_session(
        &self,
        conn: &impl ConnectionTrait,
        user: user::Model,
        family_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Session> {
        let refresh_token = new_refresh_token();
        let refresh_expires_at = now + self.refresh_ttl;
        refresh_token::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(user.id),
            family_id: Set(family_id),
            token_hash: Set(hash_refresh_token(&refresh_token)),
            created_at: Set(now),
            expires_at: Set(refresh_expires_at),
            used_at: Set(None),
            revoked_at: Set(None),
        }
        .insert(conn)
        .await?;
        let access = self.tokens.issue(user.id, family_id, now)?;
        Ok(Session {
            access,
            refresh_token,
            refresh_expires_at,
            user,
        })
    }

    /// A rotated token came back: end the whole family, keep that decision, refuse.
    async fn reuse_detected(
        &self,
        txn: sea_orm::DatabaseTransaction,
        token: &refresh_token::Model,
        now: DateTime<Utc>,
    ) -> Result<Session> {
        revoke_family(&txn, token.family_id, now).await?;
        txn.commit().await?;
        self.ended.end(&[token.family_id]).await;
        tracing::warn!(
            user_id = %token.user_id,
            family_id = %token.family_id,
            "refresh token reused: session revoked"
        );
        Err(Error::unauthenticated(
            "refresh token already used; the session has been ended, sign in again",
        ))
    }
}

async fn load_user_state(db: &DatabaseConnection, id: Uuid) -> Result<UserState> {
    let user = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::unauthenticated("invalid access token"))?;
    Ok(UserState {
        username: user.username,
        role: user.role,
        active: user.active,
        tokens_valid_after: user.tokens_valid_after,
    })
}

async fn revoke_family(
    conn: &impl ConnectionTrait,
    family_id: Uuid,
    now: DateTime<Utc>,
) -> Result<()> {
    revoke_tokens(conn, refresh_token::Column::FamilyId.eq(family_id), now).await?;
    Ok(())
}

/// Ends every session of a user (password reset, deactivation); the sessions it ended, for
/// [`Auth::end_sessions`] once committed.
pub(crate) async fn revoke_all_sessions(
    conn: &impl ConnectionTrait,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>> {
    revoke_tokens(conn, refresh_token::Column::UserId.eq(user_id), now).await
}

/// Revokes the live refresh tokens that match `which`; the sessions (families) they were of.
async fn revoke_tokens(
    conn: &impl ConnectionTrait,
    which: impl IntoCondition,
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>> {
    let which = which.into_condition();
    let sessions: Vec<Uuid> = refresh_token::Entity::find()
        .select_only()
        .column(refresh_token::Column::FamilyId)
        .distinct()
        .filter(which.clone())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .into_tuple()
        .all(conn)
        .await?;
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(which)
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(sessions)
}
