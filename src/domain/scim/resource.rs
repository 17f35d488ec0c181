//! Renders stored users and groups as SCIM documents.
//!
//! The stored document is what the IdP sent; the server owns `id`, `meta` and the attributes it
//! keeps in columns, and never returns `password` (RFC 7643 §4.1.1: returned "never").

use super::schema::{self, ResourceKind, Returned};
use super::{GROUP_SCHEMA, USER_SCHEMA};
use serde_json::{json, Map, Value};

/// The server-owned `meta` of a resource.
pub struct Meta<'a> {
    pub resource_type: &'a str,
    pub created: &'a str,
    pub last_modified: &'a str,
    pub location: String,
    pub version: i64,
}

/// `meta.version` and the `ETag` header: a weak validator over the row's version counter.
pub fn etag(version: i64) -> String {
    format!("W/\"{version}\"")
}

pub struct UserFields<'a> {
    pub id: &'a str,
    pub user_name: &'a str,
    pub external_id: Option<&'a str>,
    pub active: bool,
}

/// A stored document that is not a JSON object: a damaged row, never served as `{}`.
#[derive(Debug, thiserror::Error)]
#[error("the stored document of {id} is not a JSON object: {reason}")]
pub struct DamagedDocument {
    pub id: String,
    reason: String,
}

pub fn user(stored: &str, fields: UserFields<'_>, meta: Meta<'_>) -> Result<Value, DamagedDocument> {
    let mut doc = stored_object(stored, fields.id)?;
    drop_sensitive(&mut doc);
    let mut listed = schemas(doc.get("schemas"), USER_SCHEMA);
    // An extension the user holds is one it uses, listed or not (Entra leaves them out).
    for urn in [super::ENTERPRISE_USER_SCHEMA, super::CUSTOM_USER_SCHEMA] {
        let held = doc.keys().any(|key| key.eq_ignore_ascii_case(urn));
        if held && !listed.iter().any(|uri| uri.as_str().is_some_and(|uri| uri.eq_ignore_ascii_case(urn))) {
            listed.push(urn.into());
        }
    }
    doc.insert("schemas".into(), Value::Array(listed));
    doc.insert("id".into(), fields.id.into());
    doc.insert("userName".into(), fields.user_name.into());
    match fields.external_id {
        Some(external_id) => doc.insert("externalId".into(), external_id.into()),
        None => doc.remove("externalId"),
    };
    // `active` is shown as the user states it; a client may remove it (RFC 7644 §3.5.2.2),
    // leaving it unassigned. A suspension by Provisio itself always shows.
    let stated = doc.keys().find(|k| k.eq_ignore_ascii_case("active")).cloned();
    if let Some(key) = &stated {
        doc.remove(key);
    }
    if stated.is_some() || !fields.active {
        doc.insert("active".into(), fields.active.into());
    }
    doc.insert("meta".into(), meta_json(&meta));
    Ok(Value::Object(doc))
}

pub struct GroupFields<'a> {
    pub id: &'a str,
    pub display_name: &'a str,
    pub external_id: Option<&'a str>,
}

/// `members`: `None` leaves them out (`excludedAttributes=members`); each is `(id, display)`,
/// with the `display` the IdP sent, if it sent one.
pub fn group(
    stored: &str,
    fields: GroupFields<'_>,
    members: Option<&[(String, Option<String>)]>,
    users_base: &str,
    meta: Meta<'_>,
) -> Result<Value, DamagedDocument> {
    let mut doc = stored_object(stored, fields.id)?;
    doc.insert("schemas".into(), Value::Array(schemas(doc.get("schemas"), GROUP_SCHEMA)));
    doc.insert("id".into(), fields.id.into());
    doc.insert("displayName".into(), fields.display_name.into());
    match fields.external_id {
        Some(external_id) => doc.insert("externalId".into(), external_id.into()),
        None => doc.remove("externalId"),
    };
    match members {
        Some(members) => {
            let members: Vec<Value> = members
                .iter()
                .map(|(id, display)| {
                    let mut member = json!({"value": id, "type": "User", "$ref": format!("{users_base}/{id}")});
                    if let Some(display) = display {
                        member["display"] = display.as_str().into();
                    }
                    member
                })
                .collect();
            doc.insert("members".into(), Value::Array(members));
        }
        None => {
            doc.remove("members");
        }
    }
    doc.insert("meta".into(), meta_json(&meta));
    Ok(Value::Object(doc))
}

/// Removes every sensitive attribute (`returned: never`), in any spelling, also from under the
/// core schema's URN: documents stored before writes dropped them may still hold one.
fn drop_sensitive(doc: &mut Map<String, Value>) {
    let sensitive =
        |key: &str| schema::lookup(ResourceKind::User, key).is_some_and(|resolved| resolved.attribute.returned == Returned::Never);
    doc.retain(|key, _| !sensitive(key));
    if let Some((_, Value::Object(core))) = doc.iter_mut().find(|(key, _)| key.eq_ignore_ascii_case(USER_SCHEMA)) {
        core.retain(|key, _| !sensitive(key));
    }
}

