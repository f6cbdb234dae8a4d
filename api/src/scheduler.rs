//! The in-process scheduler: the nightly backup (`BACKUP_CRON`, default 02:00 in `BACKUP_TZ`).
//!
//! Every replica runs the schedule; the backup of each slot is made once, by whichever replica
//! records the slot first (`backup_runs.scheduled_for` is unique). The slot is the firing
//! time to the second, as each replica's clock reads it when its scheduler fires. A backup that
//! fails is recorded FAILED and the schedule goes on: the next night's run still happens.

use std::sync::Arc;

use anyhow::Context as _;
use chrono::{SubsecRound, Utc};
use sea_orm::DatabaseConnection;
use tokio_cron_scheduler::{Job, JobScheduler};

/// Starts the schedule; the returned scheduler runs until the process ends.
pub async fn start(
    db: DatabaseConnection,
    settings: Arc<domain::backups::Settings>,
    cron: &str,
    zone: chrono_tz::Tz,
) -> anyhow::Result<JobScheduler> {
    let job = Job::new_async_tz(cron, zone, move |_, _| {
        let (db, settings) = (db.clone(), settings.clone());
        Box::pin(async move {
            let slot = Utc::now().trunc_subsecs(0);
            match domain::backups::start_scheduled(&db, slot).await {
                Ok(Some(run)) => {
                    if let Err(error) = domain::backups::finish(&db, &settings, run).await {
                        tracing::error!(%error, "recording the scheduled backup failed");
                    }
                }
                Ok(None) => {}
                Err(error) => tracing::error!(%error, "the scheduled backup could not start"),
            }
        })
    })
    .with_context(|| {
        format!("BACKUP_CRON: {cron:?} is not a schedule such as \"0 0 2 * * *\" (sec min hour day month weekday)")
    })?;
    let scheduler = JobScheduler::new()
        .await
        .context("starting the scheduler")?;
    scheduler.add(job).await.context("scheduling the backup")?;
    scheduler.start().await.context("starting the scheduler")?;
    tracing::info!(cron, zone = %zone, "nightly backup scheduled");
    Ok(scheduler)
}
