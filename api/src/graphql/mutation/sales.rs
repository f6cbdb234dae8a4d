use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use domain::auth::Role;
use domain::sales::checkout::{NewSale, PaymentRequest, SaleLineRequest};
use domain::sales::refunds::{NewRefund, RefundLineRequest};
use domain::sales::registers::{CloseRegister, NewCashMovement, OpenRegister};

use crate::events::Event;
use crate::graphql::context::{parse_id, principal, services, transact};
use crate::graphql::guards::RoleGuard;
use crate::graphql::loaders::{prime, prime_children};
use crate::graphql::types::sales::{
    CashMovement, CashMovementKind, PaymentMethod, Refund, RegisterSession, Sale,
};
use crate::graphql::types::scalars::Decimal;

/// Opening a drawer.
#[derive(InputObject)]
pub struct OpenRegisterInput {
    /// Where the register is.
    pub location_id: ID,
    /// The register (till), e.g. "Caja 1"; one open session per name and location.
    pub register_name: String,
    /// Cash in the drawer at opening (zero or more).
    pub opening_float: Decimal,
}

/// Cash put into or taken out of an open drawer outside a sale.
#[derive(InputObject)]
pub struct CashMovementInput {
    /// The open session whose drawer it is.
    pub register_session_id: ID,
    /// PAY_IN or PAY_OUT.
    pub kind: CashMovementKind,
    /// How much, more than zero.
    pub amount: Decimal,
    /// Why (required).
    pub reason: String,
}

/// Counting and closing a drawer.
#[derive(InputObject)]
pub struct CloseRegisterInput {
    /// The open session to close.
    pub register_session_id: ID,
    /// What the drawer holds, counted.
    pub counted_cash: Decimal,
    /// A note for whoever reads the Z report.
    pub note: Option<String>,
}

/// One line of a sale: discount is an amount off the line, discountPercent a percentage of
/// it; at most one of them.
#[derive(InputObject)]
pub struct SaleLineInput {
    /// The product sold; archived products cannot be sold.
    pub product_id: ID,
    /// How much: more than zero; whole for UNIT products, at most 3 decimals for weighed ones.
    pub quantity: Decimal,
    /// An amount off the line (before tax is worked out), at most the line's amount.
    pub discount: Option<Decimal>,
    /// A percentage off the line, 0 to 100.
    pub discount_percent: Option<Decimal>,
    /// The shelf price per unit the till showed (optional). Online, a price other than the
    /// catalog's is refused with CONFLICT, `extensions.field` `lines[i].unitPrice` and
    /// `extensions.currentPrice` (the catalog's): nothing is sold at a price the cashier did
    /// not see. With `offline: true` it is the price charged.
    pub unit_price: Option<Decimal>,
}

/// One tender.
#[derive(InputObject)]
pub struct PaymentInput {
    /// How it is paid.
    pub method: PaymentMethod,
    /// How much: more than zero. Only CASH may exceed what is due (the excess is change).
    pub amount: Decimal,
    /// Card slip, transfer reference...
    pub reference: Option<String>,
}

/// A checkout.
#[derive(InputObject)]
pub struct CreateSaleInput {
    /// Made by the terminal once per sale (a UUID) and sent again on every retry of it:
    /// a retry returns the sale already made. Unique per cashier; 1 to 200 characters.
    pub idempotency_key: String,
    /// The open register session the sale is rung up in.
    pub register_session_id: ID,
    /// The customer, when named.
    pub customer_id: Option<ID>,
    /// What is sold, at least one line. Errors name the line: `lines[2].quantity`.
    pub lines: Vec<SaleLineInput>,
    /// How it is paid; may be empty only when the total is zero. Errors name the payment:
    /// `payments[1].amount`.
    pub payments: Vec<PaymentInput>,
    /// A note kept with the sale.
    pub note: Option<String>,
    /// When the till completed the sale (default: when the server receives it). A sale sent
    /// from a till's offline queue carries it. More than 5 minutes ahead of the server's
    /// clock, more than 72 hours old, or before the register session opened: BAD_USER_INPUT
    /// (checked only for a sale about to be made: a retry gets its sale back whatever the time).
    pub occurred_at: Option<DateTime<Utc>>,
    /// true when the till completed the sale without reaching the server: the customer has
    /// paid and the goods have left, so the sale is recorded as rung up. Stock may go below
    /// zero for it (never INSUFFICIENT_STOCK; the sale gets review reason OVERSOLD), each line
    /// is charged its `unitPrice` (review reason PRICE_CHANGED where that is not the
    /// catalog's), a product archived since is still sold, and with `occurredAt` a session
    /// closed after the sale happened still takes it (review reason AFTER_CLOSE). Online sales
    /// (false, the default) keep refusing all of these. Neither `offline` nor `occurredAt` is
    /// part of the idempotency comparison: a retry may add them after an earlier attempt's
    /// answer was lost.
    #[graphql(default = false)]
    pub offline: bool,
}

