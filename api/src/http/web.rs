//! The register screen: the web app built into `web/dist` (`scripts/build-web.sh`), embedded
//! in the binary at compile time, so the release binary, the image and a copied binary all
//! serve it with no files beside them and no Node at run time.
//!
//! - `/assets/*`: files named by their content hash, cached for a year (`immutable`); a
//!   missing one is a real 404, never the app (a stale page asking for an old bundle must
//!   fail loudly, not get HTML for JavaScript).
//! - Any other GET or HEAD path naming an embedded file (`/sw.js`, the icon): that file,
//!   revalidated on every use (an ETag answers 304).
//! - Any other GET or HEAD path: `index.html`, never cached, so a reload anywhere gives the
//!   app and a new release is picked up at once.
//!
//! `web/dist` is committed; `api/tests/web.rs` fails when it was not built from the sources
//! beside it, so a stale bundle cannot ship unnoticed.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

#[derive(rust_embed::Embed)]
#[folder = "../web/dist"]
#[exclude = "SOURCE_SHA256"]
struct Bundle;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// The router's fallback: every path no other route took.
pub async fn serve(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    let path = uri.path().trim_start_matches('/');
    if path.starts_with("assets/") {
        return match Bundle::get(path) {
            Some(file) => file_response(&headers, path, file, IMMUTABLE),
            None => (StatusCode::NOT_FOUND, "not found").into_response(),
        };
    }
    let (path, file) = match Bundle::get(path).filter(|_| !path.is_empty()) {
        Some(file) => (path, file),
        None => match Bundle::get("index.html") {
            Some(index) => ("index.html", index),
            None => return (StatusCode::NOT_FOUND, "not found").into_response(),
        },
    };
    file_response(&headers, path, file, REVALIDATE)
}

fn file_response(
    headers: &HeaderMap,
    path: &str,
    file: rust_embed::EmbeddedFile,
    cache: &'static str,
) -> Response {
    let etag = format!(
        "\"{}\"",
        file.metadata
            .sha256_hash()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let mut response = if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|tag| tag.trim() == etag))
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        // hyper leaves the body out of a HEAD answer.
        Response::new(Body::from(file.data))
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, etag);
    }
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let text = mime.type_() == "text" || mime.subtype() == "javascript" || mime.subtype() == "json";
    let content_type = if text {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_owned()
    };
    if let Ok(content_type) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, content_type);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
