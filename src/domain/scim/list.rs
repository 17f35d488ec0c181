//! Paging (RFC 7644 §3.4.2.4) and the ListResponse envelope.

use super::{ScimError, ScimType};
use serde_json::{json, Value};

pub const LIST_RESPONSE_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// What a list returns when the client names no `count`.
pub const DEFAULT_COUNT: u32 = 100;
/// The most resources one page holds, advertised as `filter.maxResults`.
pub const MAX_COUNT: u32 = 1000;

/// A 1-based `startIndex` and a `count`, already clamped to what the server allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub start_index: u64,
    pub count: u32,
}

impl Default for Page {
    fn default() -> Self {
        Self { start_index: 1, count: DEFAULT_COUNT }
    }
}

impl Page {
    /// Reads the query parameters. Per RFC 7644 a `startIndex` below 1 means 1 and a negative
    /// `count` means 0; a count above the maximum is cut to it. Non-numbers are refused.
    pub fn from_query(start_index: Option<&str>, count: Option<&str>) -> Result<Page, ScimError> {
        let start_index = match start_index.map(str::trim) {
            None | Some("") => 1,
            Some(raw) => parse_integer("startIndex", raw)?.max(1) as u64,
        };
        let count = match count.map(str::trim) {
            None | Some("") => DEFAULT_COUNT,
            Some(raw) => parse_integer("count", raw)?.clamp(0, MAX_COUNT as i64) as u32,
        };
        Ok(Page { start_index, count })
    }

    /// The SQL OFFSET for this page.
    pub fn offset(&self) -> u64 {
        self.start_index - 1
    }
}

fn parse_integer(name: &str, raw: &str) -> Result<i64, ScimError> {
    raw.parse::<i64>().map_err(|_| ScimError::bad_request(ScimType::InvalidValue, format!("`{name}` must be an integer, not `{raw}`")))
}

/// `sortBy` and `sortOrder` (RFC 7644 §3.4.2.3).
#[derive(Debug, Clone)]
pub struct Sort {
    pub by: super::filter::AttrPath,
    pub descending: bool,
}

/// The ListResponse body: `itemsPerPage` is the number actually returned, never the request's
/// `count` (Okta's import and OIN review check this).
pub fn list_response(total_results: u64, page: Page, resources: Vec<Value>) -> Value {
    json!({
        "schemas": [LIST_RESPONSE_SCHEMA],
        "totalResults": total_results,
        "startIndex": page.start_index,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })
}

/// A cursor-paged ListResponse (RFC 9865): no `startIndex`; `nextCursor` while more follow.
pub fn cursor_list_response(total_results: u64, resources: Vec<Value>, next_cursor: Option<String>) -> Value {
    let mut body = json!({
        "schemas": [LIST_RESPONSE_SCHEMA],
        "totalResults": total_results,
        "itemsPerPage": resources.len(),
    });
    if let Some(next) = next_cursor {
        body["nextCursor"] = next.into();
    }
    body["Resources"] = resources.into();
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_when_absent() {
        assert_eq!(Page::from_query(None, None).unwrap(), Page::default());
    }

    #[test]
    fn clamps_per_rfc() {
        let page = Page::from_query(Some("0"), Some("-5")).unwrap();
        assert_eq!((page.start_index, page.count), (1, 0));
        let page = Page::from_query(Some("101"), Some("100000")).unwrap();
        assert_eq!((page.start_index, page.count), (101, MAX_COUNT));
        assert_eq!(page.offset(), 100);
    }

    #[test]
    fn refuses_non_numbers() {
        let err = Page::from_query(Some("one"), None).unwrap_err();
        assert_eq!(err.status, 400);
        assert_eq!(err.scim_type, Some(ScimType::InvalidValue));
    }

    #[test]
    fn items_per_page_is_what_was_returned() {
        let page = Page::from_query(Some("1"), Some("2")).unwrap();
        let body = list_response(0, page, vec![]);
        assert_eq!(body["itemsPerPage"], 0);
        assert_eq!(body["totalResults"], 0);
        assert_eq!(body["startIndex"], 1);
        assert_eq!(body["Resources"], json!([]));
    }
}
