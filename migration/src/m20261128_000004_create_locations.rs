use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Locations::Table)
                    .if_not_exists()
                    .col(pk_uuid(Locations::Id))
                    .col(string_len_uniq(Locations::Code, 16))
                    .col(string_len(Locations::Name, 100))
                    .col(char_len(Locations::Currency, 3))
                    .col(string_len(Locations::Timezone, 64))
                    .col(boolean(Locations::PricesIncludeTax))
                    .col(timestamp_with_time_zone(Locations::CreatedAt))
                    .col(timestamp_with_time_zone(Locations::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Locations::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Locations {
    Table,
    Id,
    Code,
    Name,
    Currency,
    Timezone,
    PricesIncludeTax,
    CreatedAt,
    UpdatedAt,
}
