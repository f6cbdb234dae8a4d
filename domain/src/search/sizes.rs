//! Sizes as shops write them and shoppers say them: "5 L" and "5 litros", "1,5 L", "33 cl",
//! "500ml", "medio kilo", "60W", "140 cm", "docena", and packs ("6x1 L" is 1 L each, 6 L in
//! all). Each size becomes one term in base units (millilitres, grams, millimetres, watts,
//! units), so "leche 6 litros" finds "Leche entera pack 6x1 L" and "cerveza litro" finds
//! "Cerveza lager botella 1 L", by the size, not by a word they share.
//!
//! A bare unit says one of it only when it is a whole word in the singular ("litro", "kilo",
//! "metro", "docena"); a bare letter ("L", "M") is a size of eggs or clothes, not a litre or a
//! metre. Amounts are exact decimals, never floats.

use std::ops::Range;
use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

/// A size said in a text.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Size {
    /// The size in base units, as a term: "ml1500", "g500", "mm25", "w60", "u12".
    pub term: String,
    /// Where it was said, in bytes of the folded text ([`crate::text::fold`]).
    pub span: Range<usize>,
}

/// The pattern of a size; `None` (logged) would mean searching without sizes.
static SIZE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \b
        (?: (?P<count>\d+) \s* x \s* )?                       # a pack: 6x
        (?P<amount> \d+ (?:[.,]\d+)? | medio | media | una? | uno )? \s*
        (?P<unit> [a-z]+ )
        \b",
    )
    .inspect_err(
        |err| tracing::error!(%err, "the size pattern does not compile; searching without sizes"),
    )
    .ok()
});

/// The sizes in `folded` (a text as [`crate::text::fold`] leaves it), in order. A pack's size
/// comes twice: each and in all.
pub(super) fn sizes(folded: &str) -> Vec<Size> {
    let mut found = Vec::new();
    let Some(pattern) = SIZE.as_ref() else {
        return found;
    };
    let mut at = 0;
    while let Some(said) = pattern.captures_at(folded, at) {
        let (Some(whole), Some(unit)) = (said.get(0), said.name("unit")) else {
            break;
        };
        at = whole.end().max(at + 1);
        let Some((dimension, per_unit, bare)) = unit_of(unit.as_str()) else {
            // Not a unit: look again from the next word ("agua 2 litros" starts at "agua").
            at = unit.start().max(whole.start() + 1);
            continue;
        };
        let amount = match said.name("amount").map(|a| a.as_str()) {
            Some("medio" | "media") => Some(Decimal::new(5, 1)),
            Some("un" | "una" | "uno") => Some(Decimal::ONE),
            Some(number) => Decimal::from_str(&number.replace(',', ".")).ok(),
            None if bare && said.name("count").is_none() => Some(Decimal::ONE),
            None => None,
        };
        let Some(each) = amount.and_then(|a| a.checked_mul(per_unit)) else {
            continue;
        };
        let span = whole.start()..whole.end();
        found.push(Size {
            term: term(dimension, each),
            span: span.clone(),
        });
        let count = said
            .name("count")
            .and_then(|c| Decimal::from_str(c.as_str()).ok());
        if let Some(all) = count.and_then(|count| count.checked_mul(each)) {
            found.push(Size {
                term: term(dimension, all),
                span,
            });
        }
    }
    found
}

fn term(dimension: &str, amount: Decimal) -> String {
    format!("{dimension}{}", amount.normalize())
}

