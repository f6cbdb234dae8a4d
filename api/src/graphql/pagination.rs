//! Relay connections over keyset pages.
//!
//! Cursors are opaque to clients: base64url of `<kind>:<key>`, where the kind stops a cursor
//! of one list from being used on another. `totalCount` is computed only when selected.
//! Each list declares its own connection and edge types with [`connection_type!`], so that
//! every type in the schema carries a description.

use async_graphql::SimpleObject;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::Error;
use domain::pagination::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, PageRequest};
use futures_util::future::BoxFuture;
use tokio::sync::OnceCell;

/// Reads `first` and `after` into a page request; `decode` turns a cursor's key into the
/// list's key type.
pub fn page_request<K>(
    kind: &'static str,
    first: Option<i32>,
    after: Option<String>,
    decode: impl FnOnce(&str) -> Option<K>,
) -> Result<PageRequest<K>, Error> {
    let first = page_size(first)?;
    let after = match after {
        None => None,
        Some(cursor) => Some(
            decode_cursor(kind, &cursor)
                .and_then(|key| decode(&key))
                .ok_or_else(|| Error::bad_input("after", "malformed cursor"))?,
        ),
    };
    Ok(PageRequest { first, after })
}

/// `first` as the contract has it: default 20, at most 100, not negative.
pub fn page_size(first: Option<i32>) -> Result<u64, Error> {
    match first {
        None => Ok(DEFAULT_PAGE_SIZE),
        Some(n) if n < 0 => Err(Error::bad_input("first", "first must not be negative")),
        Some(n) if n as u64 > MAX_PAGE_SIZE => Err(Error::bad_input(
            "first",
            format!("first may be at most {MAX_PAGE_SIZE}"),
        )),
        Some(n) => Ok(n as u64),
    }
}

/// What a list without pages (a sale's lines, a session's cash movements) costs the
/// complexity limit per item it may return: they are short, but not one item long.
pub const LIST_COST: usize = 10;

/// What a list field costs the complexity limit: its page size (`first`, as it will be
/// bounded) times what one item costs, plus one. Ten aliases of a 100-item page cost what
/// they will run, not ten fields.
pub fn page_cost(first: Option<i32>, child_complexity: usize) -> usize {
    let items = first.map_or(DEFAULT_PAGE_SIZE, |n| {
        u64::try_from(n).unwrap_or(0).min(MAX_PAGE_SIZE)
    });
    child_complexity
        .saturating_mul(usize::try_from(items).unwrap_or(usize::MAX))
        .saturating_add(1)
}

pub fn encode_cursor(kind: &str, key: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{key}"))
}

fn decode_cursor(kind: &str, cursor: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.strip_prefix(kind)?
        .strip_prefix(':')
        .map(str::to_owned)
}

/// Counts the whole list; called only when a client selects `totalCount`.
pub type CountFn = Box<dyn Fn() -> BoxFuture<'static, Result<u64, Error>> + Send + Sync>;

/// Where a page sits in its list.
#[derive(SimpleObject, Clone)]
// Every field is at hand: resolved in turn (see `Money`).
#[graphql(serial)]
pub struct PageInfo {
    /// Whether more items follow this page.
    pub has_next_page: bool,
    /// Always false: lists are read forwards, with `first` and `after`.
    pub has_previous_page: bool,
    /// Cursor of the first item of this page.
    pub start_cursor: Option<String>,
    /// Cursor of the last item of this page: pass it as `after` to get the next page.
    pub end_cursor: Option<String>,
}

/// One page of a list, before it is wrapped in the list's own connection type.
pub struct Listing<N> {
    pub edges: Vec<(String, N)>,
    pub page_info: PageInfo,
    pub total: TotalCount,
}

/// `totalCount`, counted on first use and at most once per request.
pub struct TotalCount {
    fetch: CountFn,
    count: OnceCell<u64>,
}

