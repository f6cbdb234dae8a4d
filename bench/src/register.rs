//! `register`: the register screen in Chromium against this process's pos-api, over the
//! 100,000-product catalog of `catalog` on PostgreSQL (with a vector per product, as
//! `search`): `npm run bench` in `web/` (see `web/bench/register-bench.mjs`) measures a scan's
//! Enter to its line on screen, and a word's last keystroke to its results on screen, at 1 and
//! 8 simultaneous registers. Needs Node (with `npm ci` done in `web/`) and Chromium.

use anyhow::Context as _;
use serde_json::json;

use crate::server::ADMIN_PASSWORD;

const CASHIER: &str = "bench-cashier";
const CASHIER_PASSWORD: &str = "bench-cashier-password";

pub fn run(database_url: &str, products: usize, pages: &str) -> anyhow::Result<()> {
    let runtime = crate::load::runtime()?;
    let (server, _, _) = crate::search::serve_catalog(&runtime, database_url, products)?;
    let url = server.url();
    runtime.block_on(async {
        let token = crate::load::login(&url, "admin", ADMIN_PASSWORD).await?;
        // A cashier of its own (already there from an earlier run is fine).
        reqwest::Client::new()
            .post(&url)
            .bearer_auth(&token)
            .json(&json!({
                "query": "mutation($input: CreateUserInput!) { createUser(input: $input) { id } }",
                "variables": { "input": {
                    "username": CASHIER, "fullName": "Bench Cashier",
                    "password": CASHIER_PASSWORD, "role": "CASHIER",
                } },
            }))
            .send()
            .await?;
        anyhow::Ok(())
    })?;
    // Scans: barcodes spread over the whole catalog; words: the catalog's name words.
    let codes: Vec<String> = (0..200)
        .map(|i| crate::catalog::barcode((i * 499) % products))
        .collect();
    let words = "leche,arroz,aceite,galletas,queso,vino,cerveza,yogur,tomate,harina,cafe,pan";
    println!(
        "register: {products} products; the screen at {}",
        server.base_url()
    );
    let status = std::process::Command::new("npm")
        .args(["run", "--silent", "bench"])
        .current_dir("web")
        .env("BASE_URL", server.base_url())
        .env("POS_USER", CASHIER)
        .env("POS_PASSWORD", CASHIER_PASSWORD)
        .env("CODES", codes.join(","))
        .env("WORDS", words)
        .env("PAGES", pages)
        .status()
        .context("running npm run bench in web/ (run from the repository's root; npm ci first)")?;
    anyhow::ensure!(status.success(), "npm run bench failed: {status}");
    drop(server);
    Ok(())
}
