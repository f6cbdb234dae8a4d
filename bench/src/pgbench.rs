//! pgbench, PostgreSQL's own load generator, running a plain-SQL script from `bench/pgbench/`:
//! the same statements the server runs for an operation, without HTTP, GraphQL or a pool in
//! between, at the same client counts and in the same run. What it reaches is this machine's
//! physical limit for that operation, and the API's throughput is reported as a ratio to it,
//! which holds still better than absolute numbers on a noisy machine.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context as _, bail};

use crate::load::Settings;

/// What one pgbench run measured.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    pub per_second: f64,
    pub p50: Duration,
    pub p99: Duration,
}

/// The path of a script (or schema) in `bench/pgbench/`.
pub fn script(name: &str) -> String {
    format!("{}/pgbench/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs `bench/pgbench/<name>` against `url` at `clients` clients for the measured seconds of
/// `settings`, with every transaction's latency logged (`-l`) for the percentiles.
pub fn run(url: &str, name: &str, clients: usize, settings: Settings) -> anyhow::Result<Measured> {
    let script = script(name);
    if !Path::new(&script).exists() {
        bail!("{script} is missing");
    }
    let logs = LogDir::new()?;
    let output = Command::new("pgbench")
        .args(["-n", "-M", "prepared", "-j", "2", "-l"])
        .arg(format!("--log-prefix={}", logs.0.join("tx").display()))
        .args(["-c", &clients.to_string()])
        .args(["-T", &settings.measure.as_secs().to_string()])
        .args(["-f", &script, url])
        .output()
        .context("running pgbench (Debian: apt install postgresql-client)")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!(
            "pgbench failed: {}{}",
            stdout,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let per_second = stdout
        .lines()
        .find_map(|line| line.strip_prefix("tps = "))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|tps| tps.parse().ok())
        .with_context(|| format!("no tps in pgbench's output: {stdout}"))?;
    let mut latencies = logs.latencies()?;
    latencies.sort_unstable();
    Ok(Measured {
        per_second,
        p50: crate::load::percentile(&latencies, 0.50),
        p99: crate::load::percentile(&latencies, 0.99),
    })
}

/// A directory for pgbench's transaction logs, removed when dropped.
struct LogDir(PathBuf);

impl LogDir {
    fn new() -> anyhow::Result<LogDir> {
        let dir = std::env::temp_dir().join(format!("pos-bench-pgbench-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(LogDir(dir))
    }

    /// Every logged transaction's latency. A log line is `client transaction latency_us
    /// script epoch_s epoch_us`.
    fn latencies(&self) -> anyhow::Result<Vec<Duration>> {
        let mut latencies = Vec::new();
        for entry in std::fs::read_dir(&self.0)? {
            let text = std::fs::read_to_string(entry?.path())?;
            latencies.extend(
                text.lines()
                    .filter_map(|line| line.split_whitespace().nth(2))
                    .filter_map(|us| us.parse().ok())
                    .map(Duration::from_micros),
            );
        }
        Ok(latencies)
    }
}

impl Drop for LogDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
