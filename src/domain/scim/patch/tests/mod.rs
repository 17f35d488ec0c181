//! PATCH engine tests, by the IdP behaviour they pin (IDP-BEHAVIOR.md) or the rule they check.
//! Shared helpers and documents are here.

use super::*;
use crate::domain::scim::filter::{self, Filter};
use crate::domain::scim::test_fixtures::alice;
use crate::domain::scim::{ScimError, ScimType};
use crate::domain::scim::{CUSTOM_USER_SCHEMA, ENTERPRISE_USER_SCHEMA as ENTERPRISE, GROUP_SCHEMA, USER_SCHEMA};
use serde_json::json;

mod entra_groups;
mod entra_users;
mod multi_valued;
mod okta;
mod robustness;
mod semantics;

// -- helpers ------------------------------------------------------------

fn body(text: &str) -> Json {
    serde_json::from_str(text).expect("test body is valid JSON")
}

fn ops(operations: Json) -> Json {
    json!({"schemas": [PATCH_OP_SCHEMA], "Operations": operations})
}

fn object(value: Json) -> Object {
    match value {
        Json::Object(fields) => fields,
        other => panic!("not an object: {other}"),
    }
}

fn run(kind: ResourceKind, doc: Json, request: &Json) -> Result<(Json, Outcome), ScimError> {
    let operations = parse_request(request)?;
    let mut doc = object(doc);
    let outcome = apply(kind, &mut doc, &operations)?;
    Ok((Json::Object(doc), outcome))
}

fn patch_user(doc: Json, request: Json) -> Json {
    let (doc, outcome) = run(ResourceKind::User, doc, &request).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(outcome, Outcome::default());
    doc
}

fn patch_group(doc: Json, request: Json) -> (Json, Vec<MemberChange>) {
    let (doc, outcome) = run(ResourceKind::Group, doc, &request).unwrap_or_else(|e| panic!("{e:?}"));
    (doc, outcome.members)
}

/// The error, checking that a failing `apply` left the document untouched.
fn error(kind: ResourceKind, doc: Json, request: Json) -> ScimError {
    let operations = match parse_request(&request) {
        Ok(operations) => operations,
        Err(err) => return err,
    };
    let mut map = object(doc.clone());
    let err = apply(kind, &mut map, &operations).expect_err("expected an error");
    assert_eq!(Json::Object(map), doc, "document must be unchanged on error");
    err
}

fn user_error(doc: Json, request: Json) -> ScimError {
    error(ResourceKind::User, doc, request)
}

fn assert_error(err: &ScimError, scim_type: ScimType, detail_part: &str) {
    assert_eq!(err.status, 400, "{err:?}");
    assert_eq!(err.scim_type, Some(scim_type), "{err:?}");
    assert!(err.detail.contains(detail_part), "detail {:?} should contain {detail_part:?}", err.detail);
}

fn object_mut(value: &mut Json) -> &mut Object {
    value.as_object_mut().expect("object")
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn group() -> Json {
    json!({
        "schemas": [GROUP_SCHEMA],
        "id": "abf4dd94-a4c0-4f67-89c9-76b03340cb9b",
        "displayName": "Sales",
        "externalId": "8aa1a0c0",
        "meta": {"resourceType": "Group"}
    })
}

fn filter(text: &str) -> Filter {
    filter::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}
