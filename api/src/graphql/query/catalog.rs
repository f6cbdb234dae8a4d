use async_graphql::{Context, ID, InputObject, Object};

use crate::graphql::context::{parse_id, principal, services};

use crate::graphql::pagination::{listing, page_request, page_size};
use crate::graphql::types::catalog::{
    Category, Product, ProductConnection, ProductSearchResult, TaxRate, products_with_relations,
};
use domain::catalog::products::{CodeCache, ProductFilter as DomainFilter};
use domain::pagination::NameKey;
use domain::pagination::Page;

/// Which products `products` lists.
#[derive(InputObject, Default)]
pub struct ProductFilter {
    /// Contained in the name, SKU or barcode, ignoring case and accents.
    pub text: Option<String>,
    /// Products of this category or of any category below it.
    pub category_id: Option<ID>,
    /// true (the default): active products; false: archived ones.
    pub active: Option<bool>,
    /// Only tracked products at or below their low-stock threshold at this location.
    pub low_stock_at: Option<ID>,
}

impl ProductFilter {
    fn parse(self) -> domain::Result<DomainFilter> {
        Ok(DomainFilter {
            text: self.text,
            category_id: self
                .category_id
                .as_ref()
                .map(|id| parse_id(id, "categoryId"))
                .transpose()?,
            active: self.active.unwrap_or(true),
            low_stock_at: self
                .low_stock_at
                .as_ref()
                .map(|id| parse_id(id, "lowStockAt"))
                .transpose()?,
        })
    }
}

/// One product with the relations the client selected (fetched at once, no batching delay).
async fn single(
    ctx: &Context<'_>,
    row: entity::product::Model,
    currency: domain::money::Currency,
) -> async_graphql::Result<Product> {
    let mut products = products_with_relations(ctx, ctx.look_ahead(), vec![row], currency).await?;
    products
        .pop()
        .ok_or_else(|| domain::Error::internal("a product went missing").into())
}

#[derive(Default)]
pub struct CatalogQuery;

#[Object]
impl CatalogQuery {
    /// All tax rates, lowest first. Any role.
    async fn tax_rates(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<TaxRate>> {
        principal(ctx).await?;
        let db = &services(ctx)?.db;
        Ok(domain::catalog::tax_rates::list(db)
            .await?
            .into_iter()
            .map(TaxRate::from)
            .collect())
    }

    /// All categories, by name (the whole tree; follow `parent`). Any role.
    async fn categories(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Category>> {
        principal(ctx).await?;
        let db = &services(ctx)?.db;
        Ok(domain::catalog::categories::list(db)
            .await?
            .into_iter()
            .map(Category::from)
            .collect())
    }

    /// One product by ID, archived ones too. Any role.
    async fn product(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The product's ID.")] id: ID,
    ) -> async_graphql::Result<Product> {
        principal(ctx).await?;
        let id = parse_id(&id, "id")?;
        let services = services(ctx)?;
        let row = domain::catalog::products::get(&services.db, id).await?;
        single(ctx, row, services.currency).await
    }

    /// The product whose barcode or SKU is exactly `code`, as a scanner sends it (a barcode
    /// match wins over a SKU match). Archived products too, with `active: false`. Unknown
    /// code: null, not an error. Any role.
    async fn product_by_code(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A barcode or SKU, exactly.")] code: String,
    ) -> async_graphql::Result<Option<Product>> {
        principal(ctx).await?;
        let services = services(ctx)?;
        let cache = services.codes.as_deref().map(|c| c as &dyn CodeCache);
        match domain::catalog::products::by_code_cached(&services.db, cache, &code).await? {
            Some(row) => Ok(Some(single(ctx, row, services.currency).await?)),
            None => Ok(None),
        }
    }

    /// Finds products from whatever the cashier types: a barcode or SKU (that product first),
    /// words of the name, description or category (forgiving accents, plurals, typos and
    /// unfinished words, as typed; other countries' and English names of a word too; a size
    /// however it is written, e.g. "6 litros" finds "pack 6x1 L"), or what it means (e.g.
    /// "refresco de cola" finds a cola drink, in Spanish or English; needs the embedding
    /// model, see `/ready`). Best first;
    /// archived products never appear. An empty or blank query, or one over 200 characters:
    /// BAD_USER_INPUT. Any role.
    #[graphql(complexity = "crate::graphql::pagination::page_cost(first, child_complexity)")]
    async fn search_products(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the cashier typed or scanned (1 to 200 characters).")] query: String,
        #[graphql(desc = "How many results: default 20, at most 100.")] first: Option<i32>,
    ) -> async_graphql::Result<Vec<ProductSearchResult>> {
        principal(ctx).await?;
        let first = page_size(first)?;
        let query = domain::search::parse_query(&query)?;
        let services = services(ctx)?;
        let (found, ordered): (Vec<_>, Vec<_>) = services
            .search
            .find(&services.db, query, usize::try_from(first).unwrap_or(100))
            .await?
            .into_iter()
            .unzip();
        let node = ctx.look_ahead().field("product");
        let products = products_with_relations(ctx, node, ordered, services.currency).await?;
        Ok(found
            .into_iter()
            .zip(products)
            .map(|(hit, product)| ProductSearchResult {
                score: hit.score,
                matched_by: hit.matched_by.into_iter().map(Into::into).collect(),
                product,
            })
            .collect())
    }

    /// Products by name, in pages. Any role.
    #[graphql(complexity = "crate::graphql::pagination::page_cost(first, child_complexity)")]
    async fn products(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size: default 20, at most 100.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge already seen (`pageInfo.endCursor`).")]
        after: Option<String>,
        #[graphql(desc = "Which products; without it, all active products.")] filter: Option<
            ProductFilter,
        >,
    ) -> async_graphql::Result<ProductConnection> {
        principal(ctx).await?;
        let request = page_request("product", first, after, |key| {
            serde_json::from_str::<NameKey>(key).ok()
        })?;
        let filter = filter.unwrap_or_default().parse()?;
        let services = services(ctx)?;
        let (db, currency) = (services.db.clone(), services.currency);
        let page = domain::catalog::products::list(&db, &filter, &request).await?;
        let node = ctx.look_ahead().field("edges").field("node");
        let page = Page {
            items: products_with_relations(ctx, node, page.items, currency).await?,
            has_next_page: page.has_next_page,
        };
        Ok(listing(
            "product",
            page,
            |p| {
                serde_json::to_string(&NameKey {
                    name: p.row.name.clone(),
                    id: p.row.id,
                })
                .unwrap_or_default()
            },
            |product| product,
            Box::new(move || {
                let (db, filter) = (db.clone(), filter.clone());
                Box::pin(async move { domain::catalog::products::count(&db, &filter).await })
            }),
        )
        .into())
    }
}
