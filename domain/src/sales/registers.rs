//! Register sessions: a drawer opened with a float, cash paid in and out, closed with a count.
//!
//! A sale, a cash movement or a void takes a shared lock on its session row and checks the
//! session is open; closing takes an exclusive lock. So nothing lands in a session after its
//! close has counted it, and sales on one drawer never wait for each other.

use chrono::{DateTime, Utc};
use entity::cash_movement::{self, CashMovementKind};
use entity::register_session::{self, RegisterStatus};
use entity::user::Role;
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::totals::{self, Scope, SessionTotals};
use crate::audit;
use crate::auth::Principal;
use crate::error::{Error, Result, unique_violation};
use crate::money::Currency;
use crate::{locations, text};

pub struct OpenRegister {
    pub location_id: Uuid,
    pub register_name: String,
    /// Decimal string.
    pub opening_float: String,
}

/// Opens a drawer. A second open session for the same register name and location: CONFLICT.
pub async fn open(
    conn: &impl ConnectionTrait,
    actor: &Principal,
    currency: Currency,
    input: OpenRegister,
) -> Result<register_session::Model> {
    let name = text::required(&input.register_name, "registerName", 64)?;
    let float = currency.parse_amount(&input.opening_float, "openingFloat", false)?;
    locations::get(conn, input.location_id).await?;
    let session = register_session::ActiveModel {
        id: Set(Uuid::now_v7()),
        location_id: Set(input.location_id),
        register_name: Set(name),
        status: Set(RegisterStatus::Open),
        opening_float_minor: Set(float),
        opened_by: Set(actor.user_id),
        opened_at: Set(Utc::now()),
        closed_by: Set(None),
        closed_at: Set(None),
        expected_cash_minor: Set(None),
        counted_cash_minor: Set(None),
        close_note: Set(None),
    }
    .insert(conn)
    .await
    .map_err(|e| {
        unique_violation(
            e,
            "registerName",
            "this register is already open at this location: close it first",
        )
    })?;
    audit::record(
        conn,
        Some(actor.user_id),
        "register.open",
        "register_session",
        Some(session.id.to_string()),
        json!({ "registerName": session.register_name, "openingFloat": currency.format(float) }),
    )
    .await?;
    Ok(session)
}

/// A session the caller may see: a cashier only the sessions they opened (others are
/// NOT_FOUND to them, so IDs of other drawers reveal nothing).
pub async fn get(
    conn: &impl ConnectionTrait,
    actor: &Principal,
    id: Uuid,
) -> Result<register_session::Model> {
    register_session::Entity::find_by_id(id)
        .one(conn)
        .await?
        .filter(|session| may_use(actor, session))
        .ok_or(Error::not_found("register session"))
}

