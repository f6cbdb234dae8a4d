//! Keyset pages: a page is "the `first` rows after this key", so page 500 costs what page 1
//! costs. The API layer turns keys into opaque cursors.

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
