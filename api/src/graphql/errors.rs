//! Every GraphQL error leaves with an `extensions.code` from the contract.
//!
//! One extension, outermost in the chain, does it all, so no resolver has to remember:
//! parse failures get GRAPHQL_PARSE_FAILED, rule violations GRAPHQL_VALIDATION_FAILED, except
//! argument values of the wrong type (BAD_USER_INPUT, with `field`), a query past the depth or
//! complexity limit BAD_USER_INPUT (checked here against the computed
//! depth and complexity, before anything runs), and errors raised by resolvers and guards carry
//! the code of their [`domain::Error`]. An INTERNAL error is logged with its cause and leaves
//! with a message that says nothing. Errors that async-graphql raises itself while reading
//! arguments (a string where an Int goes) are the caller's input: BAD_USER_INPUT.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextRequest, NextSubscribe,
    NextValidation,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{
    ErrorExtensionValues, Response, ServerError, ServerResult, ValidationResult, Value, Variables,
};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;

pub const PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
pub const VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";
pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";

/// Query limits, enforced before execution.
#[derive(Debug, Clone, Copy)]
pub struct QueryLimits {
    pub max_depth: usize,
    pub max_complexity: usize,
}

/// The extension factory; register it first so it wraps every other extension.
pub struct ErrorCodes(pub QueryLimits);

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodesExtension(self.0))
    }
}

struct ErrorCodesExtension(QueryLimits);

#[async_trait::async_trait]
impl Extension for ErrorCodesExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        response.errors.iter_mut().for_each(classify);
        response
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        next.run(ctx, stream)
            .map(|mut response| {
                response.errors.iter_mut().for_each(classify);
                response
            })
            .boxed()
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        next.run(ctx, query, variables)
            .await
            .map_err(|err| with_code(err, PARSE_FAILED))
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await.map_err(|errs| {
            errs.into_iter()
                .map(classify_validation_error)
                .collect::<Vec<_>>()
        })?;
        let QueryLimits {
            max_depth,
            max_complexity,
        } = self.0;
        if result.depth > max_depth {
            return Err(vec![limit_error(format!(
                "query is nested too deep: depth {} is over the limit of {max_depth}",
                result.depth
            ))]);
        }
        if result.complexity > max_complexity {
            return Err(vec![limit_error(format!(
                "query is too complex: complexity {} is over the limit of {max_complexity}",
                result.complexity
            ))]);
        }
        Ok(result)
    }
}

/// A value that does not fit its argument's type (an unknown enum value, a string where an
/// Int goes), whether it came in a variable or written in the query, is bad input, and the
/// argument path names the field (`input.role` → `role`). Anything else is a document that does
/// not fit the schema.
fn classify_validation_error(err: ServerError) -> ServerError {
    const INVALID_VALUE: &str = "Invalid value for argument \"";
    let Some(rest) = err.message.strip_prefix(INVALID_VALUE) else {
        return with_code(err, VALIDATION_FAILED);
    };
    let path = rest.split('"').next().unwrap_or_default();
    let field = path.rsplit('.').next().unwrap_or(path).to_owned();
    let mut err = with_code(err, BAD_USER_INPUT);
    if !field.is_empty() {
        err.extensions
            .get_or_insert_with(ErrorExtensionValues::default)
            .set("field", field);
    }
    err
}

fn limit_error(message: String) -> ServerError {
    with_code(ServerError::new(message, None), BAD_USER_INPUT)
}

fn with_code(mut err: ServerError, code: &'static str) -> ServerError {
    set_code(&mut err, code);
    err
}

fn set_code(err: &mut ServerError, code: &'static str) {
    err.extensions
        .get_or_insert_with(ErrorExtensionValues::default)
        .set("code", code);
}

fn has_code(err: &ServerError) -> bool {
    err.extensions
        .as_ref()
        .is_some_and(|ext| ext.get("code").is_some())
}

/// Gives an error its code (and the extras its code promises).
fn classify(err: &mut ServerError) {
    if has_code(err) {
        return;
    }
    // A clone of the Arc, so `err` can be changed while its source is read.
    let source = err.source.clone();
    let domain_err = source.as_deref().and_then(|source| {
        source
            .downcast_ref::<domain::Error>()
            .or_else(|| source.downcast_ref::<Arc<domain::Error>>().map(|e| &**e))
    });
    let Some(domain_err) = domain_err else {
        set_code(err, BAD_USER_INPUT);
        return;
    };
    let code = domain_err.code();
    let mut extensions = err.extensions.take().unwrap_or_default();
    extensions.set("code", code);
    match domain_err {
        domain::Error::BadInput {
            field: Some(field), ..
        } => {
            extensions.set("field", field.as_ref());
        }
        domain::Error::Conflict {
            field: Some(field), ..
        } => {
            extensions.set("field", *field);
        }
        domain::Error::RateLimited { retry_after_secs } => {
            extensions.set("retryAfterSeconds", Value::from(*retry_after_secs));
        }
        domain::Error::InsufficientStock {
            product_id,
            available_milli,
            ..
        } => {
            extensions.set("productId", product_id.to_string());
            extensions.set(
                "available",
                domain::quantity::format_milli(*available_milli),
            );
        }
        domain::Error::Internal(cause) => {
            tracing::error!(error = %error_chain(cause.as_ref()), path = ?err.path, "internal error");
            err.message = "internal error".to_owned();
        }
        _ => {}
    }
    err.extensions = Some(extensions);
}

/// `cause: its cause: …`, for the log.
fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
