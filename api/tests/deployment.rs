//! The deployment files, checked without Docker: docker-compose.production.yml is parsed and
//! compared with what pos-api reads, and `.env.example` must document every variable.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

use std::collections::BTreeSet;

use yaml_rust2::{Yaml, YamlLoader};

fn repository_file(path: &str) -> String {
    let full = format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("reading {full}: {e}"))
}

fn compose() -> Yaml {
    let text = repository_file("docker-compose.production.yml");
    YamlLoader::load_from_str(&text)
        .expect("valid YAML")
        .remove(0)
}

/// Names of `${VAR…}` references in a text.
fn referenced_variables(text: &str) -> BTreeSet<String> {
    text.split("${")
        .skip(1)
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect::<String>()
        })
        .filter(|name| !name.is_empty())
        .collect()
}

/// The variables pos-api's and pos-worker's configurations read: every `"UPPER_CASE"`
/// literal in their configuration code.
fn variables_pos_api_reads() -> BTreeSet<String> {
    let source = [
        "api/src/config.rs",
        "worker/src/settings.rs",
        "worker/src/main.rs",
        "worker/src/telemetry.rs",
    ]
    .map(repository_file)
    .join("\n");
    source
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| {
            // Set by cargo at build time, not by an operator.
            s.contains('_')
                && !s.starts_with("CARGO_")
                && s.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
        .map(str::to_owned)
        .collect()
}

/// Variables `.env.example` lists, set or commented out (`NAME=` or `# NAME=`).
fn documented_variables() -> BTreeSet<String> {
    repository_file(".env.example")
        .lines()
        .map(|line| line.trim_start_matches('#').trim())
        .filter_map(|line| line.split_once('=').map(|(name, _)| name.to_owned()))
        .filter(|name| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
        .collect()
}

#[test]
fn compose_runs_db_redis_and_app_in_production_mode() {
    let compose = compose();
    let services = &compose["services"];
    let api = &services["app"];

    assert_eq!(services["db"]["image"].as_str(), Some("postgres:15-alpine"));
    assert!(!services["redis"].is_badvalue());
    for (service, check) in [("db", "pg_isready"), ("redis", "ping")] {
        let test = format!("{:?}", services[service]["healthcheck"]["test"]);
        assert!(test.contains(check), "{service}: {test}");
    }
    assert!(
        services["redis"]["command"]
            .as_vec()
            .unwrap()
            .iter()
            .any(|arg| arg.as_str().is_some_and(|a| a.contains("${REDIS_PASSWORD"))),
        "Redis requires its password"
    );
    let image = api["image"].as_str().unwrap();
    assert!(
        image.contains("${APP_IMAGE_NAME") && image.contains("${APP_IMAGE_TAG"),
        "{image}"
    );
    let env = &api["environment"];
    assert_eq!(env["APP_ENV"].as_str(), Some("production"));
    assert!(
        env["DATABASE_URL"]
            .as_str()
            .unwrap()
            .starts_with("postgres://")
    );
    assert!(env["DATABASE_URL"].as_str().unwrap().contains("@db:5432/"));
    assert_eq!(env["REDIS_URL"].as_str(), Some("redis://redis:6379/0"));
    assert!(
        env["REDIS_PASSWORD"]
            .as_str()
            .unwrap()
            .contains("${REDIS_PASSWORD"),
        "pos-api has the password the redis service requires"
    );
    assert!(
        env["JWT_SECRET_KEY"].as_str().unwrap().contains(":?"),
        "the signing key is required"
    );
    for dependency in ["db", "redis"] {
        assert_eq!(
            api["depends_on"][dependency]["condition"].as_str(),
            Some("service_healthy")
        );
    }
    let healthcheck = format!("{:?}", api["healthcheck"]["test"]);
    assert!(healthcheck.contains("/health"), "{healthcheck}");
    assert!(
        api["ports"]
            .as_vec()
            .unwrap()
            .iter()
            .any(|p| p.as_str() == Some("5000:5000"))
    );
    assert!(api["stop_grace_period"].as_str().is_some());
}

#[test]
fn compose_only_sets_variables_pos_api_reads() {
    let compose = compose();
    let known = variables_pos_api_reads();

    for service in ["app", "worker", "backup"] {
        let hash = compose["services"][service]["environment"]
            .as_hash()
            .unwrap();
        for key in hash.keys() {
            let name = key.as_str().unwrap();
            assert!(
                known.contains(name) || name == "RUST_LOG",
                "{service} does not read {name}"
            );
        }
    }
}

#[test]
fn backups_land_on_the_mounted_directory_and_run_on_demand() {
    let compose = compose();
    let services = &compose["services"];
    for service in ["app", "backup"] {
        let volumes = format!("{:?}", services[service]["volumes"]);
        assert!(
            volumes.contains("./backups:/backups"),
            "{service}: {volumes}"
        );
        assert_eq!(
            services[service]["environment"]["BACKUP_DIR"].as_str(),
            Some("/backups")
        );
        assert_eq!(
            services[service]["environment"]["DATABASE_URL"].as_str(),
            services["app"]["environment"]["DATABASE_URL"].as_str()
        );
    }
    let backup = &services["backup"];
    assert_eq!(
        backup["command"].as_vec().unwrap()[0].as_str(),
        Some("backup"),
        "`docker compose run --rm backup` runs `pos-api backup`"
    );
    assert!(
        !backup["profiles"].is_badvalue(),
        "a profile keeps `up` from starting it"
    );
    assert_eq!(backup["image"].as_str(), services["app"]["image"].as_str());
}

#[test]
fn compose_runs_the_worker_beside_the_api() {
    let compose = compose();
    let services = &compose["services"];
    let worker = &services["worker"];
    assert_eq!(
        worker["image"].as_str(),
        services["app"]["image"].as_str(),
        "one image holds both binaries"
    );
    assert_eq!(worker["entrypoint"].as_str(), Some("pos-worker"));
    assert_eq!(
        worker["depends_on"]["db"]["condition"].as_str(),
        Some("service_healthy")
    );
    assert_eq!(
        worker["depends_on"]["app"]["condition"].as_str(),
        Some("service_healthy"),
        "pos-api migrates the database first"
    );
    assert_eq!(
        worker["environment"]["DATABASE_URL"].as_str(),
        services["app"]["environment"]["DATABASE_URL"].as_str()
    );
    assert_eq!(
        services["app"]["environment"]["WORKER_MODE"].as_str(),
        Some("external")
    );
    // The image carries ONNX Runtime and the model where the defaults of both binaries look.
    let dockerfile = repository_file("Dockerfile");
    for needed in [
        "scripts/fetch-model.sh",
        "EMBEDDING_MODEL_DIR=",
        "ORT_DYLIB_PATH=",
        "--bin pos-worker",
        "postgresql-client-15",
    ] {
        assert!(dockerfile.contains(needed), "Dockerfile lacks {needed}");
    }
}

#[test]
fn env_example_documents_every_variable() {
    let documented = documented_variables();
    let mut needed = variables_pos_api_reads();
    needed.extend(referenced_variables(&repository_file(
        "docker-compose.production.yml",
    )));
    needed.extend(
        [
            "POSTGRES_DB",
            "POSTGRES_USER",
            "POSTGRES_PASSWORD",
            "REDIS_PASSWORD",
            "SECRET_KEY",
            "JWT_SECRET_KEY",
            "APP_IMAGE_NAME",
            "APP_IMAGE_TAG",
        ]
        .map(String::from),
    );

    let missing: Vec<_> = needed.difference(&documented).collect();

    assert!(
        missing.is_empty(),
        ".env.example does not mention {missing:?}"
    );
}