pub async fn get_many(
    conn: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<register_session::Model>> {
    Ok(register_session::Entity::find()
        .filter(register_session::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// Whether `actor` may see and use `session`: a cashier their own, MANAGER and ADMIN all. Every
/// path to a session goes through it (by id, a sale's or a refund's session).
pub fn may_use(actor: &Principal, session: &register_session::Model) -> bool {
    actor.has_role(Role::Manager) || session.opened_by == actor.user_id
}

/// The open sessions at a location, oldest first (a cashier sees their own).
pub async fn open_at(
    conn: &impl ConnectionTrait,
    actor: &Principal,
    location_id: Uuid,
) -> Result<Vec<register_session::Model>> {
    locations::get(conn, location_id).await?;
    let mut query = register_session::Entity::find()
        .filter(register_session::Column::LocationId.eq(location_id))
        .filter(register_session::Column::Status.eq(RegisterStatus::Open))
        .order_by_asc(register_session::Column::Id);
    if !actor.has_role(Role::Manager) {
        query = query.filter(register_session::Column::OpenedBy.eq(actor.user_id));
    }
    Ok(query.all(conn).await?)
}

/// How a use of a session locks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lock {
    /// Sales, cash movements, refunds, voids: many at once, none during a close.
    Shared,
    /// Closing.
    Exclusive,
}

/// Locks a session the caller may use and checks it is open: closed, unknown or not theirs
/// is REGISTER_CLOSED (a cashier's till screen treats all three the same way: open a register).
pub(crate) async fn lock_open(
    conn: &impl ConnectionTrait,
    actor: &Principal,
    id: Uuid,
    lock: Lock,
) -> Result<register_session::Model> {
    let query = register_session::Entity::find_by_id(id);
    let query = match lock {
        Lock::Shared => query.lock_shared(),
        Lock::Exclusive => query.lock_exclusive(),
    };
    match query.one(conn).await? {
        Some(session) if !may_use(actor, &session) => Err(Error::RegisterClosed(
            "this register session was opened by another cashier".into(),
        )),
        Some(session) if session.status == RegisterStatus::Open => Ok(session),
        Some(_) => Err(Error::RegisterClosed(
            "this register session is closed: open the register again".into(),
        )),
        None => Err(Error::RegisterClosed(
            "there is no such register session: open a register first".into(),
        )),
    }
}

/// The session a sale rung up offline at `occurred_at` belongs to, locked like
/// [`lock_open`]. Such a sale may reach the server after its drawer was counted and closed;
/// it happened while the drawer was open, so it is taken (never lost) and `true` says it came
/// after the close. A session closed before the sale happened is REGISTER_CLOSED.
pub(crate) async fn lock_for_offline_sale(
    conn: &impl ConnectionTrait,
    actor: &Principal,
    id: Uuid,
    occurred_at: DateTime<Utc>,
) -> Result<(register_session::Model, bool)> {
    match lock_open(conn, actor, id, Lock::Shared).await {
        Ok(session) => Ok((session, false)),
        Err(closed @ Error::RegisterClosed(_)) => {
            let session = register_session::Entity::find_by_id(id)
                .lock_shared()
                .one(conn)
                .await?
                .filter(|session| may_use(actor, session));
            match session {
                Some(session)
                    if session.closed_at.is_some_and(|closed| {
                        occurred_at <= closed + chrono::Duration::minutes(5)
                    }) =>
                {
                    Ok((session, true))
                }
                _ => Err(closed),
            }
        }
        Err(other) => Err(other),
    }
}

pub struct NewCashMovement {
    pub register_session_id: Uuid,
    pub kind: CashMovementKind,
    /// Decimal string, more than zero.
    pub amount: String,
    pub reason: String,
}

/// Cash put into (PAY_IN) or taken from (PAY_OUT) an open drawer.
pub async fn record_cash_movement(
    conn: &impl ConnectionTrait,
    actor: &Principal,
    currency: Currency,
    input: NewCashMovement,
) -> Result<cash_movement::Model> {
    let amount = currency.parse_amount(&input.amount, "amount", false)?;
    if amount == 0 {
        return Err(Error::bad_input("amount", "amount must be more than zero"));
    }
    let reason = text::required(&input.reason, "reason", 500)?;
    let session = lock_open(conn, actor, input.register_session_id, Lock::Shared).await?;
    let movement = cash_movement::ActiveModel {
        id: Set(Uuid::now_v7()),
        register_session_id: Set(session.id),
        kind: Set(input.kind),
        amount_minor: Set(amount),
        reason: Set(reason),
        user_id: Set(actor.user_id),
        created_at: Set(Utc::now()),
    }
    .insert(conn)
    .await?;
    audit::record(
        conn,
        Some(actor.user_id),
        "register.cash_movement",
        "register_session",
        Some(session.id.to_string()),
        json!({
            "kind": movement.kind.to_value(),
            "amount": currency.format(amount),
            "reason": movement.reason,
        }),
    )
    .await?;
    Ok(movement)
}

/// A session's cash movements, oldest first.
pub async fn cash_movements(
    conn: &impl ConnectionTrait,
    session_id: Uuid,
) -> Result<Vec<cash_movement::Model>> {
    Ok(cash_movement::Entity::find()
        .filter(cash_movement::Column::RegisterSessionId.eq(session_id))
        .order_by_asc(cash_movement::Column::Id)
        .all(conn)
        .await?)
}

/// What the drawer should hold: the opening float, plus cash taken for sales that were not
/// voided (tendered minus change), minus cash refunds paid from it, plus pay-ins, minus
/// pay-outs.
pub async fn expected_cash(
    conn: &impl ConnectionTrait,
    session: &register_session::Model,
) -> Result<i64> {
    let cash = totals::session_cash(conn, session.id).await?;
    Ok(session.opening_float_minor + cash)
}

/// Counted minus expected cash, negative when the drawer is short; `None` while the session
/// is open (nothing was counted yet).
pub fn over_short(session: &register_session::Model) -> Option<i64> {
    Some(session.counted_cash_minor? - session.expected_cash_minor?)
}

/// The X report: the session's totals so far (the Z report once closed).
pub async fn session_totals(
    conn: &impl ConnectionTrait,
    session_id: Uuid,
) -> Result<SessionTotals> {
    totals::totals(conn, &Scope::Session(session_id)).await
}

pub struct CloseRegister {
    pub register_session_id: Uuid,
    /// Decimal string: what the drawer holds.
    pub counted_cash: String,
    pub note: Option<String>,
}

/// Counts the drawer and closes the session; it takes no more sales, movements or voids.
pub async fn close(
    conn: &impl ConnectionTrait,
    actor: &Principal,
    currency: Currency,
    input: CloseRegister,
) -> Result<register_session::Model> {
    let counted = currency.parse_amount(&input.counted_cash, "countedCash", false)?;
    let note = text::optional(input.note.as_deref(), "note", 2000)?;
    let session = lock_open(conn, actor, input.register_session_id, Lock::Exclusive).await?;
    let expected = expected_cash(conn, &session).await?;
    let mut closing = session.into_active_model();
    closing.status = Set(RegisterStatus::Closed);
    closing.closed_by = Set(Some(actor.user_id));
    closing.closed_at = Set(Some(Utc::now()));
    closing.expected_cash_minor = Set(Some(expected));
    closing.counted_cash_minor = Set(Some(counted));
    closing.close_note = Set(note);
    let closed = closing.update(conn).await?;
    audit::record(
        conn,
        Some(actor.user_id),
        "register.close",
        "register_session",
        Some(closed.id.to_string()),
        json!({
            "expectedCash": currency.format(expected),
            "countedCash": currency.format(counted),
            "overShort": over_short(&closed).map(|minor| currency.format(minor)),
        }),
    )
    .await?;
    Ok(closed)
}
