//! Logs through `tracing` (readable text in development, JSON lines in production:
//! `LOG_FORMAT=json`) and traces over OTLP when an endpoint is configured. The set-up is
//! shared with `pos-worker`: [`worker::telemetry`]. Metrics: [`crate::metrics`].

use crate::config::LogFormat;

pub fn init(format: LogFormat) -> worker::telemetry::Telemetry {
    worker::telemetry::init(format == LogFormat::Json, "pos-api")
}
