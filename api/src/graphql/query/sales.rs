use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use domain::auth::Role;
use domain::sales::queries::SaleFilter as Filter;
use uuid::Uuid;

use crate::graphql::context::{parse_id, principal, services};
use crate::graphql::guards::RoleGuard;
use crate::graphql::loaders::prime;
use crate::graphql::pagination::{listing, page_request};
use crate::graphql::types::sales::{
    RegisterSession, Sale, SaleConnection, SaleStatus, SalesReport,
};

/// Which sales to list; every field narrows.
#[derive(InputObject, Default)]
pub struct SaleFilter {
    /// Sales at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Sales before this time (half-open: `to` itself is excluded).
    pub to: Option<DateTime<Utc>>,
    /// Sales at this location.
    pub location_id: Option<ID>,
    /// Sales rung up by this user.
    pub cashier_id: Option<ID>,
    /// Sales of this register session.
    pub register_session_id: Option<ID>,
    /// Sales with this status.
    pub status: Option<SaleStatus>,
    /// The exact sale number, as printed on the receipt (`MAIN-000123`).
    pub number: Option<String>,
    /// true: only sales a manager should review (`reviewReasons` not empty: offline sales
    /// that oversold or were charged an old price); false: only the others.
    pub needs_review: Option<bool>,
}

fn optional_id(id: Option<&ID>, field: &'static str) -> domain::Result<Option<Uuid>> {
    id.map(|id| parse_id(id, field)).transpose()
}

#[derive(Default)]
pub struct SalesQuery;

#[Object]
impl SalesQuery {
    /// One register session. A cashier sees the sessions they opened; MANAGER and ADMIN all
    /// (another cashier's session is NOT_FOUND to a cashier). `totals` while OPEN is the X
    /// report.
    async fn register_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The session's ID.")] id: ID,
    ) -> async_graphql::Result<RegisterSession> {
        let actor = principal(ctx).await?;
        let id = parse_id(&id, "id")?;
        let services = services(ctx)?;
        Ok(RegisterSession {
            row: domain::sales::registers::get(&services.db, actor, id).await?,
            currency: services.currency,
        })
    }

    /// The open sessions at a location, oldest first: a register screen finds its session
    /// again after a reload. A cashier sees their own; MANAGER and ADMIN all.
    async fn open_register_sessions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The location.")] location_id: ID,
    ) -> async_graphql::Result<Vec<RegisterSession>> {
        let actor = principal(ctx).await?;
        let location_id = parse_id(&location_id, "locationId")?;
        let services = services(ctx)?;
        let rows = domain::sales::registers::open_at(&services.db, actor, location_id).await?;
        Ok(rows
            .into_iter()
            .map(|row| RegisterSession {
                row,
                currency: services.currency,
            })
            .collect())
    }

    /// One sale. A cashier sees the sales they rang up; MANAGER and ADMIN all (another
    /// cashier's sale is NOT_FOUND to a cashier).
    async fn sale(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The sale's ID.")] id: ID,
    ) -> async_graphql::Result<Sale> {
        let actor = principal(ctx).await?;
        let id = parse_id(&id, "id")?;
        let services = services(ctx)?;
        Ok(Sale {
            row: domain::sales::queries::get(&services.db, actor, id).await?,
            currency: services.currency,
        })
    }

    /// Sales, newest first. A cashier sees the sales they rang up; MANAGER and ADMIN all.
    #[graphql(complexity = "crate::graphql::pagination::page_cost(first, child_complexity)")]
    async fn sales(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which sales; all when absent.")] filter: Option<SaleFilter>,
        #[graphql(desc = "Page size: default 20, at most 100.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge already seen (`pageInfo.endCursor`).")]
        after: Option<String>,
    ) -> async_graphql::Result<SaleConnection> {
        let actor = principal(ctx).await?.clone();
        let filter = filter.unwrap_or_default();
        let filter = Filter {
            from: filter.from,
            to: filter.to,
            location_id: optional_id(filter.location_id.as_ref(), "locationId")?,
            cashier_id: optional_id(filter.cashier_id.as_ref(), "cashierId")?,
            register_session_id: optional_id(
                filter.register_session_id.as_ref(),
                "registerSessionId",
            )?,
            status: filter.status.map(Into::into),
            number: filter.number,
            needs_review: filter.needs_review,
        };
        let request = page_request("sale", first, after, |key| Uuid::parse_str(key).ok())?;
        let services = services(ctx)?;
        let (db, currency) = (services.db.clone(), services.currency);
        let page = domain::sales::queries::list(&db, &actor, &filter, &request).await?;
        if ctx
            .look_ahead()
            .field("edges")
            .field("node")
            .field("cashier")
            .exists()
        {
            let ids: Vec<Uuid> = page.items.iter().map(|s| s.cashier_id).collect();
            prime(ctx, domain::users::get_many(&db, &ids).await?).await?;
        }
        Ok(listing(
            "sale",
            page,
            |s| s.id.to_string(),
            |row| Sale { row, currency },
            Box::new(move || {
                let (db, actor, filter) = (db.clone(), actor.clone(), filter.clone());
                Box::pin(async move { domain::sales::queries::count(&db, &actor, &filter).await })
            }),
        )
        .into())
    }

    /// Sales over the half-open interval `[from, to)`: sales by sale time, refunds by refund
    /// time; all locations when `locationId` is absent. `from` after or equal to `to`:
    /// BAD_USER_INPUT. MANAGER or ADMIN.
    #[graphql(guard = "RoleGuard(Role::Manager)")]
    async fn sales_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Start, included.")] from: DateTime<Utc>,
        #[graphql(desc = "End, excluded.")] to: DateTime<Utc>,
        #[graphql(desc = "Only this location.")] location_id: Option<ID>,
    ) -> async_graphql::Result<SalesReport> {
        let location_id = optional_id(location_id.as_ref(), "locationId")?;
        let services = services(ctx)?;
        let report = domain::sales::reports::report(&services.db, from, to, location_id).await?;
        Ok(SalesReport {
            report,
            currency: services.currency,
        })
    }
}
