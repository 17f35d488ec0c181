//! Reading a User document an IdP sent: what must be there (A9, A10, P4), what the server keeps
//! in columns, and what is stored as sent.

use super::schema::{self, limits, ResourceKind};
use super::{ScimError, ScimType, CUSTOM_USER_SCHEMA, ENTERPRISE_USER_SCHEMA, USER_SCHEMA};
use serde_json::{Map, Value};

/// Attributes the server owns or never keeps: dropped from what is stored.
const NOT_STORED: [&str; 5] = ["id", "meta", "password", "groups", "schemas"];

/// A user document, checked, with the values the store keeps in columns.
#[derive(Debug, Clone, PartialEq)]
pub struct UserInput {
    pub user_name: String,
    pub external_id: Option<String>,
    pub display_name: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// Every email address, in the order sent; the primary one first.
    pub emails: Vec<String>,
    pub active: bool,
    /// The document to store: as sent, minus what the server owns or never keeps.
    pub document: Map<String, Value>,
}

impl UserInput {
    /// The address invitations go to: the primary one, else the first.
    pub fn primary_email(&self) -> Option<&str> {
        self.emails.first().map(String::as_str)
    }
}

/// Reads a full User document (POST, PUT, or the result of a PATCH), enforcing the seed's
/// requirements: a userName, a non-blank givenName and familyName (A9), an email (A10).
pub fn read(body: &Value) -> Result<UserInput, ScimError> {
    let Value::Object(object) = body else {
        return Err(ScimError::bad_request(ScimType::InvalidSyntax, "A User must be a JSON object."));
    };
    limits::check_document(ResourceKind::User, object)?;
    limits::check_document_size(object)?;
    let mut document = object.clone();
    lift_qualified_attributes(&mut document);
    document.retain(|key, value| !value.is_null() && !is_not_stored(key) && schema::is_document_key(ResourceKind::User, key));

    let user_name = required_string(object, "userName")?;
    let name = get(object, "name");
    let given_name = name.and_then(|n| string_at(n, "givenName"));
    let family_name = name.and_then(|n| string_at(n, "familyName"));
    if given_name.is_none() || family_name.is_none() {
        return Err(ScimError::bad_request(ScimType::InvalidValue, "name.givenName and name.familyName are required and cannot be blank."));
    }
    let emails = emails(object)?;
    if emails.is_empty() {
        return Err(ScimError::bad_request(ScimType::InvalidValue, "An email address is required: send emails[].value."));
    }
    let active = match get(object, "active") {
        None | Some(Value::Null) => true,
        Some(value) => boolean(value)
            .ok_or_else(|| ScimError::bad_request(ScimType::InvalidValue, format!("active must be true or false, not {value}.")))?,
    };
    if let Some(key) = object.keys().find(|k| k.eq_ignore_ascii_case("active")) {
        document.insert(key.clone(), Value::Bool(active));
    }

    // A blank externalId is none: it is served from its column, so the document must agree.
    let external_id = optional_string(object, "externalId")?;
    if external_id.is_none() {
        document.retain(|key, _| !key.eq_ignore_ascii_case("externalId"));
    }
    Ok(UserInput {
        user_name,
        external_id,
        display_name: optional_string(object, "displayName")?,
        given_name,
        family_name,
        emails,
        active,
        document,
    })
}

