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
    merged(
        YamlLoader::load_from_str(&text)
            .expect("valid YAML")
            .remove(0),
    )
}

/// The document with YAML merge keys (`<<: *anchor`) applied, as docker compose applies them:
/// the merged map's keys first, the map's own keys win.
fn merged(yaml: Yaml) -> Yaml {
    match yaml {
        Yaml::Hash(hash) => {
            let merge_key = Yaml::String("<<".into());
            let mut out = yaml_rust2::yaml::Hash::new();
            if let Some(Yaml::Hash(base)) = hash.get(&merge_key).cloned().map(merged) {
                out.extend(base);
            }
            for (key, value) in hash {
                if key != merge_key {
                    out.insert(key, merged(value));
                }
            }
            Yaml::Hash(out)
        }
        Yaml::Array(items) => Yaml::Array(items.into_iter().map(merged).collect()),
        other => other,
    }
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
        "worker/src/config.rs",
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
    assert!(
        !env["DATABASE_URL"].as_str().unwrap().contains("PASSWORD"),
        "the password goes apart, in DATABASE_PASSWORD, so it needs no URL encoding"
    );
    assert!(
        env["DATABASE_PASSWORD"]
            .as_str()
            .unwrap()
            .contains("${POSTGRES_PASSWORD")
    );
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
        api["ports"].is_badvalue(),
        "only the proxy is published: the app's port (and /metrics on it) stays inside"
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

/// Every service that runs pos-odata reads the whole `.env`: each variable `.env.example`
/// documents reaches the containers (what compose sets itself wins over it).
#[test]
fn every_setting_of_env_reaches_the_services() {
    let compose = compose();
    let services = &compose["services"];
    for service in ["app", "worker", "backup", "backups-dir"] {
        let env_file = format!("{:?}", services[service]["env_file"]);
        assert!(
            env_file.contains(".env"),
            "{service} does not read .env: {env_file}"
        );
    }
    let app = &services["app"]["environment"];
    assert_eq!(app["TRUST_PROXY_HEADERS"].as_str(), Some("true"));
    assert_eq!(
        services["worker"]["environment"]["DATABASE_URL"].as_str(),
        app["DATABASE_URL"].as_str()
    );
}

#[test]
fn a_proxy_in_front_publishes_the_screen_and_the_api_and_balances_the_replicas() {
    let compose = compose();
    let proxy = &compose["services"]["proxy"];
    assert!(proxy["image"].as_str().unwrap().starts_with("nginx:"));
    let ports = format!("{:?}", proxy["ports"]);
    assert!(ports.contains(":80\""), "{ports}");
    let volumes = format!("{:?}", proxy["volumes"]);
    assert!(
        volumes.contains("./deploy/nginx/default.conf") && volumes.contains("./deploy/nginx:"),
        "{volumes}"
    );
    let default = repository_file("deploy/nginx/default.conf");
    assert!(default.contains("server app:5000"), "{default}");
    assert!(default.contains("include /etc/nginx/pos-odata/routes.conf"));
    let routes = repository_file("deploy/nginx/routes.conf");
    for needed in [
        "location = /metrics",
        "location = /graphql/ws",
        "proxy_set_header Upgrade",
        "X-Forwarded-For $proxy_add_x_forwarded_for",
    ] {
        assert!(routes.contains(needed), "routes.conf lacks {needed}");
    }
}

#[test]
fn backups_can_be_written_and_every_service_has_limits() {
    let compose = compose();
    let services = &compose["services"];
    let init = format!("{:?}", services["backups-dir"]["entrypoint"]);
    assert!(init.contains("chown 10001 /backups"), "{init}");
    assert_eq!(services["backups-dir"]["user"].as_str(), Some("0:0"));
    for service in ["app", "backup"] {
        assert_eq!(
            services[service]["depends_on"]["backups-dir"]["condition"].as_str(),
            Some("service_completed_successfully"),
            "{service} starts once ./backups is writable"
        );
    }
    for (name, service) in services.as_hash().unwrap() {
        let name = name.as_str().unwrap();
        let logging = &service["logging"]["options"];
        assert!(
            logging["max-size"].as_str().is_some(),
            "{name} logs without bound"
        );
        if ["proxy", "db", "redis", "app", "worker"].contains(&name) {
            assert!(
                !service["deploy"]["resources"]["limits"]["memory"].is_badvalue(),
                "{name} has no memory limit"
            );
        }
    }
    assert!(
        services["worker"]["environment"]["EMBEDDING_THREADS"]
            .as_str()
            .is_some(),
        "a worker's embeddings use a bounded number of threads"
    );
    let dockerfile = repository_file("Dockerfile");
    assert!(
        dockerfile.contains("HEALTHCHECK"),
        "the image has no HEALTHCHECK"
    );
    assert!(dockerfile.contains("uid 10001"), "{dockerfile}");
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
