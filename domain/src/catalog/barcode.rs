//! Barcodes: EAN-8, UPC-A and EAN-13 carry a check digit; other codes are taken as given.

use crate::error::{Error, Result};

/// A barcode as stored: trimmed, at most 32 characters, no spaces inside; when it is 8, 12 or
/// 13 digits, its last digit must be the GS1 check digit of the others.
pub fn parse(raw: &str, field: &'static str) -> Result<String> {
    let code = raw.trim();
    if code.is_empty() {
        return Err(Error::bad_input(
            field,
            "barcode must not be blank (send null to remove it)",
        ));
    }
    if code.chars().count() > 32 || code.chars().any(char::is_whitespace) {
        return Err(Error::bad_input(
            field,
            "barcode must be at most 32 characters, without spaces",
        ));
    }
    let digits: Option<Vec<u32>> = code.chars().map(|c| c.to_digit(10)).collect();
    if let Some(digits) = digits
        && matches!(digits.len(), 8 | 12 | 13)
        && !check_digit_is_valid(&digits)
    {
        return Err(Error::bad_input(
            field,
            format!("{code} has a wrong check digit for an EAN/UPC barcode"),
        ));
    }
    Ok(code.to_owned())
}

/// GS1: from the right, excluding the check digit, weights 3, 1, 3, 1…
fn check_digit_is_valid(digits: &[u32]) -> bool {
    let Some((check, body)) = digits.split_last() else {
        return false;
    };
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d })
        .sum();
    (10 - sum % 10) % 10 == *check
}

/// Appends the check digit to 7, 11 or 12 digits (demo data makes valid EAN-13s with it).
pub fn with_check_digit(body: &str) -> String {
    let digits: Vec<u32> = body.chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_barcodes_pass() {
        for code in [
            "4006381333931",
            "8410188012092",
            "036000291452",
            "96385074",
            "ABC-123",
        ] {
            assert_eq!(parse(code, "barcode").unwrap(), code);
        }
    }

    #[test]
    fn a_wrong_check_digit_is_bad_input() {
        for code in ["4006381333932", "036000291453", "96385075"] {
            let err = parse(code, "barcode").unwrap_err();
            assert!(
                matches!(err, Error::BadInput { field: Some(ref f), .. } if f == "barcode"),
                "{code}"
            );
        }
    }

    #[test]
    fn check_digits_can_be_computed() {
        assert_eq!(with_check_digit("400638133393"), "4006381333931");
        assert!(parse(&with_check_digit("841234567890"), "barcode").is_ok());
    }
}