fn stored_object(stored: &str, id: &str) -> Result<Map<String, Value>, DamagedDocument> {
    let damaged = |reason: String| DamagedDocument { id: id.to_owned(), reason };
    match serde_json::from_str(stored) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(damaged(format!("it holds {}", other.to_string().chars().take(40).collect::<String>()))),
        Err(err) => Err(damaged(err.to_string())),
    }
}

/// The stored `schemas`, with the core schema first and unknown URIs (Entra's ADSCIM group
/// URI, for one) dropped from what we claim to serve.
fn schemas(stored: Option<&Value>, core: &str) -> Vec<Value> {
    let mut out = vec![Value::from(core)];
    if let Some(Value::Array(list)) = stored {
        for uri in list.iter().filter_map(Value::as_str) {
            let known = [super::ENTERPRISE_USER_SCHEMA, super::CUSTOM_USER_SCHEMA];
            if core == USER_SCHEMA && known.iter().any(|k| k.eq_ignore_ascii_case(uri)) && !out.iter().any(|o| o == uri) {
                out.push(uri.into());
            }
        }
    }
    out
}

fn meta_json(meta: &Meta<'_>) -> Value {
    json!({
        "resourceType": meta.resource_type,
        "created": meta.created,
        "lastModified": meta.last_modified,
        "location": meta.location,
        "version": etag(meta.version),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> Meta<'static> {
        Meta {
            resource_type: "User",
            created: "2026-01-01T00:00:00.000Z",
            last_modified: "2026-01-02T00:00:00.000Z",
            location: "http://x/Users/1".into(),
            version: 3,
        }
    }

    #[test]
    fn user_keeps_what_was_sent_and_owns_id_meta_and_password() {
        let stored = r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
            "userName":"old","password":"p","name":{"givenName":"Ann"},"meta":{"resourceType":"User"},"id":"client"}"#;
        let doc = user(stored, UserFields { id: "1", user_name: "ann", external_id: Some("e1"), active: false }, meta()).unwrap();
        assert_eq!(
            user("{\"Active\": true}", UserFields { id: "1", user_name: "ann", external_id: None, active: true }, meta()).unwrap()
                ["active"],
            true
        );
        assert!(
            user("{}", UserFields { id: "1", user_name: "ann", external_id: None, active: true }, meta()).unwrap().get("active").is_none(),
            "unassigned"
        );
        assert_eq!(doc["id"], "1");
        assert_eq!(doc["userName"], "ann");
        assert_eq!(doc["externalId"], "e1");
        assert_eq!(doc["active"], false);
        assert_eq!(doc["name"]["givenName"], "Ann");
        assert!(doc.get("password").is_none());
        assert_eq!(doc["meta"]["version"], "W/\"3\"");
        assert_eq!(doc["meta"]["location"], "http://x/Users/1");
        assert_eq!(doc["schemas"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn a_damaged_stored_document_is_an_error_never_an_empty_user() {
        for stored in ["not json", "[1]", "\"text\""] {
            let fields = UserFields { id: "7", user_name: "ann", external_id: None, active: true };
            let err = user(stored, fields, meta()).unwrap_err();
            assert!(err.to_string().contains("7"), "{err}");
        }
        let group_fields = GroupFields { id: "g", display_name: "Sales", external_id: None };
        assert!(group("{", group_fields, None, "http://x/Users", meta()).is_err());
    }

    #[test]
    fn an_extension_the_user_holds_is_listed_in_schemas() {
        let stored = r#"{"urn:ietf:params:scim:schemas:extension:ivanti:2.0:User":{}}"#;
        let doc = user(stored, UserFields { id: "1", user_name: "ann", external_id: None, active: true }, meta()).unwrap();
        assert_eq!(doc["schemas"], json!([USER_SCHEMA, crate::domain::scim::CUSTOM_USER_SCHEMA]));
    }

    #[test]
    fn a_password_stored_under_any_spelling_is_never_returned() {
        let stored = r#"{"PASSWORD":"p1","urn:ietf:params:scim:schemas:core:2.0:User:password":"p2",
            "urn:ietf:params:scim:schemas:core:2.0:User":{"Password":"p3","title":"t"}}"#;
        let doc = user(stored, UserFields { id: "1", user_name: "ann", external_id: None, active: true }, meta()).unwrap();
        let text = doc.to_string();
        assert!(!text.contains("\"p1\"") && !text.contains("\"p2\"") && !text.contains("\"p3\""), "{text}");
        assert!(text.contains("\"title\":\"t\""));
    }

    #[test]
    fn group_members_are_listed_or_left_out() {
        let members = vec![("u1".to_string(), Some("ann".to_string())), ("u2".to_string(), None)];
        let fields = || GroupFields { id: "g1", display_name: "Sales", external_id: None };
        let doc = group("{}", fields(), Some(&members), "http://x/Users", meta()).unwrap();
        assert_eq!(doc["members"][0]["value"], "u1");
        assert_eq!(doc["members"][0]["$ref"], "http://x/Users/u1");
        assert_eq!(doc["members"][0]["display"], "ann");
        assert!(doc["members"][1].get("display").is_none());
        let doc = group(r#"{"members":[{"value":"stale"}]}"#, fields(), None, "http://x/Users", meta()).unwrap();
        assert!(doc.get("members").is_none());
    }
}
