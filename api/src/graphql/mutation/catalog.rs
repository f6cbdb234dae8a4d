use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use domain::auth::Role;
use domain::catalog::products::{NewProduct, ProductChanges};

use crate::graphql::context::{parse_id, services, transact};
use crate::graphql::guards::RoleGuard;
use crate::graphql::types::catalog::{Category, Product, TaxRate, Unit};
use crate::graphql::types::location::{Language, Location};
use crate::graphql::types::scalars::Decimal;

/// A new store or warehouse.
#[derive(InputObject)]
pub struct CreateLocationInput {
    /// Short code, 1 to 16 of A-Z, 0-9, `-`, `_` (upper-cased); prefixes sale numbers. Taken:
    /// CONFLICT.
    pub code: String,
    /// Name shown on screens and receipts.
    pub name: String,
    /// IANA time zone, e.g. `Europe/Madrid`.
    pub timezone: String,
    /// Whether shelf prices include tax here (true) or tax is added at the till (false).
    #[graphql(default = true)]
    pub prices_include_tax: bool,
    /// The business's legal name for receipts, up to 200 characters.
    pub legal_name: Option<String>,
    /// The tax id for receipts (NIF/CIF): letters, digits and `-`, up to 32; upper-cased.
    pub tax_id: Option<String>,
    /// The postal address for receipts, up to 300 characters; line breaks are kept.
    pub address: Option<String>,
    /// Printed at the foot of every receipt, up to 300 characters.
    pub receipt_footer: Option<String>,
    /// The language of its receipts; ES when absent.
    pub language: Option<Language>,
}

/// Changes to a location: an absent field is left alone; null clears an optional one
/// (legalName, taxId, address, receiptFooter). The code, the currency and whether prices
/// include tax cannot change: sales already made depend on them.
#[derive(InputObject)]
pub struct UpdateLocationInput {
    /// New name, shown on screens and receipts.
    pub name: Option<String>,
    /// New IANA time zone.
    pub timezone: Option<String>,
    /// The business's legal name for receipts, up to 200 characters.
    pub legal_name: MaybeUndefined<String>,
    /// The tax id for receipts (NIF/CIF): letters, digits and `-`, up to 32; upper-cased.
    pub tax_id: MaybeUndefined<String>,
    /// The postal address for receipts, up to 300 characters; line breaks are kept.
    pub address: MaybeUndefined<String>,
    /// Printed at the foot of every receipt, up to 300 characters.
    pub receipt_footer: MaybeUndefined<String>,
    /// The language of its receipts.
    pub language: Option<Language>,
}

/// A new tax rate.
#[derive(InputObject)]
pub struct CreateTaxRateInput {
    /// Name shown on receipts, unique, e.g. "IVA reducido".
    pub name: String,
    /// The rate as a percentage, 0 to 100 with at most 3 decimals: "21", "10.5".
    pub rate_percent: Decimal,
}

/// A new category.
#[derive(InputObject)]
pub struct CreateCategoryInput {
    /// Name, unique among its siblings (CONFLICT).
    pub name: String,
    /// The category it sits under; absent for a top-level category.
    pub parent_id: Option<ID>,
}

/// Changes to a category; an absent field is left alone.
#[derive(InputObject)]
pub struct UpdateCategoryInput {
    /// New name, unique among its siblings.
    pub name: Option<String>,
    /// New parent; null makes it top-level. Under itself or its own subcategory:
    /// BAD_USER_INPUT.
    pub parent_id: MaybeUndefined<ID>,
}

/// A new product. Amounts are in the shop's currency, written as shelf prices are.
#[derive(InputObject)]
pub struct CreateProductInput {
    /// The shop's own code, unique (CONFLICT), no spaces.
    pub sku: String,
    /// Barcode, unique (CONFLICT). One of 8, 12 or 13 digits must carry a valid EAN/UPC check
    /// digit.
    pub barcode: Option<String>,
    /// Name shown at the register and on receipts.
    pub name: String,
    /// Longer description.
    pub description: Option<String>,
    /// Its category.
    pub category_id: Option<ID>,
    /// How it is measured; UNIT products sell in whole numbers.
    #[graphql(default_with = "Unit::Unit")]
    pub unit: Unit,
    /// Shelf price per unit, not negative.
    pub price: Decimal,
    /// What one unit costs the shop.
    pub cost: Option<Decimal>,
    /// Its VAT rate; absent means no tax.
    pub tax_rate_id: Option<ID>,
    /// Whether stock is counted (default true).
    #[graphql(default = true)]
    pub track_stock: bool,
    /// Stock at or below this at a location makes it low on stock there.
    pub low_stock_threshold: Option<Decimal>,
}

