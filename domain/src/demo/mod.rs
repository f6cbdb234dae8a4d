//! Demo data: a small Spanish supermarket, so GraphiQL has something to show.
//!
//! `pos-api seed-demo` loads it through the same domain functions the API uses (so every
//! rule, movement and audit row is real). It is idempotent: tax rates and categories are
//! matched by name, products by SKU, and stock is only received for products created now.

use std::collections::HashMap;

use entity::product::Unit;
use entity::{category, tax_rate};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};
use uuid::Uuid;

mod catalog;

use catalog::{GROUPS, TAX_RATES};

use crate::catalog::barcode;
use crate::catalog::products::{self, NewProduct};
use crate::catalog::{categories, tax_rates};
use crate::error::Result;
use crate::inventory::{self, Receipt, ReceiptLine};
use crate::money::Currency;

/// What the seeding did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Seeded {
    pub tax_rates: usize,
    pub categories: usize,
    pub products: usize,
}

/// Loads the demo shop into `MAIN` (and the rest of the catalog). `actor` signs the audit
/// rows; run it twice and the second run adds nothing.
pub async fn seed(
    db: &DatabaseConnection,
    actor: Uuid,
    currency: Currency,
    main: Uuid,
) -> Result<Seeded> {
    let mut seeded = Seeded::default();
    let txn = db.begin().await?;
    name_the_shop(&txn, actor, main).await?;

    let mut rates: HashMap<&str, Uuid> = HashMap::new();
    for (name, percent) in TAX_RATES {
        let existing = tax_rate::Entity::find()
            .filter(tax_rate::Column::Name.eq(name))
            .one(&txn)
            .await?;
        let id = match existing {
            Some(rate) => rate.id,
            None => {
                seeded.tax_rates += 1;
                tax_rates::create(&txn, actor, tax_rates::NewTaxRate::parse(name, percent)?)
                    .await?
                    .id
            }
        };
        rates.insert(name, id);
    }

    let mut number = 0u64;
    let mut receipt = Vec::new();
    for group in GROUPS {
        let unit = &group.unit;
        let parent_id =
            find_or_create_category(&txn, actor, group.parent, None, &mut seeded).await?;
        let category_id =
            find_or_create_category(&txn, actor, group.category, Some(parent_id), &mut seeded)
                .await?;
        for item in group.items {
            number += 1;
            let price = item.price;
            let sku = format!("DEMO-{number:04}");
            if products::by_code(&txn, &sku).await?.is_some() {
                continue;
            }
            let price_minor = currency.parse_amount(price, "price", false)?;
            // Weighed goods have no barcode (the scale prints one); packaged goods an EAN-13.
            let barcode = (*unit == Unit::Unit)
                .then(|| barcode::with_check_digit(&format!("84{:010}", 7_000_000 + number * 37)));
            let product = products::create(
                &txn,
                actor,
                currency,
                NewProduct {
                    sku,
                    barcode,
                    name: item.name.to_owned(),
                    description: item.description.map(str::to_owned),
                    category_id: Some(category_id),
                    unit: *unit,
                    price: price.to_owned(),
                    cost: None,
                    tax_rate_id: rates.get(group.rate).copied(),
                    track_stock: true,
                    low_stock_threshold: Some(if *unit == Unit::Unit {
                        "6".into()
                    } else {
                        "2".into()
                    }),
                },
            )
            .await?;
            seeded.products += 1;
            // Stock between 0 and 47 units (0.5 to 24 kg), bought at about 62 % of the price.
            let quantity = if *unit == Unit::Unit {
                (number * 7) % 48
            } else {
                500 + (number * 1_750) % 23_500
            };
            if quantity > 0 {
                let unit_cost = currency.format(price_minor * 62 / 100);
                let quantity = if *unit == Unit::Unit {
                    quantity.to_string()
                } else {
                    crate::quantity::format_milli(i64::try_from(quantity).unwrap_or(0))
                };
                receipt.push(ReceiptLine {
                    product_id: product.id,
                    quantity,
                    unit_cost: Some(unit_cost),
                });
            }
        }
    }
    if !receipt.is_empty() {
        inventory::receive(
            &txn,
            actor,
            currency,
            Receipt {
                location_id: main,
                lines: receipt,
                supplier: Some("Distribuciones Demo S.L.".into()),
                reference: Some("DEMO-ALTA".into()),
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(seeded)
}

/// The demo shop's receipts read like a Spanish shop's: its trade and legal name, tax id and
/// address, in Madrid's time, unless an admin already gave MAIN a legal name.
async fn name_the_shop(txn: &sea_orm::DatabaseTransaction, actor: Uuid, main: Uuid) -> Result<()> {
    let location = crate::locations::get(txn, main).await?;
    if location.legal_name.is_some() {
        return Ok(());
    }
    crate::locations::update(
        txn,
        actor,
        main,
        crate::locations::LocationChanges {
            name: Some("Supermercado O'data".into()),
            timezone: Some("Europe/Madrid".into()),
            legal_name: Some(Some("O'data Alimentación S.L.".into())),
            tax_id: Some(Some("B12345674".into())),
            address: Some(Some("Calle Mayor 1\n28013 Madrid".into())),
            footer: Some(Some("Devoluciones en 30 días con el ticket".into())),
            language: None,
        },
    )
    .await?;
    Ok(())
}

async fn find_or_create_category(
    txn: &sea_orm::DatabaseTransaction,
    actor: Uuid,
    name: &str,
    parent: Option<Uuid>,
    seeded: &mut Seeded,
) -> Result<Uuid> {
    let mut query = category::Entity::find().filter(category::Column::Name.eq(name));
    query = match parent {
        Some(parent) => query.filter(category::Column::ParentId.eq(parent)),
        None => query.filter(category::Column::ParentId.is_null()),
    };
    if let Some(existing) = query.one(txn).await? {
        return Ok(existing.id);
    }
    seeded.categories += 1;
    Ok(categories::create(txn, actor, name.to_owned(), parent)
        .await?
        .id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_shop_has_a_few_hundred_products_with_valid_prices_and_short_descriptions() {
        let count: usize = GROUPS.iter().map(|g| g.items.len()).sum();
        assert!((200..=400).contains(&count), "{count}");
        let eur = Currency::parse("EUR").unwrap();
        let mut names = std::collections::HashSet::new();
        for group in GROUPS {
            let rate = group.rate;
            assert!(TAX_RATES.iter().any(|(name, _)| *name == rate), "{rate}");
            for item in group.items {
                let name = item.name;
                assert!(names.insert(name), "{name}: the name is taken");
                eur.parse_amount(item.price, "price", false).unwrap();
                if let Some(description) = item.description {
                    let words = description.split_whitespace().count();
                    assert!((4..=15).contains(&words), "{name}: {words} words");
                }
            }
        }
    }
}
