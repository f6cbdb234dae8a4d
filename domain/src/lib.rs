//! The business rules of pos-odata, shared by the API server and the worker.
//!
//! # Layout
//! - [`error`]: the one error type; every variant carries the contract's error code, and a
//!   list item's field errors are named one way (`lines[2].quantity`, [`error::item_field`]).
//! - [`auth`]: logins, sessions (refresh-token families), access tokens, login rate limits.
//! - [`users`], [`locations`], [`catalog`], [`inventory`], [`customers`], [`sales`], [`audit`]: one
//!   module per business area. [`inventory`] is the stock ledger: every change of stock returns
//!   its movements and the low-stock alerts they raise.
//! - [`bootstrap`]: what a fresh database gets on first start. [`backups`]: full copies of
//!   the database (pg_dump or a SQLite snapshot, gzip) and their record.
//! - [`jobs`]: the outbox of background work (embeddings), claimed by `pos-worker` runners.
//!   [`search`]: the hybrid product search (codes, tantivy, vectors) each instance keeps.
//! - [`db`]: opening SQLite or PostgreSQL; the only place that tells them apart at connect time.
//! - [`pagination`], [`money`], [`quantity`], [`text`]: value types and parsing used across
//!   areas (keyset pages, amounts in minor units, quantities in thousandths, folded text).
//! - [`demo`]: the demo shop (`pos-api seed-demo`), its catalog as typed rows.
//!
//! Functions that only read or write take `&impl ConnectionTrait`, so a caller can run them
//! inside its own transaction. Use cases that must do slow work first (hashing a password)
//! take the `DatabaseConnection` and open their transaction after that work, so no lock is
//! held while a CPU burns 50 ms.

pub mod audit;
pub mod auth;
pub mod backups;
pub mod bootstrap;
pub mod catalog;
pub mod customers;
pub mod db;
pub mod demo;
pub mod error;
pub mod inventory;
pub mod jobs;
pub mod locations;
pub mod money;
pub mod pagination;
pub mod quantity;
pub mod sales;
pub mod search;
pub mod text;
pub mod users;

pub use error::{Error, Result};
