//! Locations, tax rates, categories and products.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

mod common;

use common::{Backend, TestApp, error_code};
use serde_json::{Value, json};

const CREATE_PRODUCT: &str = "mutation($input: CreateProductInput!) {
  createProduct(input: $input) {
    id sku barcode name description unit active trackStock lowStockThreshold
    price { amount currency } cost { amount currency }
    taxRate { id name ratePercent } category { id name } createdAt updatedAt
  }
}";
const UPDATE_PRODUCT: &str = "mutation($id: ID!, $input: UpdateProductInput!) {
  updateProduct(id: $id, input: $input) { id sku barcode name description active price { amount currency } cost { amount } updatedAt }
}";
const PRODUCTS: &str = "query($first: Int, $after: String, $filter: ProductFilter) {
  products(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id sku barcode name active price { amount currency } category { id name } stock { location { id } onHand } } }
  }
}";
const BY_CODE: &str = "query($code: String!) { productByCode(code: $code) { id sku barcode name price { amount currency } taxRate { ratePercent } stock { location { id } onHand } } }";
const CREATE_CATEGORY: &str = "mutation($input: CreateCategoryInput!) { createCategory(input: $input) { id name parent { id name } } }";
const CREATE_TAX: &str = "mutation($input: CreateTaxRateInput!) { createTaxRate(input: $input) { id name ratePercent } }";
const CREATE_LOCATION: &str = "mutation($input: CreateLocationInput!) { createLocation(input: $input) { id code name currency timezone pricesIncludeTax } }";

