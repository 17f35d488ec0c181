//! The PATCH engine: any request body applied to a user and to a group answers a 4xx error or
//! a document within the schema, never a panic; a failed request leaves the document as it was.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provisio::domain::scim::schema::{self, ResourceKind, SchemaId};
use provisio::domain::scim::{patch, user};
use serde_json::{json, Map, Value};

fn user_document() -> Map<String, Value> {
    let user = json!({
        "userName": "ada@fuzz.test", "externalId": "ext-1", "active": true, "displayName": "Ada",
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "emails": [{"value": "ada@fuzz.test", "type": "work", "primary": true}, {"value": "a@home.test", "type": "home"}],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "R&D", "manager": {"value": "m1"}}
    });
    user.as_object().unwrap().clone()
}

fn within_schema(kind: ResourceKind, document: &Map<String, Value>) {
    for (key, value) in document {
        if let Some(extension) = SchemaId::named(kind, key) {
            for name in value.as_object().expect("an extension is an object").keys() {
                assert!(schema::resolve(kind, Some(extension.urn(kind)), name, None).is_some(), "{key}:{name} stored");
            }
        } else {
            let resolved = schema::lookup(kind, key).unwrap_or_else(|| panic!("{key} stored on a {kind:?}"));
            let elements = match value {
                Value::Array(items) => items.iter().collect(),
                other => vec![other],
            };
            for element in elements {
                if let Value::Object(fields) = element {
                    for sub in fields.keys() {
                        assert!(resolved.attribute.sub(sub).is_some(), "{key}.{sub} stored");
                    }
                }
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = serde_json::from_slice::<Value>(data) else { return };
    let Ok(operations) = patch::parse_request(&body) else { return };
    for (kind, document) in [(ResourceKind::User, user_document()), (ResourceKind::Group, json!({"displayName": "G"}).as_object().unwrap().clone())] {
        let mut patched = document.clone();
        match patch::apply(kind, &mut patched, &operations) {
            Ok(_) => {
                within_schema(kind, &patched);
                if kind == ResourceKind::User {
                    let _ = user::read(&Value::Object(patched));
                }
            }
            Err(err) => {
                assert!((400..500).contains(&err.status), "{err:?}");
                assert_eq!(patched, document, "a failed PATCH changed the document");
            }
        }
    }
});
