use async_graphql::{Context, ID, Object};
use domain::auth::Role;
use domain::inventory::MovementFilter;
use uuid::Uuid;

use crate::graphql::context::{parse_id, services};
use crate::graphql::guards::RoleGuard;
use crate::graphql::loaders::prime;
use crate::graphql::pagination::{listing, page_request};
use crate::graphql::types::catalog::products_with_relations;
use crate::graphql::types::inventory::{LowStockItem, StockMovement, StockMovementConnection};

/// Primes the products, locations and users a page of movements shows.
async fn prime_movements(
    ctx: &Context<'_>,
    movements: &[entity::stock_movement::Model],
) -> async_graphql::Result<()> {
    let db = &services(ctx)?.db;
    let node = ctx.look_ahead().field("edges").field("node");
    let ids = |f: fn(&entity::stock_movement::Model) -> Option<Uuid>| -> Vec<Uuid> {
        let set: std::collections::BTreeSet<Uuid> = movements.iter().filter_map(f).collect();
        set.into_iter().collect()
    };
    if node.field("product").exists() {
        let rows = domain::catalog::products::get_many(db, &ids(|m| Some(m.product_id))).await?;
        prime(ctx, rows).await?;
    }
    if node.field("location").exists() {
        prime(
            ctx,
            domain::locations::get_many(db, &ids(|m| Some(m.location_id))).await?,
        )
        .await?;
    }
    if node.field("user").exists() {
        prime(ctx, domain::users::get_many(db, &ids(|m| m.user_id)).await?).await?;
    }
    Ok(())
}

#[derive(Default)]
pub struct InventoryQuery;

#[Object]
impl InventoryQuery {
    /// The stock ledger, newest first, optionally for one product and/or one location. For
    /// every product and location, on hand equals the sum of its movements. MANAGER or ADMIN.
    #[graphql(
        guard = "RoleGuard(Role::Manager)",
        complexity = "crate::graphql::pagination::page_cost(first, child_complexity)"
    )]
    async fn stock_movements(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only this product's movements.")] product_id: Option<ID>,
        #[graphql(desc = "Only movements at this location.")] location_id: Option<ID>,
        #[graphql(desc = "Page size: default 20, at most 100.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge already seen (`pageInfo.endCursor`).")]
        after: Option<String>,
    ) -> async_graphql::Result<StockMovementConnection> {
        let filter = MovementFilter {
            product_id: product_id
                .as_ref()
                .map(|id| parse_id(id, "productId"))
                .transpose()?,
            location_id: location_id
                .as_ref()
                .map(|id| parse_id(id, "locationId"))
                .transpose()?,
        };
        let request = page_request("movement", first, after, |key| Uuid::parse_str(key).ok())?;
        let services = services(ctx)?;
        let (db, currency) = (services.db.clone(), services.currency);
        let page = domain::inventory::list_movements(&db, &filter, &request).await?;
        prime_movements(ctx, &page.items).await?;
        Ok(listing(
            "movement",
            page,
            |m| m.id.to_string(),
            |row| StockMovement { row, currency },
            Box::new(move || {
                let (db, filter) = (db.clone(), filter.clone());
                Box::pin(async move { domain::inventory::count_movements(&db, &filter).await })
            }),
        )
        .into())
    }

    /// Tracked, active products at or below their threshold at a location, by name; products
    /// without a threshold never appear. MANAGER or ADMIN.
    #[graphql(guard = "RoleGuard(Role::Manager)")]
    async fn low_stock(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The location to check.")] location_id: ID,
    ) -> async_graphql::Result<Vec<LowStockItem>> {
        let location_id = parse_id(&location_id, "locationId")?;
        let services = services(ctx)?;
        let items = domain::inventory::low_stock(&services.db, location_id).await?;
        let rows: Vec<_> = items.iter().map(|i| i.product.clone()).collect();
        let products = products_with_relations(
            ctx,
            ctx.look_ahead().field("product"),
            rows,
            services.currency,
        )
        .await?;
        Ok(items
            .into_iter()
            .zip(products)
            .map(|(item, product)| LowStockItem { item, product })
            .collect())
    }
}
