use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Sales rung up while the till was offline, and what a receipt in Spain must show.
///
/// - `sales.recorded_at`: when the server stored the sale (`created_at` is when it happened
///   on the till); `offline`, and the reasons a manager reviews a sale for: `oversold` (an
///   offline sale took stock below zero), `price_changed` (it was charged at a price the
///   catalog no longer had) and `after_close` (it reached the server after its drawer was
///   counted and closed).
/// - `sale_lines.catalog_price_minor`: the catalog's price when the line was sold (the line's
///   `unit_price_minor` is what was charged).
/// - `locations`: the legal name, tax id, address and footer printed on receipts, and the
///   language receipts are written in.
///
/// SQLite takes one `ADD COLUMN` per statement, hence one alteration per column.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            // Constant default, then the real value: SQLite refuses a non-constant default
            // in ADD COLUMN.
            timestamp_with_time_zone(Sales::RecordedAt)
                .default("1970-01-01T00:00:00+00:00")
                .to_owned(),
            boolean(Sales::Offline).default(false).to_owned(),
            boolean(Sales::Oversold).default(false).to_owned(),
            boolean(Sales::PriceChanged).default(false).to_owned(),
            boolean(Sales::AfterClose).default(false).to_owned(),
        ] {
            add(manager, Sales::Table, column).await?;
        }
        manager
            .get_connection()
            .execute_unprepared("UPDATE sales SET recorded_at = created_at")
            .await?;
        add(
            manager,
            SaleLines::Table,
            big_integer_null(SaleLines::CatalogPriceMinor),
        )
        .await?;
        for column in [
            string_null(Locations::LegalName),
            string_null(Locations::TaxId),
            string_null(Locations::Address),
            string_null(Locations::ReceiptFooter),
            string_len(Locations::Language, 2).default("es").to_owned(),
        ] {
            add(manager, Locations::Table, column).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let drops = [
            (Sales::Table.into_iden(), Sales::RecordedAt.into_iden()),
            (Sales::Table.into_iden(), Sales::Offline.into_iden()),
            (Sales::Table.into_iden(), Sales::Oversold.into_iden()),
            (Sales::Table.into_iden(), Sales::PriceChanged.into_iden()),
            (Sales::Table.into_iden(), Sales::AfterClose.into_iden()),
            (
                SaleLines::Table.into_iden(),
                SaleLines::CatalogPriceMinor.into_iden(),
            ),
            (
                Locations::Table.into_iden(),
                Locations::LegalName.into_iden(),
            ),
            (Locations::Table.into_iden(), Locations::TaxId.into_iden()),
            (Locations::Table.into_iden(), Locations::Address.into_iden()),
            (
                Locations::Table.into_iden(),
                Locations::ReceiptFooter.into_iden(),
            ),
            (
                Locations::Table.into_iden(),
                Locations::Language.into_iden(),
            ),
        ];
        for (table, column) in drops {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn add(
    manager: &SchemaManager<'_>,
    table: impl IntoIden,
    mut column: ColumnDef,
) -> Result<(), DbErr> {
    manager
        .alter_table(
            Table::alter()
                .table(table)
                .add_column(&mut column)
                .to_owned(),
        )
        .await
}

#[derive(DeriveIden)]
enum Sales {
    Table,
    RecordedAt,
    Offline,
    Oversold,
    PriceChanged,
    AfterClose,
}

#[derive(DeriveIden)]
enum SaleLines {
    Table,
    CatalogPriceMinor,
}

#[derive(DeriveIden)]
enum Locations {
    Table,
    LegalName,
    TaxId,
    Address,
    ReceiptFooter,
    Language,
}
