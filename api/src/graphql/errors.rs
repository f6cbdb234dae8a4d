//! Every GraphQL error leaves with an `extensions.code` from the contract.
//!
//! [`classify`] runs on every response the schema gives (see [`super::PosSchema`]), so no
//! resolver has to remember: errors raised by resolvers and guards carry the code of their
//! [`domain::Error`]; an INTERNAL error is logged with its cause and leaves with a message that
//! says nothing. The errors async-graphql raises itself are told apart by where they arose:
//! a document that does not parse never reaches the schema (GRAPHQL_PARSE_FAILED, see
//! [`parse_failed`]); errors without a path come from validation (GRAPHQL_VALIDATION_FAILED),
//! except the depth and complexity limits and argument values of the wrong type, which are the
//! caller's input (BAD_USER_INPUT, the latter with `field`); errors with a path but no domain
//! cause come from reading arguments during execution (BAD_USER_INPUT).
//!
//! This is done after execution rather than in an async-graphql extension on purpose: with
//! any extension registered, async-graphql routes every field of every response through the
//! extension chain, which cost about a fifth of the CPU of a page of products.

use std::sync::Arc;

use async_graphql::{ErrorExtensionValues, Response, ServerError, Value};

pub const PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
pub const VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";
pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";

/// Query limits, enforced by validation before anything runs.
#[derive(Debug, Clone, Copy)]
pub struct QueryLimits {
    pub max_depth: usize,
    pub max_complexity: usize,
}

/// async-graphql's messages for the limits (see `async_graphql::validation::check_rules`).
const TOO_DEEP: &str = "Query is nested too deep.";
const TOO_COMPLEX: &str = "Query is too complex.";
const INVALID_VALUE: &str = "Invalid value for argument \"";

/// Gives every error of a response its code.
pub fn classify_response(response: &mut Response, limits: QueryLimits) {
    for error in &mut response.errors {
        classify(error, limits);
    }
}

/// The response for a document that does not parse.
pub fn parse_failed(error: ServerError) -> Response {
    Response::from_errors(vec![with_code(error, PARSE_FAILED)])
}

fn with_code(mut err: ServerError, code: &'static str) -> ServerError {
    set(&mut err, "code", code);
    err
}

fn set(err: &mut ServerError, key: &str, value: impl Into<Value>) {
    err.extensions
        .get_or_insert_with(ErrorExtensionValues::default)
        .set(key, value);
}

fn has_code(err: &ServerError) -> bool {
    err.extensions
        .as_ref()
        .is_some_and(|ext| ext.get("code").is_some())
}

/// Gives an error its code (and the extras its code promises).
fn classify(err: &mut ServerError, limits: QueryLimits) {
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
    match domain_err {
        Some(domain_err) => classify_domain(err, domain_err),
        None => classify_own(err, limits),
    }
}

fn classify_domain(err: &mut ServerError, domain_err: &domain::Error) {
    set(err, "code", domain_err.code());
    match domain_err {
        domain::Error::BadInput {
            field: Some(field), ..
        } => set(err, "field", field.as_ref()),
        domain::Error::Conflict {
            field: Some(field), ..
        } => set(err, "field", *field),
        domain::Error::PriceChanged {
            field,
            current_price,
        } => {
            set(err, "field", field.as_str());
            set(err, "currentPrice", current_price.as_str());
        }
        domain::Error::RateLimited { retry_after_secs } => {
            set(err, "retryAfterSeconds", Value::from(*retry_after_secs));
        }
        domain::Error::InsufficientStock {
            product_id,
            available_milli,
            ..
        } => {
            set(err, "productId", product_id.to_string());
            set(
                err,
                "available",
                domain::quantity::format_milli(*available_milli),
            );
        }
        domain::Error::PaymentInsufficient { due, paid } => {
            set(err, "due", due.as_str());
            set(err, "paid", paid.as_str());
        }
        domain::Error::Internal(cause) => {
            tracing::error!(error = %error_chain(cause.as_ref()), path = ?err.path, "internal error");
            err.message = "internal error".to_owned();
        }
        _ => {}
    }
}

/// Errors async-graphql raised itself.
fn classify_own(err: &mut ServerError, limits: QueryLimits) {
    if err.message == TOO_DEEP {
        err.message = format!(
            "query is nested too deep: the limit is {}",
            limits.max_depth
        );
        set(err, "code", BAD_USER_INPUT);
    } else if err.message == TOO_COMPLEX {
        err.message = format!(
            "query is too complex: the limit is {}",
            limits.max_complexity
        );
        set(err, "code", BAD_USER_INPUT);
    } else if let Some(rest) = err.message.strip_prefix(INVALID_VALUE) {
        // `Invalid value for argument "input.role", …`: the last segment names the field.
        let path = rest.split('"').next().unwrap_or_default();
        let field = path.rsplit('.').next().unwrap_or(path).to_owned();
        set(err, "code", BAD_USER_INPUT);
        if !field.is_empty() {
            set(err, "field", field);
        }
    } else if err.path.is_empty() {
        set(err, "code", VALIDATION_FAILED);
    } else {
        set(err, "code", BAD_USER_INPUT);
    }
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
