//! What a resolver knows about the request: the database, the auth service, and the caller.

use std::net::IpAddr;
use std::sync::Arc;

use async_graphql::{Context, ID};
use domain::Error;
use domain::auth::{Auth, Principal};
use domain::money::Currency;
use sea_orm::{DatabaseConnection, DatabaseTransaction};
use tokio::sync::OnceCell;
use uuid::Uuid;

/// The credentials a request arrived with.
#[derive(Debug, Clone)]
pub enum Credentials {
    None,
    Bearer(String),
    /// An `Authorization` header that is not `Bearer <token>`.
    Malformed,
}

impl Credentials {
    /// Reads an `Authorization` header value (HTTP) or `connection_init` payload field (WS).
    pub fn from_authorization(value: Option<&str>) -> Self {
        match value.map(str::trim) {
            None | Some("") => Credentials::None,
            Some(value) => match value.split_once(' ') {
                Some((scheme, token))
                    if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
                {
                    Credentials::Bearer(token.trim().to_owned())
                }
                _ => Credentials::Malformed,
            },
        }
    }
}

/// The caller of one request. The token is checked the first time a resolver asks, so
/// `login` works even with a stale token in the headers.
#[derive(Clone)]
pub struct Caller {
    credentials: Credentials,
    pub address: IpAddr,
    /// Shared by the clones of this caller: the schema reads who it was after the operation.
    principal: Arc<OnceCell<Principal>>,
}

impl Caller {
    pub fn new(credentials: Credentials, address: IpAddr) -> Self {
        Caller {
            credentials,
            address,
            principal: Arc::new(OnceCell::new()),
        }
    }

    /// The caller's role, once a resolver has authenticated them.
    pub fn known_role(&self) -> Option<domain::auth::Role> {
        self.principal.get().map(|principal| principal.role)
    }

    pub async fn principal(
        &self,
        db: &DatabaseConnection,
        auth: &Auth,
    ) -> Result<&Principal, Error> {
        self.principal
            .get_or_try_init(|| async {
                match &self.credentials {
                    Credentials::Bearer(token) => auth.authenticate(db, token).await,
                    Credentials::None => Err(Error::unauthenticated(
                        "sign in first: this needs an access token",
                    )),
                    Credentials::Malformed => Err(Error::unauthenticated(
                        "malformed Authorization header: expected `Bearer <access token>`",
                    )),
                }
            })
            .await
    }
}

/// A WebSocket's credentials, from its `connection_init`: each operation on the socket gets a
/// [`Caller`] of its own from them, so the token is checked again for every operation (a
/// deactivated user or an ended session is refused at once, not when the socket closes).
#[derive(Debug, Clone)]
pub struct SocketCredentials {
    pub token: String,
    pub address: IpAddr,
}

impl SocketCredentials {
    pub fn caller(&self) -> Caller {
        Caller::new(Credentials::Bearer(self.token.clone()), self.address)
    }
}

/// Shared services, put in the schema's data once.
#[derive(Clone)]
pub struct Services {
    pub db: DatabaseConnection,
    pub auth: Arc<Auth>,
    /// The shop's one currency (`DEFAULT_CURRENCY`).
    pub currency: Currency,
    /// Locations, tax rates and categories, held briefly in memory.
    pub reference: super::reference::ReferenceData,
    /// Live events for subscriptions, shared by every instance when Redis is configured.
    pub events: crate::events::Events,
    /// How backups are made (`runBackup`).
    pub backups: Arc<domain::backups::Settings>,
    /// `searchProducts`' index and model.
    pub search: Arc<crate::search::Search>,
    /// `productByCode`'s cache in Redis, when configured.
    pub codes: Option<Arc<crate::redis::CodeCache>>,
    /// Operation, sales and refund metrics.
    pub metrics: Arc<crate::metrics::Metrics>,
}

impl Services {
    /// After a product change has committed: the search index reads it now, and the code
    /// cache forgets the codes the change made stale.
    pub async fn product_changed(&self, stale_codes: &[String]) {
        self.search.changed();
        if let Some(codes) = &self.codes {
            codes.forget(stale_codes).await;
        }
    }
}

/// The shared services. A schema built without them only prints the SDL.
pub fn services<'a>(ctx: &Context<'a>) -> Result<&'a Services, Error> {
    ctx.data_opt::<Services>()
        .ok_or_else(|| Error::internal("schema built without services"))
}

pub fn caller<'a>(ctx: &Context<'a>) -> Result<&'a Caller, Error> {
    ctx.data_opt::<Caller>()
        .ok_or_else(|| Error::internal("request without caller data"))
}

/// The authenticated caller, or UNAUTHENTICATED.
pub async fn principal<'a>(ctx: &Context<'a>) -> Result<&'a Principal, Error> {
    let services = services(ctx)?;
    caller(ctx)?.principal(&services.db, &services.auth).await
}

/// A contract ID: a UUID string. Malformed: BAD_USER_INPUT on `field`.
pub fn parse_id(id: &ID, field: &'static str) -> Result<Uuid, Error> {
    Uuid::parse_str(id.as_str())
        .map_err(|_| Error::bad_input(field, format!("{:?} is not a valid ID", id.as_str())))
}

/// The skeleton of a mutation that writes: the authenticated caller, and one transaction
/// around `work` (one domain call), committed when it succeeds and rolled back when it fails.
/// What the mutation does after the commit (publishing events, forgetting caches) follows
/// the call.
pub async fn transact<T>(
    ctx: &Context<'_>,
    work: impl AsyncFnOnce(&DatabaseTransaction, &Principal) -> Result<T, Error>,
) -> Result<T, Error> {
    use sea_orm::TransactionTrait;
    let actor = principal(ctx).await?;
    let txn = services(ctx)?.db.begin().await?;
    let value = work(&txn, actor).await?;
    txn.commit().await?;
    Ok(value)
}
