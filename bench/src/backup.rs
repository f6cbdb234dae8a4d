//! The backup benchmark: `pos-api`'s backup (pg_dump streamed through gzip in-process, with
//! its checksum) next to the plain pipeline `pg_dump | gzip > file`, on the report benchmark's
//! database (1,000,000 sale lines), in the same run. Time of each (median of `runs`), and how
//! much the process doing our backup grew while doing it (it must not depend on the
//! database's size: the dump is never held in memory).

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use entity::backup_run::{BackupStatus, BackupTrigger};

use crate::server::Server;

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

/// This process's peak resident memory (VmHWM), in KiB.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|kib| kib.parse().ok())
        })
        .unwrap_or(0)
}

/// Resets the peak to the current resident memory (Linux: `5` into clear_refs).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

pub fn run(database_url: &str, runs: usize) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join("pos-odata-bench-backups");
    std::fs::create_dir_all(&dir)?;
    let server = Server::start(database_url)?;
    let runtime = crate::load::runtime()?;
    runtime.block_on(crate::report::seed(&server.app.db))?;
    let mut settings = server.app.config.backup_settings();
    settings.dir = dir.clone();
    settings.retention_days = 1;

    let (mut ours, mut plain, mut growth) = (Vec::new(), Vec::new(), Vec::new());
    let mut size = 0;
    for _ in 0..runs {
        let plain_file = dir.join("plain.sql.gz");
        let started = Instant::now();
        let status = Command::new("bash")
            .arg("-c")
            .arg("set -o pipefail; pg_dump --format=plain --no-owner --no-privileges --dbname \"$URL\" | gzip > \"$OUT\"")
            .env("URL", database_url)
            .env("OUT", &plain_file)
            .status()
            .context("running pg_dump | gzip")?;
        if !status.success() {
            bail!("pg_dump | gzip failed: {status}");
        }
        plain.push(started.elapsed());

        reset_peak();
        let before = peak_kib();
        let started = Instant::now();
        let run = runtime.block_on(domain::backups::run(
            &server.app.db,
            &settings,
            BackupTrigger::Manual,
        ))?;
        ours.push(started.elapsed());
        growth.push(peak_kib().saturating_sub(before));
        if run.status != BackupStatus::Succeeded {
            bail!("the backup failed: {:?}", run.error);
        }
        size = run.size_bytes.unwrap_or_default();
        if let Some(name) = &run.file_name {
            let _ = std::fs::remove_file(dir.join(name));
            let _ = std::fs::remove_file(dir.join(format!("{name}.sha256")));
        }
        // One backup per second of start time: the next one gets its own name.
        std::thread::sleep(Duration::from_millis(1100));
    }
    let (ours_median, plain_median) = (median(ours.clone()), median(plain.clone()));
    println!(
        "backup of the report database ({:.1} MB compressed), median of {runs}:",
        size as f64 / 1e6
    );
    println!(
        "  pg_dump | gzip      {:>7.2} s   (runs: {:?})",
        plain_median.as_secs_f64(),
        plain
            .iter()
            .map(|d| (d.as_secs_f64() * 100.0).round() / 100.0)
            .collect::<Vec<_>>()
    );
    println!(
        "  pos-api backup      {:>7.2} s   (runs: {:?})",
        ours_median.as_secs_f64(),
        ours.iter()
            .map(|d| (d.as_secs_f64() * 100.0).round() / 100.0)
            .collect::<Vec<_>>()
    );
    println!(
        "  ratio               {:>7.2}     (target: at most 1.15)",
        ours_median.as_secs_f64() / plain_median.as_secs_f64()
    );
    println!(
        "  pos-api's peak memory grew by {:?} KiB during the backups",
        growth
    );
    drop(server);
    Ok(())
}
