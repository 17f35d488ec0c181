//! The seed's provisioning rules as functions of the old and new state: who may create which
//! userName (P4, P5, M1, L1, L3), and how updates merge (A8, A11).

use crate::domain::idp::{Idp, Source};
use crate::domain::scim::schema::fold;
use crate::domain::scim::{ScimError, ScimType};
use serde_json::{Map, Value};

/// What a store found under a userName (case-insensitively) when an IdP creates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    pub id: String,
    pub source: Source,
    /// Deleted by its IdP (L3): suspended here, gone to SCIM.
    pub scim_deleted: bool,
}

/// What a create (POST) of a userName does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreateDecision {
    /// A new user.
    Insert,
    /// P5/M1: a local or legacy user becomes the IdP's; nothing else of it is lost.
    TakeOver { id: String },
    /// L3: the IdP deleted this user and now creates it again: it comes back.
    Restore { id: String },
    /// P4: the userName is already provisioned.
    Conflict(String),
}

pub fn decide_create(idp: Idp, user_name: &str, existing: Option<&Existing>) -> CreateDecision {
    let Some(existing) = existing else {
        return CreateDecision::Insert;
    };
    match existing.source {
        Source::Local | Source::LegacyEntra => CreateDecision::TakeOver { id: existing.id.clone() },
        source if source == idp.source() && existing.scim_deleted => CreateDecision::Restore { id: existing.id.clone() },
        source if source == idp.source() => {
            CreateDecision::Conflict(format!("A user with userName `{user_name}` already exists (id {}).", existing.id))
        }
        source => CreateDecision::Conflict(format!(
            "userName `{user_name}` is already provisioned by another identity provider ({}); userNames are unique across Provisio.",
            source.label()
        )),
    }
}

/// Whether a JSON value counts as blank: null, an empty or all-space string, an empty array
/// or object, or an object whose every member is blank.
pub fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(items) => items.iter().all(is_blank),
        Value::Object(map) => map.values().all(is_blank),
        Value::Bool(_) | Value::Number(_) => false,
    }
}

/// Merges an update into the stored document:
/// - A11: attributes the update does not mention keep their stored values (an IdP that stops
///   mapping an attribute does not erase it);
/// - A8: attributes the update sets blank keep their stored values;
/// - complex attributes (name, extension objects) merge member by member, by the same rules.
///
/// Keys are compared without regard to case (RFC 7643 §2.1); the update's spelling wins.
pub fn merge_update(stored: &Map<String, Value>, update: &Map<String, Value>) -> Map<String, Value> {
    let mut merged = Map::with_capacity(stored.len().max(update.len()));
    for (key, old) in stored {
        match find_key(update, key) {
            None => {
                merged.insert(key.clone(), old.clone());
            }
            Some((new_key, new)) if is_blank(new) => {
                merged.insert(new_key.clone(), old.clone());
            }
            Some((new_key, Value::Object(new))) => {
                let value = match old {
                    Value::Object(old) => Value::Object(merge_update(old, new)),
                    _ => Value::Object(new.clone()),
                };
                merged.insert(new_key.clone(), value);
            }
            Some((new_key, new)) => {
                merged.insert(new_key.clone(), new.clone());
            }
        }
    }
    for (key, new) in update {
        if find_key(stored, key).is_none() && !is_blank(new) {
            merged.insert(key.clone(), new.clone());
        }
    }
    merged
}

/// A8 for PATCH: where an operation set a stored value blank, the stored value stays. What an
/// operation removed outright stays removed (an explicit `remove`, unlike a blank value, is
/// the IdP saying the attribute is gone).
pub fn keep_blanked(stored: &Map<String, Value>, patched: &Map<String, Value>) -> Map<String, Value> {
    let mut kept = patched.clone();
    for (key, new) in patched {
        let Some((_, old)) = find_key(stored, key) else { continue };
        match (old, new) {
            (Value::Object(old), Value::Object(new)) => {
                kept.insert(key.clone(), Value::Object(keep_blanked(old, new)));
            }
            (old, new) if is_blank(new) && !is_blank(old) => {
                kept.insert(key.clone(), old.clone());
            }
            _ => {}
        }
    }
    kept
}

/// P4: userName is immutable once provisioned (a change of case only is the same name).
pub fn check_user_name_unchanged(stored: &Map<String, Value>, new: &str) -> Result<(), ScimError> {
    let old = find_key(stored, "userName").and_then(|(_, v)| v.as_str()).unwrap_or_default();
    if fold(old) != fold(new) {
        return Err(ScimError::bad_request(ScimType::Mutability, format!("userName cannot be changed once provisioned (it is `{old}`).")));
    }
    Ok(())
}

