//! Metrics, with OpenTelemetry: exported over OTLP when an endpoint is configured
//! (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`, every
//! `OTEL_METRIC_EXPORT_INTERVAL`, 60 s by default) and read on demand for `GET /metrics` in
//! Prometheus' text format.
//!
//! - `pos_graphql_operations_total{operation,type,code}`: operations run, by operation name
//!   (`anonymous` when the document names none), type and outcome (`OK` or the error code).
//! - `pos_graphql_operation_duration_seconds{operation,type}`: their latency, a histogram.
//! - `pos_sales_total`, `pos_sales_amount_minor_total`, `pos_refunds_total`,
//!   `pos_refunds_amount_minor_total`: sales and refunds made through this process (replays of
//!   an idempotency key are not counted again), and their totals in minor units.
//! - `pos_jobs{status}`: the job queue by status (PENDING, RUNNING, FAILED), read from the
//!   database, as are `pos_backup_last_success_timestamp_seconds` and
//!   `pos_backup_last_duration_seconds` (the newest successful backup, whichever replica or
//!   command made it). Every replica reports the same values for these: aggregate with `max`.
//!
//! Counters and histograms are per process; the SDK caps each metric at 2,000 attribute sets,
//! so operation names chosen by clients cannot grow memory without bound.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use entity::backup_run;
use opentelemetry::KeyValue;
use opentelemetry::metrics::{Counter, Histogram, MeterProvider as _};
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::metrics::data::{AggregatedMetrics, MetricData, ResourceMetrics};
use opentelemetry_sdk::metrics::reader::MetricReader;
use opentelemetry_sdk::metrics::{
    InstrumentKind, ManualReader, Pipeline, SdkMeterProvider, Temporality,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    Statement,
};

/// What the database says, sampled by [`Metrics::sample`] and read by the observable gauges.
#[derive(Default)]
struct Sampled {
    jobs_pending: AtomicI64,
    jobs_running: AtomicI64,
    jobs_failed: AtomicI64,
    /// Unix seconds; -1: no successful backup yet.
    backup_last_success: AtomicI64,
    backup_last_duration_ms: AtomicI64,
}

pub struct Metrics {
    provider: SdkMeterProvider,
    scrape: PullReader,
    operations: Counter<u64>,
    operation_duration: Histogram<f64>,
    sales: Counter<u64>,
    sales_amount: Counter<u64>,
    refunds: Counter<u64>,
    refunds_amount: Counter<u64>,
    sampled: Arc<Sampled>,
}

/// Seconds: from a till's product lookup (a few ms) to a report over a year of sales.
const LATENCY_BOUNDS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

impl Metrics {
    /// The instruments, read by `GET /metrics` and, with `export_otlp`, pushed over OTLP.
    pub fn new(export_otlp: bool) -> Self {
        let scrape = PullReader(Arc::new(ManualReader::builder().build()));
        let mut builder = SdkMeterProvider::builder()
            .with_reader(scrape.clone())
            .with_resource(worker::telemetry::resource("pos-api"));
        if export_otlp {
            match opentelemetry_otlp::MetricExporter::builder()
                .with_http()
                .build()
            {
                Ok(exporter) => builder = builder.with_periodic_exporter(exporter),
                Err(error) => tracing::error!(%error, "OpenTelemetry: metrics are not exported"),
            }
        }
        let provider = builder.build();
        let meter = provider.meter("pos-odata");
        let sampled = Arc::new(Sampled {
            backup_last_success: AtomicI64::new(-1),
            ..Sampled::default()
        });
        let jobs = sampled.clone();
        meter
            .i64_observable_gauge("pos.jobs")
            .with_description("Background jobs in the queue, by status.")
            .with_callback(move |gauge| {
                for (status, count) in [
                    ("PENDING", &jobs.jobs_pending),
                    ("RUNNING", &jobs.jobs_running),
                    ("FAILED", &jobs.jobs_failed),
                ] {
                    gauge.observe(
                        count.load(Ordering::Relaxed),
                        &[KeyValue::new("status", status)],
                    );
                }
            })
            .build();
        let backups = sampled.clone();
        meter
            .i64_observable_gauge("pos.backup.last_success_timestamp")
            .with_unit("s")
            .with_description("When the newest successful backup finished (Unix time).")
            .with_callback(move |gauge| {
                let at = backups.backup_last_success.load(Ordering::Relaxed);
                if at >= 0 {
                    gauge.observe(at, &[]);
                }
            })
            .build();
        let backups = sampled.clone();
        meter
            .f64_observable_gauge("pos.backup.last_duration")
            .with_unit("s")
            .with_description("How long the newest successful backup took.")
            .with_callback(move |gauge| {
                if backups.backup_last_success.load(Ordering::Relaxed) >= 0 {
                    let ms = backups.backup_last_duration_ms.load(Ordering::Relaxed);
                    gauge.observe(ms as f64 / 1000.0, &[]);
                }
            })
            .build();
        Metrics {
            operations: meter
                .u64_counter("pos.graphql.operations")
                .with_description("GraphQL operations run, by name, type and outcome.")
                .build(),
            operation_duration: meter
                .f64_histogram("pos.graphql.operation.duration")
                .with_unit("s")
                .with_description("How long GraphQL operations took, by name and type.")
                .with_boundaries(LATENCY_BOUNDS.to_vec())
                .build(),
            sales: meter
                .u64_counter("pos.sales")
                .with_description("Sales completed.")
                .build(),
            sales_amount: meter
                .u64_counter("pos.sales.amount_minor")
                .with_description("Total of the sales completed, in minor units of the currency.")
                .build(),
            refunds: meter
                .u64_counter("pos.refunds")
                .with_description("Refunds made.")
                .build(),
            refunds_amount: meter
                .u64_counter("pos.refunds.amount_minor")
                .with_description("Money given back by refunds, in minor units of the currency.")
                .build(),
            provider,
            scrape,
            sampled,
        }
    }

