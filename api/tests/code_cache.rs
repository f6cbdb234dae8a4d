//! productByCode through the Redis cache shared by replicas: a changed code is never served
//! stale, by any replica.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test should panic loudly

mod common;

use common::Backend;

use serde_json::json;

const BY_CODE: &str = "query($c: String!) { productByCode(code: $c) { id sku barcode name } }";

/// A client of the test Redis, to look at (and tamper with) what the servers keep there.
async fn redis_client(url: &str) -> fred::clients::Client {
    use fred::prelude::{Builder, ClientLike, Config};
    let client = Builder::from_config(Config::from_url(url).unwrap())
        .build()
        .unwrap();
    client.init().await.unwrap();
    client
}

/// The cache's key for a code of this server's database (other runs share the Redis).
fn key(app: &common::TestApp, code: &str) -> String {
    format!("pos:{}:code:{code}", app.redis_namespace)
}

async fn cached(redis: &fred::clients::Client, key: &str) -> bool {
    use fred::prelude::KeysInterface;
    redis.exists::<i64, _>(key).await.unwrap() == 1
}

both_backends!(replicas_share_the_code_cache_and_never_serve_a_changed_code);

async fn replicas_share_the_code_cache_and_never_serve_a_changed_code(backend: Backend) {
    let Some(url) = common::redis_url() else {
        return;
    };
    let (a, b) = backend.spawn_replicas(&url, &[]).await;
    let redis = redis_client(&url).await;
    let admin = a.admin().await.access;
    // A barcode no other test uses: the key's namespace is per database, the code is ours.
    let (old, new) = ("8412345678905", "8412345678912");
    let product = a
        .product(
            &admin,
            "CACHE-1",
            json!({ "name": "Leche entera 1 L", "barcode": old }),
        )
        .await;

    for replica in [&a, &b, &a] {
        let found = replica.ok(&admin, BY_CODE, json!({ "c": old })).await;
        assert_eq!(found["productByCode"]["id"], product.as_str());
    }
    assert_eq!(
        a.redis_namespace, b.redis_namespace,
        "one database, one namespace"
    );
    assert!(cached(&redis, &key(&a, old)).await, "the scan is cached");
    assert!(
        !cached(&redis, &key(&a, "CACHE-1")).await,
        "misses and unused codes are not"
    );

    // The barcode changes through the other replica: the old code names nothing, anywhere.
    b.ok(
        &admin,
        "mutation($id: ID!, $b: String) { updateProduct(id: $id, input: { barcode: $b }) { id } }",
        json!({ "id": product, "b": new }),
    )
    .await;
    assert!(
        !cached(&redis, &key(&a, old)).await,
        "forgotten when the code changed"
    );
    for replica in [&a, &b] {
        let gone = replica.ok(&admin, BY_CODE, json!({ "c": old })).await;
        assert!(gone["productByCode"].is_null(), "{gone}");
        let found = replica.ok(&admin, BY_CODE, json!({ "c": new })).await;
        assert_eq!(found["productByCode"]["barcode"], new);
    }
    // An entry that outlives a change (written behind Redis's back here) is not served.
    let key = key(&a, new);
    assert!(cached(&redis, &key).await);
    let other = a.product(&admin, "CACHE-2", json!({})).await;
    fred::prelude::KeysInterface::set::<(), _, _>(&redis, &key, other.as_str(), None, None, false)
        .await
        .unwrap();
    let found = a.ok(&admin, BY_CODE, json!({ "c": new })).await;
    assert_eq!(found["productByCode"]["id"], product.as_str());
}
