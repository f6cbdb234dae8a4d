//! The contract's Decimal scalar and Money type.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, SimpleObject, Value};
use domain::money::Currency;

/// A base-10 number written as a JSON string: "12.50", "-3", "0.125". Never a JSON number, so
/// no amount ever passes through a float. Money takes at most the currency's decimals;
/// quantities at most 3, and only whole numbers for products sold by the unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decimal(pub String);

/// A base-10 number written as a JSON string: "12.50", "-3", "0.125". Never a JSON number, so
/// no amount ever passes through a float. Money takes at most the currency's decimals;
/// quantities at most 3, and only whole numbers for products sold by the unit.
#[Scalar(name = "Decimal")]
impl ScalarType for Decimal {
    fn parse(value: Value) -> InputValueResult<Self> {
        match value {
            Value::String(text) => Ok(Decimal(text)),
            other => Err(InputValueError::custom(format!(
                "a Decimal is written as a string, e.g. \"12.50\", not {other}"
            ))),
        }
    }

    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(_))
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.clone())
    }
}

impl Decimal {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Thousandths as a Decimal ("0.375", "2").
    pub fn milli(milli: i64) -> Self {
        Decimal(domain::quantity::format_milli(milli))
    }
}

/// An amount of money in the shop's currency.
#[derive(SimpleObject, Debug, Clone)]
// Every field is at hand: resolved in turn, without the task set concurrent resolution allocates
// per object (a page of 100 products holds hundreds of these).
#[graphql(serial)]
pub struct Money {
    /// The amount with exactly the currency's decimals: "12.50", never "12.5".
    pub amount: Decimal,
    /// ISO 4217 code of the currency, e.g. `EUR`.
    pub currency: &'static str,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Money {
            amount: Decimal(currency.format(minor)),
            currency: currency.code(),
        }
    }
}
