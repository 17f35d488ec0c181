//! A password never reaches the request log, however it is sent: as a PATCH path in any case or
//! URN spelling and with any op, inside a value object, inside Bulk data, in a PATCH path's
//! filter, in a filter query, or in a body that is not even JSON. Each test reads every stored
//! log row and looks for the secret anywhere in it.

use crate::common::{okta_user, patch_op, Scim, USER_SCHEMA};
use provisio::domain::idp::Idp;
use reqwest::Method;
use serde_json::{json, Value};

const SECRET: &str = "Tr0ub4dor&3-xyzzy";

/// Every text column of every log row, once the background writer has caught up with `count`.
async fn whole_log(scim: &Scim, count: usize) -> String {
    let filter = provisio::models::ScimRequestFilter { idp: Some(Idp::Okta), ..Default::default() };
    scim.logged(&filter, count).await;
    type Row = (String, Option<String>, Option<String>, Option<String>, Option<String>);
    let rows: Vec<Row> = scim.sql("SELECT path, scim_type, detail, request_body, response_body FROM scim_requests").await;
    assert!(rows.len() >= count, "{rows:?}");
    format!("{rows:?}")
}

async fn assert_never_logged(scim: &Scim, count: usize) {
    let log = whole_log(scim, count).await;
    assert!(!log.contains(SECRET) && !log.contains("Tr0ub4dor"), "the secret is in the log: {log}");
}

async fn user_id(scim: &Scim) -> String {
    scim.okta_user_id("ada@secret.test").await
}

#[tokio::test]
async fn a_password_patch_path_keeps_its_value_out_of_the_log_in_every_spelling_and_op() {
    let scim = Scim::new().await;
    let id = user_id(&scim).await;
    let paths = ["password", "PASSWORD", "Password", &format!("{USER_SCHEMA}:password"), &format!("{USER_SCHEMA}:PassWord")];
    let mut sent = 1;
    for path in paths {
        for op in ["add", "replace", "remove", "Replace"] {
            let response = scim.patch(Idp::Okta, &format!("/Users/{id}"), json!([{"op": op, "path": path, "value": SECRET}])).await;
            assert!(response.status().is_success() || response.status().is_client_error(), "{path} {op}: {}", response.status());
            sent += 1;
        }
    }
    // Value objects, with and without the core schema's URN, and a secret in a path's filter.
    for operations in [
        json!([{"op": "replace", "value": {"password": SECRET}}]),
        json!([{"op": "add", "value": {"PASSWORD": SECRET, "nickName": "ada"}}]),
        json!([{"op": "replace", "value": {USER_SCHEMA: {"password": SECRET}}}]),
        json!([{"op": "replace", "value": {format!("{USER_SCHEMA}:password"): SECRET}}]),
        json!([{"op": "remove", "path": format!("password[value eq \"{SECRET}\"]")}]),
        json!([{"op": "add", "path": format!("password[value eq \"{SECRET}\"].value"), "value": SECRET}]),
    ] {
        scim.patch(Idp::Okta, &format!("/Users/{id}"), operations).await;
        sent += 1;
    }
    assert_never_logged(&scim, sent).await;
    let stored: Vec<(String,)> = scim.sql("SELECT resource FROM users").await;
    assert!(!format!("{stored:?}").contains(SECRET), "nor is it stored with the user: {stored:?}");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_not_kept() {
    let scim = Scim::new().await;
    let id = user_id(&scim).await;
    let broken = format!(
        r#"{{"schemas":["{}"],"Operations":[{{"op":"replace","path":"password","value":"{SECRET}"}}"#,
        "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    );
    let response = reqwest::Client::new()
        .patch(scim.app.scim_url(Idp::Okta, &format!("/Users/{id}")))
        .header("authorization", scim.auth(Idp::Okta))
        .header("content-type", "application/scim+json")
        .body(broken.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let log = whole_log(&scim, 2).await;
    assert!(!log.contains(SECRET), "{log}");
    assert!(log.contains(&format!("[not JSON, {} bytes, not kept", broken.len())), "{log}");
}

#[tokio::test]
async fn bulk_operations_keep_their_passwords_out_of_the_log() {
    let scim = Scim::new().await;
    let id = user_id(&scim).await;
    let mut created = okta_user("grace@secret.test");
    created["password"] = json!(SECRET);
    let body = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
        "Operations": [
            {"method": "POST", "path": "/Users", "bulkId": "g", "data": created},
            {"method": "PATCH", "path": format!("/Users/{id}"), "data": patch_op(json!([{"op": "replace", "path": "PASSWORD", "value": SECRET}]))},
            {"method": "PATCH", "path": format!("/Users/{id}"), "data": patch_op(json!([{"op": "remove", "path": format!("password[value eq \"{SECRET}\"]")}]))}
        ]
    });
    let response = scim.send(Idp::Okta, Method::POST, "/Bulk", Some(&body)).await;
    assert_eq!(response.status(), 200);
    // The user, the Bulk request and each of its three operations.
    assert_never_logged(&scim, 5).await;
}

#[tokio::test]
async fn a_filter_naming_the_password_keeps_its_query_out_of_the_log() {
    let scim = Scim::new().await;
    let query = format!("/Users?filter=password%20eq%20%22{}%22", SECRET.replace('&', "%26"));
    let status = scim.get(Idp::Okta, &query).await.status();
    assert!(status.is_client_error() || status.is_success(), "{status}");
    assert_never_logged(&scim, 1).await;
    let log: Value = json!(whole_log(&scim, 1).await);
    assert!(log.as_str().unwrap().contains("/scim/v2/okta/Users?[redacted]"), "{log}");
}
