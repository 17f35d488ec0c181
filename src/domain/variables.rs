//! A7: `${name}` variables in configuration fields, replaced by each user's values. Used by the
//! server (preview, save) and the browser (flagging unknown names as the admin types).

use std::collections::BTreeMap;

/// The variables every user has; custom attributes (A4) add to them.
pub const USER_VARIABLES: [&str; 7] = ["userName", "email", "displayName", "givenName", "familyName", "department", "externalId"];

/// Every `${name}` in `text`, in order (names trimmed; `${` without a `}` is plain text).
pub fn names(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        found.push(after[..end].trim());
        rest = &after[end + 1..];
    }
    found
}

/// The names in `text` that are not in `known` (compared without case), each once.
pub fn unknown<'a>(text: &'a str, known: &[String]) -> Vec<&'a str> {
    let mut unknown: Vec<&str> = names(text).into_iter().filter(|name| !known.iter().any(|k| k.eq_ignore_ascii_case(name))).collect();
    unknown.dedup();
    unknown
}

/// `text` with each variable replaced by the user's value (looked up without case). Unknown
/// variables stay as written; known ones without a value become empty and are reported.
pub fn substitute(text: &str, values: &BTreeMap<String, String>) -> Substituted {
    let lookup = |name: &str| values.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str());
    let mut result = String::with_capacity(text.len());
    let mut missing = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        result.push_str(&rest[..start]);
        let name = after[..end].trim();
        match lookup(name) {
            Some(value) if !value.is_empty() => result.push_str(value),
            _ => missing.push(name.to_owned()),
        }
        rest = &after[end + 1..];
    }
    result.push_str(rest);
    Substituted { text: result, missing }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Substituted {
    pub text: String,
    /// Variables the user has no value for.
    pub missing: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_found_in_order_and_unknown_ones_flagged() {
        assert_eq!(names("${email} and ${ displayName } ${open"), ["email", "displayName"]);
        let known: Vec<String> = ["email", "costCenter"].map(String::from).to_vec();
        assert_eq!(unknown("${EMAIL} ${costcenter} ${nope}", &known), ["nope"]);
        assert!(unknown("no variables, just $ and {}", &known).is_empty());
    }

    #[test]
    fn each_users_values_replace_the_variables() {
        let values = BTreeMap::from([("email".to_owned(), "ann@example.com".to_owned()), ("costCenter".to_owned(), String::new())]);
        assert_eq!(
            substitute("Mail for ${Email} (${costCenter})", &values),
            Substituted { text: "Mail for ann@example.com ()".into(), missing: vec!["costCenter".into()] }
        );
        assert_eq!(substitute("a ${b", &values).text, "a ${b");
    }
}
