//! The GraphQL schema.
//!
//! # Layout
//! - `query/`, `mutation/`, `subscription/`: the roots, one file per area; a resolver parses
//!   its input into domain types, calls one domain function and wraps the result. No business
//!   rule here. A mutation that writes runs its domain call through `context::transact` (the
//!   caller, one transaction, commit) and then does what follows a commit (events, caches).
//! - `types/`: output types, wrapping rows and domain values; `types/sales/` is split as
//!   `domain::sales` is (registers, sale, refunds, reports).
//! - `context`: the caller, the shared services a resolver reaches through `Context`, and
//!   `transact`.
//! - `guards`: role checks. `errors`: the codes every error leaves with. `pagination`: Relay
//!   connections over keyset pages. `loaders`: per-request DataLoaders, primed by lists.
//!   `reference`: locations, tax rates and categories, held in memory for a few seconds.
//!
//! [`PosSchema`] wraps async-graphql's schema: it parses first (a document that does not parse
//! gets GRAPHQL_PARSE_FAILED), gives each request its loaders, runs it, and gives every error
//! its code. The HTTP handler, the WebSocket handler and the tests all go through it.

pub mod context;
pub mod errors;
pub mod guards;
pub mod loaders;
pub mod mutation;
pub mod pagination;
pub mod query;
pub mod reference;
pub mod subscription;
pub mod types;

use std::sync::Arc;

use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Data, Executor, Request, Response, Schema, SchemaBuilder};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use sea_orm::{ActiveEnum as _, DatabaseConnection};
use tracing::Instrument as _;

use self::context::Services;
use self::errors::QueryLimits;
use self::mutation::MutationRoot;
use self::query::QueryRoot;
use self::subscription::SubscriptionRoot;

type Inner = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

/// The schema the server runs (see the module documentation).
#[derive(Clone)]
pub struct PosSchema {
    inner: Inner,
    db: DatabaseConnection,
    limits: QueryLimits,
    /// Parsed documents by their text. Clients send the same few operations over and over, and
    /// parsing one (a PEG parser) cost more than validating and running a product lookup.
    parsed: moka::sync::Cache<String, Arc<ExecutableDocument>>,
    metrics: Arc<crate::metrics::Metrics>,
    /// How long a query or mutation sent over a WebSocket may run (`REQUEST_TIMEOUT`, which
    /// HTTP requests get from their middleware).
    operation_timeout: std::time::Duration,
}

/// The schema's types and limits, without services: enough to print the SDL.
pub fn builder(limits: QueryLimits) -> SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        SubscriptionRoot,
    )
    .limit_depth(limits.max_depth)
    .limit_complexity(limits.max_complexity)
}

/// The schema the server runs.
pub fn build(
    services: Services,
    limits: QueryLimits,
    introspection: bool,
    operation_timeout: std::time::Duration,
) -> PosSchema {
    let db = services.db.clone();
    let metrics = services.metrics.clone();
    let builder = builder(limits).data(services);
    let inner = if introspection {
        builder.finish()
    } else {
        builder.disable_introspection().finish()
    };
    PosSchema {
        inner,
        db,
        limits,
        parsed: moka::sync::Cache::builder()
            .max_capacity(4 * 1024 * 1024)
            .weigher(|query: &String, _| u32::try_from(query.len()).unwrap_or(u32::MAX))
            .build(),
        metrics,
        operation_timeout,
    }
}

impl PosSchema {
    /// Parses the document (keeping it for execution) and attaches the request's loaders;
    /// a document that does not parse gets its GRAPHQL_PARSE_FAILED response.
    fn prepare(&self, mut request: Request) -> Result<Request, Box<Response>> {
        match self.parsed.get(&request.query) {
            Some(document) => request.set_parsed_query((*document).clone()),
            None => match request.parsed_query() {
                Ok(document) => {
                    let document = Arc::new(document.clone());
                    self.parsed.insert(request.query.clone(), document);
                }
                Err(error) => return Err(Box::new(errors::parse_failed(error))),
            },
        }
        Ok(loaders::attach(request, &self.db))
    }
}

impl Executor for PosSchema {
    /// Runs one operation inside a `graphql` span (its name and type, the caller's role and
    /// the error code; never variables or tokens) and counts it in the metrics.
    async fn execute(&self, request: Request) -> Response {
        let started = std::time::Instant::now();
        let mut request = match self.prepare(request) {
            Ok(request) => request,
            Err(response) => {
                self.metrics.operation(
                    "anonymous",
                    "unknown",
                    first_error_code(&response).as_deref(),
                    started.elapsed(),
                );
                return *response;
            }
        };
        let (name, kind) = operation_of(&mut request);
        let caller = caller_of(&request.data).cloned();
        let span = operation_span(&name, kind);
        let mut response = self.inner.execute(request).instrument(span.clone()).await;
        errors::classify_response(&mut response, self.limits);
        let code = first_error_code(&response);
        if let Some(role) = caller.as_ref().and_then(context::Caller::known_role) {
            span.record("enduser.role", role.to_value().as_str());
        }
        if let Some(code) = &code {
            span.record("error.code", code.as_str());
            span.record("otel.status_code", "ERROR");
        }
        self.metrics
            .operation(&name, kind, code.as_deref(), started.elapsed());
        response
    }

