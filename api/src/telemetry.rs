//! Logs through `tracing`: readable text in development, JSON lines in production
//! (`LOG_FORMAT=json`). The set-up is shared with `pos-worker`.

use crate::config::LogFormat;

pub fn init(format: LogFormat) {
    worker::settings::init_logging(format == LogFormat::Json);
}
