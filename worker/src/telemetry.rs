//! Logs, and OpenTelemetry traces over OTLP, for both binaries.
//!
//! Logs go through `tracing` to stderr: JSON lines in production (`LOG_FORMAT=json`), readable
//! text otherwise; `RUST_LOG` filters as usual (default: `info`, with the SQL drivers at
//! `warn`). When an OTLP endpoint is configured (`OTEL_EXPORTER_OTLP_ENDPOINT`, or
//! `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), the same spans are also exported as traces over
//! OTLP/HTTP (protobuf), in batches from a thread of the SDK's own; the SDK reads the standard
//! `OTEL_*` variables (headers, timeout, batch delay, `OTEL_SERVICE_NAME`). Statements run
//! inside a traced span become child spans of it (see [`domain::db`]).

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::Layer as _;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// Whether an OTLP endpoint is configured, for traces (`for_metrics: false`) or metrics.
pub fn otlp_configured(env: impl Fn(&str) -> Option<String>, for_metrics: bool) -> bool {
    let specific = if for_metrics {
        "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"
    } else {
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
    };
    [specific, "OTEL_EXPORTER_OTLP_ENDPOINT"]
        .into_iter()
        .any(|var| env(var).is_some_and(|v| !v.trim().is_empty()))
}

/// What the exported telemetry says it comes from: `service` unless `OTEL_SERVICE_NAME` says
/// otherwise, and this build's version.
pub fn resource(service: &'static str) -> Resource {
    let builder = Resource::builder();
    let builder = if std::env::var_os("OTEL_SERVICE_NAME").is_some() {
        builder
    } else {
        builder.with_service_name(service)
    };
    builder
        .with_attribute(opentelemetry::KeyValue::new(
            "service.version",
            env!("CARGO_PKG_VERSION"),
        ))
        .build()
}

/// Keeps the trace exporter; [`Telemetry::shutdown`] sends what is still buffered.
#[must_use = "dropping it stops nothing, but shutdown() flushes the last spans"]
pub struct Telemetry {
    traces: Option<SdkTracerProvider>,
}

impl Telemetry {
    /// Exports the spans still buffered (waits for the exporter, so call it once, at exit).
    pub fn shutdown(self) {
        if let Some(traces) = self.traces
            && let Err(error) = traces.shutdown()
        {
            eprintln!("OpenTelemetry: flushing the last spans failed: {error}");
        }
    }
}

/// Sets up logging, and trace export when an OTLP endpoint is configured. A second call (tests)
/// keeps the first set-up.
pub fn init(json: bool, service: &'static str) -> Telemetry {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new(
            "info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn,ort=warn,\
             opentelemetry=warn,reqwest=warn,hyper_util=warn",
        )
    });
    let logs = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let logs = if json {
        logs.json().flatten_event(true).boxed()
    } else {
        logs.boxed()
    };
    let (traces, otel) = match trace_exporter(service) {
        Ok(Some(provider)) => {
            let layer = tracing_opentelemetry::layer().with_tracer(provider.tracer("pos-odata"));
            opentelemetry::global::set_tracer_provider(provider.clone());
            domain::db::trace_statements(true);
            (Some(provider), Some(layer))
        }
        Ok(None) => (None, None),
        Err(error) => {
            eprintln!("OpenTelemetry: traces are not exported: {error}");
            (None, None)
        }
    };
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(logs)
        .with(otel)
        .try_init();
    Telemetry { traces }
}

fn trace_exporter(
    service: &'static str,
) -> Result<Option<SdkTracerProvider>, opentelemetry_otlp::ExporterBuildError> {
    if !otlp_configured(|var| std::env::var(var).ok(), false) {
        return Ok(None);
    }
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .build()?;
    Ok(Some(
        SdkTracerProvider::builder()
            .with_batch_exporter(exporter)
            .with_resource(resource(service))
            .build(),
    ))
}
