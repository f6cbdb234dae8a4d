//! The schema against its two references: the checked-in `schema.graphql` and the frontend's
//! contract (`tests/contract/`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

use std::sync::Arc;

use api::graphql::errors::QueryLimits;
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute};
use async_graphql::{Request, Response, Value};

/// Contract operations whose fields later issues add. The test fails when one of them starts
/// to validate, so this list only ever shrinks.
const NOT_YET_IMPLEMENTED: &[&str] = &[];

fn repository_file(path: &str) -> String {
    let full = format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("reading {full}: {e}"))
}

#[test]
fn schema_graphql_matches_the_code() {
    let checked_in = repository_file("schema.graphql");

    assert!(
        api::graphql::sdl() == checked_in,
        "schema.graphql is stale: run `cargo run -p api --bin pos-api -- export-schema > schema.graphql`"
    );
}

/// Stops every request after validation: nothing resolves, nothing needs a database.
struct ValidateOnly;

impl ExtensionFactory for ValidateOnly {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ValidateOnly)
    }
}

#[async_trait::async_trait]
impl Extension for ValidateOnly {
    async fn execute(
        &self,
        _: &ExtensionContext<'_>,
        _: Option<&str>,
        _: NextExecute<'_>,
    ) -> Response {
        Response::new(Value::Null)
    }
}

/// The operations of `operations.graphql`, one document each, with their names.
fn contract_operations() -> Vec<(String, String)> {
    let text = repository_file("api/tests/contract/operations.graphql");
    let mut operations: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let starts = ["query ", "mutation ", "subscription "]
            .iter()
            .any(|k| line.starts_with(k));
        if starts {
            let name = line.split_whitespace().nth(1).unwrap();
            let name = name.split(['(', '{']).next().unwrap().to_owned();
            operations.push((name, String::new()));
        }
        if let Some((_, document)) = operations.last_mut() {
            document.push_str(line);
            document.push('\n');
        }
    }
    operations
}

#[tokio::test]
async fn every_implemented_contract_operation_validates_against_the_schema() {
    let limits = QueryLimits {
        max_depth: 64,
        max_complexity: 100_000,
    };
    let schema = api::graphql::builder(limits)
        .extension(ValidateOnly)
        .finish();
    let operations = contract_operations();
    assert!(
        operations.len() >= 45,
        "found only {} operations",
        operations.len()
    );

    let mut failures = Vec::new();
    let mut validated_but_allow_listed = Vec::new();
    for (name, document) in &operations {
        let mut response = schema.execute(Request::new(document.as_str())).await;
        api::graphql::errors::classify_response(&mut response, limits);
        let invalid: Vec<String> = response
            .errors
            .iter()
            .filter(|e| {
                let code = e
                    .extensions
                    .as_ref()
                    .and_then(|x| x.get("code"))
                    .map(|c| c.to_string());
                matches!(
                    code.as_deref(),
                    Some("\"GRAPHQL_VALIDATION_FAILED\"" | "\"GRAPHQL_PARSE_FAILED\"")
                )
            })
            .map(|e| e.message.clone())
            .collect();
        match (
            NOT_YET_IMPLEMENTED.contains(&name.as_str()),
            invalid.is_empty(),
        ) {
            (false, false) => failures.push(format!("{name}: {invalid:?}")),
            (true, true) => validated_but_allow_listed.push(name.clone()),
            _ => {}
        }
    }

    assert!(
        failures.is_empty(),
        "contract operations that do not validate:\n{}",
        failures.join("\n")
    );
    assert!(
        validated_but_allow_listed.is_empty(),
        "these now validate; remove them from NOT_YET_IMPLEMENTED: {validated_but_allow_listed:?}"
    );
    for name in NOT_YET_IMPLEMENTED {
        assert!(
            operations.iter().any(|(n, _)| n == name),
            "{name} is not in the contract"
        );
    }
}

#[tokio::test]
async fn every_type_field_argument_and_value_has_a_description() {
    let schema = api::graphql::builder(QueryLimits {
        max_depth: 64,
        max_complexity: 100_000,
    })
    .finish();
    let query = r#"{ __schema { types {
        name description
        fields { name description args { name description } }
        inputFields { name description }
        enumValues { name description }
    } } }"#;

    let response = schema.execute(query).await;

    assert!(response.errors.is_empty(), "{:?}", response.errors);
    let data = response.data.into_json().unwrap();
    let mut missing = Vec::new();
    let blank = |v: &serde_json::Value| v.as_str().is_none_or(|s| s.trim().is_empty());
    for ty in data["__schema"]["types"].as_array().unwrap() {
        let type_name = ty["name"].as_str().unwrap();
        if type_name.starts_with("__") {
            continue;
        }
        // The spec's own scalars are described by the spec (async-graphql leaves ID blank).
        let built_in = ["ID", "String", "Int", "Float", "Boolean"].contains(&type_name);
        if blank(&ty["description"]) && !built_in {
            missing.push(type_name.to_owned());
        }
        for field in ty["fields"].as_array().into_iter().flatten() {
            if blank(&field["description"]) {
                missing.push(format!("{type_name}.{}", field["name"]));
            }
            for arg in field["args"].as_array().into_iter().flatten() {
                if blank(&arg["description"]) {
                    missing.push(format!("{type_name}.{}({})", field["name"], arg["name"]));
                }
            }
        }
        for list in ["inputFields", "enumValues"] {
            for item in ty[list].as_array().into_iter().flatten() {
                if blank(&item["description"]) {
                    missing.push(format!("{type_name}.{}", item["name"]));
                }
            }
        }
    }
    assert!(missing.is_empty(), "without a description: {missing:?}");
}

/// Every operation of the contract, with its pages at their largest (`first: 100`), fits the
/// server's default depth and complexity limits: the limits stop abuse, never the screens.
#[tokio::test]
async fn every_contract_operation_fits_the_default_limits_at_full_pages() {
    let config = api::config::Config::from_vars(&Default::default()).unwrap();
    let limits = QueryLimits {
        max_depth: config.graphql_max_depth,
        max_complexity: config.graphql_max_complexity,
    };
    let schema = api::graphql::builder(limits)
        .extension(ValidateOnly)
        .finish();

    for (name, document) in contract_operations() {
        let variables = async_graphql::Variables::from_json(serde_json::json!({ "first": 100 }));
        let request = Request::new(document.as_str()).variables(variables);
        let response = schema.execute(request).await;
        let too_costly: Vec<_> = response
            .errors
            .iter()
            .filter(|e| e.message.contains("too complex") || e.message.contains("too deep"))
            .map(|e| e.message.clone())
            .collect();
        assert!(too_costly.is_empty(), "{name}: {too_costly:?}");
    }
}
