//! Keyset pages: a page is "the `first` rows after this key", so page 500 costs what page 1
//! costs. The API layer turns keys into opaque cursors.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{EntityTrait, QueryFilter, QueryOrder, Select};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Largest page a client may ask for.
pub const MAX_PAGE_SIZE: u64 = 100;
/// Page size when the client does not say.
pub const DEFAULT_PAGE_SIZE: u64 = 20;

#[derive(Debug, Clone)]
pub struct PageRequest<K> {
    pub first: u64,
    pub after: Option<K>,
}

#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_next_page: bool,
}

impl<T> Page<T> {
    /// From a query that fetched `first + 1` rows: the extra row only says there is more.
    pub fn from_rows(mut rows: Vec<T>, first: u64) -> Self {
        let has_next_page = rows.len() as u64 > first;
        rows.truncate(first as usize);
        Page {
            items: rows,
            has_next_page,
        }
    }
}

/// Where a page of a list by name starts (products, customers): such lists are ordered by
/// name, then id, so names that repeat still page without gaps or repeats.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NameKey {
    pub name: String,
    pub id: Uuid,
}

impl NameKey {
    /// `query` ordered by `name` then `id`, starting after `after` when there is one.
    pub fn order<E: EntityTrait>(
        query: Select<E>,
        name: E::Column,
        id: E::Column,
        after: Option<&NameKey>,
    ) -> Select<E> {
        let query = query.order_by_asc(name).order_by_asc(id);
        match after {
            Some(after) => query.filter(Expr::tuple([Expr::col(name), Expr::col(id)]).gt(
                Expr::tuple([Expr::val(after.name.clone()), Expr::val(after.id)]),
            )),
            None => query,
        }
    }
}
