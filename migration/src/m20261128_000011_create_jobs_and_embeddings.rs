//! `jobs` (the outbox the worker runs) and `product_embeddings` (semantic search's vectors).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Jobs::Table)
                    .if_not_exists()
                    .col(pk_uuid(Jobs::Id))
                    .col(string_len(Jobs::Kind, 32))
                    .col(string_len(Jobs::DedupeKey, 128))
                    .col(text(Jobs::Payload))
                    .col(string_len(Jobs::Status, 16))
                    .col(integer(Jobs::Attempts))
                    .col(integer(Jobs::MaxAttempts))
                    .col(timestamp_with_time_zone(Jobs::RunAt))
                    .col(timestamp_with_time_zone_null(Jobs::LockedUntil))
                    .col(string_len_null(Jobs::LockedBy, 64))
                    .col(text_null(Jobs::LastError))
                    .col(timestamp_with_time_zone(Jobs::CreatedAt))
                    .col(timestamp_with_time_zone(Jobs::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        // One waiting job per subject: enqueueing again while one waits adds nothing (a job
        // already running may have read the old data, so a new one may wait beside it).
        db.execute_unprepared(
            "CREATE UNIQUE INDEX IF NOT EXISTS idx_jobs_one_pending \
             ON jobs (kind, dedupe_key) WHERE status = 'PENDING'",
        )
        .await?;
        // What a claim scans: due waiting jobs and running ones whose lease may have expired.
        manager
            .create_index(
                Index::create()
                    .name("idx_jobs_status_run_at")
                    .table(Jobs::Table)
                    .col(Jobs::Status)
                    .col(Jobs::RunAt)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ProductEmbeddings::Table)
                    .if_not_exists()
                    .col(pk_uuid(ProductEmbeddings::ProductId))
                    .col(string_len(ProductEmbeddings::Model, 128))
                    .col(integer(ProductEmbeddings::Dimensions))
                    .col(blob(ProductEmbeddings::Vector))
                    .col(string_len(ProductEmbeddings::ContentHash, 64))
                    .col(timestamp_with_time_zone(ProductEmbeddings::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProductEmbeddings::Table, ProductEmbeddings::ProductId)
                            .to(Products::Table, Products::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Search indexes on every instance follow new vectors and changed products by time.
        manager
            .create_index(
                Index::create()
                    .name("idx_product_embeddings_updated_at")
                    .table(ProductEmbeddings::Table)
                    .col(ProductEmbeddings::UpdatedAt)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_products_updated_at")
                    .table(Products::Table)
                    .col(Products::UpdatedAt)
                    .if_not_exists()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("idx_products_updated_at").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ProductEmbeddings::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Jobs::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    Kind,
    DedupeKey,
    Payload,
    Status,
    Attempts,
    MaxAttempts,
    RunAt,
    LockedUntil,
    LockedBy,
    LastError,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ProductEmbeddings {
    Table,
    ProductId,
    Model,
    Dimensions,
    Vector,
    ContentHash,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
    UpdatedAt,
}
