//! `If-Match` and `If-None-Match` against `meta.version` (RFC 7644 §3.14): a write with a stale
//! version gets 412, a read of an unchanged resource 304.

use crate::domain::scim::resource::etag;
use crate::domain::scim::ScimError;
use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts, HeaderMap};
use std::convert::Infallible;

#[derive(Debug, Default, Clone)]
pub struct Preconditions {
    if_match: Option<String>,
    if_none_match: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for Preconditions {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let header = |headers: &HeaderMap, name| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        Ok(Preconditions {
            if_match: header(&parts.headers, header::IF_MATCH),
            if_none_match: header(&parts.headers, header::IF_NONE_MATCH),
        })
    }
}

impl Preconditions {
    /// A write guarded by `version`, as a Bulk operation carries it.
    pub fn if_match(version: Option<String>) -> Preconditions {
        Preconditions { if_match: version, if_none_match: None }
    }

    /// For writes: refuses when `If-Match` names other versions.
    pub fn check_write(&self, version: i64) -> Result<(), ScimError> {
        match &self.if_match {
            Some(list) if !matches(list, version) => Err(ScimError::new(
                412,
                None,
                format!("The resource has changed: its version is {}, not the one in If-Match.", etag(version)),
            )),
            _ => Ok(()),
        }
    }

    /// For reads: whether `If-None-Match` names the document's current `meta.version`.
    pub fn not_modified(&self, document: &serde_json::Value) -> bool {
        let Some(current) = document["meta"]["version"].as_str() else { return false };
        self.if_none_match.as_deref().is_some_and(|list| matches_tag(list, current))
    }
}

/// Weak comparison over a comma-separated list of entity tags, or `*`.
fn matches(list: &str, version: i64) -> bool {
    matches_tag(list, &etag(version))
}

fn matches_tag(list: &str, current: &str) -> bool {
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    list.split(',').any(|tag| tag.trim() == "*" || opaque(tag) == opaque(current))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_tags_compare_by_opaque_value() {
        assert!(matches("W/\"3\"", 3));
        assert!(matches("\"3\"", 3));
        assert!(matches("W/\"1\", W/\"3\"", 3));
        assert!(matches("*", 9));
        assert!(!matches("W/\"2\"", 3));
    }

    #[test]
    fn stale_writes_get_412() {
        let stale = Preconditions { if_match: Some("W/\"1\"".into()), if_none_match: None };
        assert_eq!(stale.check_write(2).unwrap_err().status, 412);
        assert!(stale.check_write(1).is_ok());
        assert!(Preconditions::default().check_write(5).is_ok());
    }
}
