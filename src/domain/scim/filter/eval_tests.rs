use super::*;
use crate::domain::scim::filter::parse;
use crate::domain::scim::test_fixtures::alice;
use crate::domain::scim::{ENTERPRISE_USER_SCHEMA as ENTERPRISE, USER_SCHEMA};
use serde_json::json;

fn filter(text: &str) -> Filter {
    parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn matches_strings_case_insensitively() {
    let email = json!({"value": "Alice@Contoso.com", "type": "Work", "primary": true});
    for (text, expected) in [
        ("type eq \"work\"", true),
        ("TYPE EQ \"WORK\"", true),
        ("type eq \"home\"", false),
        ("type ne \"home\"", true),
        ("type ne \"work\"", false),
        ("value co \"contoso\"", true),
        ("value sw \"alice@\"", true),
        ("value ew \".COM\"", true),
        ("value ew \".org\"", false),
        ("type gt \"a\"", true),
        ("type lt \"a\"", false),
        ("type ge \"work\"", true),
        ("type le \"work\"", true),
        ("missing eq \"x\"", false),
        ("missing ne \"x\"", true),
        ("missing eq null", true),
        ("type eq null", false),
        ("type ne null", true),
        ("type eq \"work\" and primary eq true", true),
        ("type eq \"home\" or primary eq true", true),
        ("not (type eq \"work\")", false),
    ] {
        assert_eq!(matches(&filter(text), &email), expected, "{text}");
    }
}

#[test]
fn matches_booleans_and_numbers() {
    let element = json!({"primary": "True", "active": false, "n": 10, "f": 2.5, "big": 18446744073709551615u64});
    for (text, expected) in [
        ("primary eq true", true),
        ("primary eq false", false),
        ("active eq false", true),
        ("active eq \"false\"", true),
        ("active eq \"FALSE\"", true),
        ("active eq \"nope\"", false),
        ("n eq 10", true),
        ("n eq 10.0", true),
        ("n gt 9", true),
        ("n ge 10", true),
        ("n lt 10", false),
        ("n le 10", true),
        ("n eq \"10\"", false),
        ("f gt 2", true),
        ("f lt 2.6", true),
        ("big gt 1", true),
        ("big eq 18446744073709551615", true),
        ("n co \"1\"", false),
    ] {
        assert_eq!(matches(&filter(text), &element), expected, "{text}");
    }
}

#[test]
fn matches_presence() {
    let element = json!({"a": "x", "empty": "", "arr": [], "obj": {}, "null": null, "zero": 0, "f": false});
    for (attr, expected) in [
        ("a", true),
        ("A", true),
        ("empty", false),
        ("arr", false),
        ("obj", false),
        ("null", false),
        ("missing", false),
        ("zero", true),
        ("f", true),
    ] {
        assert_eq!(matches(&filter(&format!("{attr} pr")), &element), expected, "{attr}");
    }
}

#[test]
fn matches_whole_resources_and_value_paths() {
    let mut user = alice();
    user[ENTERPRISE] = json!({"department": "Retail", "manager": {"value": "m1"}});
    for (text, expected) in [
        ("emails[type eq \"work\" and primary eq true]", true),
        ("emails[type eq \"home\"]", false),
        ("emails.type eq \"work\"", true),
        ("name.givenName sw \"al\"", true),
        ("userName eq \"ALICE@contoso.com\"", true),
        (&format!("{ENTERPRISE}:department eq \"retail\""), true),
        (&format!("{ENTERPRISE}:manager.value eq \"m1\""), true),
        (&format!("{USER_SCHEMA}:userName pr"), true),
        ("meta.resourceType eq \"User\"", true),
    ] {
        assert_eq!(matches(&filter(text), &user), expected, "{text}");
    }
    // A scalar element is its own `value`.
    assert!(matches(&filter("value eq \"A\""), &json!("a")));
    assert!(!matches(&filter("type eq \"a\""), &json!("a")));
    assert!(!matches(&filter("value pr"), &json!(null)));
}