    fn execute_stream(
        &self,
        request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        match self.prepare(request) {
            Ok(mut request) => {
                let limits = self.limits;
                let (name, kind) = operation_of(&mut request);
                let session_data = session_data.unwrap_or_default();
                // On a WebSocket, each operation checks the socket's token again.
                if let Some(socket) = session_data
                    .get(&std::any::TypeId::of::<context::SocketCredentials>())
                    .and_then(|data| data.downcast_ref::<context::SocketCredentials>())
                {
                    request = request.data(socket.caller());
                }
                // The caller's role is known once a resolver has authenticated them: recorded
                // on the first poll that finds it.
                let caller = caller_of(&request.data)
                    .or_else(|| caller_of(&session_data))
                    .cloned();
                let mut role_recorded = false;
                // One span for the subscription's whole life (its statements inside), entered
                // whenever the stream is polled; counted once, when it starts.
                let span = operation_span(&name, kind);
                self.metrics.subscription(&name);
                let mut events = self
                    .inner
                    .execute_stream_with_session_data(request, session_data);
                if kind != "subscription" {
                    // One answer, within the time an HTTP request gets; a mutation cut short
                    // rolls back with its transaction.
                    let timeout = self.operation_timeout;
                    events = futures_util::stream::once(async move {
                        match tokio::time::timeout(timeout, events.next()).await {
                            Ok(Some(response)) => response,
                            Ok(None) => Response::default(),
                            Err(_) => {
                                let mut error = async_graphql::ServerError::new(
                                    format!("the operation took longer than {timeout:?}"),
                                    None,
                                );
                                error
                                    .extensions
                                    .get_or_insert_with(Default::default)
                                    .set("code", "INTERNAL");
                                Response::from_errors(vec![error])
                            }
                        }
                    })
                    .boxed();
                }
                futures_util::stream::poll_fn(move |cx| {
                    let _entered = span.enter();
                    let mut polled = events.poll_next_unpin(cx);
                    if !role_recorded
                        && let Some(role) = caller.as_ref().and_then(context::Caller::known_role)
                    {
                        span.record("enduser.role", role.to_value().as_str());
                        role_recorded = true;
                    }
                    if let std::task::Poll::Ready(Some(response)) = &mut polled {
                        errors::classify_response(response, limits);
                        if let Some(code) = first_error_code(response) {
                            span.record("error.code", code.as_str());
                            span.record("otel.status_code", "ERROR");
                        }
                    }
                    polled
                })
                .boxed()
            }
            Err(response) => futures_util::stream::once(async move { *response }).boxed(),
        }
    }
}

/// The operation a request runs: its name (`anonymous` when unnamed) and type.
fn operation_of(request: &mut Request) -> (String, &'static str) {
    use async_graphql::parser::types::{DocumentOperations, OperationType};
    let wanted = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else {
        return ("anonymous".to_owned(), "unknown");
    };
    let (name, operation) = match &document.operations {
        DocumentOperations::Single(operation) => ("anonymous".to_owned(), Some(operation)),
        DocumentOperations::Multiple(operations) => {
            let found = match &wanted {
                Some(wanted) => operations.iter().find(|(name, _)| name.as_str() == wanted),
                None => operations.iter().next(),
            };
            match found {
                Some((name, operation)) => (name.to_string(), Some(operation)),
                None => (wanted.unwrap_or_else(|| "anonymous".to_owned()), None),
            }
        }
    };
    let kind = match operation.map(|operation| operation.node.ty) {
        Some(OperationType::Query) => "query",
        Some(OperationType::Mutation) => "mutation",
        Some(OperationType::Subscription) => "subscription",
        None => "unknown",
    };
    (name, kind)
}

/// The span of one operation, named like `mutation Sell`; the role and the error code are
/// recorded once known.
fn operation_span(name: &str, kind: &str) -> tracing::Span {
    tracing::info_span!(
        "graphql",
        otel.name = %format_args!("{kind} {name}"),
        graphql.operation.name = %name,
        graphql.operation.type = kind,
        enduser.role = tracing::field::Empty,
        error.code = tracing::field::Empty,
        otel.status_code = tracing::field::Empty,
    )
}

/// The caller a request (or a WebSocket's session) carries.
fn caller_of(data: &Data) -> Option<&context::Caller> {
    data.get(&std::any::TypeId::of::<context::Caller>())?
        .downcast_ref::<context::Caller>()
}

fn first_error_code(response: &Response) -> Option<String> {
    let extensions = response.errors.first()?.extensions.as_ref()?;
    match extensions.get("code")? {
        async_graphql::Value::String(code) => Some(code.clone()),
        _ => None,
    }
}

/// The SDL, as `pos-api export-schema` prints it and `schema.graphql` holds it.
pub fn sdl() -> String {
    builder(QueryLimits {
        max_depth: usize::MAX,
        max_complexity: usize::MAX,
    })
    .finish()
    .sdl()
}
