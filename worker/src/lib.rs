//! pos-worker: background jobs of pos-odata.
//!
//! # Layout
//! - [`runner`]: the job runner over the `jobs` table (see `domain::jobs` for how a job
//!   lives). `pos-worker` runs one; `pos-api` runs one in-process unless
//!   `WORKER_MODE=external`.
//! - [`embedder`]: the embedding model (fastembed over ONNX Runtime, from local files).
//! - [`embeddings`]: from products to stored vectors; [`reindex`]: all of them, with progress.
//! - [`config`]: the variables both binaries read, read one way ([`config::Basics`]).
//! - [`settings`]: the environment both binaries read for the model, and logging set-up.

pub mod config;
pub mod embedder;
pub mod embeddings;
pub mod reindex;
pub mod runner;
pub mod settings;
pub mod telemetry;

pub use embedder::{Embedder, EmbedderSettings, LoadError};
pub use runner::{Runner, RunnerSettings};
