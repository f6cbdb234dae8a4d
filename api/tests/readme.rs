//! The README's walk-throughs ("Set up a shop", then "Ring up a sale"), run as a reader would
//! paste them.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

mod common;

use common::Backend;
use common::TestApp;
use serde_json::{Value, json};

/// A walk-through's steps: each GraphQL block with the variables block that follows it.
fn steps(heading: &str) -> Vec<(String, Option<String>)> {
    let readme =
        std::fs::read_to_string(format!("{}/../README.md", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let section = readme
        .split(&format!("## {heading}\n"))
        .nth(1)
        .unwrap()
        .split("\n## ")
        .next()
        .unwrap();
    let mut steps: Vec<(String, Option<String>)> = Vec::new();
    for block in section.split("```").skip(1).step_by(2) {
        if let Some(document) = block.strip_prefix("graphql\n") {
            steps.push((document.to_owned(), None));
        } else if let Some(variables) = block.strip_prefix("json\n") {
            steps.last_mut().expect("variables follow an operation").1 = Some(variables.to_owned());
        }
    }
    steps
}

/// What the reader copies from earlier answers.
async fn resolve(app: &TestApp, token: &str, placeholder: &str) -> String {
    let data = app
        .ok(token, "{ locations { id code } categories { id name } taxRates { id name } productByCode(code: \"LECHE-1L\") { id } sales(first: 1) { edges { node { id lines { id } } } } }", json!({}))
        .await;
    let main = data["locations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == "MAIN")
        .map(|l| l["id"].clone());
    let find = |list: &str, key: &str, value: &str| {
        data[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|item| item[key] == value)
            .map(|item| item["id"].as_str().unwrap().to_owned())
    };
    match placeholder {
        "<id of MAIN>" => find("locations", "code", "MAIN"),
        "<id of Lácteos>" => find("categories", "name", "Lácteos"),
        "<id of IVA superreducido>" => find("taxRates", "name", "IVA superreducido"),
        "<id of LECHE-1L>" => data["productByCode"]["id"].as_str().map(str::to_owned),
        "<id of the open session>" => {
            let open = app
                .ok(
                    token,
                    "query($l: ID!) { openRegisterSessions(locationId: $l) { id } }",
                    json!({ "l": main }),
                )
                .await;
            open["openRegisterSessions"][0]["id"]
                .as_str()
                .map(str::to_owned)
        }
        "<id of the sale>" => data["sales"]["edges"][0]["node"]["id"]
            .as_str()
            .map(str::to_owned),
        "<id of its first line>" => data["sales"]["edges"][0]["node"]["lines"][0]["id"]
            .as_str()
            .map(str::to_owned),
        other => panic!("the README uses a placeholder this test does not know: {other}"),
    }
    .unwrap_or_else(|| panic!("{placeholder} is not there yet"))
}

/// Runs a walk-through's steps in order; returns the last step's data.
async fn walk(app: &TestApp, token: &str, heading: &str) -> Value {
    let mut last = Value::Null;
    for (document, variables) in steps(heading) {
        let mut variables: Value = match variables {
            Some(text) => serde_json::from_str(&text).unwrap(),
            None => json!({}),
        };
        for value in variables.as_object_mut().unwrap().values_mut() {
            if let Some(placeholder) = value.as_str().filter(|v| v.starts_with('<')) {
                *value = json!(resolve(app, token, placeholder).await);
            }
        }
        last = app.ok(token, &document, variables).await;
    }
    last
}

both_backends!(
    the_set_up_a_shop_walk_through_works_as_written,
    the_ring_up_a_sale_walk_through_works_as_written
);

async fn the_set_up_a_shop_walk_through_works_as_written(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    assert!(steps("Set up a shop").len() >= 8);

    let last = walk(&app, &admin.access, "Set up a shop").await;

    assert_eq!(last["createCustomer"]["name"], "Bar El Rincón");
    let milk = app.ok(&admin.access, "{ productByCode(code: \"LECHE-1L\") { cost { amount } stock { location { code } onHand } } }", json!({})).await;
    assert_eq!(milk["productByCode"]["stock"][0]["onHand"], "45");
    assert_eq!(milk["productByCode"]["cost"]["amount"], "0.65");
    app.assert_ledger_holds().await;
}

async fn the_ring_up_a_sale_walk_through_works_as_written(backend: Backend) {
    let app = backend.spawn().await;
    let admin = app.admin().await;
    walk(&app, &admin.access, "Set up a shop").await;
    assert!(steps("Ring up a sale").len() >= 6);

    let last = walk(&app, &admin.access, "Ring up a sale").await;

    let closed = &last["closeRegister"];
    assert_eq!(closed["status"], "CLOSED");
    assert_eq!(closed["expectedCash"]["amount"], "151.89");
    assert_eq!(closed["overShort"]["amount"], "0.00");
    let sale = app.ok(&admin.access, "{ sales(first: 1) { edges { node { number status total { amount } } } } productByCode(code: \"LECHE-1L\") { stock { onHand } } }", json!({})).await;
    assert_eq!(
        sale["sales"]["edges"][0]["node"],
        json!({ "number": "MAIN-000001", "status": "PARTIALLY_REFUNDED", "total": { "amount": "2.83" } })
    );
    assert_eq!(sale["productByCode"]["stock"][0]["onHand"], "43");
    app.assert_ledger_holds().await;
}
