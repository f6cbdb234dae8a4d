//! DataLoaders: a list that shows a relation fetches it in one query per page, not per row.
//!
//! Each request gets its own loaders, with a cache that lives as long as the request. On their
//! own, loaders batch whatever keys arrive within a millisecond, so how many queries a page
//! costs would depend on how fast the page resolves. Lists therefore *prime* the loaders for
//! their page ([`prime`]): one query per relation the client selected, fed into the cache
//! before any field asks. A page of 100 products costs the same fixed handful of statements
//! as a page of 10, however slow the machine, and no field waits for a batching delay.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use async_graphql::{Context, Request};
use entity::{
    category, customer, location, product, refund, refund_line, register_session, sale, sale_line,
    sale_payment, stock_level, tax_rate, user,
};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

/// A row type that can be fetched by a list of ids.
pub trait FetchById: Clone + Send + Sync + 'static {
    fn id(&self) -> Uuid;
    fn fetch(
        db: &DatabaseConnection,
        ids: &[Uuid],
    ) -> impl Future<Output = domain::Result<Vec<Self>>> + Send;
}

/// Loads rows of `M` by id, one query per batch.
pub struct ById<M> {
    db: DatabaseConnection,
    rows: PhantomData<fn() -> M>,
}

impl<M> ById<M> {
    pub fn new(db: DatabaseConnection) -> Self {
        ById {
            db,
            rows: PhantomData,
        }
    }
}

impl<M: FetchById> Loader<Uuid> for ById<M> {
    type Value = M;
    type Error = Arc<domain::Error>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, M>, Self::Error> {
        let rows = M::fetch(&self.db, keys).await.map_err(Arc::new)?;
        Ok(rows.into_iter().map(|row| (row.id(), row)).collect())
    }
}

macro_rules! fetch_by_id {
    ($model:ty, $fetch:path) => {
        impl FetchById for $model {
            fn id(&self) -> Uuid {
                self.id
            }

            fn fetch(
                db: &DatabaseConnection,
                ids: &[Uuid],
            ) -> impl Future<Output = domain::Result<Vec<Self>>> + Send {
                $fetch(db, ids)
            }
        }
    };
}

fetch_by_id!(user::Model, domain::users::get_many);
fetch_by_id!(category::Model, domain::catalog::categories::get_many);
fetch_by_id!(tax_rate::Model, domain::catalog::tax_rates::get_many);
fetch_by_id!(location::Model, domain::locations::get_many);
fetch_by_id!(product::Model, domain::catalog::products::get_many);
fetch_by_id!(customer::Model, domain::customers::get_many);
fetch_by_id!(sale::Model, domain::sales::queries::get_many);
fetch_by_id!(sale_line::Model, domain::sales::queries::lines);
fetch_by_id!(register_session::Model, domain::sales::registers::get_many);

/// A row type fetched as the children of parent rows (a sale's lines, say).
pub trait FetchByParent: Clone + Send + Sync + 'static {
    fn parent(&self) -> Uuid;
    /// The children of these parents, in the order they are shown.
    fn fetch(
        db: &DatabaseConnection,
        parents: &[Uuid],
    ) -> impl Future<Output = domain::Result<Vec<Self>>> + Send;
}

/// Loads the children `M` of parent rows, one query per batch.
pub struct ByParent<M> {
    db: DatabaseConnection,
    rows: PhantomData<fn() -> M>,
}

impl<M: FetchByParent> Loader<Uuid> for ByParent<M> {
    type Value = Vec<M>;
    type Error = Arc<domain::Error>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Vec<M>>, Self::Error> {
        let rows = M::fetch(&self.db, keys).await.map_err(Arc::new)?;
        let mut by_parent: HashMap<Uuid, Vec<M>> = HashMap::new();
        for row in rows {
            by_parent.entry(row.parent()).or_default().push(row);
        }
        Ok(by_parent)
    }
}

macro_rules! fetch_by_parent {
    ($model:ty, $parent:ident, $fetch:path) => {
        impl FetchByParent for $model {
            fn parent(&self) -> Uuid {
                self.$parent
            }

            fn fetch(
                db: &DatabaseConnection,
                parents: &[Uuid],
            ) -> impl Future<Output = domain::Result<Vec<Self>>> + Send {
                $fetch(db, parents)
            }
        }
    };
}

fetch_by_parent!(sale_line::Model, sale_id, domain::sales::queries::lines_of);
fetch_by_parent!(
    sale_payment::Model,
    sale_id,
    domain::sales::queries::payments_of
);
fetch_by_parent!(refund::Model, sale_id, domain::sales::queries::refunds_of);
fetch_by_parent!(
    refund_line::Model,
    refund_id,
    domain::sales::queries::refund_lines_of
);

/// A product's stock levels, keyed by product.
pub struct StockLoader(pub DatabaseConnection);

impl Loader<Uuid> for StockLoader {
    type Value = Vec<stock_level::Model>;
    type Error = Arc<domain::Error>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let levels = domain::catalog::products::stock_levels(&self.0, keys)
            .await
            .map_err(Arc::new)?;
        let mut by_product: HashMap<Uuid, Vec<stock_level::Model>> = HashMap::new();
        for level in levels {
            by_product.entry(level.product_id).or_default().push(level);
        }
        Ok(by_product)
    }
}

/// Every location, by code (a product's stock lists them all). Keyed by `()`: one query per
/// batch however many products ask.
pub struct AllLocationsLoader(pub DatabaseConnection);