    /// One GraphQL operation: `code` is `None` when it succeeded.
    pub fn operation(&self, name: &str, kind: &str, code: Option<&str>, elapsed: Duration) {
        let attributes = [
            KeyValue::new("operation", known_operation(name)),
            KeyValue::new("type", kind.to_owned()),
        ];
        self.operation_duration
            .record(elapsed.as_secs_f64(), &attributes);
        let [operation, kind] = attributes;
        let code = KeyValue::new("code", code.unwrap_or("OK").to_owned());
        self.operations.add(1, &[operation, kind, code]);
    }

    /// A subscription started (counted with `code="OK"`; it has no duration to record).
    pub fn subscription(&self, name: &str) {
        let attributes = [
            KeyValue::new("code", "OK"),
            KeyValue::new("operation", known_operation(name)),
            KeyValue::new("type", "subscription"),
        ];
        self.operations.add(1, &attributes);
    }

    /// Every operation name the metrics know, and so may label a series with.
    pub fn known_operations() -> &'static std::collections::HashSet<&'static str> {
        &KNOWN_OPERATIONS
    }

    pub fn sale(&self, total_minor: i64) {
        self.sales.add(1, &[]);
        self.sales_amount
            .add(u64::try_from(total_minor).unwrap_or(0), &[]);
    }

    pub fn refund(&self, amount_minor: i64) {
        self.refunds.add(1, &[]);
        self.refunds_amount
            .add(u64::try_from(amount_minor).unwrap_or(0), &[]);
    }

    /// Reads the job queue and the newest successful backup from the database.
    pub async fn sample(&self, db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
        let backend = db.get_database_backend();
        let jobs = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT status, COUNT(*) AS n FROM jobs GROUP BY status",
            ))
            .await?;
        let (mut pending, mut running, mut failed) = (0, 0, 0);
        for row in jobs {
            let status: String = row.try_get("", "status")?;
            let n: i64 = row.try_get("", "n")?;
            match status.as_str() {
                "PENDING" => pending = n,
                "RUNNING" => running = n,
                "FAILED" => failed = n,
                _ => {}
            }
        }
        let newest = backup_run::Entity::find()
            .filter(backup_run::Column::Status.eq(backup_run::BackupStatus::Succeeded))
            .order_by_desc(backup_run::Column::FinishedAt)
            .one(db)
            .await?;
        let s = &self.sampled;
        s.jobs_pending.store(pending, Ordering::Relaxed);
        s.jobs_running.store(running, Ordering::Relaxed);
        s.jobs_failed.store(failed, Ordering::Relaxed);
        if let Some(run) = newest
            && let Some(finished) = run.finished_at
        {
            let took = (finished - run.started_at).num_milliseconds().max(0);
            s.backup_last_duration_ms.store(took, Ordering::Relaxed);
            s.backup_last_success
                .store(finished.timestamp(), Ordering::Relaxed);
        }
        Ok(())
    }

    /// Samples the database every `every` (for the OTLP export; `/metrics` samples itself).
    pub async fn follow(self: Arc<Self>, db: DatabaseConnection, every: Duration) {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = self.sample(&db).await {
                tracing::debug!(%error, "sampling metrics from the database failed");
            }
        }
    }

    /// Every metric in Prometheus' text exposition format (version 0.0.4).
    pub fn prometheus_text(&self) -> Result<String, opentelemetry_sdk::error::OTelSdkError> {
        let mut metrics = ResourceMetrics::default();
        self.scrape.collect(&mut metrics)?;
        Ok(render(&metrics))
    }

    /// Sends what the OTLP exporter still holds (at exit).
    pub fn shutdown(&self) {
        if let Err(error) = self.provider.shutdown() {
            tracing::debug!(%error, "OpenTelemetry metrics shutdown");
        }
    }
}

