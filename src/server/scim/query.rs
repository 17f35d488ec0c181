//! The query parameters of SCIM list requests (RFC 7644 §3.4.2).

use crate::domain::scim::filter::{self, Filter};
use crate::domain::scim::list::Page;
use crate::domain::scim::{ScimError, ScimType};
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;

/// `filter`, `startIndex`, `count`, `excludedAttributes`. Parameter names are matched without
/// regard to case; unknown parameters (Entra's `aadOptscim062020`) are ignored.
#[derive(Debug, Default)]
pub struct ListQuery {
    pub filter: Option<Filter>,
    pub page: Page,
    pub excluded: Vec<String>,
}

impl ListQuery {
    pub fn excludes(&self, attribute: &str) -> bool {
        self.excluded.iter().any(|a| a.eq_ignore_ascii_case(attribute))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ListQuery {
    type Rejection = ScimError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        // serde_urlencoded decodes `+` as a space, as Entra encodes its filters.
        let Query(pairs) = Query::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|e| ScimError::bad_request(ScimType::InvalidSyntax, format!("unreadable query string: {e}")))?;
        let param = |name: &str| pairs.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());

        let filter = match param("filter").map(str::trim) {
            None | Some("") => None,
            Some(raw) => Some(filter::parse(raw).map_err(|e| ScimError::bad_request(ScimType::InvalidFilter, format!("invalid filter: {e}")))?),
        };
        let page = Page::from_query(param("startIndex"), param("count"))?;
        let excluded = param("excludedAttributes")
            .map(|list| list.split(',').map(|a| a.trim().to_owned()).filter(|a| !a.is_empty()).collect())
            .unwrap_or_default();
        Ok(ListQuery { filter, page, excluded })
    }
}
