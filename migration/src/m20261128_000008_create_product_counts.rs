use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// How many products are active and archived, kept up to date by every change that adds a
/// product or flips its `active` flag: counting 100,000 rows for every page of the product list
/// would cost more than the page itself.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ProductCounts::Table)
                    .if_not_exists()
                    .col(boolean(ProductCounts::Active).primary_key())
                    .col(big_integer(ProductCounts::Products))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "INSERT INTO product_counts (active, products) \
             SELECT flag, (SELECT COUNT(*) FROM products WHERE products.active = flag) \
             FROM (SELECT TRUE AS flag UNION ALL SELECT FALSE) AS flags",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ProductCounts::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ProductCounts {
    Table,
    Active,
    Products,
}
