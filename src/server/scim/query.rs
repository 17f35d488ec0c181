//! The query parameters of SCIM list requests (RFC 7644 §3.4.2).

use crate::domain::scim::cursor::Cursor;
use crate::domain::scim::filter::{self, Filter};
use crate::domain::scim::list::{Page, Sort};
use crate::domain::scim::projection::Projection;
use crate::domain::scim::window::CursorPaging;
use crate::domain::scim::{ScimError, ScimType};
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use serde_json::Value;

/// `filter`, `startIndex`, `count`, `cursor`, `sortBy`, `sortOrder`, `attributes`,
/// `excludedAttributes`. Parameter names are
/// matched without regard to case; unknown ones (Entra's `aadOptscim062020`) are ignored.
#[derive(Debug, Default)]
pub struct ListQuery {
    pub filter: Option<Filter>,
    pub page: Page,
    pub projection: Projection,
    pub sort: Option<Sort>,
    /// RFC 9865: a `cursor` parameter (empty for the first page) asks for cursor paging.
    pub cursor: Option<CursorPaging>,
}

impl ListQuery {
    /// Reads the parameters through `param`, which looks one up by name (any case).
    fn read(param: impl Fn(&str) -> Option<String>) -> Result<ListQuery, ScimError> {
        let filter = match param("filter").as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => {
                Some(filter::parse(raw).map_err(|e| ScimError::bad_request(ScimType::InvalidFilter, format!("invalid filter: {e}")))?)
            }
        };
        let page = Page::from_query(param("startIndex").as_deref(), param("count").as_deref())?;
        let projection = Projection::parse(param("attributes").as_deref(), param("excludedAttributes").as_deref())?;
        let descending = match param("sortOrder").map(|o| o.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") | Some("ascending") => false,
            Some("descending") => true,
            Some(other) => {
                return Err(ScimError::bad_request(
                    ScimType::InvalidValue,
                    format!("sortOrder must be ascending or descending, not `{other}`"),
                ))
            }
        };
        let sort = match param("sortBy").as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => Some(Sort {
                by: filter::AttrPath::parse(raw)
                    .map_err(|e| ScimError::bad_request(ScimType::InvalidPath, format!("invalid sortBy `{raw}`: {e}")))?,
                descending,
            }),
        };
        let cursor = match param("cursor") {
            None => None,
            Some(_) if param("startIndex").is_some() => {
                return Err(ScimError::bad_request(
                    ScimType::InvalidValue,
                    "Send either startIndex (index paging) or cursor (cursor paging), not both.",
                ))
            }
            Some(raw) if raw.trim().is_empty() => Some(CursorPaging { after: None }),
            Some(raw) => Some(CursorPaging { after: Some(Cursor::decode(&raw)?) }),
        };
        Ok(ListQuery { filter, page, projection, sort, cursor })
    }

    /// A `POST .search` body (RFC 7644 §3.4.3): the same parameters as JSON members, with
    /// attribute lists as arrays.
    pub fn from_search_request(body: &Value) -> Result<ListQuery, ScimError> {
        let Value::Object(object) = body else {
            return Err(ScimError::bad_request(ScimType::InvalidSyntax, "A SearchRequest must be a JSON object."));
        };
        ListQuery::read(|name| {
            let value = object.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v)?;
            match value {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                Value::Array(items) => Some(items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(",")),
                _ => None,
            }
        })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ListQuery {
    type Rejection = ScimError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        // serde_urlencoded decodes `+` as a space, as Entra encodes its filters.
        let Query(pairs) = Query::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|e| ScimError::bad_request(ScimType::InvalidSyntax, format!("unreadable query string: {e}")))?;
        ListQuery::read(|name| pairs.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone()))
    }
}
