//! Register sessions, their cash movements, sales (lines, payments) and refunds.
//!
//! Money columns are integer minor units (`*_minor`), quantities thousandths (`*_milli`).
//! A sale's number is null from its commit until numbering gives it one (see
//! `domain::sales::numbers`); stock movements of sales, refunds and voids name their sale.
//! Lines keep snapshots of what the catalog said at sale time (SKU, name, price, tax rate,
//! cost), so later catalog edits never change a past sale.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RegisterSessions::Table)
                    .if_not_exists()
                    .col(pk_uuid(RegisterSessions::Id))
                    .col(uuid(RegisterSessions::LocationId))
                    .col(string_len(RegisterSessions::RegisterName, 64))
                    .col(string_len(RegisterSessions::Status, 8))
                    .col(big_integer(RegisterSessions::OpeningFloatMinor))
                    .col(uuid(RegisterSessions::OpenedBy))
                    .col(timestamp_with_time_zone(RegisterSessions::OpenedAt))
                    .col(uuid_null(RegisterSessions::ClosedBy))
                    .col(timestamp_with_time_zone_null(RegisterSessions::ClosedAt))
                    .col(big_integer_null(RegisterSessions::ExpectedCashMinor))
                    .col(big_integer_null(RegisterSessions::CountedCashMinor))
                    .col(text_null(RegisterSessions::CloseNote))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_register_sessions_location")
                            .from(RegisterSessions::Table, RegisterSessions::LocationId)
                            .to(Locations::Table, Locations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_register_sessions_opened_by")
                            .from(RegisterSessions::Table, RegisterSessions::OpenedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // One open session per register and location, names compared ignoring case ("Caja 1"
        // is "caja 1"). A partial unique index on an expression reads the same on PostgreSQL
        // and SQLite, and sea-query's builder cannot write one.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX IF NOT EXISTS idx_register_sessions_one_open \
                 ON register_sessions (location_id, lower(register_name)) WHERE status = 'OPEN'",
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_register_sessions_location")
                    .table(RegisterSessions::Table)
                    .col(RegisterSessions::LocationId)
                    .col(RegisterSessions::Status)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CashMovements::Table)
                    .if_not_exists()
                    .col(pk_uuid(CashMovements::Id))
                    .col(uuid(CashMovements::RegisterSessionId))
                    .col(string_len(CashMovements::Kind, 8))
                    .col(big_integer(CashMovements::AmountMinor))
                    .col(text(CashMovements::Reason))
                    .col(uuid(CashMovements::UserId))
                    .col(timestamp_with_time_zone(CashMovements::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_cash_movements_session")
                            .from(CashMovements::Table, CashMovements::RegisterSessionId)
                            .to(RegisterSessions::Table, RegisterSessions::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_cash_movements_session",
            CashMovements::Table,
            [CashMovements::RegisterSessionId, CashMovements::Id],
        )
        .await?;

        // The last sale number given out per location; bumped in the sale's transaction, so
        // numbers are gap-free (a failed sale rolls its number back).
        manager
            .create_table(
                Table::create()
                    .table(SaleCounters::Table)
                    .if_not_exists()
                    .col(pk_uuid(SaleCounters::LocationId))
                    .col(big_integer(SaleCounters::LastNumber))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sales::Table)
                    .if_not_exists()
                    .col(pk_uuid(Sales::Id))
                    .col(string_len_null(Sales::Number, 40))
                    .col(uuid(Sales::LocationId))
                    .col(uuid(Sales::RegisterSessionId))
                    .col(uuid(Sales::CashierId))
                    .col(uuid_null(Sales::CustomerId))
                    .col(string_len(Sales::Status, 20))
                    .col(big_integer(Sales::SubtotalMinor))
                    .col(big_integer(Sales::DiscountTotalMinor))
                    .col(big_integer(Sales::TaxTotalMinor))
                    .col(big_integer(Sales::TotalMinor))
                    .col(big_integer(Sales::AmountPaidMinor))
                    .col(big_integer(Sales::ChangeMinor))
                    .col(big_integer(Sales::CostTotalMinor))
                    .col(text_null(Sales::Note))
                    .col(string_len(Sales::IdempotencyKey, 200))
                    .col(string_len(Sales::RequestHash, 64))
                    .col(timestamp_with_time_zone(Sales::CreatedAt))
                    .col(timestamp_with_time_zone_null(Sales::VoidedAt))
                    .col(uuid_null(Sales::VoidedBy))
                    .col(text_null(Sales::VoidReason))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sales_location")
                            .from(Sales::Table, Sales::LocationId)
                            .to(Locations::Table, Locations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sales_session")
                            .from(Sales::Table, Sales::RegisterSessionId)
                            .to(RegisterSessions::Table, RegisterSessions::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sales_cashier")
                            .from(Sales::Table, Sales::CashierId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sales_customer")
                            .from(Sales::Table, Sales::CustomerId)
                            .to(Customers::Table, Customers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "idx_sales_idempotency",
            Sales::Table,
            [Sales::CashierId, Sales::IdempotencyKey],
        )
        .await?;
        unique(
            manager,
            "idx_sales_number",
            Sales::Table,
            [Sales::LocationId, Sales::Number],
        )
        .await?;
        index(
            manager,
            "idx_sales_created",
            Sales::Table,
            [Sales::CreatedAt, Sales::Id],
        )
        .await?;
        index(
            manager,
            "idx_sales_session",
            Sales::Table,
            [Sales::RegisterSessionId, Sales::Id],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(SaleLines::Table)
                    .if_not_exists()
                    .col(pk_uuid(SaleLines::Id))
                    .col(uuid(SaleLines::SaleId))
                    .col(integer(SaleLines::Position))
                    .col(uuid(SaleLines::ProductId))
                    .col(string_len(SaleLines::Sku, 64))
                    .col(string_len(SaleLines::Name, 200))
                    .col(string_len(SaleLines::Unit, 8))
                    .col(big_integer(SaleLines::QuantityMilli))
                    .col(big_integer(SaleLines::UnitPriceMinor))
                    .col(big_integer(SaleLines::BaseMinor))
                    .col(big_integer(SaleLines::DiscountMinor))
                    .col(big_integer(SaleLines::TaxRateMilli))
                    .col(big_integer(SaleLines::TaxMinor))
                    .col(big_integer(SaleLines::TotalMinor))
                    .col(big_integer(SaleLines::CostMinor))
                    .col(boolean(SaleLines::TracksStock))
                    .col(big_integer(SaleLines::RefundedQuantityMilli))
                    .col(big_integer(SaleLines::RefundedMinor))
                    .col(big_integer(SaleLines::RefundedTaxMinor))
                    .col(big_integer(SaleLines::RefundedCostMinor))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sale_lines_sale")
                            .from(SaleLines::Table, SaleLines::SaleId)
                            .to(Sales::Table, Sales::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sale_lines_product")
                            .from(SaleLines::Table, SaleLines::ProductId)
                            .to(Products::Table, Products::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_sale_lines_sale",
            SaleLines::Table,
            [SaleLines::SaleId, SaleLines::Position],
        )
        .await?;
        index(
            manager,
            "idx_sale_lines_product",
            SaleLines::Table,
            [SaleLines::ProductId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(SalePayments::Table)
                    .if_not_exists()
                    .col(pk_uuid(SalePayments::Id))
                    .col(uuid(SalePayments::SaleId))
                    .col(integer(SalePayments::Position))
                    .col(string_len(SalePayments::Method, 16))
                    .col(big_integer(SalePayments::AmountMinor))
                    .col(string_len_null(SalePayments::Reference, 100))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sale_payments_sale")
                            .from(SalePayments::Table, SalePayments::SaleId)
                            .to(Sales::Table, Sales::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_sale_payments_sale",
            SalePayments::Table,
            [SalePayments::SaleId, SalePayments::Position],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Refunds::Table)
                    .if_not_exists()
                    .col(pk_uuid(Refunds::Id))
                    .col(uuid(Refunds::SaleId))
                    .col(uuid(Refunds::UserId))
                    .col(uuid_null(Refunds::RegisterSessionId))
                    .col(string_len(Refunds::Method, 16))
                    .col(big_integer(Refunds::AmountMinor))
                    .col(big_integer(Refunds::TaxMinor))
                    .col(big_integer(Refunds::CostMinor))
                    .col(boolean(Refunds::Restocked))
                    .col(text(Refunds::Reason))
                    .col(string_len(Refunds::IdempotencyKey, 200))
                    .col(string_len(Refunds::RequestHash, 64))
                    .col(timestamp_with_time_zone(Refunds::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_refunds_sale")
                            .from(Refunds::Table, Refunds::SaleId)
                            .to(Sales::Table, Sales::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_refunds_session")
                            .from(Refunds::Table, Refunds::RegisterSessionId)
                            .to(RegisterSessions::Table, RegisterSessions::Id),
                    )
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "idx_refunds_idempotency",
            Refunds::Table,
            [Refunds::UserId, Refunds::IdempotencyKey],
        )
        .await?;
        index(
            manager,
            "idx_refunds_sale",
            Refunds::Table,
            [Refunds::SaleId, Refunds::Id],
        )
        .await?;
        index(
            manager,
            "idx_refunds_created",
            Refunds::Table,
            [Refunds::CreatedAt],
        )
        .await?;
        index(
            manager,
            "idx_refunds_session",
            Refunds::Table,
            [Refunds::RegisterSessionId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(RefundLines::Table)
                    .if_not_exists()
                    .col(pk_uuid(RefundLines::Id))
                    .col(uuid(RefundLines::RefundId))
                    .col(uuid(RefundLines::SaleLineId))
                    .col(integer(RefundLines::Position))
                    .col(big_integer(RefundLines::QuantityMilli))
                    .col(big_integer(RefundLines::AmountMinor))
                    .col(big_integer(RefundLines::TaxMinor))
                    .col(big_integer(RefundLines::CostMinor))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_refund_lines_refund")
                            .from(RefundLines::Table, RefundLines::RefundId)
                            .to(Refunds::Table, Refunds::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_refund_lines_sale_line")
                            .from(RefundLines::Table, RefundLines::SaleLineId)
                            .to(SaleLines::Table, SaleLines::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_refund_lines_refund",
            RefundLines::Table,
            [RefundLines::RefundId, RefundLines::Position],
        )
        .await?;
        index(
            manager,
            "idx_refund_lines_sale_line",
            RefundLines::Table,
            [RefundLines::SaleLineId],
        )
        .await?;

        // The sale a movement belongs to (SALE, RETURN, VOID). SQLite cannot add a foreign
        // key to an existing table; the domain writes only ids of sales it just wrote.
        manager
            .alter_table(
                Table::alter()
                    .table(StockMovements::Table)
                    .add_column(uuid_null(StockMovements::SaleId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(StockMovements::Table)
                    .drop_column(StockMovements::SaleId)
                    .to_owned(),
            )
            .await?;
        for table in [
            RefundLines::Table.into_iden(),
            Refunds::Table.into_iden(),
            SalePayments::Table.into_iden(),
            SaleLines::Table.into_iden(),
            Sales::Table.into_iden(),
            SaleCounters::Table.into_iden(),
            CashMovements::Table.into_iden(),
            RegisterSessions::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn index<T, C>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    columns: impl IntoIterator<Item = C>,
) -> Result<(), DbErr>
where
    T: IntoIden,
    C: IntoIndexColumn,
{
    let mut index = Index::create();
    index.name(name).table(table).if_not_exists();
    for column in columns {
        index.col(column);
    }
    manager.create_index(index.to_owned()).await
}

async fn unique<T, C>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    columns: impl IntoIterator<Item = C>,
) -> Result<(), DbErr>
where
    T: IntoIden,
    C: IntoIndexColumn,
{
    let mut index = Index::create();
    index.name(name).table(table).unique().if_not_exists();
    for column in columns {
        index.col(column);
    }
    manager.create_index(index.to_owned()).await
}

#[derive(DeriveIden)]
enum RegisterSessions {
    Table,
    Id,
    LocationId,
    RegisterName,
    Status,
    OpeningFloatMinor,
    OpenedBy,
    OpenedAt,
    ClosedBy,
    ClosedAt,
    ExpectedCashMinor,
    CountedCashMinor,
    CloseNote,
}

#[derive(DeriveIden)]
enum CashMovements {
    Table,
    Id,
    RegisterSessionId,
    Kind,
    AmountMinor,
    Reason,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SaleCounters {
    Table,
    LocationId,
    LastNumber,
}

#[derive(DeriveIden)]
enum Sales {
    Table,
    Id,
    Number,
    LocationId,
    RegisterSessionId,
    CashierId,
    CustomerId,
    Status,
    SubtotalMinor,
    DiscountTotalMinor,
    TaxTotalMinor,
    TotalMinor,
    AmountPaidMinor,
    ChangeMinor,
    CostTotalMinor,
    Note,
    IdempotencyKey,
    RequestHash,
    CreatedAt,
    VoidedAt,
    VoidedBy,
    VoidReason,
}

#[derive(DeriveIden)]
enum SaleLines {
    Table,
    Id,
    SaleId,
    Position,
    ProductId,
    Sku,
    Name,
    Unit,
    QuantityMilli,
    UnitPriceMinor,
    BaseMinor,
    DiscountMinor,
    TaxRateMilli,
    TaxMinor,
    TotalMinor,
    CostMinor,
    TracksStock,
    RefundedQuantityMilli,
    RefundedMinor,
    RefundedTaxMinor,
    RefundedCostMinor,
}

#[derive(DeriveIden)]
enum SalePayments {
    Table,
    Id,
    SaleId,
    Position,
    Method,
    AmountMinor,
    Reference,
}

#[derive(DeriveIden)]
enum Refunds {
    Table,
    Id,
    SaleId,
    UserId,
    RegisterSessionId,
    Method,
    AmountMinor,
    TaxMinor,
    CostMinor,
    Restocked,
    Reason,
    IdempotencyKey,
    RequestHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RefundLines {
    Table,
    Id,
    RefundId,
    SaleLineId,
    Position,
    QuantityMilli,
    AmountMinor,
    TaxMinor,
    CostMinor,
}

#[derive(DeriveIden)]
enum StockMovements {
    Table,
    SaleId,
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

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
}