/// JSON booleans, and the strings Entra sends for them ("True", "False", any case).
pub fn boolean(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// Attributes the server owns or never keeps (the password in any spelling).
fn is_not_stored(key: &str) -> bool {
    NOT_STORED.iter().any(|n| n.eq_ignore_ascii_case(key))
        || schema::lookup(ResourceKind::User, key).is_some_and(|resolved| resolved.attribute.sensitive)
}

/// Entra may send extension data as top-level keys named by full URN path
/// (`"urn:...:enterprise:2.0:User:department": "Sales"`) without listing the URN in
/// `schemas`: move them into the extension object where they belong. Core attributes sent the
/// same way (`"urn:...:core:2.0:User:title"`, or an object under the core URN) are top-level
/// attributes, and are moved there.
fn lift_qualified_attributes(document: &mut Map<String, Value>) {
    let core = USER_SCHEMA.to_ascii_lowercase();
    let keys: Vec<String> = document.keys().filter(|k| k.to_ascii_lowercase().starts_with(&core)).cloned().collect();
    let mut lifted = Vec::new();
    for key in keys {
        let rest = &key[core.len()..];
        match document.get(&key) {
            Some(Value::Object(attributes)) if rest.is_empty() => lifted.extend(attributes.clone()),
            Some(value) if rest.starts_with(':') => lifted.push((rest[1..].to_owned(), value.clone())),
            _ => continue,
        }
        document.remove(&key);
    }
    // What the body says at the top level wins over the same attribute under the URN.
    for (name, value) in lifted {
        if get(document, &name).is_none() {
            document.insert(name, value);
        }
    }
    for urn in [ENTERPRISE_USER_SCHEMA, CUSTOM_USER_SCHEMA] {
        let prefix = format!("{}:", urn.to_ascii_lowercase());
        let lifted: Vec<String> = document.keys().filter(|k| k.to_ascii_lowercase().starts_with(&prefix)).cloned().collect();
        for key in lifted {
            let Some(value) = document.remove(&key) else { continue };
            let attribute = key[prefix.len()..].to_owned();
            let extension = match document.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(urn)) {
                Some((_, existing)) => existing,
                None => document.entry(urn.to_owned()).or_insert_with(|| Value::Object(Map::new())),
            };
            if let Value::Object(extension) = extension {
                extension.insert(attribute, value);
            }
        }
    }
}

fn get<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    object.get(key).or_else(|| object.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v))
}

/// A non-blank string member of a JSON object, found without regard to case.
fn string_at(value: &Value, key: &str) -> Option<String> {
    let Value::Object(object) = value else { return None };
    match get(object, key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        _ => None,
    }
}

fn required_string(object: &Map<String, Value>, key: &str) -> Result<String, ScimError> {
    optional_string(object, key)?
        .ok_or_else(|| ScimError::bad_request(ScimType::InvalidValue, format!("{key} is required and cannot be blank.")))
}

fn optional_string(object: &Map<String, Value>, key: &str) -> Result<Option<String>, ScimError> {
    match get(object, key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(ScimError::bad_request(ScimType::InvalidValue, format!("{key} must be a string, not {other}."))),
    }
}

