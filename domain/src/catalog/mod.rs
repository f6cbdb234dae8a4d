//! The catalog: tax rates, categories and products.

pub mod barcode;
pub mod categories;
pub mod products;
pub mod tax_rates;
