//! GraphQL output types. Each wraps a row or a domain value and decides how it is shown;
//! table rows never derive GraphQL traits themselves.

pub mod audit;
pub mod auth;
pub mod backup;
pub mod catalog;
pub mod customer;
pub mod inventory;
pub mod location;
pub mod sales;
pub mod scalars;
pub mod user;
