//! A6: every attribute value of a stored user, flattened for the user page's Attributes tab.

use super::scim::{CUSTOM_USER_SCHEMA, ENTERPRISE_USER_SCHEMA};
use crate::models::AttributeValue;
use serde_json::{Map, Value};

/// What the server owns or the tab shows elsewhere.
const SKIPPED: [&str; 3] = ["schemas", "meta", "id"];

/// Each value at its path (`name.givenName`, `emails[1].value`) in the order the IdP sent them,
/// grouped by schema: core first,
/// then the enterprise extension, then the custom one. Custom attributes the IdP defined but has
/// not sent are listed without a value, so the admin sees what is mapped.
pub fn flatten(resource: &Map<String, Value>, custom_names: &[String]) -> Vec<AttributeValue> {
    let mut core = Vec::new();
    let mut enterprise = Vec::new();
    let mut custom = Vec::new();
    for (key, value) in resource {
        if SKIPPED.iter().any(|skipped| key.eq_ignore_ascii_case(skipped)) {
            continue;
        }
        if key.eq_ignore_ascii_case(ENTERPRISE_USER_SCHEMA) {
            walk("Enterprise", "", value, &mut enterprise);
        } else if key.eq_ignore_ascii_case(CUSTOM_USER_SCHEMA) {
            walk("Custom", "", value, &mut custom);
        } else {
            walk("Core", key, value, &mut core);
        }
    }
    for name in custom_names {
        if !custom.iter().any(|a: &AttributeValue| a.name.eq_ignore_ascii_case(name)) {
            custom.push(AttributeValue { schema: "Custom".into(), name: name.clone(), value: None });
        }
    }
    core.into_iter().chain(enterprise).chain(custom).collect()
}

fn walk(schema: &str, path: &str, value: &Value, out: &mut Vec<AttributeValue>) {
    let join = |key: &str| if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") };
    match value {
        Value::Object(object) => object.iter().for_each(|(key, value)| walk(schema, &join(key), value, out)),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                walk(schema, &format!("{path}[{index}]"), item, out);
            }
        }
        Value::Null => {}
        Value::String(text) => out.push(AttributeValue { schema: schema.into(), name: path.into(), value: Some(text.clone()) }),
        other => out.push(AttributeValue { schema: schema.into(), name: path.into(), value: Some(other.to_string()) }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shown(values: &[AttributeValue]) -> Vec<(String, String, Option<String>)> {
        values.iter().map(|a| (a.schema.clone(), a.name.clone(), a.value.clone())).collect()
    }

    #[test]
    fn every_value_is_listed_at_its_path_core_first() {
        let resource = json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User": {"costCenter": "CC-7"},
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Sales"},
            "userName": "ann@example.com",
            "name": {"givenName": "Ann"},
            "emails": [{"value": "ann@example.com", "primary": true}],
            "active": true
        });
        let values = flatten(resource.as_object().unwrap(), &["costCenter".into(), "badge".into()]);
        assert_eq!(
            shown(&values),
            vec![
                ("Core".into(), "userName".into(), Some("ann@example.com".into())),
                ("Core".into(), "name.givenName".into(), Some("Ann".into())),
                ("Core".into(), "emails[0].value".into(), Some("ann@example.com".into())),
                ("Core".into(), "emails[0].primary".into(), Some("true".into())),
                ("Core".into(), "active".into(), Some("true".into())),
                ("Enterprise".into(), "department".into(), Some("Sales".into())),
                ("Custom".into(), "costCenter".into(), Some("CC-7".into())),
                ("Custom".into(), "badge".into(), None),
            ]
        );
    }
}
