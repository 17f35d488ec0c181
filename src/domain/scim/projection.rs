//! `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5): which attributes a response
//! carries. `id` and `schemas` always stay.

use super::filter::AttrPath;
use super::{ScimError, ScimType};
use serde_json::{Map, Value};

const ALWAYS_RETURNED: [&str; 2] = ["id", "schemas"];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Projection {
    attributes: Vec<Path>,
    excluded: Vec<Path>,
}

/// An attribute as the document holds it: a top-level key (or extension URN), and maybe a
/// sub-attribute.
#[derive(Debug, Clone, PartialEq)]
struct Path {
    /// The extension object key, when the attribute lives inside one.
    extension: Option<String>,
    name: String,
    sub: Option<String>,
}

impl Projection {
    pub fn parse(attributes: Option<&str>, excluded: Option<&str>) -> Result<Projection, ScimError> {
        Ok(Projection { attributes: paths(attributes)?, excluded: paths(excluded)? })
    }

    /// Whether a top-level attribute (e.g. `members`) is part of the response.
    pub fn includes(&self, name: &str) -> bool {
        let named = |paths: &[Path]| paths.iter().any(|p| p.extension.is_none() && p.name.eq_ignore_ascii_case(name) && p.sub.is_none());
        let wanted =
            self.attributes.is_empty() || self.attributes.iter().any(|p| p.extension.is_none() && p.name.eq_ignore_ascii_case(name));
        wanted && !named(&self.excluded)
    }

    pub fn apply(&self, document: Value) -> Value {
        let Value::Object(mut doc) = document else { return document };
        if !self.attributes.is_empty() {
            let mut kept = Map::new();
            for (key, value) in &doc {
                if ALWAYS_RETURNED.iter().any(|a| a.eq_ignore_ascii_case(key)) {
                    kept.insert(key.clone(), value.clone());
                }
            }
            for path in &self.attributes {
                copy(&doc, &mut kept, path);
            }
            doc = kept;
        }
        for path in &self.excluded {
            remove(&mut doc, path);
        }
        Value::Object(doc)
    }
}

fn paths(list: Option<&str>) -> Result<Vec<Path>, ScimError> {
    let Some(list) = list else { return Ok(Vec::new()) };
    list.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|raw| {
            // `emails[type eq "work"]` asks for emails: the element filter narrows nothing here.
            let raw = &match (raw.find('['), raw.rfind(']')) {
                (Some(open), Some(close)) if open < close => format!("{}{}", &raw[..open], &raw[close + 1..]),
                _ => raw.to_owned(),
            };
            let attr = AttrPath::parse(raw)
                .map_err(|e| ScimError::bad_request(ScimType::InvalidPath, format!("invalid attribute `{raw}`: {e}")))?;
            Ok(to_path(attr))
        })
        .collect()
}

/// Core schema paths address top-level keys; extension paths address keys of the extension.
fn to_path(attr: AttrPath) -> Path {
    match attr.schema {
        Some(schema) if !schema.to_ascii_lowercase().contains(":core:") => {
            Path { extension: Some(schema), name: attr.name, sub: attr.sub_attr }
        }
        _ => Path { extension: None, name: attr.name, sub: attr.sub_attr },
    }
}

fn key_of<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a String> {
    map.keys().find(|k| k.eq_ignore_ascii_case(name))
}

