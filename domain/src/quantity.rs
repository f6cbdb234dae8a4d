//! Quantities in thousandths (so 0.375 kg is 375), and percentages in thousandths of a
//! percent (so 10.5 % is 10 500). Both enter and leave as Decimal strings.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::error::{Error, Result};
use crate::money::parse_decimal;

/// Thousandths in one.
pub const MILLI: i64 = 1000;

/// Largest quantity accepted: a billion units.
const MAX_MILLI: i64 = 1_000_000_000 * MILLI;

/// What a quantity may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    Positive,
    /// Zero or more.
    NonNegative,
    /// Any sign but zero (a stock adjustment).
    NonZero,
}

/// Reads a quantity with at most three decimals into thousandths; with `whole`, only whole
/// numbers (products sold by the unit).
pub fn parse_quantity(raw: &str, field: &'static str, sign: Sign, whole: bool) -> Result<i64> {
    let value = parse_decimal(raw, field)?;
    if value.scale() > 3 {
        return Err(Error::bad_input(
            field,
            format!("{field} takes at most 3 decimals"),
        ));
    }
    if whole && value.scale() > 0 {
        return Err(Error::bad_input(
            field,
            format!("{field} must be a whole number for a product sold by the unit"),
        ));
    }
    let milli = value
        .checked_mul(Decimal::from(MILLI))
        .and_then(|milli| milli.to_i64())
        .filter(|m| m.abs() <= MAX_MILLI)
        .ok_or_else(|| Error::bad_input(field, format!("{field} is too large")))?;
    let allowed = match sign {
        Sign::Positive => milli > 0,
        Sign::NonNegative => milli >= 0,
        Sign::NonZero => milli != 0,
    };
    if !allowed {
        let rule = match sign {
            Sign::Positive => "greater than zero",
            Sign::NonNegative => "zero or more",
            Sign::NonZero => "different from zero",
        };
        return Err(Error::bad_input(field, format!("{field} must be {rule}")));
    }
    Ok(milli)
}

/// Thousandths as the shortest Decimal string: 375 → "0.375", 2000 → "2", -1500 → "-1.5".
pub fn format_milli(milli: i64) -> String {
    Decimal::new(milli, 3).normalize().to_string()
}

/// Reads a tax percentage, 0 to 100 with at most three decimals, into thousandths of a percent.
pub fn parse_percent(raw: &str, field: &'static str) -> Result<i64> {
    let milli = parse_quantity(raw, field, Sign::NonNegative, false)?;
    if milli > 100 * MILLI {
        return Err(Error::bad_input(
            field,
            format!("{field} must be at most 100"),
        ));
    }
    Ok(milli)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_thousandths() {
        assert_eq!(
            parse_quantity("0.375", "quantity", Sign::Positive, false).unwrap(),
            375
        );
        assert_eq!(
            parse_quantity("2", "quantity", Sign::Positive, true).unwrap(),
            2000
        );
        assert_eq!(
            parse_quantity("-1.5", "quantity", Sign::NonZero, false).unwrap(),
            -1500
        );
        assert_eq!(
            parse_quantity("0", "counted", Sign::NonNegative, false).unwrap(),
            0
        );
    }

    #[test]
    fn quantities_break_their_rules_with_the_field_named() {
        let cases = [
            ("0.3755", Sign::Positive, false),
            ("1.5", Sign::Positive, true),
            ("0", Sign::Positive, false),
            ("-1", Sign::Positive, false),
            ("0", Sign::NonZero, false),
            ("-0.001", Sign::NonNegative, false),
            ("lots", Sign::Positive, false),
        ];
        for (raw, sign, whole) in cases {
            let err = parse_quantity(raw, "quantity", sign, whole).unwrap_err();
            assert!(
                matches!(err, Error::BadInput { field: Some(ref f), .. } if f == "quantity"),
                "{raw}"
            );
        }
    }

    #[test]
    fn quantities_print_without_trailing_zeros() {
        assert_eq!(format_milli(375), "0.375");
        assert_eq!(format_milli(2000), "2");
        assert_eq!(format_milli(-1500), "-1.5");
        assert_eq!(format_milli(0), "0");
    }

    #[test]
    fn percentages_are_bounded() {
        assert_eq!(parse_percent("10.5", "ratePercent").unwrap(), 10_500);
        assert_eq!(parse_percent("21", "ratePercent").unwrap(), 21_000);
        assert!(parse_percent("100.001", "ratePercent").is_err());
        assert!(parse_percent("-4", "ratePercent").is_err());
    }
}
