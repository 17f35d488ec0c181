//! Documents the filter and PATCH unit tests share.

use super::{ENTERPRISE_USER_SCHEMA, USER_SCHEMA};
use serde_json::{json, Value};

/// A provisioned user with every core attribute the tests read.
pub fn alice() -> Value {
    json!({
        "schemas": [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
        "id": "2819c223",
        "externalId": "alice-ext",
        "userName": "alice@contoso.com",
        "name": {"givenName": "Alice", "familyName": "Smith", "formatted": "Alice Smith"},
        "displayName": "Alice Smith",
        "active": true,
        "emails": [{"value": "alice@contoso.com", "type": "work", "primary": true}],
        "meta": {"resourceType": "User"}
    })
}