fn copy(from: &Map<String, Value>, to: &mut Map<String, Value>, path: &Path) {
    if let Some(extension) = &path.extension {
        // `urn:...:enterprise:2.0:User:department` or the whole `urn:...:User` object.
        let whole = format!("{extension}:{}", path.name);
        if let Some(key) = key_of(from, &whole) {
            to.insert(key.clone(), from[key].clone());
            return;
        }
        let Some(key) = key_of(from, extension) else { return };
        let Value::Object(source) = &from[key] else { return };
        let target = to.entry(key.clone()).or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(target) = target {
            copy(source, target, &Path { extension: None, name: path.name.clone(), sub: path.sub.clone() });
        }
        return;
    }
    let Some(key) = key_of(from, &path.name) else { return };
    let value = &from[key];
    let Some(sub) = &path.sub else {
        to.insert(key.clone(), value.clone());
        return;
    };
    let only_sub = |element: &Value| -> Option<Value> {
        let Value::Object(object) = element else { return None };
        key_of(object, sub).map(|k| {
            let mut one = Map::new();
            one.insert(k.clone(), object[k].clone());
            Value::Object(one)
        })
    };
    match value {
        Value::Array(items) => {
            to.insert(key.clone(), Value::Array(items.iter().filter_map(only_sub).collect()));
        }
        Value::Object(_) => {
            let picked = only_sub(value).unwrap_or_else(|| Value::Object(Map::new()));
            match (to.get_mut(key), picked) {
                (Some(Value::Object(existing)), Value::Object(picked)) => existing.extend(picked),
                (_, picked) => {
                    to.insert(key.clone(), picked);
                }
            }
        }
        _ => {}
    }
}

fn remove(doc: &mut Map<String, Value>, path: &Path) {
    if ALWAYS_RETURNED.iter().any(|a| a.eq_ignore_ascii_case(&path.name)) && path.sub.is_none() && path.extension.is_none() {
        return;
    }
    if let Some(extension) = &path.extension {
        if let Some(key) = key_of(doc, &format!("{extension}:{}", path.name)).cloned() {
            doc.remove(&key);
            return;
        }
        if let Some(key) = key_of(doc, extension).cloned() {
            if let Some(Value::Object(inner)) = doc.get_mut(&key) {
                remove(inner, &Path { extension: None, name: path.name.clone(), sub: path.sub.clone() });
            }
        }
        return;
    }
    let Some(key) = key_of(doc, &path.name).cloned() else { return };
    match &path.sub {
        None => {
            doc.remove(&key);
        }
        Some(sub) => match doc.get_mut(&key) {
            Some(Value::Object(object)) => {
                if let Some(k) = key_of(object, sub).cloned() {
                    object.remove(&k);
                }
            }
            Some(Value::Array(items)) => {
                for item in items {
                    if let Value::Object(object) = item {
                        if let Some(k) = key_of(object, sub).cloned() {
                            object.remove(&k);
                        }
                    }
                }
            }
            _ => {}
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn user() -> Value {
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "1", "userName": "ann",
            "name": {"givenName": "Ann", "familyName": "Lee"},
            "emails": [{"value": "a@x.io", "type": "work"}, {"value": "b@x.io", "type": "home"}],
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Sales", "costCenter": "7"},
            "meta": {"resourceType": "User"}
        })
    }

    #[test]
    fn attributes_keep_only_what_was_asked_plus_id_and_schemas() {
        let p =
            Projection::parse(Some("userName, emails.value,urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"), None)
                .unwrap();
        assert_eq!(
            p.apply(user()),
            json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "1", "userName": "ann",
                "emails": [{"value": "a@x.io"}, {"value": "b@x.io"}],
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Sales"}
            })
        );
    }

    #[test]
    fn excluded_attributes_drop_what_was_named_but_never_id() {
        let p = Projection::parse(None, Some("name,emails.type,id,MEMBERS")).unwrap();
        let doc = p.apply(user());
        assert!(doc.get("name").is_none());
        assert_eq!(doc["emails"], json!([{"value": "a@x.io"}, {"value": "b@x.io"}]));
        assert_eq!(doc["id"], "1");
        assert!(!p.includes("members"));
        assert!(p.includes("displayName"));
    }

    #[test]
    fn sub_attribute_requests_combine_and_bad_paths_are_refused() {
        let p = Projection::parse(Some("name.givenName,name.familyName"), None).unwrap();
        assert_eq!(p.apply(user())["name"], json!({"givenName": "Ann", "familyName": "Lee"}));
        assert!(!p.includes("members"));
        assert_eq!(Projection::parse(Some("na me"), None).unwrap_err().scim_type, Some(ScimType::InvalidPath));
    }
}
