//! The ledger invariant under random sequences of stock changes: after every change, each
//! level equals the sum of its movements and what a simple model of the shop expects; a
//! refused change leaves everything as it was.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

mod common;

use common::Backend;

use domain::inventory::{Adjustment, Receipt, ReceiptLine, Transfer};
use domain::quantity::format_milli;
use entity::stock_movement::StockReason;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use sea_orm::TransactionTrait;
use serde_json::json;
use uuid::Uuid;

#[derive(Debug, Clone)]
enum Op {
    Receive { at: usize, milli: i64 },
    Adjust { at: usize, milli: i64 },
    Count { at: usize, milli: i64 },
    Transfer { from: usize, milli: i64 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..2usize, 1..20_000i64).prop_map(|(at, milli)| Op::Receive { at, milli }),
        (0..2usize, -15_000..15_000i64)
            .prop_filter("not zero", |(_, m)| *m != 0)
            .prop_map(|(at, milli)| Op::Adjust { at, milli }),
        (0..2usize, 0..25_000i64).prop_map(|(at, milli)| Op::Count { at, milli }),
        (0..2usize, 1..10_000i64).prop_map(|(from, milli)| Op::Transfer { from, milli }),
    ]
}

/// Runs one sequence on a fresh product and checks the ledger after every step.
async fn run_sequence(
    app: &common::TestApp,
    actor: Uuid,
    locations: [Uuid; 2],
    ops: Vec<Op>,
) -> Result<(), TestCaseError> {
    let currency = app.app.config.default_currency;
    let db = &app.app.db;
    let product = {
        let txn = db.begin().await.unwrap();
        let new = domain::catalog::products::NewProduct {
            sku: format!("PROP-{}", Uuid::now_v7().simple()),
            barcode: None,
            name: "Queso al corte".into(),
            description: None,
            category_id: None,
            unit: entity::product::Unit::Kg,
            price: "12.00".into(),
            cost: None,
            tax_rate_id: None,
            track_stock: true,
            low_stock_threshold: None,
        };
        let created = domain::catalog::products::create(&txn, actor, currency, new)
            .await
            .unwrap();
        txn.commit().await.unwrap();
        created.id
    };
    let mut model = [0i64; 2];
    for op in ops {
        let txn = db.begin().await.unwrap();
        let (result, expected) = match op.clone() {
            Op::Receive { at, milli } => {
                let receipt = Receipt {
                    location_id: locations[at],
                    lines: vec![ReceiptLine {
                        product_id: product,
                        quantity: format_milli(milli),
                        unit_cost: Some("3.10".into()),
                    }],
                    supplier: None,
                    reference: None,
                };
                let mut next = model;
                next[at] += milli;
                (
                    domain::inventory::receive(&txn, actor, currency, receipt)
                        .await
                        .map(|_| ()),
                    Some(next),
                )
            }
            Op::Adjust { at, milli } => {
                let adjustment = Adjustment {
                    location_id: locations[at],
                    product_id: product,
                    quantity: Some(format_milli(milli)),
                    counted_quantity: None,
                    reason: StockReason::Adjustment,
                    note: None,
                };
                let mut next = model;
                next[at] += milli;
                let allowed = next[at] >= 0;
                (
                    domain::inventory::adjust(&txn, actor, adjustment)
                        .await
                        .map(|_| ()),
                    allowed.then_some(next),
                )
            }
            Op::Count { at, milli } => {
                let adjustment = Adjustment {
                    location_id: locations[at],
                    product_id: product,
                    quantity: None,
                    counted_quantity: Some(format_milli(milli)),
                    reason: StockReason::Count,
                    note: None,
                };
                let mut next = model;
                next[at] = milli;
                (
                    domain::inventory::adjust(&txn, actor, adjustment)
                        .await
                        .map(|_| ()),
                    Some(next),
                )
            }
            Op::Transfer { from, milli } => {
                let transfer = Transfer {
                    from_location_id: locations[from],
                    to_location_id: locations[1 - from],
                    product_id: product,
                    quantity: format_milli(milli),
                    note: None,
                };
                let mut next = model;
                next[from] -= milli;
                next[1 - from] += milli;
                let allowed = next[from] >= 0;
                (
                    domain::inventory::transfer(&txn, actor, transfer)
                        .await
                        .map(|_| ()),
                    allowed.then_some(next),
                )
            }
        };
        match (result, expected) {
            (Ok(()), Some(next)) => {
                txn.commit().await.unwrap();
                model = next;
            }
            (
                Err(domain::Error::InsufficientStock {
                    available_milli, ..
                }),
                None,
            ) => {
                drop(txn);
                let at = match op {
                    Op::Adjust { at, .. } => at,
                    Op::Transfer { from, .. } => from,
                    _ => unreachable!(),
                };
                prop_assert_eq!(available_milli, model[at]);
            }
            (outcome, expected) => {
                prop_assert!(false, "{op:?}: got {outcome:?}, expected {expected:?}")
            }
        }
        for (at, location) in locations.iter().enumerate() {
            let on_hand = domain::inventory::on_hand(db, product, *location)
                .await
                .unwrap();
            prop_assert_eq!(on_hand, model[at], "after {:?}", op);
        }
        let wrong = domain::inventory::ledger_discrepancies(db).await.unwrap();
        prop_assert!(wrong.is_empty(), "after {op:?}: {wrong:?}");
    }
    Ok(())
}

both_backends!(random_stock_changes_keep_the_ledger_exact);

async fn random_stock_changes_keep_the_ledger_exact(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let main = app.main_location(&admin.access).await;
    let other = app
        .ok(&admin.access, "mutation { createLocation(input: { code: \"B\", name: \"B\", timezone: \"UTC\" }) { id } }", json!({}))
        .await;
    let locations = [
        Uuid::parse_str(&main).unwrap(),
        Uuid::parse_str(other["createLocation"]["id"].as_str().unwrap()).unwrap(),
    ];
    let actor = Uuid::parse_str(&admin.user_id).unwrap();
    let mut runner = TestRunner::new(Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    });
    let handle = tokio::runtime::Handle::current();

    let outcome = tokio::task::block_in_place(|| {
        runner.run(&proptest::collection::vec(op(), 1..30), |ops| {
            handle.block_on(run_sequence(&app, actor, locations, ops))
        })
    });

    outcome.unwrap();
}
