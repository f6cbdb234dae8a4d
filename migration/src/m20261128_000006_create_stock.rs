use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(StockLevels::Table)
                    .if_not_exists()
                    .col(uuid(StockLevels::ProductId))
                    .col(uuid(StockLevels::LocationId))
                    .col(big_integer(StockLevels::OnHandMilli))
                    .col(timestamp_with_time_zone(StockLevels::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(StockLevels::ProductId)
                            .col(StockLevels::LocationId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_stock_levels_product")
                            .from(StockLevels::Table, StockLevels::ProductId)
                            .to(Products::Table, Products::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_stock_levels_location")
                            .from(StockLevels::Table, StockLevels::LocationId)
                            .to(Locations::Table, Locations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_stock_levels_location")
                    .table(StockLevels::Table)
                    .col(StockLevels::LocationId)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StockMovements::Table)
                    .if_not_exists()
                    .col(pk_uuid(StockMovements::Id))
                    .col(uuid(StockMovements::ProductId))
                    .col(uuid(StockMovements::LocationId))
                    .col(string_len(StockMovements::Reason, 16))
                    .col(big_integer(StockMovements::QuantityMilli))
                    .col(big_integer(StockMovements::OnHandAfterMilli))
                    .col(big_integer_null(StockMovements::UnitCostMinor))
                    .col(string_len_null(StockMovements::Supplier, 100))
                    .col(string_len_null(StockMovements::Reference, 100))
                    .col(text_null(StockMovements::Note))
                    .col(uuid_null(StockMovements::UserId))
                    .col(timestamp_with_time_zone(StockMovements::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_stock_movements_level")
                            .from(
                                StockMovements::Table,
                                (StockMovements::ProductId, StockMovements::LocationId),
                            )
                            .to(
                                StockLevels::Table,
                                (StockLevels::ProductId, StockLevels::LocationId),
                            ),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_stock_movements_user")
                            .from(StockMovements::Table, StockMovements::UserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // The ledger is read newest first, per product and location, or per location.
        for (name, columns) in [
            (
                "idx_stock_movements_product",
                vec![
                    StockMovements::ProductId,
                    StockMovements::LocationId,
                    StockMovements::Id,
                ],
            ),
            (
                "idx_stock_movements_location",
                vec![StockMovements::LocationId, StockMovements::Id],
            ),
        ] {
            let mut index = Index::create();
            index
                .name(name)
                .table(StockMovements::Table)
                .if_not_exists();
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(StockMovements::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(StockLevels::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum StockLevels {
    Table,
    ProductId,
    LocationId,
    OnHandMilli,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum StockMovements {
    Table,
    Id,
    ProductId,
    LocationId,
    Reason,
    QuantityMilli,
    OnHandAfterMilli,
    UnitCostMinor,
    Supplier,
    Reference,
    Note,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Locations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