/// How much of one sale line to refund.
#[derive(InputObject)]
pub struct RefundLineInput {
    /// The sale line (`Sale.lines.id`).
    pub sale_line_id: ID,
    /// How much, more than zero and at most what is left unrefunded on the line.
    pub quantity: Decimal,
}

/// A refund of part or all of a sale.
#[derive(InputObject)]
pub struct RefundSaleInput {
    /// As for createSale: a retry with the same key returns the refund already made.
    pub idempotency_key: String,
    /// The sale to refund.
    pub sale_id: ID,
    /// The open session whose drawer pays a CASH refund (required for CASH; recorded for the
    /// other methods when given).
    pub register_session_id: Option<ID>,
    /// What to refund, per sale line.
    pub lines: Vec<RefundLineInput>,
    /// How the money goes back (any method).
    pub method: PaymentMethod,
    /// Whether the goods go back into stock (RETURN movements); default true.
    #[graphql(default = true)]
    pub restock: bool,
    /// Why (required).
    pub reason: String,
}

fn line_id(id: &ID, index: usize, field: &'static str) -> domain::Result<uuid::Uuid> {
    parse_id(id, field).map_err(|e| e.in_item("lines", index))
}

#[derive(Default)]
pub struct SalesMutation;

#[Object]
impl SalesMutation {
    /// Opens a register session with a cash float. Any role. A second open session for the
    /// same register name and location: CONFLICT.
    #[graphql(guard = "RoleGuard(Role::Cashier)")]
    async fn open_register(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The register, its location and its float.")] input: OpenRegisterInput,
    ) -> async_graphql::Result<RegisterSession> {
        let open = OpenRegister {
            location_id: parse_id(&input.location_id, "locationId")?,
            register_name: input.register_name,
            opening_float: input.opening_float.0,
        };
        let currency = services(ctx)?.currency;
        let row = transact(ctx, async move |txn, actor| {
            domain::sales::registers::open(txn, actor, currency, open).await
        })
        .await?;
        Ok(RegisterSession { row, currency })
    }

