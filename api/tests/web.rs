//! The register screen as pos-api serves it: the embedded bundle is the one its sources build,
//! the routes cache and 404 as a browser needs, and the screen's own tests (its unit tests,
//! and its browser tests in Chromium against this very binary) pass.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Backend;
use sha2::{Digest, Sha256};

fn web() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../web")
}

/// Every file under `dir`, as paths relative to `web/` with forward slashes.
fn files_under(web: &Path, dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .flat_map(|entry| {
            let path = entry.path();
            if path.is_dir() {
                files_under(web, &path)
            } else {
                let relative = path.strip_prefix(web).unwrap();
                vec![relative.to_string_lossy().replace('\\', "/")]
            }
        })
        .collect()
}

/// What `web/scripts/source-hash.mjs` prints for the sources as they are now.
fn source_hash() -> String {
    let web = web();
    let mut files: Vec<String> = std::fs::read_dir(&web)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| {
            [
                "index.html",
                "package.json",
                "package-lock.json",
                "vite.config.ts",
                "codegen.ts",
            ]
            .contains(&name.as_str())
                || (name.starts_with("tsconfig") && name.ends_with(".json"))
        })
        .collect();
    files.extend(files_under(&web, &web.join("src")));
    files.extend(files_under(&web, &web.join("public")));
    files.retain(|path| !path.ends_with(".test.ts") && !path.ends_with(".test.tsx"));
    files.sort();
    files.dedup();
    let mut hasher = Sha256::new();
    for path in files {
        let content = Sha256::digest(std::fs::read(web.join(&path)).unwrap());
        hasher.update(format!("{path}\0{content:x}\n"));
    }
    format!("{:x}\n", hasher.finalize())
}

#[test]
fn the_embedded_bundle_was_built_from_the_sources_beside_it() {
    let recorded = std::fs::read_to_string(web().join("dist/SOURCE_SHA256")).unwrap_or_default();

    assert_eq!(
        recorded,
        source_hash(),
        "web/dist is stale or missing: run scripts/build-web.sh and commit web/dist"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_screen_is_served_at_the_root_and_its_assets_for_a_year() {
    let app = Backend::Sqlite.spawn().await;

    let index = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(index.status(), 200);
    assert_eq!(index.headers()["cache-control"], "no-cache");
    assert!(
        index.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = index.text().await.unwrap();
    assert!(html.contains("<div id=\"root\">"), "{html}");
    let asset = html
        .split('"')
        .find(|part| part.starts_with("/assets/") && part.ends_with(".js"))
        .expect("index.html loads a script from /assets/");

    let script = app.client.get(app.url(asset)).send().await.unwrap();
    assert_eq!(script.status(), 200);
    assert_eq!(
        script.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let etag = script.headers()["etag"].clone();
    let again = app
        .client
        .get(app.url(asset))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    let missing = app
        .client
        .get(app.url("/assets/gone-1234.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    // A reload on any other path gets the app; GraphiQL and the API keep their paths.
    let deep = app
        .client
        .get(app.url("/register/sale"))
        .send()
        .await
        .unwrap();
    assert_eq!(deep.status(), 200);
    assert!(deep.text().await.unwrap().contains("<div id=\"root\">"));
    let graphiql = app
        .client
        .get(app.url("/graphql"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert!(
        graphiql
            .text()
            .await
            .unwrap()
            .to_lowercase()
            .contains("graphiql")
    );
    let posted = app.client.post(app.url("/register")).send().await.unwrap();
    assert_eq!(posted.status(), 404);
}

/// Runs `npm run <script>` in `web/`, with `envs`; panics with its output when it fails.
fn npm(script: &str, envs: &[(&str, &str)]) {
    let output = Command::new("npm")
        .args(["run", "--silent", script])
        .current_dir(web())
        .envs(envs.iter().copied())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "npm run {script} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `web/node_modules` as `package-lock.json` says, installed when missing or older.
fn installed() -> bool {
    let web = web();
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let lock = modified(&web.join("package-lock.json"));
    let installed = modified(&web.join("node_modules/.package-lock.json"));
    if installed.is_some() && installed >= lock {
        return true;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&web)
        .status();
    matches!(status, Ok(status) if status.success())
}

/// The operation names the screen sends are ones the metrics know (anything else is counted
/// as `other`, and the screen's own traffic would vanish from the dashboards).
#[test]
fn the_screens_operations_are_ones_the_metrics_know() {
    let known = api::metrics::Metrics::known_operations();
    let mut sent = Vec::new();
    for path in files_under(&web(), &web().join("src")) {
        if path.starts_with("src/gql/") || !(path.ends_with(".ts") || path.ends_with(".tsx")) {
            continue;
        }
        let source = std::fs::read_to_string(web().join(&path)).unwrap();
        for kind in ["query ", "mutation ", "subscription "] {
            for (at, _) in source.match_indices(kind) {
                let name: String = source[at + kind.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                if name.starts_with(|c: char| c.is_ascii_uppercase()) {
                    sent.push((path.clone(), name));
                }
            }
        }
    }

    assert!(sent.len() >= 15, "{sent:?}");
    for (path, name) in sent {
        assert!(
            known.contains(name.as_str()),
            "{path} sends {name}, unknown to the metrics"
        );
    }
}

#[test]
fn the_screen_passes_its_unit_and_browser_tests() {
    if Command::new("npm").arg("--version").output().is_err() {
        common::skipped("npm is not installed: the register screen's tests need Node and npm");
        return;
    }
    if !Path::new("/usr/bin/chromium").exists() {
        common::skipped(
            "Chromium is not installed (apt-get install chromium): the register screen's \
             browser tests need it",
        );
        return;
    }
    assert!(installed(), "npm ci failed in web/");

    npm("test", &[]);
    npm("e2e", &[("POS_API_BIN", env!("CARGO_BIN_EXE_pos-api"))]);
}