impl Loader<()> for AllLocationsLoader {
    type Value = Arc<Vec<location::Model>>;
    type Error = Arc<domain::Error>;

    async fn load(&self, _: &[()]) -> Result<HashMap<(), Self::Value>, Self::Error> {
        let all = domain::locations::list(&self.0).await.map_err(Arc::new)?;
        Ok(HashMap::from([((), Arc::new(all))]))
    }
}

/// Gives a request its own loaders (see the module documentation).
pub fn attach(request: Request, db: &DatabaseConnection) -> Request {
    fn by_id<M: FetchById>(db: &DatabaseConnection) -> DataLoader<ById<M>, HashMapCache> {
        DataLoader::with_cache(ById::new(db.clone()), tokio::spawn, HashMapCache::default())
    }
    fn by_parent<M: FetchByParent>(
        db: &DatabaseConnection,
    ) -> DataLoader<ByParent<M>, HashMapCache> {
        let loader = ByParent {
            db: db.clone(),
            rows: PhantomData,
        };
        DataLoader::with_cache(loader, tokio::spawn, HashMapCache::default())
    }
    request
        .data(by_id::<user::Model>(db))
        .data(by_id::<sale::Model>(db))
        .data(by_id::<sale_line::Model>(db))
        .data(by_id::<register_session::Model>(db))
        .data(by_parent::<sale_line::Model>(db))
        .data(by_parent::<sale_payment::Model>(db))
        .data(by_parent::<refund::Model>(db))
        .data(by_parent::<refund_line::Model>(db))
        .data(by_id::<category::Model>(db))
        .data(by_id::<tax_rate::Model>(db))
        .data(by_id::<location::Model>(db))
        .data(by_id::<product::Model>(db))
        .data(by_id::<customer::Model>(db))
        .data(DataLoader::with_cache(
            StockLoader(db.clone()),
            tokio::spawn,
            HashMapCache::default(),
        ))
        .data(DataLoader::with_cache(
            AllLocationsLoader(db.clone()),
            tokio::spawn,
            HashMapCache::default(),
        ))
}

fn loader<'a, L: Send + Sync + 'static>(
    ctx: &Context<'a>,
) -> async_graphql::Result<&'a DataLoader<L, HashMapCache>> {
    ctx.data::<DataLoader<L, HashMapCache>>()
}

/// Puts rows into the request's cache, so fields that load them by id run no query.
pub async fn prime<M: FetchById>(
    ctx: &Context<'_>,
    rows: impl IntoIterator<Item = M>,
) -> async_graphql::Result<()> {
    loader::<ById<M>>(ctx)?
        .feed_many(rows.into_iter().map(|row| (row.id(), row)))
        .await;
    Ok(())
}

/// Puts the stock levels of `products` (none for a product means none at all) and every
/// location into the request's cache.
pub async fn prime_stock(
    ctx: &Context<'_>,
    db: &DatabaseConnection,
    products: &[Uuid],
) -> async_graphql::Result<()> {
    let levels = domain::catalog::products::stock_levels(db, products).await?;
    let mut by_product: HashMap<Uuid, Vec<stock_level::Model>> =
        products.iter().map(|id| (*id, Vec::new())).collect();
    for level in levels {
        by_product.entry(level.product_id).or_default().push(level);
    }
    loader::<StockLoader>(ctx)?.feed_many(by_product).await;
    let all = domain::locations::list(db).await?;
    loader::<AllLocationsLoader>(ctx)?
        .feed_one((), Arc::new(all.clone()))
        .await;
    prime(ctx, all).await
}

/// Loads rows of a small table through its loader, all of them (categories, tax rates).
pub async fn prime_all<M: FetchById>(
    ctx: &Context<'_>,
    all: impl Future<Output = domain::Result<Vec<M>>>,
) -> async_graphql::Result<()> {
    prime(ctx, all.await?).await
}

/// Loads stock levels through the request's loader.
pub async fn stock_of(
    ctx: &Context<'_>,
    product: Uuid,
) -> async_graphql::Result<Vec<stock_level::Model>> {
    Ok(loader::<StockLoader>(ctx)?
        .load_one(product)
        .await?
        .unwrap_or_default())
}

/// Every location, through the request's loader.
pub async fn all_locations(ctx: &Context<'_>) -> async_graphql::Result<Arc<Vec<location::Model>>> {
    Ok(loader::<AllLocationsLoader>(ctx)?
        .load_one(())
        .await?
        .unwrap_or_default())
}

/// Loads one row by id through the request's loader.
pub async fn load<M: FetchById>(ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<Option<M>> {
    Ok(loader::<ById<M>>(ctx)?.load_one(id).await?)
}

/// Loads the children of one parent row through the request's loader.
pub async fn children<M: FetchByParent>(
    ctx: &Context<'_>,
    parent: Uuid,
) -> async_graphql::Result<Vec<M>> {
    Ok(loader::<ByParent<M>>(ctx)?
        .load_one(parent)
        .await?
        .unwrap_or_default())
}

/// Puts the children of one parent into the request's cache (rows a mutation just wrote).
pub async fn prime_children<M: FetchByParent>(
    ctx: &Context<'_>,
    parent: Uuid,
    rows: Vec<M>,
) -> async_graphql::Result<()> {
    loader::<ByParent<M>>(ctx)?.feed_one(parent, rows).await;
    Ok(())
}
