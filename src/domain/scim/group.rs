//! Reading a Group document: its name (unique across sources, P6), its members (direct only,
//! P3), and what is stored as sent.

use super::schema::{self, limits, ResourceKind};
use super::{ScimError, ScimType};
use serde_json::{Map, Value};

/// Attributes the server owns or keeps elsewhere (members are rows, not JSON).
const NOT_STORED: [&str; 4] = ["id", "meta", "schemas", "members"];

#[derive(Debug, Clone, PartialEq)]
pub struct GroupInput {
    pub display_name: String,
    pub external_id: Option<String>,
    /// `None` when the document has no `members` key at all.
    pub members: Option<Vec<Member>>,
    pub document: Map<String, Value>,
}

pub fn read(body: &Value) -> Result<GroupInput, ScimError> {
    let Value::Object(object) = body else {
        return Err(ScimError::bad_request(ScimType::InvalidSyntax, "A Group must be a JSON object."));
    };
    limits::check_document(ResourceKind::Group, object)?;
    let get = |key: &str| object.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v);
    let display_name = match get("displayName") {
        Some(Value::String(name)) if !name.trim().is_empty() => name.clone(),
        _ => return Err(ScimError::bad_request(ScimType::InvalidValue, "displayName is required and cannot be blank.")),
    };
    let external_id = match get("externalId") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => return Err(ScimError::bad_request(ScimType::InvalidValue, format!("externalId must be a string, not {other}."))),
    };
    let members = match get("members") {
        None => None,
        Some(Value::Null) => Some(Vec::new()),
        Some(Value::Array(list)) => Some(list.iter().map(member).collect::<Result<_, _>>()?),
        Some(_) => return Err(ScimError::bad_request(ScimType::InvalidValue, "members must be an array.")),
    };
    let document = object
        .iter()
        .filter(|(key, value)| {
            !value.is_null()
                && !NOT_STORED.iter().any(|n| n.eq_ignore_ascii_case(key))
                && schema::is_document_key(ResourceKind::Group, key)
                // A blank externalId is none: it is served from its column.
                && (external_id.is_some() || !key.eq_ignore_ascii_case("externalId"))
        })
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    limits::check_document_size(object)?;
    Ok(GroupInput { display_name, external_id, members, document })
}

/// A member as sent: the user's id, and the `display` the IdP gave it, kept to return as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: String,
    pub display: Option<String>,
}

/// `{"value": "id", "display": ...}` (Okta sends no `type`, Entra a null `$ref`).
pub fn member(value: &Value) -> Result<Member, ScimError> {
    let field =
        |name: &str| value.as_object().and_then(|m| m.iter().find(|(k, _)| k.eq_ignore_ascii_case(name))).and_then(|(_, v)| v.as_str());
    let id = field("value").filter(|v| !v.trim().is_empty()).ok_or_else(|| {
        ScimError::bad_request(ScimType::InvalidValue, format!("A member needs a `value` with the user's id, not {value}."))
    })?;
    // `displayName` is what Microsoft's reference collection calls a member's display.
    let display = field("display").or_else(|| field("displayName"));
    Ok(Member { id: id.to_owned(), display: display.map(str::to_owned) })
}

/// The `display` each member id was sent with anywhere in a PATCH request's values, so that
/// membership changes (which carry ids) can keep it.
pub fn displays_in(values: impl IntoIterator<Item = Value>) -> std::collections::HashMap<String, String> {
    let mut displays = std::collections::HashMap::new();
    let mut visit = |candidate: &Value| {
        if let Ok(Member { id, display: Some(display) }) = member(candidate) {
            displays.insert(id, display);
        }
    };
    for value in values {
        match &value {
            Value::Array(items) => items.iter().for_each(&mut visit),
            Value::Object(object) => {
                if let Some((_, Value::Array(items))) = object.iter().find(|(k, _)| k.eq_ignore_ascii_case("members")) {
                    items.iter().for_each(&mut visit);
                }
            }
            _ => {}
        }
    }
    displays
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_entras_create_with_its_adscim_schema() {
        let group = read(&json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
            "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
            "displayName": "displayName",
            "meta": {"resourceType": "Group"}
        }))
        .unwrap();
        assert_eq!(group.display_name, "displayName");
        assert_eq!(group.members, None);
        assert!(group.document.get("meta").is_none());
    }

    #[test]
    fn reads_members_without_type() {
        let group =
            read(&json!({"displayName": "Test SCIMv2", "members": [{"value": "u1", "display": "a"}, {"value": "u2", "$ref": null}]}))
                .unwrap();
        let members = group.members.unwrap();
        assert_eq!(members[0], Member { id: "u1".into(), display: Some("a".into()) });
        assert_eq!(members[1], Member { id: "u2".into(), display: None });
        assert!(group.document.get("members").is_none());
    }

    #[test]
    fn refuses_nameless_groups_and_bad_members() {
        assert!(read(&json!({"displayName": " "})).is_err());
        assert!(read(&json!({"members": []})).is_err());
        assert!(read(&json!({"displayName": "G", "members": [{"display": "no id"}]})).is_err());
        assert!(read(&json!({"displayName": "G", "members": "u1"})).is_err());
    }
}