/// Changes to a product: an absent field is left alone; null clears an optional one
/// (barcode, description, categoryId, taxRateId, cost, lowStockThreshold).
#[derive(InputObject)]
pub struct UpdateProductInput {
    /// New SKU, unique.
    pub sku: MaybeUndefined<String>,
    /// New barcode, unique; null removes it.
    pub barcode: MaybeUndefined<String>,
    /// New name.
    pub name: MaybeUndefined<String>,
    /// New description; null removes it.
    pub description: MaybeUndefined<String>,
    /// New category; null removes it.
    pub category_id: MaybeUndefined<ID>,
    /// New shelf price.
    pub price: MaybeUndefined<Decimal>,
    /// New cost; null makes it unknown.
    pub cost: MaybeUndefined<Decimal>,
    /// New VAT rate; null means no tax.
    pub tax_rate_id: MaybeUndefined<ID>,
    /// New low-stock threshold; null turns alerts off.
    pub low_stock_threshold: MaybeUndefined<Decimal>,
    /// true brings an archived product back; false archives it.
    pub active: MaybeUndefined<bool>,
}

/// `MaybeUndefined` as the domain's `Option<Option<_>>`: absent, null, or a value.
pub fn patch<T, U>(
    value: MaybeUndefined<T>,
    map: impl FnOnce(T) -> domain::Result<U>,
) -> domain::Result<Option<Option<U>>> {
    match value {
        MaybeUndefined::Undefined => Ok(None),
        MaybeUndefined::Null => Ok(Some(None)),
        MaybeUndefined::Value(value) => Ok(Some(Some(map(value)?))),
    }
}

fn id_field(field: &'static str) -> impl Fn(ID) -> domain::Result<uuid::Uuid> {
    move |id| parse_id(&id, field)
}

fn text(value: Decimal) -> domain::Result<String> {
    Ok(value.0)
}

#[derive(Default)]
pub struct CatalogMutation;

#[Object]
impl CatalogMutation {
    /// Creates a store or warehouse in the shop's currency. ADMIN only.
    #[graphql(guard = "RoleGuard(Role::Admin)")]
    async fn create_location(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new location.")] input: CreateLocationInput,
    ) -> async_graphql::Result<Location> {
        let new = domain::locations::NewLocation {
            code: input.code,
            name: input.name,
            timezone: input.timezone,
            prices_include_tax: input.prices_include_tax,
            receipt: domain::locations::ReceiptDetails {
                legal_name: input.legal_name,
                tax_id: input.tax_id,
                address: input.address,
                footer: input.receipt_footer,
                language: input.language.map(Into::into),
            },
        };
        let currency = services(ctx)?.currency;
        let created = transact(ctx, async move |txn, actor| {
            domain::locations::create(txn, Some(actor.user_id), currency, new).await
        })
        .await?;
        services(ctx)?.reference.forget();
        Ok(Location::from(created))
    }

    /// Changes a location's name, time zone or what its receipts show (legal name, tax id,
    /// address, footer, language); see `UpdateLocationInput`. ADMIN only.
    #[graphql(guard = "RoleGuard(Role::Admin)")]
    async fn update_location(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The location to change.")] id: ID,
        #[graphql(desc = "What to change.")] input: UpdateLocationInput,
    ) -> async_graphql::Result<Location> {
        let id = parse_id(&id, "id")?;
        let changes = domain::locations::LocationChanges {
            name: input.name,
            timezone: input.timezone,
            legal_name: patch(input.legal_name, Ok)?,
            tax_id: patch(input.tax_id, Ok)?,
            address: patch(input.address, Ok)?,
            footer: patch(input.receipt_footer, Ok)?,
            language: input.language.map(Into::into),
        };
        let updated = transact(ctx, async move |txn, actor| {
            domain::locations::update(txn, actor.user_id, id, changes).await
        })
        .await?;
        services(ctx)?.reference.forget();
        Ok(Location::from(updated))
    }

    /// Creates a tax rate. ADMIN only.
    #[graphql(guard = "RoleGuard(Role::Admin)")]
    async fn create_tax_rate(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new tax rate.")] input: CreateTaxRateInput,
    ) -> async_graphql::Result<TaxRate> {
        let new = domain::catalog::tax_rates::NewTaxRate::parse(
            &input.name,
            input.rate_percent.as_str(),
        )?;
        let created = transact(ctx, async move |txn, actor| {
            domain::catalog::tax_rates::create(txn, actor.user_id, new).await
        })
        .await?;
        services(ctx)?.reference.forget();
        Ok(TaxRate::from(created))
    }

