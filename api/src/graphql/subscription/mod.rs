//! Subscription root: live feeds over `graphql-transport-ws` (`/graphql/ws`), authenticated in
//! `connection_init`. Events come from [`crate::events`], so a subscriber sees what happened
//! on every server instance.

use async_graphql::{Context, ID, Subscription};
use domain::auth::Role;
use futures_util::Stream;
use futures_util::stream::{self, StreamExt};
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::events::Event;
use crate::graphql::context::{Services, parse_id, principal, services};
use crate::graphql::guards::RoleGuard;
use crate::graphql::types::inventory::LowStockAlert;
use crate::graphql::types::sales::Sale;

/// The events of this instance's feed, as a stream; a subscriber too slow to keep up skips
/// what it missed rather than closing.
fn events(services: &Services) -> impl Stream<Item = Event> + use<> {
    stream::unfold(services.events.subscribe(), |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(event) => return Some((event, receiver)),
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    })
}

async fn location(ctx: &Context<'_>, id: &ID) -> async_graphql::Result<(Services, Uuid)> {
    principal(ctx).await?;
    let id = parse_id(id, "locationId")?;
    let services = services(ctx)?.clone();
    domain::locations::get(&services.db, id).await?;
    Ok((services, id))
}

/// Live feeds.
#[derive(Default)]
pub struct SubscriptionRoot;

/// Live feeds over graphql-transport-ws at `/graphql/ws`; the access token goes in
/// `connection_init`'s payload as `{"authorization": "Bearer <token>"}`.
#[Subscription(name = "Subscription")]
impl SubscriptionRoot {
    /// Each sale completed at the location, on any server instance, as it commits (voids and
    /// refunds are not repeated here). MANAGER or ADMIN.
    #[graphql(guard = "RoleGuard(Role::Manager)")]
    async fn sales_feed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The location whose sales to follow.")] location_id: ID,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<Sale>> + use<>> {
        let (services, location_id) = location(ctx, &location_id).await?;
        Ok(events(&services).filter_map(move |event| {
            let services = services.clone();
            async move {
                let Event::SaleCompleted {
                    sale_id,
                    location_id: at,
                } = event
                else {
                    return None;
                };
                if at != location_id {
                    return None;
                }
                let sale = domain::sales::queries::get_many(&services.db, &[sale_id])
                    .await
                    .map(|rows| rows.into_iter().next());
                match sale {
                    Ok(Some(row)) => Some(Ok(Sale {
                        row,
                        currency: services.currency,
                    })),
                    Ok(None) => None,
                    Err(error) => Some(Err(error.into())),
                }
            }
        }))
    }

    /// Fires when a movement (a sale, an adjustment, a transfer out) takes a product at the
    /// location from above its low-stock threshold to at or below it, on any server
    /// instance. Any role.
    async fn low_stock_alerts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The location whose stock to watch.")] location_id: ID,
    ) -> async_graphql::Result<impl Stream<Item = LowStockAlert> + use<>> {
        let (services, location_id) = location(ctx, &location_id).await?;
        Ok(events(&services).filter_map(move |event| {
            let currency = services.currency;
            async move {
                match event {
                    Event::LowStock {
                        product_id,
                        location_id: at,
                        on_hand_milli,
                        threshold_milli,
                    } if at == location_id => Some(LowStockAlert {
                        product_id,
                        location_id: at,
                        on_hand_milli,
                        threshold_milli,
                        currency,
                    }),
                    _ => None,
                }
            }
        }))
    }
}
