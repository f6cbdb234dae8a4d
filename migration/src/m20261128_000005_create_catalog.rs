use sea_orm_migration::sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TaxRates::Table)
                    .if_not_exists()
                    .col(pk_uuid(TaxRates::Id))
                    .col(string_len_uniq(TaxRates::Name, 64))
                    .col(big_integer(TaxRates::RateMilli))
                    .col(timestamp_with_time_zone(TaxRates::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Categories::Table)
                    .if_not_exists()
                    .col(pk_uuid(Categories::Id))
                    .col(string_len(Categories::Name, 100))
                    .col(uuid_null(Categories::ParentId))
                    .col(timestamp_with_time_zone(Categories::CreatedAt))
                    .col(timestamp_with_time_zone(Categories::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_categories_parent")
                            .from(Categories::Table, Categories::ParentId)
                            .to(Categories::Table, Categories::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Products::Table)
                    .if_not_exists()
                    .col(pk_uuid(Products::Id))
                    .col(string_len_uniq(Products::Sku, 64))
                    .col(string_len_null(Products::Barcode, 32).unique_key())
                    .col(string_len(Products::Name, 200))
                    .col(text_null(Products::Description))
                    .col(uuid_null(Products::CategoryId))
                    .col(string_len(Products::Unit, 8))
                    .col(big_integer(Products::PriceMinor))
                    .col(big_integer_null(Products::CostMinor))
                    .col(uuid_null(Products::TaxRateId))
                    .col(boolean(Products::TrackStock))
                    .col(big_integer_null(Products::LowStockThresholdMilli))
                    .col(boolean(Products::Active))
                    .col(text(Products::SearchText))
                    .col(timestamp_with_time_zone(Products::CreatedAt))
                    .col(timestamp_with_time_zone(Products::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_products_category")
                            .from(Products::Table, Products::CategoryId)
                            .to(Categories::Table, Categories::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_products_tax_rate")
                            .from(Products::Table, Products::TaxRateId)
                            .to(TaxRates::Table, TaxRates::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        // Lists are keyset-paginated by (name, id) within the active or archived products.
        manager
            .create_index(
                Index::create()
                    .name("idx_products_active_name")
                    .table(Products::Table)
                    .col(Products::Active)
                    .col(Products::Name)
                    .col(Products::Id)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_products_category")
                    .table(Products::Table)
                    .col(Products::CategoryId)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        // "Contains" searches: trigram index on PostgreSQL; SQLite scans, which a shop's
        // catalog (thousands of rows) does in a few milliseconds.
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            let db = manager.get_connection();
            db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                .await?;
            db.execute_unprepared(
                "CREATE INDEX IF NOT EXISTS idx_products_search_trgm ON products USING gin (search_text gin_trgm_ops)",
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Products::Table.into_iden(),
            Categories::Table.into_iden(),
            TaxRates::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum TaxRates {
    Table,
    Id,
    Name,
    RateMilli,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Categories {
    Table,
    Id,
    Name,
    ParentId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
    Sku,
    Barcode,
    Name,
    Description,
    CategoryId,
    Unit,
    PriceMinor,
    CostMinor,
    TaxRateId,
    TrackStock,
    LowStockThresholdMilli,
    Active,
    SearchText,
    CreatedAt,
    UpdatedAt,
}
