//! Sale numbers: `MAIN-000123`, gap-free per location.
//!
//! # Why a sale may commit before it has its number
//! Gap-free numbers need the location's counter row locked from taking a number until the
//! sale commits, so that a sale that fails gives its number back. Held through every commit
//! (fsync included), that lock would let one sale per location reach the disk at a time. So a
//! sale takes the counter only when no other sale holds it ([`try_take`], `SKIP LOCKED`): a
//! lone till numbers its sale in the sale's own transaction. When the counter is busy, the
//! sale commits without a number and [`ensure`] numbers it right after, together with every
//! other sale of the location that committed meanwhile, in one short transaction: one
//! counter lock and one commit per batch instead of per sale. Numbers go only to committed
//! sales, so none is ever lost, and a sale left unnumbered by a crash is numbered by the next
//! batch at its location or at start-up ([`sweep`]). createSale answers only once its sale has
//! its number.

use std::collections::HashMap;

use entity::location;
use entity::sale;
use entity::sale_counter;
use sea_orm::sea_query::{CaseStatement, Expr, LockBehavior, LockType, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::error::{Error, Result};

fn format(code: &str, number: i64) -> String {
    format!("{code}-{number:06}")
}

/// The location's next number, when no other transaction holds its counter; the counter then
/// stays locked until the caller's transaction ends.
pub(crate) async fn try_take(
    conn: &impl ConnectionTrait,
    location_id: Uuid,
    code: &str,
) -> Result<Option<String>> {
    let Some(counter) = sale_counter::Entity::find_by_id(location_id)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .one(conn)
        .await?
    else {
        // Busy, or the location's first sale: numbered after the commit.
        return Ok(None);
    };
    let next = counter.last_number + 1;
    sale_counter::Entity::update_many()
        .col_expr(sale_counter::Column::LastNumber, Expr::value(next))
        .filter(sale_counter::Column::LocationId.eq(location_id))
        .exec(conn)
        .await?;
    Ok(Some(format(code, next)))
}

/// Numbers every committed sale of the location that has no number yet, in sale order, in
/// one transaction; returns the numbers given.
pub async fn number_pending(
    db: &DatabaseConnection,
    location_id: Uuid,
    code: &str,
) -> Result<HashMap<Uuid, String>> {
    let txn = db.begin().await?;
    // Creates the counter at zero, or locks it (waiting for whoever holds it).
    let counter = sale_counter::Entity::insert(sale_counter::ActiveModel {
        location_id: Set(location_id),
        last_number: Set(0),
    })
    .on_conflict(
        OnConflict::column(sale_counter::Column::LocationId)
            .value(
                sale_counter::Column::LastNumber,
                Expr::col((sale_counter::Entity, sale_counter::Column::LastNumber)),
            )
            .to_owned(),
    )
    .exec_with_returning(&txn)
    .await?;
    let pending: Vec<Uuid> = sale::Entity::find()
        .select_only()
        .column(sale::Column::Id)
        .filter(sale::Column::LocationId.eq(location_id))
        .filter(sale::Column::Number.is_null())
        .order_by_asc(sale::Column::CreatedAt)
        .order_by_asc(sale::Column::Id)
        .into_tuple()
        .all(&txn)
        .await?;
    if pending.is_empty() {
        txn.rollback().await?;
        return Ok(HashMap::new());
    }
    let given: HashMap<Uuid, String> = pending
        .iter()
        .zip(counter.last_number + 1..)
        .map(|(id, n)| (*id, format(code, n)))
        .collect();
    let mut numbers = CaseStatement::new();
    for (id, number) in &given {
        numbers = numbers.case(sale::Column::Id.eq(*id), Expr::value(number.clone()));
    }
    sale::Entity::update_many()
        .col_expr(sale::Column::Number, numbers.into())
        .filter(sale::Column::Id.is_in(pending.iter().copied()))
        .exec(&txn)
        .await?;
    let last = counter.last_number + i64::try_from(pending.len()).unwrap_or(i64::MAX);
    sale_counter::Entity::update_many()
        .col_expr(sale_counter::Column::LastNumber, Expr::value(last))
        .filter(sale_counter::Column::LocationId.eq(location_id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(given)
}

/// The sale with its number: numbered now (with the rest of its location's batch) when it
/// has none yet. `code` is its location's code, when the caller has it at hand.
pub async fn ensure(
    db: &DatabaseConnection,
    mut sale: sale::Model,
    code: Option<&str>,
) -> Result<sale::Model> {
    if sale.number.is_some() {
        return Ok(sale);
    }
    let code = match code {
        Some(code) => code.to_owned(),
        None => crate::locations::get(db, sale.location_id).await?.code,
    };
    let given = number_pending(db, sale.location_id, &code).await?;
    if let Some(number) = given.get(&sale.id) {
        sale.number = Some(number.clone());
        return Ok(sale);
    }
    // Another batch numbered it while this one waited for the counter.
    sale::Entity::find_by_id(sale.id)
        .one(db)
        .await?
        .filter(|sale| sale.number.is_some())
        .ok_or_else(|| Error::internal("a committed sale was left without a number"))
}

/// Numbers what a crash left unnumbered, at every location (start-up).
pub async fn sweep(db: &DatabaseConnection) -> Result<usize> {
    let mut numbered = 0;
    for location in location::Entity::find().all(db).await? {
        numbered += number_pending(db, location.id, &location.code).await?.len();
    }
    Ok(numbered)
}