/// A unit's dimension, how many base units one of it is, and whether it says "one" alone (a
/// whole word in the singular).
fn unit_of(unit: &str) -> Option<(&'static str, Decimal, bool)> {
    let thousand = Decimal::new(1000, 0);
    Some(match unit {
        "ml" | "mililitro" | "mililitros" => ("ml", Decimal::ONE, false),
        "cl" | "centilitro" | "centilitros" => ("ml", Decimal::TEN, false),
        "dl" => ("ml", Decimal::ONE_HUNDRED, false),
        "l" | "lt" | "lts" | "ltr" | "litros" | "litres" | "liters" => ("ml", thousand, false),
        "litro" | "litre" | "liter" => ("ml", thousand, true),
        "mg" => ("g", Decimal::new(1, 3), false),
        "g" | "gr" | "grs" | "gramos" | "grams" => ("g", Decimal::ONE, false),
        "gramo" | "gram" => ("g", Decimal::ONE, true),
        "kg" | "kgs" | "kilos" | "kilogramos" => ("g", thousand, false),
        "kilo" | "kilogramo" => ("g", thousand, true),
        "mm" => ("mm", Decimal::ONE, false),
        "cm" => ("mm", Decimal::TEN, false),
        "m" | "mts" | "metros" | "meters" | "metres" => ("mm", thousand, false),
        "metro" | "meter" | "metre" => ("mm", thousand, true),
        "w" | "watts" | "vatios" => ("w", Decimal::ONE, false),
        "watt" | "vatio" => ("w", Decimal::ONE, true),
        "u" | "ud" | "uds" | "unidades" => ("u", Decimal::ONE, false),
        "unidad" => ("u", Decimal::ONE, true),
        "docenas" => ("u", Decimal::new(12, 0), false),
        "docena" => ("u", Decimal::new(12, 0), true),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;

    fn terms(text: &str) -> Vec<String> {
        sizes(&fold(text)).into_iter().map(|s| s.term).collect()
    }

    #[test]
    fn a_size_is_one_term_in_base_units_however_it_is_written() {
        for said in ["5 L", "5 litros", "5l", "5 LTS", "5000 ml", "500 cl"] {
            assert_eq!(terms(said), ["ml5000"], "{said}");
        }
        assert_eq!(terms("Agua mineral 1,5 L"), ["ml1500"]);
        assert_eq!(terms("Cerveza lager lata 33 cl"), ["ml330"]);
        assert_eq!(terms("medio kilo de harina"), ["g500"]);
        assert_eq!(terms("Detergente en polvo 5 kg"), ["g5000"]);
        assert_eq!(terms("Cable eléctrico 2,5 mm"), ["mm2.5"]);
        assert_eq!(terms("Palo de fregona aluminio 140 cm"), ["mm1400"]);
        assert_eq!(terms("Philips bombilla LED E27 8W luz cálida"), ["w8"]);
        assert_eq!(terms("Bolsas de basura 100 L 10 uds"), ["ml100000", "u10"]);
    }

    #[test]
    fn a_pack_is_its_size_each_and_in_all() {
        assert_eq!(terms("Leche entera pack 6x1 L"), ["ml1000", "ml6000"]);
        assert_eq!(terms("Agua mineral pack 6x1,5 L"), ["ml1500", "ml9000"]);
        assert_eq!(terms("Yogur natural pack 4x125 g"), ["g125", "g500"]);
    }

    #[test]
    fn a_bare_unit_says_one_only_as_a_whole_singular_word() {
        assert_eq!(terms("cerveza litro"), ["ml1000"]);
        assert_eq!(terms("Huevos frescos M docena"), ["u12"]);
        assert_eq!(terms("Huevos camperos L media docena"), ["u6"]);
        assert!(terms("Camiseta talla M").is_empty());
        assert!(terms("pilas AAA").is_empty());
    }

    #[test]
    fn numbers_without_a_unit_and_codes_are_not_sizes() {
        assert!(terms("Tornillos para madera 4x40").is_empty());
        assert!(terms("Bombilla LED GU10").is_empty());
        assert!(terms("Folios A4").is_empty());
        assert!(terms("Bolsas de escombro 90x120").is_empty());
        assert!(terms("99999999999999999999999999999999 litros").is_empty());
    }

    #[test]
    fn each_size_says_where_it_was_said() {
        let folded = fold("leche 6 litros");
        let found = sizes(&folded);
        assert_eq!(found.len(), 1);
        assert_eq!(&folded[found[0].span.clone()], "6 litros");
    }
}