impl TotalCount {
    pub async fn get(&self) -> Result<i64, Error> {
        let count = self.count.get_or_try_init(|| (self.fetch)()).await?;
        Ok(i64::try_from(*count).unwrap_or(i64::MAX))
    }
}

/// Builds a page of a list; `key` gives each item's cursor key, `node` its GraphQL type.
pub fn listing<T, N>(
    kind: &'static str,
    page: Page<T>,
    key: impl Fn(&T) -> String,
    node: impl Fn(T) -> N,
    count: CountFn,
) -> Listing<N> {
    let edges: Vec<(String, N)> = page
        .items
        .into_iter()
        .map(|item| (encode_cursor(kind, &key(&item)), node(item)))
        .collect();
    let page_info = PageInfo {
        has_next_page: page.has_next_page,
        has_previous_page: false,
        start_cursor: edges.first().map(|(cursor, _)| cursor.clone()),
        end_cursor: edges.last().map(|(cursor, _)| cursor.clone()),
    };
    Listing {
        edges,
        page_info,
        total: TotalCount {
            fetch: count,
            count: OnceCell::new(),
        },
    }
}

/// Declares a Relay connection type and its edge type for one node type, with descriptions
/// (`$items` is the plural shown in them: "users").
macro_rules! connection_type {
    ($connection:ident, $edge:ident, $node:ty, $items:literal) => {
        #[doc = concat!("A page of ", $items, ", and how to get the next one.")]
        pub struct $connection {
            edges: Vec<$edge>,
            page_info: $crate::graphql::pagination::PageInfo,
            total: $crate::graphql::pagination::TotalCount,
        }

        #[doc = concat!("A page of ", $items, ", and how to get the next one.")]
        #[async_graphql::Object]
        impl $connection {
            #[doc = concat!("The ", $items, " of this page, in list order, each with its cursor.")]
            async fn edges(&self) -> &[$edge] {
                &self.edges
            }

            /// Whether more items follow, and the cursor to ask for them.
            async fn page_info(&self) -> &$crate::graphql::pagination::PageInfo {
                &self.page_info
            }

            #[doc = concat!("How many ", $items, " the list holds across all pages.")]
            async fn total_count(&self) -> async_graphql::Result<i64> {
                Ok(self.total.get().await?)
            }
        }

        #[doc = concat!("One of the ", $items, " of a page, with its cursor.")]
        pub struct $edge {
            cursor: String,
            node: $node,
        }

        #[doc = concat!("One of the ", $items, " of a page, with its cursor.")]
        // Both fields are at hand: resolved in turn (see `Money`).
        #[async_graphql::Object(serial)]
        impl $edge {
            /// Opaque position of this item; pass it as `after` to continue after it.
            async fn cursor(&self) -> &str {
                &self.cursor
            }

            /// The item.
            async fn node(&self) -> &$node {
                &self.node
            }
        }

        impl From<$crate::graphql::pagination::Listing<$node>> for $connection {
            fn from(listing: $crate::graphql::pagination::Listing<$node>) -> Self {
                $connection {
                    edges: listing
                        .edges
                        .into_iter()
                        .map(|(cursor, node)| $edge { cursor, node })
                        .collect(),
                    page_info: listing.page_info,
                    total: listing.total,
                }
            }
        }
    };
}
pub(crate) use connection_type;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_other_lists() {
        let cursor = encode_cursor("user", "ana");
        assert_eq!(decode_cursor("user", &cursor).as_deref(), Some("ana"));
        assert_eq!(decode_cursor("audit", &cursor), None);
        assert_eq!(decode_cursor("user", "%%%"), None);
    }

    #[test]
    fn first_follows_the_contract() {
        assert_eq!(page_size(None).unwrap(), 20);
        assert_eq!(page_size(Some(100)).unwrap(), 100);
        assert!(page_size(Some(101)).is_err());
        assert!(page_size(Some(-1)).is_err());
    }
}
