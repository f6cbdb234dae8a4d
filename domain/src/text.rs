//! Text as shoppers and cashiers type it.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower case without accents or repeated spaces: "Café  con Leche" → "cafe con leche".
/// Stored beside names so that searches ignore case and accents with a plain `LIKE` on both
/// backends.
pub fn fold(text: &str) -> String {
    let folded: String = text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A `LIKE` pattern that finds `needle` anywhere, with `%`, `_` and `\` taken literally
/// (escape character `\`).
pub fn contains_pattern(needle: &str) -> String {
    let mut pattern = String::with_capacity(needle.len() + 2);
    pattern.push('%');
    for c in fold(needle).chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// A required text field: trimmed, 1 to `max` characters.
pub fn required(raw: &str, field: &'static str, max: usize) -> crate::Result<String> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(crate::Error::bad_input(
            field,
            format!("{field} is required"),
        ));
    }
    if value.chars().count() > max {
        return Err(crate::Error::bad_input(
            field,
            format!("{field} must be at most {max} characters"),
        ));
    }
    Ok(value.to_owned())
}

/// An optional text field: trimmed; blank means absent.
pub fn optional(
    raw: Option<&str>,
    field: &'static str,
    max: usize,
) -> crate::Result<Option<String>> {
    match raw.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(value) => required(value, field, max).map(Some),
    }
}

/// A short stable fingerprint of `text` (the first 16 hex digits of its SHA-256), e.g. to
/// keep apart what several databases store in one shared Redis.
pub fn digest(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let full = format!("{:x}", Sha256::digest(text.as_bytes()));
    full[..16].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_case_accents_and_extra_spaces() {
        assert_eq!(fold("Café  con Leche"), "cafe con leche");
        assert_eq!(fold("PIÑA"), "pina");
        assert_eq!(fold("Müsli "), "musli");
    }

    #[test]
    fn patterns_take_wildcards_literally() {
        assert_eq!(contains_pattern("50%"), "%50\\%%");
        assert_eq!(contains_pattern("a_b"), "%a\\_b%");
        assert_eq!(contains_pattern("Café"), "%cafe%");
    }
}
