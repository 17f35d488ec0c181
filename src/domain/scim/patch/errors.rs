//! The errors PATCH answers with (RFC 7644 §3.12 scimTypes).

use crate::domain::scim::{ScimError, ScimType};

pub(super) fn syntax(detail: impl Into<String>) -> ScimError {
    ScimError::bad_request(ScimType::InvalidSyntax, detail)
}

pub(super) fn invalid_value(detail: impl Into<String>) -> ScimError {
    ScimError::bad_request(ScimType::InvalidValue, detail)
}

pub(super) fn invalid_path(detail: impl Into<String>) -> ScimError {
    ScimError::bad_request(ScimType::InvalidPath, detail)
}

pub(super) fn no_target(detail: impl Into<String>) -> ScimError {
    ScimError::bad_request(ScimType::NoTarget, detail)
}

/// Prefixes the detail with the failing operation, for the admin reading
/// Okta's Tasks or Entra's provisioning log.
pub(super) fn at_operation(err: ScimError, index: usize) -> ScimError {
    ScimError { detail: format!("Operations[{index}]: {}", err.detail), ..err }
}

/// Keeps client-supplied text in error details short.
pub(super) fn shorten(text: &str) -> String {
    const MAX_CHARS: usize = 100;
    match text.char_indices().nth(MAX_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}