fn emails(object: &Map<String, Value>) -> Result<Vec<String>, ScimError> {
    let list = match get(object, "emails") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(list)) => list,
        Some(_) => return Err(ScimError::bad_request(ScimType::InvalidValue, "emails must be an array.")),
    };
    let mut primary = Vec::new();
    let mut others = Vec::new();
    for email in list {
        let Some(address) = string_at(email, "value") else { continue };
        let is_primary = match email {
            Value::Object(e) => get(e, "primary").and_then(boolean).unwrap_or(false),
            _ => false,
        };
        if is_primary {
            primary.push(address)
        } else {
            others.push(address)
        }
    }
    primary.extend(others);
    Ok(primary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entra_create() -> Value {
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
            "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
            "userName": "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee",
            "active": true,
            "emails": [{"primary": true, "type": "work", "value": "Test_User_11bb11bb@testuser.com"}],
            "meta": {"resourceType": "User"},
            "name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
            "roles": []
        })
    }

    /// Found by `scim_generated`: a blank externalId was kept in the document but served from its
    /// (empty) column, so the user read back differed from the one stored.
    #[test]
    fn a_blank_external_id_is_no_external_id_in_the_document_too() {
        for blank in [json!("  "), json!(""), Value::Null] {
            let mut body = entra_create();
            body["EXTERNALID"] = blank.clone();
            body.as_object_mut().unwrap().remove("externalId");
            let user = read(&body).unwrap();
            assert_eq!(user.external_id, None, "{blank}");
            assert!(!user.document.keys().any(|key| key.eq_ignore_ascii_case("externalId")), "{blank}");
        }
    }

    #[test]
    fn reads_entras_create_and_drops_what_the_server_owns() {
        let user = read(&entra_create()).unwrap();
        assert_eq!(user.user_name, "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee");
        assert_eq!(user.external_id.as_deref(), Some("0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"));
        assert_eq!(user.emails, vec!["Test_User_11bb11bb@testuser.com"]);
        assert!(user.active);
        assert!(user.document.get("meta").is_none());
        assert!(user.document.get("schemas").is_none());
        assert_eq!(user.document["roles"], json!([]));
    }

    #[test]
    fn okta_password_and_groups_are_never_stored() {
        let body = json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "test.user@okta.local",
            "name": {"givenName": "Test", "familyName": "User"},
            "emails": [{"primary": true, "value": "test.user@okta.local", "type": "work"}],
            "displayName": "Test User", "locale": "en-US", "externalId": "00ujl29u0le5T6Aj10h7",
            "groups": [], "password": "1mz050nq", "active": true
        });
        let user = read(&body).unwrap();
        assert!(user.document.get("password").is_none());
        assert!(user.document.get("groups").is_none());
        assert_eq!(user.document["locale"], "en-US");
    }

    #[test]
    fn explicit_nulls_are_tolerated_and_not_stored() {
        let mut body = entra_create();
        body["addresses"] = Value::Null;
        body["title"] = Value::Null;
        body["manager"] = Value::Null;
        let user = read(&body).unwrap();
        assert!(user.document.get("addresses").is_none());
        assert!(user.document.get("manager").is_none());
    }

    #[test]
    fn a9_blank_names_are_refused() {
        for name in [json!({"givenName": "", "familyName": "Lee"}), json!({"givenName": "Ann"}), json!(null)] {
            let mut body = entra_create();
            body["name"] = name;
            let err = read(&body).unwrap_err();
            assert_eq!((err.status, err.scim_type), (400, Some(ScimType::InvalidValue)));
        }
    }

    #[test]
    fn a10_an_email_is_required() {
        let mut body = entra_create();
        body["emails"] = json!([{"type": "work", "value": " "}]);
        let err = read(&body).unwrap_err();
        assert!(err.detail.contains("email"), "{}", err.detail);
    }

    #[test]
    fn user_name_is_required() {
        let mut body = entra_create();
        body.as_object_mut().unwrap().remove("userName");
        assert_eq!(read(&body).unwrap_err().scim_type, Some(ScimType::InvalidValue));
        body["userName"] = json!(42);
        assert_eq!(read(&body).unwrap_err().status, 400);
    }

    #[test]
    fn string_booleans_are_read_and_stored_as_booleans() {
        let mut body = entra_create();
        body["active"] = json!("False");
        let user = read(&body).unwrap();
        assert!(!user.active);
        assert_eq!(user.document["active"], false);
        body["active"] = json!("maybe");
        assert_eq!(read(&body).unwrap_err().scim_type, Some(ScimType::InvalidValue));
    }

    #[test]
    fn the_primary_email_comes_first() {
        let mut body = entra_create();
        body["emails"] = json!([{"value": "other@x.io"}, {"value": "main@x.io", "primary": "True"}]);
        assert_eq!(read(&body).unwrap().primary_email(), Some("main@x.io"));
    }

    #[test]
    fn extension_data_sent_under_full_urn_keys_moves_into_the_extension() {
        let mut body = entra_create();
        body["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"] = json!("Retail");
        body["urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:costCenter"] = json!("CC-7");
        let user = read(&body).unwrap();
        assert_eq!(user.document[ENTERPRISE_USER_SCHEMA]["department"], "Retail");
        assert_eq!(user.document[CUSTOM_USER_SCHEMA]["costCenter"], "CC-7");
        assert!(user.document.keys().all(|k| !k.ends_with(":department")));
    }

    #[test]
    fn a_password_sent_under_any_spelling_is_never_stored() {
        for key in ["password", "PASSWORD", "urn:ietf:params:scim:schemas:core:2.0:User:password"] {
            let mut body = entra_create();
            body[key] = json!("Tr0ub4dor&3");
            body["urn:ietf:params:scim:schemas:core:2.0:User"] = json!({"Password": "Tr0ub4dor&3", "title": "Boss"});
            let user = read(&body).unwrap();
            assert!(!Value::Object(user.document.clone()).to_string().contains("Tr0ub4dor"), "{key}: {:?}", user.document);
            assert_eq!(user.document["title"], "Boss", "core attributes under the core URN are top-level");
        }
    }
}