/// The reader `/metrics` collects from. `SdkMeterProvider::with_reader` takes its reader by
/// value; this handle shares one [`ManualReader`] between the provider and the scrape.
#[derive(Debug, Clone)]
struct PullReader(Arc<ManualReader>);

impl MetricReader for PullReader {
    fn register_pipeline(&self, pipeline: Weak<Pipeline>) {
        self.0.register_pipeline(pipeline);
    }
    fn collect(&self, metrics: &mut ResourceMetrics) -> OTelSdkResult {
        self.0.collect(metrics)
    }
    fn force_flush(&self) -> OTelSdkResult {
        self.0.force_flush()
    }
    fn shutdown_with_timeout(&self, timeout: Duration) -> OTelSdkResult {
        self.0.shutdown_with_timeout(timeout)
    }
    fn temporality(&self, kind: InstrumentKind) -> Temporality {
        self.0.temporality(kind)
    }
}

/// Prometheus' names: dots become underscores, the unit `s` adds `_seconds`, counters end in
/// `_total`.
fn render(metrics: &ResourceMetrics) -> String {
    let mut out = String::new();
    for scope in metrics.scope_metrics() {
        for metric in scope.metrics() {
            let mut name: String = metric
                .name()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            if metric.unit() == "s" {
                name.push_str("_seconds");
            }
            let help = metric.description();
            match metric.data() {
                AggregatedMetrics::U64(data) => write_data(&mut out, &name, help, data),
                AggregatedMetrics::I64(data) => write_data(&mut out, &name, help, data),
                AggregatedMetrics::F64(data) => write_data(&mut out, &name, help, data),
            }
        }
    }
    out
}

fn write_data<T: Copy + Into<Sample>>(
    out: &mut String,
    name: &str,
    help: &str,
    data: &MetricData<T>,
) {
    match data {
        MetricData::Sum(sum) => {
            let (name, kind) = if sum.is_monotonic() {
                (format!("{name}_total"), "counter")
            } else {
                (name.to_owned(), "gauge")
            };
            header(out, &name, help, kind);
            let points = sum.data_points();
            write_points(
                out,
                &name,
                points.map(|p| (p.attributes(), p.value().into())),
            );
        }
        MetricData::Gauge(gauge) => {
            header(out, name, help, "gauge");
            let points = gauge.data_points();
            write_points(
                out,
                name,
                points.map(|p| (p.attributes(), p.value().into())),
            );
        }
        MetricData::Histogram(histogram) => {
            header(out, name, help, "histogram");
            for point in histogram.data_points() {
                let mut cumulative = 0;
                for (bound, count) in point.bounds().zip(point.bucket_counts()) {
                    cumulative += count;
                    let le = Sample::from(bound).to_string();
                    let labels = labels(point.attributes(), Some(&le));
                    let _ = writeln!(out, "{name}_bucket{labels} {cumulative}");
                }
                let all = labels(point.attributes(), Some("+Inf"));
                let _ = writeln!(out, "{name}_bucket{all} {}", point.count());
                let plain = labels(point.attributes(), None);
                let _ = writeln!(out, "{name}_sum{plain} {}", point.sum().into());
                let _ = writeln!(out, "{name}_count{plain} {}", point.count());
            }
        }
        MetricData::ExponentialHistogram(_) => {}
    }
}

/// One `name{labels} value` line per point.
fn write_points<'a, A: Iterator<Item = &'a KeyValue>>(
    out: &mut String,
    name: &str,
    points: impl Iterator<Item = (A, Sample)>,
) {
    for (attributes, value) in points {
        let _ = writeln!(out, "{name}{} {value}", labels(attributes, None));
    }
}

fn header(out: &mut String, name: &str, help: &str, kind: &str) {
    let help = help.replace('\\', "\\\\").replace('\n', "\\n");
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// `{key="value",...}` sorted by key (the SDK keeps no fixed order), `le` last.
/// The operations clients send, named in the contract (and `anonymous` for unnamed ones): the
/// only values the `operation` label takes. Names are the client's choice, so anything else is
/// `other`: series stay bounded, and a client inventing names cannot grow `/metrics` or blind
/// it by filling the label limit.
static KNOWN_OPERATIONS: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| {
        let contract = include_str!("../tests/contract/operations.graphql");
        contract
            .lines()
            .filter_map(|line| {
                let rest = line
                    .strip_prefix("query ")
                    .or_else(|| line.strip_prefix("mutation "))
                    .or_else(|| line.strip_prefix("subscription "))?;
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                Some(&rest[..end])
            })
            .filter(|name| !name.is_empty())
            .chain(["anonymous"])
            .collect()
    });

