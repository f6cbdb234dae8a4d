//! productByCode through the Redis cache shared by replicas: a changed code is never served
//! stale, by any replica.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

mod common;

use serde_json::json;

const BY_CODE: &str = "query($c: String!) { productByCode(code: $c) { id sku barcode name } }";

fn cached_keys(redis: &str, code: &str) -> String {
    let output = std::process::Command::new("redis-cli")
        .args([
            "-u",
            redis,
            "--scan",
            "--pattern",
            &format!("pos:*:code:{code}"),
        ])
        .output()
        .expect("redis-cli");
    String::from_utf8(output.stdout).unwrap()
}

both_backends! {
    async fn replicas_share_the_code_cache_and_never_serve_a_changed_code(backend) {
        let Some(redis) = common::redis_url() else { return };
        let (a, b) = backend.spawn_replicas(&redis, &[]).await;
        let admin = a.admin().await.access;
        // A barcode no other test uses: the key's namespace is per database, the code is ours.
        let (old, new) = ("8412345678905", "8412345678912");
        let product = a
            .product(&admin, "CACHE-1", json!({ "name": "Leche entera 1 L", "barcode": old }))
            .await;

        for replica in [&a, &b, &a] {
            let found = replica.ok(&admin, BY_CODE, json!({ "c": old })).await;
            assert_eq!(found["productByCode"]["id"], product.as_str());
        }
        assert!(!cached_keys(&redis, old).trim().is_empty(), "the scan is cached");
        assert!(cached_keys(&redis, "CACHE-1").trim().is_empty(), "misses and unused codes are not");

        // The barcode changes through the other replica: the old code names nothing, anywhere.
        b.ok(
            &admin,
            "mutation($id: ID!, $b: String) { updateProduct(id: $id, input: { barcode: $b }) { id } }",
            json!({ "id": product, "b": new }),
        )
        .await;
        for replica in [&a, &b] {
            let gone = replica.ok(&admin, BY_CODE, json!({ "c": old })).await;
            assert!(gone["productByCode"].is_null(), "{gone}");
            let found = replica.ok(&admin, BY_CODE, json!({ "c": new })).await;
            assert_eq!(found["productByCode"]["barcode"], new);
        }
        // An entry that outlives a change (written behind Redis's back here) is not served.
        let key = cached_keys(&redis, new);
        let key = key.trim();
        assert!(!key.is_empty());
        let other = a.product(&admin, "CACHE-2", json!({})).await;
        let status = std::process::Command::new("redis-cli")
            .args(["-u", redis.as_str(), "SET", key, other.as_str()])
            .output()
            .unwrap();
        assert!(status.status.success());
        let found = a.ok(&admin, BY_CODE, json!({ "c": new })).await;
        assert_eq!(found["productByCode"]["id"], product.as_str());
    }
}
