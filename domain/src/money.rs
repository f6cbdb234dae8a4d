//! Money: amounts in integer minor units of the shop's one currency.
//!
//! Amounts enter as Decimal strings ("12.50") and leave formatted with exactly the currency's
//! decimals ("12.50", never "12.5"). Nothing here is ever a float.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::error::{Error, Result};

/// An ISO 4217 currency with a fixed number of minor-unit digits (EUR: 2, JPY: 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Currency(iso_currency::Currency);

impl Currency {
    /// `None` for codes that are not ISO 4217 or have no minor unit defined (gold, SDRs).
    pub fn parse(code: &str) -> Option<Self> {
        let currency = iso_currency::Currency::from_code(code)?;
        currency.exponent()?;
        Some(Currency(currency))
    }

    pub fn code(&self) -> &'static str {
        self.0.code()
    }

    /// Digits after the decimal point.
    pub fn exponent(&self) -> u32 {
        self.0.exponent().map(u32::from).unwrap_or(0)
    }

    /// Reads an amount into minor units. More decimals than the currency has (after dropping
    /// trailing zeros), a malformed number or a negative one when `allow_negative` is false:
    /// BAD_USER_INPUT on `field`.
    pub fn parse_amount(
        &self,
        raw: &str,
        field: &'static str,
        allow_negative: bool,
    ) -> Result<i64> {
        let value = parse_decimal(raw, field)?;
        if value.is_sign_negative() && !value.is_zero() && !allow_negative {
            return Err(Error::bad_input(
                field,
                format!("{field} must not be negative"),
            ));
        }
        if value.scale() > self.exponent() {
            return Err(Error::bad_input(
                field,
                format!("{} takes at most {} decimals", self.code(), self.exponent()),
            ));
        }
        value
            .checked_mul(Decimal::from(10_i64.pow(self.exponent())))
            .and_then(|minor| minor.to_i64())
            .filter(|minor| minor.unsigned_abs() <= MAX_MINOR_UNITS)
            .ok_or_else(|| {
                Error::bad_input(
                    field,
                    format!(
                        "{field} is too large: at most {}",
                        self.format(MAX_MINOR_UNITS as i64)
                    ),
                )
            })
    }

    /// Minor units as a Decimal string with exactly the currency's decimals.
    pub fn format(&self, minor: i64) -> String {
        Decimal::new(minor, self.exponent()).to_string()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Every amount a client sends, and every line and sale total, is at most this many minor
/// units (a billion euros): far from i64's limits, so the sums the database keeps (a
/// session's, a day's, a year's) cannot overflow.
pub const MAX_MINOR_UNITS: u64 = 100_000_000_000;

/// The longest Decimal string read: 18 digits before the point and some after is plenty.
const MAX_DECIMAL_CHARS: usize = 40;

/// A Decimal string: digits, an optional sign and point; no exponent, no spaces inside; at
/// most [`MAX_DECIMAL_CHARS`] characters and an absolute value under 10^18, so no
/// arithmetic on it can overflow.
pub(crate) fn parse_decimal(raw: &str, field: &'static str) -> Result<Decimal> {
    let raw = raw.trim();
    if raw.len() > MAX_DECIMAL_CHARS {
        return Err(Error::bad_input(
            field,
            format!("{field} is too long for a number"),
        ));
    }
    let well_formed = !raw.is_empty()
        && raw
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+')
        && raw.chars().any(|c| c.is_ascii_digit());
    let value = well_formed.then(|| Decimal::from_str(raw).ok()).flatten();
    let value = value.map(|v| v.normalize()).ok_or_else(|| {
        Error::bad_input(
            field,
            format!("{raw:?} is not a decimal number such as \"12.50\""),
        )
    })?;
    if value.abs() >= Decimal::from(1_000_000_000_000_000_000_i64) {
        return Err(Error::bad_input(field, format!("{field} is too large")));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    #[test]
    fn currencies_know_their_minor_units() {
        assert_eq!(Currency::parse("EUR").map(|c| c.exponent()), Some(2));
        assert_eq!(Currency::parse("JPY").map(|c| c.exponent()), Some(0));
        assert_eq!(Currency::parse("eur"), None);
        assert_eq!(Currency::parse("XAU"), None);
    }

    #[test]
    fn amounts_parse_into_minor_units() {
        assert_eq!(eur().parse_amount("12.50", "price", false).unwrap(), 1250);
        assert_eq!(eur().parse_amount("12.5", "price", false).unwrap(), 1250);
        assert_eq!(eur().parse_amount("3", "price", false).unwrap(), 300);
        assert_eq!(eur().parse_amount("0.100", "price", false).unwrap(), 10);
        assert_eq!(eur().parse_amount("-3", "delta", true).unwrap(), -300);
        assert_eq!(
            Currency::parse("JPY")
                .unwrap()
                .parse_amount("500", "price", false)
                .unwrap(),
            500
        );
    }

    #[test]
    fn malformed_or_too_precise_amounts_are_bad_input() {
        for bad in [
            "12.505",
            "abc",
            "",
            "1e3",
            "12,50",
            "--1",
            "1.2.3",
            "99999999999999999999",
        ] {
            let err = eur().parse_amount(bad, "price", false).unwrap_err();
            assert!(
                matches!(err, Error::BadInput { field: Some(ref f), .. } if f == "price"),
                "{bad:?}"
            );
        }
        assert!(eur().parse_amount("-1", "price", false).is_err());
        assert!(
            Currency::parse("JPY")
                .unwrap()
                .parse_amount("1.5", "price", false)
                .is_err()
        );
    }

    #[test]
    fn amounts_are_formatted_with_the_currencys_decimals() {
        assert_eq!(eur().format(1250), "12.50");
        assert_eq!(eur().format(5), "0.05");
        assert_eq!(eur().format(-300), "-3.00");
        assert_eq!(Currency::parse("JPY").unwrap().format(500), "500");
    }
}
