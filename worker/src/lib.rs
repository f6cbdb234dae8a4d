//! pos-worker: background jobs of pos-odata.
//!
//! # Layout
//! This crate is where the job runner goes (a `FOR UPDATE SKIP LOCKED` queue over a jobs
//! table, filled inside business transactions), with the fastembed embedding jobs for
//! semantic search and the nightly backup. The foundation has no background work, so the crate
//! holds nothing yet; `pos-api` will link it to run the runner in-process in the single-node
//! default.
