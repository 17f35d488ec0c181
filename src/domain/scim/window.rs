//! Which rows a list asks the store for, and how the page it answers ends: an index page as
//! asked, or, with a cursor (RFC 9865), one row more than `count`, to learn whether another page
//! follows. A page is also bounded by size ([`MAX_PAGE_BYTES`]): it ends early, and says so
//! honestly, rather than grow without bound or be cut.

use super::cursor::Cursor;
use super::list::{self, Page};
use super::{ScimError, ScimType};
use serde_json::Value;

/// The most a page's resources may take, serialized. A page holds at least one resource
/// whatever its size, so a client always moves forward.
pub const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

/// `cursor=` on a list request; `after` is `None` on the first page.
#[derive(Debug, Clone)]
pub struct CursorPaging {
    pub after: Option<Cursor>,
}

#[derive(Debug)]
pub struct Window {
    pub page: Page,
    /// `None` for index paging.
    cursor: Option<CursorWindow>,
}

#[derive(Debug)]
struct CursorWindow {
    count: u32,
    after: Option<Cursor>,
    sorted: bool,
}

impl Window {
    pub fn of(page: Page, cursor: Option<&CursorPaging>, sorted: bool) -> Result<Window, ScimError> {
        let Some(paging) = cursor else {
            return Ok(Window { page, cursor: None });
        };
        let skip = match (&paging.after, sorted) {
            (None, _) | (Some(Cursor::After { .. }), false) => 0,
            (Some(Cursor::Skip(n)), true) => *n,
            _ => return Err(ScimError::bad_request(ScimType::InvalidCursor, "This cursor was issued for a differently sorted list.")),
        };
        let window = CursorWindow { count: page.count, after: paging.after.clone(), sorted };
        Ok(Window { page: Page { start_index: skip + 1, count: page.count.saturating_add(1) }, cursor: Some(window) })
    }

    /// Keyset paging: the rows after this `(created_at, id)`.
    pub fn after(&self) -> Option<(&str, &str)> {
        match self.cursor.as_ref()?.after.as_ref()? {
            Cursor::After { created_at, id } => Some((created_at, id)),
            Cursor::Skip(_) => None,
        }
    }

    /// Ends the page: drops the look-ahead row, keeps documents until the size budget is spent,
    /// and answers the ListResponse. `documents` are the rows' documents, in order;
    /// `position` is a row's `(created_at, id)`.
    pub fn finish<T>(&self, total: u64, rows: &[T], documents: Vec<Value>, position: impl Fn(&T) -> (&String, &String)) -> Value {
        let keep = self.cursor.as_ref().map_or(rows.len(), |window| rows.len().min(window.count as usize));
        let resources = within_budget(documents.into_iter().take(keep));
        let more = resources.len() < rows.len();
        let Some(window) = &self.cursor else {
            return list::list_response(total, self.page, resources);
        };
        let next = match resources.len().checked_sub(1).map(|last| &rows[last]) {
            Some(_) if more && window.sorted => Some(Cursor::Skip(self.page.offset() + resources.len() as u64)),
            Some(last) if more => {
                let (created_at, id) = position(last);
                Some(Cursor::After { created_at: created_at.clone(), id: id.clone() })
            }
            _ => None,
        };
        list::cursor_list_response(total, resources, next.map(|cursor| cursor.encode()))
    }
}

/// Keeps documents in order until the next one would take the page past [`MAX_PAGE_BYTES`]
/// (always at least one).
pub fn within_budget(documents: impl IntoIterator<Item = Value>) -> Vec<Value> {
    let mut used = 0;
    let mut resources = Vec::new();
    for resource in documents {
        used += serialized_len(&resource);
        if used > MAX_PAGE_BYTES && !resources.is_empty() {
            break;
        }
        resources.push(resource);
    }
    resources
}

/// The length of a value's JSON, counted without building the text.
fn serialized_len(value: &Value) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    serde_json::to_writer(&mut counter, value).map_or(usize::MAX, |()| counter.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn big(n: usize) -> Value {
        json!({"id": n.to_string(), "title": "x".repeat(MAX_PAGE_BYTES / 3)})
    }

    #[test]
    fn a_page_ends_before_it_passes_the_budget_and_always_holds_one() {
        assert_eq!(within_budget((0..5).map(big)).len(), 2);
        let huge = json!({"title": "x".repeat(MAX_PAGE_BYTES * 2)});
        assert_eq!(within_budget([huge.clone(), huge]).len(), 1);
        assert!(within_budget(Vec::new()).is_empty());
    }

    #[test]
    fn a_page_cut_by_size_says_so_and_gives_a_cursor_to_the_rest() {
        let rows: Vec<(String, String)> = (0..4).map(|i| (format!("t{i}"), format!("id{i}"))).collect();
        let documents: Vec<Value> = (0..4).map(big).collect();
        let window = Window::of(Page { start_index: 1, count: 10 }, None, false).unwrap();
        let body = window.finish(4, &rows, documents.clone(), |r| (&r.0, &r.1));
        assert_eq!((body["itemsPerPage"].as_u64(), body["totalResults"].as_u64()), (Some(2), Some(4)));
        let window = Window::of(Page { start_index: 1, count: 3 }, Some(&CursorPaging { after: None }), false).unwrap();
        let body = window.finish(4, &rows, documents, |r| (&r.0, &r.1));
        assert_eq!(body["itemsPerPage"], 2);
        let next = Cursor::decode(body["nextCursor"].as_str().unwrap()).unwrap();
        assert_eq!(next, Cursor::After { created_at: "t1".into(), id: "id1".into() });
    }
}
