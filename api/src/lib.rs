//! pos-api: the GraphQL server of pos-odata.
//!
//! # Layout
//! - [`config`]: environment variables, validated once at start-up.
//! - [`app`]: start-up (database, migrations, first start) and serving with graceful shutdown.
//! - [`http`]: the axum router: `/graphql`, GraphiQL, `/graphql/ws`, `/health`, `/ready`, and
//!   the middleware (body limit, timeout, CORS, request ids, tracing).
//! - [`graphql`]: the schema; resolvers call `domain` and hold no business rule.
//! - [`cli`]: the `pos-api` subcommands. [`telemetry`]: logs and traces. [`metrics`]: metrics
//!   for OTLP and `/metrics`. [`redis`]: the optional Redis.
//! - [`events`]: live events for subscriptions, through Redis pub/sub or in-process.
//! - [`scheduler`]: the nightly backup, once per slot however many replicas run.
//! - [`search`]: `searchProducts`' index, query embeddings, and the loop keeping it current.

pub mod app;
pub mod cli;
pub mod config;
pub mod events;
pub mod graphql;
pub mod http;
pub mod metrics;
pub mod redis;
pub mod scheduler;
pub mod search;
pub mod telemetry;