/// `name` when it is one of [`KNOWN_OPERATIONS`], else `other`.
fn known_operation(name: &str) -> &'static str {
    KNOWN_OPERATIONS.get(name).copied().unwrap_or("other")
}

fn labels<'a>(attributes: impl Iterator<Item = &'a KeyValue>, le: Option<&str>) -> String {
    let mut attributes: Vec<&KeyValue> = attributes.collect();
    attributes.sort_by(|a, b| a.key.as_str().cmp(b.key.as_str()));
    let mut pairs: Vec<String> = attributes
        .into_iter()
        .map(|kv| {
            let value = kv
                .value
                .to_string()
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('\n', "\\n");
            format!("{}=\"{value}\"", kv.key.as_str())
        })
        .collect();
    if let Some(le) = le {
        pairs.push(format!("le=\"{le}\""));
    }
    if pairs.is_empty() {
        String::new()
    } else {
        format!("{{{}}}", pairs.join(","))
    }
}

/// A sample value as Prometheus writes it (`+Inf`, `-Inf`, `NaN`).
#[derive(Clone, Copy)]
enum Sample {
    Int(i128),
    Float(f64),
}

impl From<u64> for Sample {
    fn from(v: u64) -> Self {
        Sample::Int(v.into())
    }
}
impl From<i64> for Sample {
    fn from(v: i64) -> Self {
        Sample::Int(v.into())
    }
}
impl From<f64> for Sample {
    fn from(v: f64) -> Self {
        Sample::Float(v)
    }
}

impl std::fmt::Display for Sample {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Sample::Int(v) => write!(f, "{v}"),
            Sample::Float(v) if v.is_nan() => f.write_str("NaN"),
            Sample::Float(v) if v == f64::INFINITY => f.write_str("+Inf"),
            Sample::Float(v) if v == f64::NEG_INFINITY => f.write_str("-Inf"),
            Sample::Float(v) => write!(f, "{v}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_histograms_and_gauges_in_prometheus_text() {
        let metrics = Metrics::new(false);
        metrics.operation("Products", "query", None, Duration::from_millis(3));
        metrics.operation(
            "Products",
            "query",
            Some("FORBIDDEN"),
            Duration::from_millis(40),
        );
        metrics.sale(1250);
        let text = metrics.prometheus_text().unwrap();
        for line in [
            "# TYPE pos_graphql_operations_total counter",
            "pos_graphql_operations_total{code=\"OK\",operation=\"Products\",type=\"query\"} 1",
            "pos_graphql_operations_total{code=\"FORBIDDEN\",operation=\"Products\",type=\"query\"} 1",
            "# TYPE pos_graphql_operation_duration_seconds histogram",
            "pos_graphql_operation_duration_seconds_bucket{operation=\"Products\",type=\"query\",le=\"0.005\"} 1",
            "pos_graphql_operation_duration_seconds_bucket{operation=\"Products\",type=\"query\",le=\"0.05\"} 2",
            "pos_graphql_operation_duration_seconds_bucket{operation=\"Products\",type=\"query\",le=\"+Inf\"} 2",
            "pos_graphql_operation_duration_seconds_count{operation=\"Products\",type=\"query\"} 2",
            "pos_sales_total 1",
            "pos_sales_amount_minor_total 1250",
            "pos_jobs{status=\"PENDING\"} 0",
        ] {
            assert!(
                text.lines().any(|l| l == line),
                "missing {line:?} in\n{text}"
            );
        }
        assert!(
            !text.contains("pos_backup_last_success"),
            "no backup yet: no sample"
        );
    }

    #[test]
    fn operation_labels_come_from_a_bounded_set() {
        assert_eq!(known_operation("CreateSale"), "CreateSale");
        assert_eq!(known_operation("LowStockAlerts"), "LowStockAlerts");
        assert_eq!(known_operation("anonymous"), "anonymous");
        assert_eq!(known_operation(&"x".repeat(20_000)), "other");
        assert_eq!(known_operation("createSale"), "other");
        assert!(KNOWN_OPERATIONS.len() >= 46, "{:?}", *KNOWN_OPERATIONS);
    }

    #[test]
    fn label_values_are_escaped() {
        let kv = [KeyValue::new("operation", "a\"b\\c\nd")];
        assert_eq!(labels(kv.iter(), None), r#"{operation="a\"b\\c\nd"}"#);
        assert_eq!(Sample::from(f64::INFINITY).to_string(), "+Inf");
    }
}