    /// Records a PAY_IN or PAY_OUT of cash in an open session (closed or unknown:
    /// REGISTER_CLOSED). A cashier uses their own sessions; MANAGER and ADMIN any.
    #[graphql(guard = "RoleGuard(Role::Cashier)")]
    async fn record_cash_movement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The session, the kind, the amount and why.")] input: CashMovementInput,
    ) -> async_graphql::Result<CashMovement> {
        let movement = NewCashMovement {
            register_session_id: parse_id(&input.register_session_id, "registerSessionId")?,
            kind: input.kind.into(),
            amount: input.amount.0,
            reason: input.reason,
        };
        let currency = services(ctx)?.currency;
        let row = transact(ctx, async move |txn, actor| {
            domain::sales::registers::record_cash_movement(txn, actor, currency, movement).await
        })
        .await?;
        Ok(CashMovement { row, currency })
    }

    /// Counts the drawer and closes the session: expectedCash, countedCash and overShort are
    /// kept with it, and it takes no more sales, cash movements or voids. Closed or unknown:
    /// REGISTER_CLOSED. A cashier closes their own sessions; MANAGER and ADMIN any.
    #[graphql(guard = "RoleGuard(Role::Cashier)")]
    async fn close_register(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The session and the counted cash.")] input: CloseRegisterInput,
    ) -> async_graphql::Result<RegisterSession> {
        let close = CloseRegister {
            register_session_id: parse_id(&input.register_session_id, "registerSessionId")?,
            counted_cash: input.counted_cash.0,
            note: input.note,
        };
        let currency = services(ctx)?.currency;
        let row = transact(ctx, async move |txn, actor| {
            domain::sales::registers::close(txn, actor, currency, close).await
        })
        .await?;
        Ok(RegisterSession { row, currency })
    }

    /// The checkout, in one transaction: the sale, its lines, payments and stock movements
    /// all commit or nothing does. A retry with the same idempotencyKey returns the sale
    /// already made (same id and number), also when retries arrive at once; the same key
    /// with a different input: CONFLICT. Not enough stock of a tracked product:
    /// INSUFFICIENT_STOCK (extensions.productId, extensions.available). Payments short of
    /// the total: PAYMENT_INSUFFICIENT (extensions.due, extensions.paid). Session closed,
    /// unknown or another cashier's: REGISTER_CLOSED. A line's `unitPrice` that is no longer
    /// the catalog's: CONFLICT with `extensions.currentPrice`. A sale the till completed
    /// offline (`offline: true`, with `occurredAt`) is recorded as rung up even when stock
    /// ran out or a price changed since, and flagged for managers (`reviewReasons`). Any
    /// role.
    async fn create_sale(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The lines, the payments and the session.")] input: CreateSaleInput,
    ) -> async_graphql::Result<Sale> {
        let actor = principal(ctx).await?;
        let lines = input
            .lines
            .into_iter()
            .enumerate()
            .map(|(index, line)| {
                Ok(SaleLineRequest {
                    product_id: line_id(&line.product_id, index, "productId")?,
                    quantity: line.quantity.0,
                    discount: line.discount.map(|d| d.0),
                    discount_percent: line.discount_percent.map(|d| d.0),
                    unit_price: line.unit_price.map(|d| d.0),
                })
            })
            .collect::<domain::Result<_>>()?;
        let new = NewSale {
            idempotency_key: input.idempotency_key,
            register_session_id: parse_id(&input.register_session_id, "registerSessionId")?,
            customer_id: input
                .customer_id
                .as_ref()
                .map(|id| parse_id(id, "customerId"))
                .transpose()?,
            lines,
            payments: input
                .payments
                .into_iter()
                .map(|payment| PaymentRequest {
                    method: payment.method.into(),
                    amount: payment.amount.0,
                    reference: payment.reference,
                })
                .collect(),
            note: input.note,
            occurred_at: input.occurred_at,
            offline: input.offline,
        };
        let services = services(ctx)?;
        let created =
            domain::sales::checkout::create(&services.db, actor, services.currency, new).await?;
        if let Some(fresh) = created.fresh {
            services.metrics.sale(created.sale.total_minor);
            // The answer shows what the transaction just wrote: no need to read it back.
            let sale_id = created.sale.id;
            prime_children(ctx, sale_id, fresh.lines).await?;
            prime_children(ctx, sale_id, fresh.payments).await?;
            prime(ctx, fresh.products).await?;
            prime(ctx, [fresh.session]).await?;
            let sale = Event::SaleCompleted {
                sale_id: created.sale.id,
                location_id: created.sale.location_id,
            };
            let alerts = created.alerts.iter().map(Event::from);
            services
                .events
                .publish_soon(std::iter::once(sale).chain(alerts).collect());
        }
        Ok(Sale {
            row: created.sale,
            currency: services.currency,
        })
    }

    /// Refunds part or all of a sale, per line, never more than was sold minus what was
    /// already refunded (BAD_USER_INPUT on `lines[i].quantity`); a VOIDED sale: CONFLICT.
    /// restock puts the goods back through RETURN movements. A CASH refund needs
    /// registerSessionId, an open session whose drawer pays it. Same idempotency rule as
    /// createSale. MANAGER or ADMIN.
    #[graphql(guard = "RoleGuard(Role::Manager)")]
    async fn refund_sale(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The sale, the lines and how the money goes back.")]
        input: RefundSaleInput,
    ) -> async_graphql::Result<Refund> {
        let actor = principal(ctx).await?;
        let lines = input
            .lines
            .into_iter()
            .enumerate()
            .map(|(index, line)| {
                Ok(RefundLineRequest {
                    sale_line_id: line_id(&line.sale_line_id, index, "saleLineId")?,
                    quantity: line.quantity.0,
                })
            })
            .collect::<domain::Result<_>>()?;
        let new = NewRefund {
            idempotency_key: input.idempotency_key,
            sale_id: parse_id(&input.sale_id, "saleId")?,
            register_session_id: input
                .register_session_id
                .as_ref()
                .map(|id| parse_id(id, "registerSessionId"))
                .transpose()?,
            lines,
            method: input.method.into(),
            restock: input.restock,
            reason: input.reason,
        };
        let services = services(ctx)?;
        let refunded =
            domain::sales::refunds::refund(&services.db, actor, services.currency, new).await?;
        if refunded.fresh {
            services.metrics.refund(refunded.refund.amount_minor);
        }
        Ok(Refund {
            row: refunded.refund,
            currency: services.currency,
        })
    }

    /// Voids a sale while its register session is open (else REGISTER_CLOSED) and it has no
    /// refunds (else CONFLICT): it becomes VOIDED, its stock goes back through VOID
    /// movements, and its cash leaves the drawer's expected cash. Voiding a VOIDED sale
    /// returns it unchanged. MANAGER or ADMIN.
    #[graphql(guard = "RoleGuard(Role::Manager)")]
    async fn void_sale(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The sale.")] id: ID,
        #[graphql(desc = "Why (required).")] reason: String,
    ) -> async_graphql::Result<Sale> {
        let id = parse_id(&id, "id")?;
        let currency = services(ctx)?.currency;
        let row = transact(ctx, async move |txn, actor| {
            domain::sales::refunds::void(txn, actor, id, &reason).await
        })
        .await?;
        Ok(Sale { row, currency })
    }
}
