//! The GraphQL schema.
//!
//! # Layout
//! - `query/`, `mutation/`: the roots, one file per area; a resolver parses its input into
//!   domain types, calls one domain function and wraps the result. No business rule here.
//! - `types/`: output types, wrapping rows and domain values.
//! - `context`: the caller and the shared services a resolver reaches through `Context`.
//! - `guards`: role checks. `errors`: the extension that gives every error its code and
//!   enforces the depth and complexity limits. `pagination`: Relay connections over keyset
//!   pages. `loaders`: DataLoaders.

pub mod context;
pub mod errors;
pub mod guards;
pub mod loaders;
pub mod mutation;
pub mod pagination;
pub mod query;
pub mod types;

use async_graphql::{EmptySubscription, Schema, SchemaBuilder};

use self::context::Services;
use self::errors::{ErrorCodes, QueryLimits};
use self::mutation::MutationRoot;
use self::query::QueryRoot;

pub type PosSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// The schema's types and error handling, without services: enough to print the SDL.
pub fn builder(limits: QueryLimits) -> SchemaBuilder<QueryRoot, MutationRoot, EmptySubscription> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        EmptySubscription,
    )
    .extension(ErrorCodes(limits))
}

/// The schema the server runs.
pub fn build(services: Services, limits: QueryLimits, introspection: bool) -> PosSchema {
    let builder = builder(limits)
        .extension(loaders::RequestLoaders(services.db.clone()))
        .data(services);
    if introspection {
        builder.finish()
    } else {
        builder.disable_introspection().finish()
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
