use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Customers::Table)
                    .if_not_exists()
                    .col(pk_uuid(Customers::Id))
                    .col(string_len(Customers::Name, 200))
                    .col(string_len_null(Customers::Email, 254))
                    .col(string_len_null(Customers::Phone, 32))
                    .col(string_len_null(Customers::TaxId, 32))
                    .col(text(Customers::SearchText))
                    .col(timestamp_with_time_zone(Customers::CreatedAt))
                    .col(timestamp_with_time_zone(Customers::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_customers_name")
                    .table(Customers::Table)
                    .col(Customers::Name)
                    .col(Customers::Id)
                    .if_not_exists()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Customers::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
    Name,
    Email,
    Phone,
    TaxId,
    SearchText,
    CreatedAt,
    UpdatedAt,
}
