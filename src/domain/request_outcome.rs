//! How the provisioning log sorts SCIM answers, the way Entra's provisioning logs do: what needs
//! the admin, and what is an expected answer the IdP handles by itself. The wire stays English;
//! the portal names each error's reason by a stable key (the `scimType`, else the status).

/// What one logged request means for the admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Succeeded,
    /// An error the IdP expects and handles (e.g. a 404 for a resource already deleted).
    Expected,
    NeedsAttention,
}

/// `conflict_resolved`: a 409 after which the IdP changed the resource it collided with.
pub fn outcome(path: &str, status: u16, conflict_resolved: bool) -> Outcome {
    match status {
        0..=399 => Outcome::Succeeded,
        // IdPs read a 404 on one resource as "gone": Entra creates it anew, a DELETE is done.
        404 if names_one_resource(path) => Outcome::Expected,
        409 if conflict_resolved => Outcome::Expected,
        _ => Outcome::NeedsAttention,
    }
}

/// A read answered with success: most of the log, since a sync reads every user back. Its entry
/// has no place in the per-resource index; `store::request_log::CHANGE_OR_REFUSAL` is the same
/// rule in SQL.
pub fn is_successful_read(method: &str, status: u16) -> bool {
    method == "GET" && status < 400
}

/// Whether the log keeps a request's response body: not for a successful read of one user or
/// group, which returned the stored resource. Lists and searches keep theirs: what a filter
/// found (or did not) is why an IdP went on to create or update.
pub fn keeps_response_body(method: &str, path: &str, status: u16) -> bool {
    !(is_successful_read(method, status) && names_one_resource(path))
}

/// `/scim/v2/okta/Users/abc` or `/Groups/abc` (any case, query ignored), not a list or search.
fn names_one_resource(path: &str) -> bool {
    let path = path.split('?').next().unwrap_or_default().trim_end_matches('/');
    let mut segments = path.rsplit('/');
    let (Some(id), Some(kind)) = (segments.next(), segments.next()) else { return false };
    !id.is_empty() && !id.starts_with('.') && (kind.eq_ignore_ascii_case("Users") || kind.eq_ignore_ascii_case("Groups"))
}

/// RFC 7644 §3.12's `scimType` keywords; each has its reason in the portal's languages.
const SCIM_TYPES: [&str; 10] = [
    "invalidFilter",
    "tooMany",
    "uniqueness",
    "mutability",
    "invalidSyntax",
    "invalidPath",
    "noTarget",
    "invalidValue",
    "invalidVers",
    "sensitive",
];
/// Statuses with a reason of their own when no `scimType` says more.
const STATUSES: [u16; 11] = [400, 401, 403, 404, 405, 409, 412, 413, 415, 429, 500];

/// The locale key of an error's reason: `log.reason.uniqueness`, `log.reason.status_404`, or
/// `log.reason.other`; `None` for a success.
pub fn reason_key(status: u16, scim_type: Option<&str>) -> Option<String> {
    if status < 400 {
        return None;
    }
    if let Some(known) = scim_type.and_then(|scim_type| SCIM_TYPES.iter().find(|known| known.eq_ignore_ascii_case(scim_type))) {
        return Some(format!("log.reason.{}", snake(known)));
    }
    Some(match STATUSES.contains(&status) {
        true => format!("log.reason.status_{status}"),
        false if status >= 500 => "log.reason.status_500".to_owned(),
        false => "log.reason.other".to_owned(),
    })
}

/// `invalidFilter` as `invalid_filter`, the locale files' spelling.
fn snake(camel: &str) -> String {
    camel.chars().flat_map(|c| if c.is_ascii_uppercase() { vec!['_', c.to_ascii_lowercase()] } else { vec![c] }).collect()
}

/// A body as the log shows it: JSON indented, anything else (a cut body) as it was.
pub fn pretty_body(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|value| serde_json::to_string_pretty(&value).ok())
        .unwrap_or_else(|| body.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_404_on_one_resource_is_expected_and_a_404_elsewhere_needs_the_admin() {
        assert_eq!(outcome("/scim/v2/entra/Users/5b1f", 404, false), Outcome::Expected);
        assert_eq!(outcome("/scim/v2/okta/groups/5b1f?attributes=id", 404, false), Outcome::Expected);
        assert_eq!(outcome("/scim/v2/entra/Users", 404, false), Outcome::NeedsAttention);
        assert_eq!(outcome("/scim/v2/entra/Widgets/1", 404, false), Outcome::NeedsAttention);
        assert_eq!(outcome("/scim/v2/entra/Users/.search", 404, false), Outcome::NeedsAttention);
    }

    #[test]
    fn a_409_is_expected_only_once_the_idp_resolved_it() {
        assert_eq!(outcome("/scim/v2/entra/Users", 409, true), Outcome::Expected);
        assert_eq!(outcome("/scim/v2/entra/Users", 409, false), Outcome::NeedsAttention);
        assert_eq!(outcome("/scim/v2/entra/Users", 201, false), Outcome::Succeeded);
        assert_eq!(outcome("/scim/v2/entra/Users/1", 500, false), Outcome::NeedsAttention);
        assert_eq!(outcome("/scim/v2/entra/Users/1", 401, false), Outcome::NeedsAttention);
    }

    #[test]
    fn each_reason_has_a_stable_key() {
        assert_eq!(reason_key(409, Some("uniqueness")).as_deref(), Some("log.reason.uniqueness"));
        assert_eq!(reason_key(400, Some("invalidFilter")).as_deref(), Some("log.reason.invalid_filter"));
        assert_eq!(reason_key(400, Some("INVALIDVALUE")).as_deref(), Some("log.reason.invalid_value"));
        assert_eq!(reason_key(404, None).as_deref(), Some("log.reason.status_404"));
        assert_eq!(reason_key(400, Some("madeUp")).as_deref(), Some("log.reason.status_400"));
        assert_eq!(reason_key(503, None).as_deref(), Some("log.reason.status_500"));
        assert_eq!(reason_key(418, None).as_deref(), Some("log.reason.other"));
        assert_eq!(reason_key(200, None), None);
    }

    #[test]
    fn every_reason_key_has_its_text() {
        let keys = SCIM_TYPES.iter().map(|t| reason_key(400, Some(t))).chain(STATUSES.iter().map(|s| reason_key(*s, None)));
        for key in keys.flatten().chain(["log.reason.other".to_owned()]) {
            for locale in ["en", "ja", "fr"] {
                assert!(crate::_rust_i18n_try_translate(locale, &key).is_some(), "{key} in {locale}");
            }
        }
    }

    #[test]
    fn json_bodies_are_indented_and_cut_ones_left_alone() {
        assert_eq!(pretty_body(r#"{"userName":"ann","active":true}"#), "{\n  \"userName\": \"ann\",\n  \"active\": true\n}");
        assert_eq!(pretty_body(r#"{"userName":"an"#), r#"{"userName":"an"#);
    }
}