    /// Creates a category. MANAGER or ADMIN.
    #[graphql(guard = "RoleGuard(Role::Manager)")]
    async fn create_category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new category.")] input: CreateCategoryInput,
    ) -> async_graphql::Result<Category> {
        let name = domain::catalog::categories::parse_name(&input.name)?;
        let parent = input.parent_id.map(id_field("parentId")).transpose()?;
        let created = transact(ctx, async move |txn, actor| {
            domain::catalog::categories::create(txn, actor.user_id, name, parent).await
        })
        .await?;
        services(ctx)?.reference.forget();
        Ok(Category::from(created))
    }

    /// Renames a category or moves it in the tree. MANAGER or ADMIN.
    #[graphql(guard = "RoleGuard(Role::Manager)")]
    async fn update_category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The category to change.")] id: ID,
        #[graphql(desc = "What to change.")] input: UpdateCategoryInput,
    ) -> async_graphql::Result<Category> {
        let id = parse_id(&id, "id")?;
        let name = input
            .name
            .as_deref()
            .map(domain::catalog::categories::parse_name)
            .transpose()?;
        let parent = patch(input.parent_id, id_field("parentId"))?;
        let updated = transact(ctx, async move |txn, actor| {
            domain::catalog::categories::update(txn, actor.user_id, id, name, parent).await
        })
        .await?;
        let services = services(ctx)?;
        services.reference.forget();
        // Its products' labels changed: the search index reads them again now.
        services.search.changed();
        Ok(Category::from(updated))
    }

    /// Creates a product. MANAGER or ADMIN.
    #[graphql(guard = "RoleGuard(Role::Manager)")]
    async fn create_product(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new product.")] input: CreateProductInput,
    ) -> async_graphql::Result<Product> {
        let new = NewProduct {
            sku: input.sku,
            barcode: input.barcode,
            name: input.name,
            description: input.description,
            category_id: input.category_id.map(id_field("categoryId")).transpose()?,
            unit: input.unit.into(),
            price: input.price.0,
            cost: input.cost.map(|c| c.0),
            tax_rate_id: input.tax_rate_id.map(id_field("taxRateId")).transpose()?,
            track_stock: input.track_stock,
            low_stock_threshold: input.low_stock_threshold.map(|t| t.0),
        };
        let currency = services(ctx)?.currency;
        let created = transact(ctx, async move |txn, actor| {
            domain::catalog::products::create(txn, actor.user_id, currency, new).await
        })
        .await?;
        services(ctx)?
            .product_changed(&domain::catalog::products::codes_of(&created))
            .await;
        Ok(Product::new(created, currency))
    }

    /// Changes a product; see `UpdateProductInput` for absent and null fields. MANAGER or
    /// ADMIN.
    #[graphql(guard = "RoleGuard(Role::Manager)")]
    async fn update_product(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The product to change.")] id: ID,
        #[graphql(desc = "What to change.")] input: UpdateProductInput,
    ) -> async_graphql::Result<Product> {
        let id = parse_id(&id, "id")?;
        let changes = ProductChanges {
            sku: patch(input.sku, Ok)?,
            barcode: patch(input.barcode, Ok)?,
            name: patch(input.name, Ok)?,
            description: patch(input.description, Ok)?,
            category_id: patch(input.category_id, id_field("categoryId"))?,
            price: patch(input.price, text)?,
            cost: patch(input.cost, text)?,
            tax_rate_id: patch(input.tax_rate_id, id_field("taxRateId"))?,
            low_stock_threshold: patch(input.low_stock_threshold, text)?,
            active: patch(input.active, Ok)?,
        };
        let currency = services(ctx)?.currency;
        let updated = transact(ctx, async move |txn, actor| {
            domain::catalog::products::update(txn, actor.user_id, currency, id, changes).await
        })
        .await?;
        services(ctx)?.product_changed(&updated.stale_codes).await;
        Ok(Product::new(updated.product, currency))
    }

    /// Archives a product: it leaves lists and searches and cannot be sold; history keeps it.
    /// `updateProduct(active: true)` brings it back. MANAGER or ADMIN.
    #[graphql(guard = "RoleGuard(Role::Manager)")]
    async fn archive_product(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The product to archive.")] id: ID,
    ) -> async_graphql::Result<Product> {
        let id = parse_id(&id, "id")?;
        let currency = services(ctx)?.currency;
        let archived = transact(ctx, async move |txn, actor| {
            domain::catalog::products::archive(txn, actor.user_id, id).await
        })
        .await?;
        services(ctx)?.product_changed(&[]).await;
        Ok(Product::new(archived, currency))
    }
}