fn find_key<'a>(map: &'a Map<String, Value>, key: &str) -> Option<(&'a String, &'a Value)> {
    map.get_key_value(key).or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn existing(source: Source, scim_deleted: bool) -> Existing {
        Existing { id: "u1".into(), source, scim_deleted }
    }

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn p5_local_and_legacy_users_are_taken_over() {
        for source in [Source::Local, Source::LegacyEntra] {
            assert_eq!(decide_create(Idp::Entra, "ann", Some(&existing(source, false))), CreateDecision::TakeOver { id: "u1".into() });
        }
    }

    #[test]
    fn p4_a_provisioned_user_name_conflicts_within_and_across_idps() {
        assert!(matches!(decide_create(Idp::Okta, "ann", Some(&existing(Source::ScimOkta, false))), CreateDecision::Conflict(_)));
        let CreateDecision::Conflict(detail) = decide_create(Idp::Okta, "ann", Some(&existing(Source::ScimEntra, false))) else {
            panic!("expected a conflict");
        };
        assert!(detail.contains("SCIM Entra ID"), "{detail}");
        // Even a user the other IdP deleted stays that IdP's.
        assert!(matches!(decide_create(Idp::Okta, "ann", Some(&existing(Source::ScimEntra, true))), CreateDecision::Conflict(_)));
    }

    #[test]
    fn l3_a_deleted_user_created_again_comes_back() {
        assert_eq!(decide_create(Idp::Entra, "ann", Some(&existing(Source::ScimEntra, true))), CreateDecision::Restore { id: "u1".into() });
        assert_eq!(decide_create(Idp::Entra, "ann", None), CreateDecision::Insert);
    }

    #[test]
    fn blank_means_nothing_to_say() {
        for blank in [json!(null), json!(""), json!("  "), json!([]), json!({}), json!({"givenName": ""}), json!([""])] {
            assert!(is_blank(&blank), "{blank}");
        }
        for set in [json!(false), json!(0), json!("x"), json!({"givenName": "A"}), json!([{"value": "a@b"}])] {
            assert!(!is_blank(&set), "{set}");
        }
    }

    #[test]
    fn a8_blank_updates_keep_the_old_value_and_a11_unmapped_values_stay() {
        let stored = object(json!({
            "userName": "ann", "displayName": "Ann", "title": "Boss",
            "name": {"givenName": "Ann", "familyName": "Lee"},
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Sales"}
        }));
        let update = object(json!({
            "userName": "ann", "displayName": "", "locale": "fr-FR",
            "name": {"givenName": "Anne", "familyName": "  "},
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": null}
        }));
        let merged = merge_update(&stored, &update);
        assert_eq!(merged["displayName"], "Ann");
        assert_eq!(merged["title"], "Boss", "A11: not in the update, kept");
        assert_eq!(merged["locale"], "fr-FR");
        assert_eq!(merged["name"], json!({"givenName": "Anne", "familyName": "Lee"}));
        assert_eq!(merged["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["department"], "Sales");
    }

    #[test]
    fn a8_patch_keeps_blanked_values_but_honours_removals() {
        let stored = object(json!({"displayName": "Ann", "title": "Boss", "name": {"givenName": "Ann", "formatted": "Ann Lee"}}));
        let patched = object(json!({"displayName": "", "name": {"givenName": "Ann", "formatted": " "}}));
        let kept = keep_blanked(&stored, &patched);
        assert_eq!(kept["displayName"], "Ann");
        assert_eq!(kept["name"]["formatted"], "Ann Lee");
        assert!(kept.get("title").is_none(), "removed by the patch");
    }

    #[test]
    fn keys_merge_without_regard_to_case() {
        let stored = object(json!({"displayName": "Ann", "Title": "Boss"}));
        let update = object(json!({"displayname": "Anne", "title": ""}));
        let merged = merge_update(&stored, &update);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged["displayname"], "Anne");
        assert_eq!(merged["title"], "Boss");
    }

    #[test]
    fn booleans_and_arrays_are_replaced_not_merged() {
        let stored = object(json!({"active": true, "emails": [{"value": "a@x"}, {"value": "b@x"}]}));
        let update = object(json!({"active": false, "emails": [{"value": "c@x"}]}));
        let merged = merge_update(&stored, &update);
        assert_eq!(merged["active"], false);
        assert_eq!(merged["emails"], json!([{"value": "c@x"}]));
    }
}