fn names(data: &Value) -> Vec<String> {
    data["products"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn category(app: &TestApp, token: &str, name: &str, parent: Option<&str>) -> String {
    let data = app
        .ok(
            token,
            CREATE_CATEGORY,
            json!({ "input": { "name": name, "parentId": parent } }),
        )
        .await;
    data["createCategory"]["id"].as_str().unwrap().to_owned()
}

both_backends!(
    each_role_gets_exactly_its_catalog_operations,
    a_location_is_created_in_the_shops_currency,
    tax_rates_are_percentages_with_up_to_three_decimals,
    categories_form_a_tree_without_cycles,
    a_product_is_created_with_every_field,
    bad_product_input_is_refused_with_its_field_and_changes_nothing,
    weighed_products_take_three_decimals,
    update_changes_what_is_given_and_null_clears,
    archived_products_leave_lists_but_not_the_scanner,
    product_by_code_finds_barcodes_and_skus_exactly,
    products_page_by_name_with_keyset_cursors,
    products_filter_by_text_ignoring_case_and_accents,
    products_filter_by_category_including_subcategories,
    products_filter_by_low_stock_at_a_location,
    every_catalog_change_is_audited,
    a_page_of_products_costs_the_same_statements_whatever_its_size,
    the_demo_shop_loads_once,
    total_counts_follow_creation_archiving_and_restoring,
    reference_data_changes_show_at_once_on_this_replica
);

async fn each_role_gets_exactly_its_catalog_operations(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let manager = app.user_with_role("mario", "MANAGER").await;
    let cashier = app.user_with_role("carla", "CASHIER").await;
    let product = app.product(&admin.access, "P-1", json!({})).await;
    // (operation, its variables for the n-th call, what ADMIN, MANAGER and CASHIER get)
    type Variables = Box<dyn Fn(usize) -> Value>;
    let product_id = product.clone();
    let cases: Vec<(&str, &str, Variables, [Option<&str>; 3])> = vec![
        (
            "createLocation",
            CREATE_LOCATION,
            Box::new(
                |n| json!({ "input": { "code": format!("L{n}"), "name": "L", "timezone": "UTC" } }),
            ),
            [None, Some("FORBIDDEN"), Some("FORBIDDEN")],
        ),
        (
            "createTaxRate",
            CREATE_TAX,
            Box::new(|n| json!({ "input": { "name": format!("T{n}"), "ratePercent": "4" } })),
            [None, Some("FORBIDDEN"), Some("FORBIDDEN")],
        ),
        (
            "createCategory",
            CREATE_CATEGORY,
            Box::new(|n| json!({ "input": { "name": format!("C{n}") } })),
            [None, None, Some("FORBIDDEN")],
        ),
        (
            "createProduct",
            CREATE_PRODUCT,
            Box::new(|n| json!({ "input": { "sku": format!("S{n}"), "name": "S", "price": "1" } })),
            [None, None, Some("FORBIDDEN")],
        ),
        (
            "updateProduct",
            UPDATE_PRODUCT,
            Box::new(move |n| json!({ "id": product_id, "input": { "name": format!("R{n}") } })),
            [None, None, Some("FORBIDDEN")],
        ),
        (
            "archiveProduct",
            "mutation($id: ID!) { archiveProduct(id: $id) { id active } }",
            Box::new(move |_| json!({ "id": product })),
            [None, None, Some("FORBIDDEN")],
        ),
        (
            "products",
            PRODUCTS,
            Box::new(|_| json!({})),
            [None, None, None],
        ),
        (
            "productByCode",
            BY_CODE,
            Box::new(|_| json!({ "code": "P-1" })),
            [None, None, None],
        ),
        (
            "taxRates",
            "{ taxRates { id } }",
            Box::new(|_| json!({})),
            [None, None, None],
        ),
        (
            "categories",
            "{ categories { id } }",
            Box::new(|_| json!({})),
            [None, None, None],
        ),
        (
            "locations",
            "{ locations { id } }",
            Box::new(|_| json!({})),
            [None, None, None],
        ),
    ];

    let mut n = 0;
    for (op, query, variables, outcomes) in cases {
        for (who, expected) in [&admin, &manager, &cashier].into_iter().zip(outcomes) {
            n += 1;
            let body = app.gql(Some(&who.access), query, variables(n)).await;
            let got = body["errors"][0]["extensions"]["code"].as_str();
            assert_eq!(got, expected, "{op} as {}: {body}", who.user_id);
        }
        let anonymous = app.gql(None, query, variables(0)).await;
        assert_eq!(error_code(&anonymous), "UNAUTHENTICATED", "{op}");
    }
}

async fn a_location_is_created_in_the_shops_currency(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;

    let data = app
        .ok(
            &admin.access,
            CREATE_LOCATION,
            json!({
                "input": {
                    "code": " almacen-1 ",
                    "name": "Almacén",
                    "timezone": "Europe/Madrid",
                    "pricesIncludeTax": false,
                },
            }),
        )
        .await;
    let taken = app
        .gql(
            Some(&admin.access),
            CREATE_LOCATION,
            json!({ "input": { "code": "ALMACEN-1", "name": "Otro", "timezone": "UTC" } }),
        )
        .await;
    let bad_zone = app
        .gql(
            Some(&admin.access),
            CREATE_LOCATION,
            json!({ "input": { "code": "B", "name": "B", "timezone": "Mars/Olympus" } }),
        )
        .await;

    assert_eq!(data["createLocation"]["code"], "ALMACEN-1");
    assert_eq!(data["createLocation"]["currency"], "EUR");
    assert_eq!(data["createLocation"]["pricesIncludeTax"], false);
    assert_eq!(error_code(&taken), "CONFLICT");
    assert_eq!(error_code(&bad_zone), "BAD_USER_INPUT");
    assert_eq!(bad_zone["errors"][0]["extensions"]["field"], "timezone");
}

async fn tax_rates_are_percentages_with_up_to_three_decimals(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;

    let reduced = app
        .ok(
            &admin.access,
            CREATE_TAX,
            json!({ "input": { "name": "IVA reducido", "ratePercent": "10.50" } }),
        )
        .await;
    let general = app
        .ok(
            &admin.access,
            CREATE_TAX,
            json!({ "input": { "name": "IVA general", "ratePercent": "21" } }),
        )
        .await;
    let list = app
        .ok(
            &admin.access,
            "{ taxRates { name ratePercent } }",
            json!({}),
        )
        .await;

    assert_eq!(reduced["createTaxRate"]["ratePercent"], "10.5");
    assert_eq!(general["createTaxRate"]["ratePercent"], "21");
    assert_eq!(
        list["taxRates"],
        json!([
            { "name": "IVA reducido", "ratePercent": "10.5" },
            { "name": "IVA general", "ratePercent": "21" },
        ])
    );
    for (rate, code) in [
        ("100.5", "BAD_USER_INPUT"),
        ("4.1234", "BAD_USER_INPUT"),
        ("-1", "BAD_USER_INPUT"),
    ] {
        let body = app
            .gql(
                Some(&admin.access),
                CREATE_TAX,
                json!({ "input": { "name": "x", "ratePercent": rate } }),
            )
            .await;
        assert_eq!(error_code(&body), code, "{rate}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "ratePercent");
    }
    let number = app
        .gql(
            Some(&admin.access),
            CREATE_TAX,
            json!({ "input": { "name": "x", "ratePercent": 21 } }),
        )
        .await;
    assert_eq!(
        error_code(&number),
        "BAD_USER_INPUT",
        "a Decimal is a string: {number}"
    );
    let taken = app
        .gql(
            Some(&admin.access),
            CREATE_TAX,
            json!({ "input": { "name": "IVA general", "ratePercent": "21" } }),
        )
        .await;
    assert_eq!(error_code(&taken), "CONFLICT");
}

async fn categories_form_a_tree_without_cycles(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let food = category(&app, &admin.access, "Alimentación", None).await;
    let dairy = category(&app, &admin.access, "Lácteos", Some(&food)).await;
    let cheese = category(&app, &admin.access, "Quesos", Some(&dairy)).await;
    let update = "mutation($id: ID!, $input: UpdateCategoryInput!) { updateCategory(id: $id, input: $input) { id parent { id } } }";

    let cycle = app
        .gql(
            Some(&admin.access),
            update,
            json!({ "id": food, "input": { "parentId": cheese } }),
        )
        .await;
    let itself = app
        .gql(
            Some(&admin.access),
            update,
            json!({ "id": food, "input": { "parentId": food } }),
        )
        .await;
    let sibling = app
        .gql(
            Some(&admin.access),
            CREATE_CATEGORY,
            json!({ "input": { "name": "Lácteos", "parentId": food } }),
        )
        .await;
    let orphan = app
        .gql(
            Some(&admin.access),
            CREATE_CATEGORY,
            json!({ "input": { "name": "X", "parentId": uuid::Uuid::now_v7().to_string() } }),
        )
        .await;
    let moved = app
        .ok(
            &admin.access,
            update,
            json!({ "id": cheese, "input": { "parentId": null } }),
        )
        .await;
    let list = app
        .ok(
            &admin.access,
            "{ categories { id name parent { id } } }",
            json!({}),
        )
        .await;

    for body in [&cycle, &itself] {
        assert_eq!(error_code(body), "BAD_USER_INPUT");
        assert_eq!(body["errors"][0]["extensions"]["field"], "parentId");
    }
    assert_eq!(error_code(&sibling), "CONFLICT");
    assert_eq!(error_code(&orphan), "NOT_FOUND");
    assert!(moved["updateCategory"]["parent"].is_null());
    let dairy_row = list["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == dairy.as_str())
        .unwrap();
    assert_eq!(dairy_row["parent"]["id"], food.as_str());
}

async fn a_product_is_created_with_every_field(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let tax = app
        .ok(
            &admin.access,
            CREATE_TAX,
            json!({ "input": { "name": "IVA", "ratePercent": "21" } }),
        )
        .await;
    let dairy = category(&app, &admin.access, "Lácteos", None).await;

    let data = app
        .ok(&admin.access, CREATE_PRODUCT, json!({ "input": {
            "sku": "LECHE-1L", "barcode": "8410188012092", "name": "Leche entera 1L", "description": "Brik",
            "categoryId": dairy, "price": "1.15", "cost": "0.8", "taxRateId": tax["createTaxRate"]["id"],
            "lowStockThreshold": "12",
        } }))
        .await;

    let product = &data["createProduct"];
    assert_eq!(product["unit"], "UNIT");
    assert_eq!(product["active"], true);
    assert_eq!(product["trackStock"], true);
    assert_eq!(product["lowStockThreshold"], "12");
    assert_eq!(
        product["price"],
        json!({ "amount": "1.15", "currency": "EUR" })
    );
    assert_eq!(
        product["cost"],
        json!({ "amount": "0.80", "currency": "EUR" })
    );
    assert_eq!(product["taxRate"]["ratePercent"], "21");
    assert_eq!(product["category"]["name"], "Lácteos");
    assert_eq!(product["createdAt"], product["updatedAt"]);
}

async fn bad_product_input_is_refused_with_its_field_and_changes_nothing(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    app.product(
        &admin.access,
        "TAKEN",
        json!({ "barcode": "4006381333931" }),
    )
    .await;
    let (products, audits) = (
        app.count_rows("products").await,
        app.count_rows("audit_log").await,
    );
    let base = json!({ "sku": "NEW", "name": "New", "price": "1.00" });
    let cases = [
        (json!({ "sku": "" }), "BAD_USER_INPUT", "sku"),
        (json!({ "sku": "HAS SPACE" }), "BAD_USER_INPUT", "sku"),
        (json!({ "name": "  " }), "BAD_USER_INPUT", "name"),
        (json!({ "price": "-1" }), "BAD_USER_INPUT", "price"),
        (json!({ "price": "1.005" }), "BAD_USER_INPUT", "price"),
        (json!({ "price": "1,50" }), "BAD_USER_INPUT", "price"),
        (json!({ "price": 1.5 }), "BAD_USER_INPUT", "price"),
        (json!({ "cost": "-0.01" }), "BAD_USER_INPUT", "cost"),
        (
            json!({ "barcode": "4006381333932" }),
            "BAD_USER_INPUT",
            "barcode",
        ),
        (
            json!({ "lowStockThreshold": "1.5" }),
            "BAD_USER_INPUT",
            "lowStockThreshold",
        ),
        (
            json!({ "lowStockThreshold": "-1" }),
            "BAD_USER_INPUT",
            "lowStockThreshold",
        ),
        (
            json!({ "categoryId": "nope" }),
            "BAD_USER_INPUT",
            "categoryId",
        ),
        (json!({ "sku": "TAKEN" }), "CONFLICT", "sku"),
        (json!({ "barcode": "4006381333931" }), "CONFLICT", "barcode"),
    ];

    for (change, code, field) in cases {
        let mut input = base.clone();
        input
            .as_object_mut()
            .unwrap()
            .extend(change.as_object().cloned().unwrap());
        let body = app
            .gql(
                Some(&admin.access),
                CREATE_PRODUCT,
                json!({ "input": input }),
            )
            .await;
        assert_eq!(error_code(&body), code, "{change}: {body}");
        assert_eq!(
            body["errors"][0]["extensions"]["field"], field,
            "{change}: {body}"
        );
    }
    let unknown_tax = app.gql(Some(&admin.access), CREATE_PRODUCT, json!({
        "input": { "sku": "N", "name": "N", "price": "1", "taxRateId": uuid::Uuid::now_v7().to_string() },
    })).await;
    assert_eq!(error_code(&unknown_tax), "NOT_FOUND");
    assert_eq!(app.count_rows("products").await, products);
    assert_eq!(app.count_rows("audit_log").await, audits);
}

async fn weighed_products_take_three_decimals(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;

    let data = app
        .ok(
            &admin.access,
            CREATE_PRODUCT,
            json!({
                "input": {
                    "sku": "JAMON",
                    "name": "Jamón serrano",
                    "unit": "KG",
                    "price": "24.90",
                    "lowStockThreshold": "0.750",
                },
            }),
        )
        .await;

    assert_eq!(data["createProduct"]["unit"], "KG");
    assert_eq!(data["createProduct"]["lowStockThreshold"], "0.75");
}

async fn update_changes_what_is_given_and_null_clears(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let id = app
        .product(
            &admin.access,
            "A-1",
            json!({ "barcode": "4006381333931", "description": "old", "cost": "0.50" }),
        )
        .await;

    let data = app
        .ok(
            &admin.access,
            UPDATE_PRODUCT,
            json!({ "id": id, "input": { "price": "2.5", "barcode": null, "description": null } }),
        )
        .await;
    let cannot_clear = app
        .gql(
            Some(&admin.access),
            UPDATE_PRODUCT,
            json!({ "id": id, "input": { "sku": null } }),
        )
        .await;
    let unknown = app
        .gql(
            Some(&admin.access),
            UPDATE_PRODUCT,
            json!({ "id": uuid::Uuid::now_v7().to_string(), "input": { "name": "x" } }),
        )
        .await;

    let product = &data["updateProduct"];
    assert_eq!(product["price"]["amount"], "2.50");
    assert!(product["barcode"].is_null());
    assert!(product["description"].is_null());
    assert_eq!(
        product["cost"]["amount"], "0.50",
        "absent fields are left alone"
    );
    assert_eq!(product["sku"], "A-1");
    assert_eq!(error_code(&cannot_clear), "BAD_USER_INPUT");
    assert_eq!(cannot_clear["errors"][0]["extensions"]["field"], "sku");
    assert_eq!(error_code(&unknown), "NOT_FOUND");
}

async fn archived_products_leave_lists_but_not_the_scanner(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let id = app
        .product(&admin.access, "OLD", json!({ "barcode": "96385074" }))
        .await;
    app.product(&admin.access, "NEW", json!({})).await;

    let archived = app
        .ok(
            &admin.access,
            "mutation($id: ID!) { archiveProduct(id: $id) { id active } }",
            json!({ "id": id }),
        )
        .await;
    let active = app.ok(&admin.access, PRODUCTS, json!({})).await;
    let archive = app
        .ok(
            &admin.access,
            PRODUCTS,
            json!({ "filter": { "active": false } }),
        )
        .await;
    let scanned = app
        .ok(&admin.access, BY_CODE, json!({ "code": "96385074" }))
        .await;
    let restored = app
        .ok(
            &admin.access,
            UPDATE_PRODUCT,
            json!({ "id": id, "input": { "active": true } }),
        )
        .await;

    assert_eq!(archived["archiveProduct"]["active"], false);
    assert_eq!(names(&active), ["Product NEW"]);
    assert_eq!(names(&archive), ["Product OLD"]);
    assert_eq!(scanned["productByCode"]["sku"], "OLD");
    assert_eq!(restored["updateProduct"]["active"], true);
}

async fn product_by_code_finds_barcodes_and_skus_exactly(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    app.product(
        &admin.access,
        "AGUA-15",
        json!({ "barcode": "8410188012092", "name": "Agua 1,5L", "price": "0.45" }),
    )
    .await;

    let by_barcode = app
        .ok(&admin.access, BY_CODE, json!({ "code": "8410188012092" }))
        .await;
    let by_sku = app
        .ok(&admin.access, BY_CODE, json!({ "code": "AGUA-15" }))
        .await;
    let partial = app
        .ok(&admin.access, BY_CODE, json!({ "code": "AGUA" }))
        .await;
    let unknown = app
        .ok(&admin.access, BY_CODE, json!({ "code": "0000000000000" }))
        .await;

    assert_eq!(by_barcode["productByCode"]["name"], "Agua 1,5L");
    assert_eq!(
        by_barcode["productByCode"]["price"],
        json!({ "amount": "0.45", "currency": "EUR" })
    );
    assert_eq!(by_sku["productByCode"]["barcode"], "8410188012092");
    assert!(partial["productByCode"].is_null());
    assert!(unknown["productByCode"].is_null());
}

async fn products_page_by_name_with_keyset_cursors(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    for name in ["Manzana", "aceite", "Berenjena", "Zanahoria", "Cebolla"] {
        app.product(&admin.access, &name.to_uppercase(), json!({ "name": name }))
            .await;
    }

    let first = app.ok(&admin.access, PRODUCTS, json!({ "first": 2 })).await;
    let cursor = first["products"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = app
        .ok(
            &admin.access,
            PRODUCTS,
            json!({ "first": 2, "after": cursor }),
        )
        .await;
    let cursor = second["products"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let third = app
        .ok(
            &admin.access,
            PRODUCTS,
            json!({ "first": 2, "after": cursor }),
        )
        .await;

    let mut seen = names(&first);
    seen.extend(names(&second));
    seen.extend(names(&third));
    let mut expected = seen.clone();
    expected.sort();
    assert_eq!(seen.len(), 5);
    assert_eq!(
        seen.iter().collect::<std::collections::HashSet<_>>().len(),
        5,
        "no product twice: {seen:?}"
    );
    assert_eq!(first["products"]["totalCount"], 5);
    assert_eq!(first["products"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(third["products"]["pageInfo"]["hasNextPage"], false);
    let too_many = app
        .gql(Some(&admin.access), PRODUCTS, json!({ "first": 101 }))
        .await;
    assert_eq!(error_code(&too_many), "BAD_USER_INPUT");
}

async fn products_filter_by_text_ignoring_case_and_accents(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    app.product(
        &admin.access,
        "CAFE-MOL",
        json!({ "name": "Café molido 250g" }),
    )
    .await;
    app.product(
        &admin.access,
        "LECHE",
        json!({ "name": "Leche entera", "barcode": "8410188012092" }),
    )
    .await;
    app.product(
        &admin.access,
        "PCT-50",
        json!({ "name": "Descuento 50% tarro" }),
    )
    .await;

    let cafe = app
        .ok(
            &admin.access,
            PRODUCTS,
            json!({ "filter": { "text": "CAFE" } }),
        )
        .await;
    let by_sku = app
        .ok(
            &admin.access,
            PRODUCTS,
            json!({ "filter": { "text": "leche" } }),
        )
        .await;
    let by_barcode = app
        .ok(
            &admin.access,
            PRODUCTS,
            json!({ "filter": { "text": "41018801" } }),
        )
        .await;
    let literal_percent = app
        .ok(
            &admin.access,
            PRODUCTS,
            json!({ "filter": { "text": "50%" } }),
        )
        .await;
    let nothing = app
        .ok(
            &admin.access,
            PRODUCTS,
            json!({ "filter": { "text": "%" } }),
        )
        .await;

    assert_eq!(names(&cafe), ["Café molido 250g"]);
    assert_eq!(cafe["products"]["totalCount"], 1);
    assert_eq!(names(&by_sku), ["Leche entera"]);
    assert_eq!(names(&by_barcode), ["Leche entera"]);
    assert_eq!(names(&literal_percent), ["Descuento 50% tarro"]);
    assert_eq!(names(&nothing), ["Descuento 50% tarro"]);
}

async fn products_filter_by_category_including_subcategories(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let food = category(&app, &admin.access, "Alimentación", None).await;
    let dairy = category(&app, &admin.access, "Lácteos", Some(&food)).await;
    let cleaning = category(&app, &admin.access, "Limpieza", None).await;
    app.product(
        &admin.access,
        "A",
        json!({ "name": "Arroz", "categoryId": food }),
    )
    .await;
    app.product(
        &admin.access,
        "Y",
        json!({ "name": "Yogur", "categoryId": dairy }),
    )
    .await;
    app.product(
        &admin.access,
        "L",
        json!({ "name": "Lejía", "categoryId": cleaning }),
    )
    .await;

    let all_food = app
        .ok(
            &admin.access,
            PRODUCTS,
            json!({ "filter": { "categoryId": food } }),
        )
        .await;
    let only_dairy = app
        .ok(
            &admin.access,
            PRODUCTS,
            json!({ "filter": { "categoryId": dairy } }),
        )
        .await;

    assert_eq!(names(&all_food), ["Arroz", "Yogur"]);
    assert_eq!(names(&only_dairy), ["Yogur"]);
    assert_eq!(
        all_food["products"]["edges"][1]["node"]["category"]["name"],
        "Lácteos"
    );
}

async fn products_filter_by_low_stock_at_a_location(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let main = app.main_location(&admin.access).await;
    let low = app
        .product(
            &admin.access,
            "LOW",
            json!({ "name": "Low", "lowStockThreshold": "5" }),
        )
        .await;
    let fine = app
        .product(
            &admin.access,
            "FINE",
            json!({ "name": "Fine", "lowStockThreshold": "5" }),
        )
        .await;
    app.product(&admin.access, "NONE", json!({ "name": "No threshold" }))
        .await;
    app.product(
        &admin.access,
        "UNTRACKED",
        json!({ "name": "Untracked", "trackStock": false, "lowStockThreshold": "5" }),
    )
    .await;
    app.receive(&admin.access, &main, &low, "5").await;
    app.receive(&admin.access, &main, &fine, "6").await;

    let data = app
        .ok(
            &admin.access,
            PRODUCTS,
            json!({ "filter": { "lowStockAt": main } }),
        )
        .await;

    assert_eq!(names(&data), ["Low"]);
    assert_eq!(
        data["products"]["edges"][0]["node"]["stock"],
        json!([{ "location": { "id": main }, "onHand": "5" }])
    );
}

async fn every_catalog_change_is_audited(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let id = app.product(&admin.access, "AUD", json!({})).await;
    app.ok(
        &admin.access,
        UPDATE_PRODUCT,
        json!({ "id": id, "input": { "price": "3.00" } }),
    )
    .await;
    app.ok(
        &admin.access,
        "mutation($id: ID!) { archiveProduct(id: $id) { id } }",
        json!({ "id": id }),
    )
    .await;
    category(&app, &admin.access, "Cat", None).await;
    app.ok(
        &admin.access,
        CREATE_TAX,
        json!({ "input": { "name": "IVA", "ratePercent": "21" } }),
    )
    .await;

    let log = app
        .ok(
            &admin.access,
            "{ auditLog(first: 5) { edges { node { action entityType details } } } }",
            json!({}),
        )
        .await;

    let actions: Vec<&str> = log["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "tax_rate.create",
            "category.create",
            "product.archive",
            "product.update",
            "product.create"
        ]
    );
    assert_eq!(
        log["auditLog"]["edges"][3]["node"]["details"]["price"],
        json!({ "from": "1.00", "to": "3.00" })
    );
}

async fn a_page_of_products_costs_the_same_statements_whatever_its_size(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let main = app.main_location(&admin.access).await;
    let tax = app
        .ok(
            &admin.access,
            CREATE_TAX,
            json!({ "input": { "name": "IVA", "ratePercent": "21" } }),
        )
        .await;
    let tax = tax["createTaxRate"]["id"].as_str().unwrap().to_owned();
    app.ok(
        &admin.access,
        CREATE_LOCATION,
        json!({ "input": { "code": "B", "name": "B", "timezone": "UTC" } }),
    )
    .await;
    let mut categories = Vec::new();
    for i in 0..7 {
        let parent = categories.get(i / 2).cloned();
        categories
            .push(category(&app, &admin.access, &format!("Cat {i}"), parent.as_deref()).await);
    }
    for i in 0..120 {
        let id = app
            .product(
                &admin.access,
                &format!("SKU-{i:03}"),
                json!({ "categoryId": categories[i % categories.len()], "taxRateId": tax }),
            )
            .await;
        if i % 3 == 0 {
            app.receive(&admin.access, &main, &id, "4").await;
        }
    }
    let every_field = "query($first: Int) { products(first: $first) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node {
          id sku barcode name description unit active trackStock lowStockThreshold createdAt updatedAt
          price { amount currency } cost { amount currency }
          taxRate { id name ratePercent } category { id name parent { id } }
          stock { location { id code } onHand }
        } }
    } }";
    let statements = |first: i64| {
        let app = &app;
        let token = admin.access.clone();
        async move {
            let before = app.app.db_stats.statements();
            let data = app.ok(&token, every_field, json!({ "first": first })).await;
            assert_eq!(
                data["products"]["edges"].as_array().unwrap().len() as i64,
                first
            );
            app.app.db_stats.statements() - before
        }
    };

    // The first page also reads the locations, tax rates and categories into memory.
    let cold = statements(1).await;
    let small = statements(10).await;
    let large = statements(100).await;
    eprintln!(
        "statements for a first page of 1: {cold}, then pages of 10: {small}, of 100: {large}"
    );

    // The page, its count and its stock; cold, also locations, tax rates and categories.
    assert_eq!(small, large, "a larger page must not cost more statements");
    assert!(
        cold <= 6 && large <= 3,
        "{cold} and {large} statements for one page"
    );
}

async fn the_demo_shop_loads_once(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let (actor, main) = (
        uuid::Uuid::parse_str(&admin.user_id).unwrap(),
        uuid::Uuid::parse_str(&app.main_location(&admin.access).await).unwrap(),
    );
    let currency = app.app.config.default_currency;

    let first = domain::demo::seed(&app.app.db, actor, currency, main)
        .await
        .unwrap();
    let again = domain::demo::seed(&app.app.db, actor, currency, main)
        .await
        .unwrap();

    assert!(first.products >= 200, "{first:?}");
    assert_eq!(
        (again.tax_rates, again.categories, again.products),
        (0, 0, 0)
    );
    assert_eq!(app.count_rows("products").await, first.products as i64);
    let milk = app.ok(&admin.access, "{ products(filter: { text: \"leche entera 1 l\" }) { edges { node { name price { amount } stock { onHand } } } } }", json!({})).await;
    assert_eq!(
        milk["products"]["edges"][0]["node"]["name"],
        "Leche entera 1 L"
    );
    app.assert_ledger_holds().await;
}

async fn total_counts_follow_creation_archiving_and_restoring(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let mut ids = Vec::new();
    for i in 0..4 {
        ids.push(
            app.product(&admin.access, &format!("C-{i}"), json!({}))
                .await,
        );
    }
    let archive = "mutation($id: ID!) { archiveProduct(id: $id) { id } }";
    app.ok(&admin.access, archive, json!({ "id": ids[0] }))
        .await;
    app.ok(&admin.access, archive, json!({ "id": ids[1] }))
        .await;
    app.ok(&admin.access, archive, json!({ "id": ids[1] }))
        .await;
    app.ok(
        &admin.access,
        UPDATE_PRODUCT,
        json!({ "id": ids[0], "input": { "active": true } }),
    )
    .await;
    let count = |active: bool| {
        let app = &app;
        let token = admin.access.clone();
        async move {
            let data = app.ok(&token, "query($f: ProductFilter) { products(filter: $f) { totalCount edges { node { id } } } }", json!({ "f": { "active": active } })).await;
            (
                data["products"]["totalCount"].as_i64().unwrap(),
                data["products"]["edges"].as_array().unwrap().len() as i64,
            )
        }
    };

    // (totalCount, products actually listed) for active and archived products.
    assert_eq!(count(true).await, (3, 3));
    assert_eq!(count(false).await, (1, 1));
}

async fn reference_data_changes_show_at_once_on_this_replica(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    let product = app.product(&admin.access, "REF", json!({})).await;
    let view = "query($id: ID!) { product(id: $id) { taxRate { name } category { name } stock { location { code } } } }";
    app.ok(&admin.access, view, json!({ "id": product })).await;

    app.ok(
        &admin.access,
        CREATE_LOCATION,
        json!({ "input": { "code": "NEW", "name": "New", "timezone": "UTC" } }),
    )
    .await;
    let tax = app
        .ok(
            &admin.access,
            CREATE_TAX,
            json!({ "input": { "name": "IVA", "ratePercent": "21" } }),
        )
        .await;
    let cat = category(&app, &admin.access, "Nueva", None).await;
    app.ok(&admin.access, UPDATE_PRODUCT, json!({ "id": product, "input": { "taxRateId": tax["createTaxRate"]["id"], "categoryId": cat } })).await;
    let data = app.ok(&admin.access, view, json!({ "id": product })).await;

    assert_eq!(
        data["product"]["stock"],
        json!([{ "location": { "code": "MAIN" } }, { "location": { "code": "NEW" } }])
    );
    assert_eq!(data["product"]["taxRate"]["name"], "IVA");
    assert_eq!(data["product"]["category"]["name"], "Nueva");
}
