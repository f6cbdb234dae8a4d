//! The codes signal's partial matches: what a cashier types of a code that is not the whole
//! code. The first digits of a damaged barcode (6 or more), the start of a SKU (`LIM-0` for
//! the cleaning aisle), a SKU without its separator or in another case (`lim010`, `LIM 010`),
//! and a 13-digit barcode typed without its check digit. Exact codes are still looked up in the
//! database (`products::by_typed_code`), as a scanner's code always was.
//!
//! Kept in memory beside the lexical index, from the same refresh: two sorted maps (barcodes,
//! and SKUs folded to upper-case letters and digits), so a prefix is a range read.

use std::collections::{BTreeMap, HashMap};

use uuid::Uuid;

use crate::catalog::barcode;

/// The fewest digits that make a barcode prefix (fewer match whole manufacturers' ranges).
pub const MIN_BARCODE_PREFIX: usize = 6;
/// The fewest letters and digits that make a SKU prefix.
const MIN_SKU_PREFIX: usize = 3;

/// Codes by what they start with.
#[derive(Default)]
pub(super) struct Codes {
    barcodes: BTreeMap<String, Uuid>,
    skus: BTreeMap<String, Uuid>,
    /// What each product is filed under, to take it out when it changes.
    filed: HashMap<Uuid, (Option<String>, String)>,
}

/// A SKU as compared: its letters and digits, upper case (`lim-010` and `LIM 010` are
/// `LIM010`).
pub fn fold_sku(sku: &str) -> String {
    sku.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

impl Codes {
    /// Files a product under its codes (or takes it out when archived).
    pub(super) fn upsert(&mut self, id: Uuid, sku: &str, barcode: Option<&str>, active: bool) {
        if let Some((old_barcode, old_sku)) = self.filed.remove(&id) {
            if let Some(old) = old_barcode
                && self.barcodes.get(&old) == Some(&id)
            {
                self.barcodes.remove(&old);
            }
            if self.skus.get(&old_sku) == Some(&id) {
                self.skus.remove(&old_sku);
            }
        }
        if !active {
            return;
        }
        let sku = fold_sku(sku);
        let barcode = barcode.map(str::to_owned);
        if let Some(barcode) = &barcode {
            self.barcodes.insert(barcode.clone(), id);
        }
        self.skus.insert(sku.clone(), id);
        self.filed.insert(id, (barcode, sku));
    }

    /// The products whose codes the query is part of, in code order, at most `limit`: for a
    /// query of digits, the barcodes it starts (6 digits or more) and the one it completes with
    /// its check digit (12 digits); for a query with a digit in it, the SKUs it starts once
    /// folded. Plain words are not codes: "leche" starts no SKU here.
    pub(super) fn partial(&self, query: &str, limit: usize) -> Vec<Uuid> {
        let query = query.trim();
        if query.is_empty() || !query.chars().any(|c| c.is_ascii_digit()) {
            return Vec::new();
        }
        let mut found: Vec<Uuid> = Vec::new();
        let push = |id: Uuid, found: &mut Vec<Uuid>| {
            if found.len() < limit && !found.contains(&id) {
                found.push(id);
            }
        };
        let digits = query.chars().all(|c| c.is_ascii_digit());
        if digits && query.len() == 12 {
            // A 13-digit barcode typed without its check digit.
            if let Some(id) = self.barcodes.get(&barcode::with_check_digit(query)) {
                push(*id, &mut found);
            }
        }
        if digits && query.len() >= MIN_BARCODE_PREFIX {
            for (_, id) in self
                .barcodes
                .range(query.to_owned()..)
                .take_while(|(code, _)| code.starts_with(query))
            {
                push(*id, &mut found);
            }
        }
        let folded = fold_sku(query);
        if folded.len() >= MIN_SKU_PREFIX {
            for (_, id) in self
                .skus
                .range(folded.clone()..)
                .take_while(|(code, _)| code.starts_with(&folded))
            {
                push(*id, &mut found);
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shelf() -> (Codes, Vec<Uuid>) {
        let ids: Vec<Uuid> = (0..4).map(|_| Uuid::now_v7()).collect();
        let mut codes = Codes::default();
        codes.upsert(ids[0], "LIM-010", Some("8412345000011"), true);
        codes.upsert(ids[1], "LIM-011", Some("8412345000028"), true);
        codes.upsert(ids[2], "FER-0203", Some("8499999000016"), true);
        codes.upsert(ids[3], "LIM-099", None, false);
        (codes, ids)
    }

    #[test]
    fn a_barcodes_first_digits_find_its_products_in_code_order() {
        let (codes, ids) = shelf();

        assert_eq!(codes.partial("841234", 10), vec![ids[0], ids[1]]);
        assert_eq!(codes.partial("8412345000028", 10), vec![ids[1]]);
        assert!(
            codes.partial("84123", 10).is_empty(),
            "five digits are too few"
        );
    }

    #[test]
    fn a_sku_matches_whatever_its_case_and_separators() {
        let (codes, ids) = shelf();

        for typed in ["lim010", "LIM 010", "LIM-010", "Lim_010"] {
            assert_eq!(codes.partial(typed, 10), vec![ids[0]], "{typed}");
        }
        assert_eq!(codes.partial("LIM-0", 10), vec![ids[0], ids[1]]);
        assert!(codes.partial("leche", 10).is_empty(), "words are not codes");
    }

    #[test]
    fn a_barcode_without_its_check_digit_finds_its_product() {
        let (codes, ids) = shelf();

        assert_eq!(codes.partial("849999900001", 10), vec![ids[2]]);
    }

    #[test]
    fn archived_and_changed_codes_are_forgotten() {
        let (mut codes, ids) = shelf();

        assert!(codes.partial("LIM099", 10).is_empty());
        codes.upsert(ids[0], "LIM-500", Some("8412345000011"), true);
        assert_eq!(codes.partial("LIM01", 10), vec![ids[1]]);
        codes.upsert(ids[1], "LIM-011", Some("8412345000028"), false);
        assert_eq!(codes.partial("841234", 10), vec![ids[0]]);
    }
}
