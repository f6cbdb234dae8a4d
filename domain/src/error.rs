//! The one error type of the business rules.
//!
//! Every variant has a stable code (the contract's `extensions.code`); the API layer turns an
//! [`Error`] into a GraphQL error without knowing any rule. `Internal` hides its cause behind a
//! fixed message: the cause is for the log, never for the client.

use std::borrow::Cow;

use sea_orm::{DbErr, SqlErr};

/// Boxed cause of an internal error.
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No, bad or expired credentials, or a deactivated user.
    #[error("{0}")]
    Unauthenticated(Cow<'static, str>),
    /// The caller's role may not do this.
    #[error("your role may not do this")]
    Forbidden,
    /// A value breaks a rule; `field` names the input field when there is one.
    #[error("{message}")]
    BadInput {
        field: Option<Cow<'static, str>>,
        message: Cow<'static, str>,
    },
    /// A well-formed ID that does not exist.
    #[error("{entity} not found")]
    NotFound { entity: &'static str },
    /// A unique value taken, or a state that forbids the change.
    #[error("{message}")]
    Conflict {
        field: Option<&'static str>,
        message: Cow<'static, str>,
    },
    /// A sale line's price is not the catalog's any more (CONFLICT): the till shows an old
    /// price. `current_price` is the catalog's, a Decimal string.
    #[error("{field}: the price is now {current_price}")]
    PriceChanged {
        field: String,
        current_price: String,
    },
    /// Too many attempts.
    #[error("too many attempts; try again in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// A tracked product has less stock than the change needs.
    #[error("not enough stock of {sku}: {} available", crate::quantity::format_milli(*available_milli))]
    InsufficientStock {
        product_id: uuid::Uuid,
        sku: String,
        available_milli: i64,
    },
    /// Payments short of what a sale costs; amounts as Decimal strings of the currency.
    #[error("payments of {paid} are short of the total {due}")]
    PaymentInsufficient { due: String, paid: String },
    /// The register session is closed, or there is no such session.
    #[error("{0}")]
    RegisterClosed(Cow<'static, str>),
    /// Anything else. The message never says what happened; the cause is logged.
    #[error("internal error")]
    Internal(#[source] Cause),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The contract's `extensions.code`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Unauthenticated(_) => "UNAUTHENTICATED",
            Error::Forbidden => "FORBIDDEN",
            Error::BadInput { .. } => "BAD_USER_INPUT",
            Error::NotFound { .. } => "NOT_FOUND",
            Error::Conflict { .. } | Error::PriceChanged { .. } => "CONFLICT",
            Error::RateLimited { .. } => "RATE_LIMITED",
            Error::InsufficientStock { .. } => "INSUFFICIENT_STOCK",
            Error::PaymentInsufficient { .. } => "PAYMENT_INSUFFICIENT",
            Error::RegisterClosed(_) => "REGISTER_CLOSED",
            Error::Internal(_) => "INTERNAL",
        }
    }

    pub fn unauthenticated(message: impl Into<Cow<'static, str>>) -> Self {
        Error::Unauthenticated(message.into())
    }

    pub fn bad_input(
        field: impl Into<Cow<'static, str>>,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Error::BadInput {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    pub fn conflict(field: Option<&'static str>, message: impl Into<Cow<'static, str>>) -> Self {
        Error::Conflict {
            field,
            message: message.into(),
        }
    }

    pub fn internal(cause: impl Into<Cause>) -> Self {
        Error::Internal(cause.into())
    }

    pub fn not_found(entity: &'static str) -> Self {
        Error::NotFound { entity }
    }

    /// This error as one of the n-th item of the input list `list`: a field error on
    /// `quantity` becomes one on `lines[2].quantity`; other errors stay as they are.
    pub fn in_item(self, list: &str, index: usize) -> Self {
        match self {
            Error::BadInput {
                field: Some(field),
                message,
            } => Error::BadInput {
                field: Some(item_field(list, index, &field).into()),
                message,
            },
            Error::PriceChanged {
                field,
                current_price,
            } => Error::PriceChanged {
                field: item_field(list, index, &field),
                current_price,
            },
            other => other,
        }
    }
}

/// The one spelling of a field of the n-th item of an input list: `lines[2].quantity`.
pub fn item_field(list: &str, index: usize, field: &str) -> String {
    format!("{list}[{index}].{field}")
}

impl From<DbErr> for Error {
    fn from(err: DbErr) -> Self {
        Error::Internal(Box::new(err))
    }
}

/// Turns a unique-constraint violation into CONFLICT on `field`; any other error stays internal.
///
/// Used where a racing insert can still hit the constraint after the friendly pre-check passed.
pub fn unique_violation(err: DbErr, field: &'static str, message: &'static str) -> Error {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => Error::conflict(Some(field), message),
        _ => Error::from(err),
    }
}
