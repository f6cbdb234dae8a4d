//! SeaORM models of pos-odata's tables.
//!
//! # Layout
//! One module per table, each with its `Model`, `Relation` and `ActiveModel`; enums stored as
//! text columns live next to the table that owns them (`user::Role`). Nothing here knows about
//! GraphQL or business rules: the `domain` crate decides what a valid row is, the `api` crate
//! decides how it is shown. The tables themselves are created by the `migration` crate, which
//! never imports this one (an old migration must not change when a model does).

pub mod audit_log;
pub mod backup_run;
pub mod cash_movement;
pub mod category;
pub mod customer;
pub mod job;
pub mod location;
pub mod product;
pub mod product_count;
pub mod product_embedding;
pub mod refresh_token;
pub mod refund;
pub mod refund_line;
pub mod register_session;
pub mod sale;
pub mod sale_counter;
pub mod sale_line;
pub mod sale_payment;
pub mod stock_level;
pub mod stock_movement;
pub mod tax_rate;
pub mod user;
