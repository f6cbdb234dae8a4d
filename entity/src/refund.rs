//! `refunds`: money (and maybe goods) given back for part or all of a sale.

use sea_orm::entity::prelude::*;

use crate::sale_payment::PaymentMethod;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "refunds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub sale_id: Uuid,
    /// Who refunded.
    pub user_id: Uuid,
    /// The drawer that paid a cash refund.
    pub register_session_id: Option<Uuid>,
    pub method: PaymentMethod,
    pub amount_minor: i64,
    /// Tax given back, part of `amount_minor`.
    pub tax_minor: i64,
    /// Cost of the goods returned (for the margin).
    pub cost_minor: i64,
    /// Whether the goods went back into stock (RETURN movements).
    pub restocked: bool,
    pub reason: String,
    /// Unique per user: a retry with the same key returns this refund.
    pub idempotency_key: String,
    pub request_hash: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
