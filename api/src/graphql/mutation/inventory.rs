use async_graphql::{Context, ID, InputObject, Object};
use domain::auth::Role;
use domain::inventory::{Adjustment, Moved, Receipt, ReceiptLine, Transfer};

use crate::events::Event;
use crate::graphql::context::{parse_id, services, transact};
use crate::graphql::guards::RoleGuard;
use crate::graphql::types::inventory::{StockMovement, StockReason};
use crate::graphql::types::scalars::Decimal;

/// One product of a delivery.
#[derive(InputObject)]
pub struct ReceiveStockLineInput {
    /// The product received; it must track stock.
    pub product_id: ID,
    /// How much arrived: more than zero, whole for UNIT products, at most 3 decimals.
    pub quantity: Decimal,
    /// What one unit cost; moves the product's cost to the weighted average of the stock on
    /// hand and this delivery.
    pub unit_cost: Option<Decimal>,
}

/// A delivery of goods to a location.
#[derive(InputObject)]
pub struct ReceiveStockInput {
    /// Where the goods arrived.
    pub location_id: ID,
    /// What arrived, one movement per line. Errors name the line: `lines[2].quantity`.
    pub lines: Vec<ReceiveStockLineInput>,
    /// Who delivered.
    pub supplier: Option<String>,
    /// The delivery note or invoice number.
    pub reference: Option<String>,
}

/// A correction of stock: exactly one of `quantity` (a signed change, reason ADJUSTMENT, or
/// DAMAGE or THEFT with a negative quantity) and `countedQuantity` (a physical count, reason
/// COUNT; the movement records the difference).
#[derive(InputObject)]
pub struct AdjustStockInput {
    /// Where.
    pub location_id: ID,
    /// Which product; it must track stock.
    pub product_id: ID,
    /// Signed change, not zero.
    pub quantity: Option<Decimal>,
    /// What a physical count found (zero or more).
    pub counted_quantity: Option<Decimal>,
    /// ADJUSTMENT, DAMAGE or THEFT with `quantity`; COUNT with `countedQuantity`.
    pub reason: StockReason,
    /// Why, for whoever reads the ledger.
    pub note: Option<String>,
}

/// Stock sent from one location to another.
#[derive(InputObject)]
pub struct TransferStockInput {
    /// Where the stock leaves; it must have enough.
    pub from_location_id: ID,
    /// Where it arrives (another location).
    pub to_location_id: ID,
    /// Which product; it must track stock.
    pub product_id: ID,
    /// How much, more than zero.
    pub quantity: Decimal,
    /// Why, for whoever reads the ledger.
    pub note: Option<String>,
}

/// The movements as the API shows them, after telling lowStockAlerts subscribers about the
/// alerts they raised (the change has committed).
fn published(ctx: &Context<'_>, moved: Moved) -> async_graphql::Result<Vec<StockMovement>> {
    let services = services(ctx)?;
    services
        .events
        .publish_soon(moved.alerts.iter().map(Event::from).collect());
    let currency = services.currency;
    Ok(moved
        .movements
        .into_iter()
        .map(|row| StockMovement { row, currency })
        .collect())
}

#[derive(Default)]
pub struct InventoryMutation;

#[Object]
impl InventoryMutation {
    /// Receives a delivery: one RECEIPT movement per line, in one transaction; returns the
    /// movements in line order. MANAGER or ADMIN.
    #[graphql(guard = "RoleGuard(Role::Manager)")]
    async fn receive_stock(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The delivery.")] input: ReceiveStockInput,
    ) -> async_graphql::Result<Vec<StockMovement>> {
        let receipt = Receipt {
            location_id: parse_id(&input.location_id, "locationId")?,
            lines: input
                .lines
                .into_iter()
                .enumerate()
                .map(|(index, line)| {
                    Ok(ReceiptLine {
                        product_id: parse_id(&line.product_id, "productId")
                            .map_err(|e| e.in_item("lines", index))?,
                        quantity: line.quantity.0,
                        unit_cost: line.unit_cost.map(|c| c.0),
                    })
                })
                .collect::<domain::Result<_>>()?,
            supplier: input.supplier,
            reference: input.reference,
        };
        let currency = services(ctx)?.currency;
        let moved = transact(ctx, async move |txn, actor| {
            domain::inventory::receive(txn, actor.user_id, currency, receipt).await
        })
        .await?;
        published(ctx, moved)
    }

    /// Corrects stock by a change or a count; stock may not go below zero
    /// (INSUFFICIENT_STOCK). Returns the one movement. MANAGER or ADMIN.
    #[graphql(guard = "RoleGuard(Role::Manager)")]
    async fn adjust_stock(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The correction.")] input: AdjustStockInput,
    ) -> async_graphql::Result<StockMovement> {
        let adjustment = Adjustment {
            location_id: parse_id(&input.location_id, "locationId")?,
            product_id: parse_id(&input.product_id, "productId")?,
            quantity: input.quantity.map(|q| q.0),
            counted_quantity: input.counted_quantity.map(|q| q.0),
            reason: input.reason.into(),
            note: input.note,
        };
        let moved = transact(ctx, async move |txn, actor| {
            domain::inventory::adjust(txn, actor.user_id, adjustment).await
        })
        .await?;
        published(ctx, moved)?
            .pop()
            .ok_or_else(|| domain::Error::internal("an adjustment made no movement").into())
    }

    /// Moves stock between locations: TRANSFER_OUT and TRANSFER_IN, atomically; returns both,
    /// out first. Not enough at the source: INSUFFICIENT_STOCK. MANAGER or ADMIN.
    #[graphql(guard = "RoleGuard(Role::Manager)")]
    async fn transfer_stock(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The transfer.")] input: TransferStockInput,
    ) -> async_graphql::Result<Vec<StockMovement>> {
        let transfer = Transfer {
            from_location_id: parse_id(&input.from_location_id, "fromLocationId")?,
            to_location_id: parse_id(&input.to_location_id, "toLocationId")?,
            product_id: parse_id(&input.product_id, "productId")?,
            quantity: input.quantity.0,
            note: input.note,
        };
        let moved = transact(ctx, async move |txn, actor| {
            domain::inventory::transfer(txn, actor.user_id, transfer).await
        })
        .await?;
        published(ctx, moved)
    }
}
