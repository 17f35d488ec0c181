//! One schema behind every write: a PATCH never stores an attribute the resource's schema does
//! not have (400 invalidPath naming it, RFC 7644 §3.12), and values beyond the schema's limits
//! are refused with 400 invalidValue naming the attribute and the limit.

use crate::common::{assert_scim_error, okta_user, Scim, ENTERPRISE};
use provisio::domain::idp::Idp;
use provisio::domain::scim::schema::limits;
use reqwest::Method;
use serde_json::{json, Value};

const CUSTOM: &str = "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User";

async fn stored_user(scim: &Scim, id: &str) -> Value {
    let rows: Vec<(String,)> = scim.sql(&format!("SELECT resource FROM users WHERE id = '{id}'")).await;
    serde_json::from_str(&rows[0].0).unwrap()
}

async fn refused(response: reqwest::Response, scim_type: &str, named: &[&str]) -> String {
    let body = assert_scim_error(response, 400).await;
    assert_eq!(body["scimType"], scim_type, "{body}");
    let detail = body["detail"].as_str().unwrap().to_owned();
    for name in named {
        assert!(detail.contains(name), "the detail should name {name}: {detail}");
    }
    detail
}

#[tokio::test]
async fn a_patch_cannot_give_a_user_an_attribute_users_do_not_have() {
    let scim = Scim::new().await;
    let id = scim.created(Idp::Okta, &okta_user("ada@schema.test")).await["id"].as_str().unwrap().to_owned();
    let before = stored_user(&scim, &id).await;
    let path = format!("/Users/{id}");
    for (operations, named) in [
        // The case: answered 200 and stored `"members":[{"value":2}]`.
        (json!([{"op": "replace", "path": "members[value eq \"x\"].value", "value": 2}]), "members"),
        (json!([{"op": "add", "path": "favouriteColour", "value": "blue"}]), "favouriteColour"),
        (json!([{"op": "add", "value": {"favouriteColour": "blue"}}]), "favouriteColour"),
        (json!([{"op": "replace", "path": "name.nickName", "value": "x"}]), "nickName"),
        (json!([{"op": "add", "path": "emails", "value": [{"value": "b@x.io", "colour": "red"}]}]), "colour"),
        (json!([{"op": "replace", "path": "emails[colour eq \"red\"].value", "value": "c@x.io"}]), "colour"),
        (json!([{"op": "add", "path": format!("{ENTERPRISE}:favouriteColour"), "value": "x"}]), "favouriteColour"),
        (json!([{"op": "add", "value": {ENTERPRISE: {"manager": {"value": "m", "rank": 1}}}}]), "rank"),
    ] {
        let response = scim.patch(Idp::Okta, &path, operations.clone()).await;
        refused(response, "invalidPath", &[named]).await;
    }
    // A simple attribute takes one value: an object would smuggle attributes in under it.
    let nested = scim.patch(Idp::Okta, &path, json!([{"op": "replace", "path": "displayName", "value": {"members": [1]}}])).await;
    refused(nested, "invalidValue", &["displayName"]).await;
    assert_eq!(stored_user(&scim, &id).await, before, "nothing was stored");
    let read: Value = scim.get(Idp::Okta, &path).await.json().await.unwrap();
    assert!(read.get("members").is_none() && read.get("favouriteColour").is_none(), "{read}");
}

#[tokio::test]
async fn a_patch_cannot_give_a_group_user_attributes() {
    let scim = Scim::new().await;
    let group = scim.send(Idp::Okta, Method::POST, "/Groups", Some(&json!({"displayName": "Schema team"}))).await;
    assert_eq!(group.status(), 201);
    let id = group.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    for (operations, named) in [
        (json!([{"op": "add", "path": "userName", "value": "x"}]), "userName"),
        (json!([{"op": "add", "path": "emails", "value": [{"value": "a@x.io"}]}]), "emails"),
        (json!([{"op": "add", "path": format!("{ENTERPRISE}:department"), "value": "x"}]), ENTERPRISE),
    ] {
        let response = scim.patch(Idp::Okta, &format!("/Groups/{id}"), operations).await;
        refused(response, "invalidPath", &[named]).await;
    }
}

#[tokio::test]
async fn values_beyond_the_schemas_limits_are_refused_naming_the_attribute_and_the_limit() {
    let scim = Scim::new().await;
    let with = |key: &str, value: Value| {
        let mut user = okta_user("limits@schema.test");
        user[key] = value;
        user
    };
    let max = limits::USER_NAME_MAX.to_string();
    let max_document = limits::MAX_DOCUMENT_BYTES.to_string();
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (with("userName", json!("u".repeat(limits::USER_NAME_MAX + 1))), vec!["userName", &max]),
        (with("userName", json!("ada\u{0}@schema.test")), vec!["userName", "U+0000"]),
        (with("userName", json!("ada\u{202E}@schema.test")), vec!["userName", "U+202E"]),
        (with("externalId", json!("ext\u{7}")), vec!["externalId", "U+0007"]),
        (with("displayName", json!("d".repeat(720 * 1024))), vec!["displayName", "256"]),
        (with("name", json!({"givenName": "g".repeat(limits::NAME_PART_MAX + 1), "familyName": "F"})), vec!["name.givenName"]),
        (with("emails", json!([{"value": format!("{}@x.io", "e".repeat(limits::EMAIL_MAX))}])), vec!["emails.value"]),
        (with(CUSTOM, json!({"costCenter": "c".repeat(limits::CUSTOM_VALUE_MAX + 1)})), vec!["costCenter"]),
        (with("notInTheSchema", json!("x".repeat(limits::MAX_DOCUMENT_BYTES))), vec!["bytes", &max_document]),
    ];
    for (body, named) in cases {
        let response = scim.post(Idp::Okta, &body).await;
        refused(response, "invalidValue", &named).await;
    }
    let users: Vec<(i64,)> = scim.sql("SELECT COUNT(*) FROM users").await;
    assert_eq!(users[0].0, 0, "none was created");

    // At the limit is fine, and so are the characters of real names.
    let long_name = format!("{}@x.io", "u".repeat(limits::USER_NAME_MAX - 5));
    let mut at_limit = with("userName", json!(long_name));
    at_limit["displayName"] = json!("عبد الله \u{200F}Ø'Brien-Łukasz");
    let created = scim.created(Idp::Okta, &at_limit).await;
    let id = created["id"].as_str().unwrap();

    // A PATCH is held to the same limits.
    let patch = |value: Value| json!([{"op": "replace", "path": format!("{ENTERPRISE}:department"), "value": value}]);
    let long = scim.patch(Idp::Okta, &format!("/Users/{id}"), patch(json!("d".repeat(limits::TEXT_MAX + 1)))).await;
    refused(long, "invalidValue", &[&format!("{ENTERPRISE}:department"), &limits::TEXT_MAX.to_string()]).await;
    let groups = scim.send(Idp::Okta, Method::POST, "/Groups", Some(&json!({"displayName": "Admins\u{202E}"}))).await;
    refused(groups, "invalidValue", &["displayName", "U+202E"]).await;
}
