//! `POST /Bulk` (RFC 7644 §3.7): operations in order, `bulkId` references forward and back,
//! `failOnErrors`, and the advertised limits enforced.

use crate::common::{assert_scim_error, Scim};
use provisio::domain::idp::Idp;
use provisio::models::ScimRequestFilter;
use reqwest::Method;
use serde_json::{json, Value};

const BULK_REQUEST: &str = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

fn user(user_name: &str) -> Value {
    json!({
        "userName": user_name,
        "name": {"givenName": "Bulk", "familyName": "User"},
        "emails": [{"value": user_name, "type": "work", "primary": true}]
    })
}

fn bulk(operations: Value) -> Value {
    json!({"schemas": [BULK_REQUEST], "Operations": operations})
}

async fn send(scim: &Scim, body: &Value) -> Value {
    let response = scim.send(Idp::Okta, Method::POST, "/Bulk", Some(body)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/scim+json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["schemas"], json!(["urn:ietf:params:scim:api:messages:2.0:BulkResponse"]));
    body
}

fn statuses(response: &Value) -> Vec<&str> {
    response["Operations"].as_array().unwrap().iter().map(|op| op["status"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn operations_run_in_order_and_refer_to_each_other_by_bulk_id() {
    let scim = Scim::new().await;
    let response = send(
        &scim,
        &bulk(json!([
            // The group names a user created further down: it waits for it.
            {"method": "POST", "path": "/Groups", "bulkId": "team", "data": {"displayName": "Bulk team", "members": [{"value": "bulkId:ada"}]}},
            {"method": "POST", "path": "/Users", "bulkId": "ada", "data": user("ada@bulk.test")},
            {"method": "PATCH", "path": "/Users/bulkId:ada", "data": {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "replace", "path": "nickName", "value": "Countess"}]
            }}
        ])),
    )
    .await;
    assert_eq!(statuses(&response), ["201", "201", "200"]);
    let operations = response["Operations"].as_array().unwrap();
    assert_eq!(operations[0]["bulkId"], "team");
    let user_location = operations[1]["location"].as_str().unwrap();
    let user_id = user_location.rsplit('/').next().unwrap();
    assert!(user_location.ends_with(&format!("/scim/v2/okta/Users/{user_id}")));
    assert_eq!(operations[2]["version"], "W/\"2\"");

    let user: Value = scim.get(Idp::Okta, &format!("/Users/{user_id}")).await.json().await.unwrap();
    assert_eq!(user["nickName"], "Countess");
    let group_path = operations[0]["location"].as_str().unwrap().split("/scim/v2/okta").nth(1).unwrap().to_owned();
    let group: Value = scim.get(Idp::Okta, &group_path).await.json().await.unwrap();
    assert_eq!(group["members"][0]["value"], user_id);

    // Each operation is in the request log as if sent alone, besides the Bulk request itself.
    let entries = scim.logged(&ScimRequestFilter { idp: Some(Idp::Okta), ..Default::default() }, 6).await;
    let mut logged: Vec<(String, u16)> = entries.iter().map(|e| (format!("{} {}", e.method, e.path), e.status)).collect();
    logged.sort();
    assert!(logged.contains(&("POST /scim/v2/okta/Bulk".into(), 200)), "{logged:?}");
    assert!(logged.contains(&(format!("PATCH /scim/v2/okta/Users/{user_id}"), 200)), "{logged:?}");
    assert_eq!(logged.iter().filter(|(line, status)| line == "POST /scim/v2/okta/Users" && *status == 201).count(), 1);
}

#[tokio::test]
async fn errors_are_reported_per_operation_and_fail_on_errors_stops_the_rest() {
    let scim = Scim::new().await;
    let existing = scim.created(Idp::Okta, &user("taken@bulk.test")).await;
    let id = existing["id"].as_str().unwrap();

    let response = send(
        &scim,
        &bulk(json!([
            {"method": "POST", "path": "/Users", "bulkId": "dup", "data": user("taken@bulk.test")},
            {"method": "DELETE", "path": format!("/Users/{id}"), "version": "W/\"7\""},
            {"method": "PUT", "path": "/Users/no-such-id", "data": user("nobody@bulk.test")},
            {"method": "POST", "path": "/Groups", "bulkId": "g", "data": {"displayName": "G", "members": [{"value": "bulkId:dup"}]}},
            {"method": "POST", "path": "/Users", "bulkId": "ok", "data": user("fine@bulk.test")}
        ])),
    )
    .await;
    assert_eq!(statuses(&response), ["409", "412", "404", "409", "201"]);
    let first = &response["Operations"][0]["response"];
    assert_eq!((first["status"].as_str(), first["scimType"].as_str()), (Some("409"), Some("uniqueness")));
    assert_eq!(response["Operations"][3]["response"]["scimType"], "invalidValue", "a failed operation's bulkId resolves to nothing");
    assert_eq!(scim.get(Idp::Okta, &format!("/Users/{id}")).await.status(), 200, "the stale DELETE did nothing");

    let stopped = json!({
        "schemas": [BULK_REQUEST], "failOnErrors": 1,
        "Operations": [
            {"method": "POST", "path": "/Users", "bulkId": "dup", "data": user("taken@bulk.test")},
            {"method": "POST", "path": "/Users", "bulkId": "never", "data": user("never@bulk.test")}
        ]
    });
    assert_eq!(statuses(&send(&scim, &stopped).await), ["409"]);
    let never = scim.get(Idp::Okta, "/Users?filter=userName%20eq%20%22never%40bulk.test%22").await.json::<Value>().await.unwrap();
    assert_eq!(never["totalResults"], 0);
}

#[tokio::test]
async fn circular_references_are_refused_not_looped_on() {
    let scim = Scim::new().await;
    let response = send(
        &scim,
        &bulk(json!([
            {"method": "POST", "path": "/Groups", "bulkId": "a", "data": {"displayName": "A", "members": [{"value": "bulkId:b"}]}},
            {"method": "POST", "path": "/Groups", "bulkId": "b", "data": {"displayName": "B", "members": [{"value": "bulkId:a"}]}}
        ])),
    )
    .await;
    assert_eq!(statuses(&response), ["409", "409"]);
    let groups: Value = scim.get(Idp::Okta, "/Groups").await.json().await.unwrap();
    assert_eq!(groups["totalResults"], 0);
}

#[tokio::test]
async fn the_advertised_limits_are_enforced() {
    let scim = Scim::new().await;
    let config: Value = scim.get(Idp::Okta, "/ServiceProviderConfig").await.json().await.unwrap();
    assert_eq!(config["bulk"]["supported"], true);
    let max_operations = config["bulk"]["maxOperations"].as_u64().unwrap() as usize;
    let max_payload = config["bulk"]["maxPayloadSize"].as_u64().unwrap() as usize;
    assert_eq!((max_operations, max_payload), (1000, 1024 * 1024));

    let too_many: Vec<Value> = (0..=max_operations).map(|i| json!({"method": "DELETE", "path": format!("/Users/{i}")})).collect();
    let response = scim.send(Idp::Okta, Method::POST, "/Bulk", Some(&bulk(Value::Array(too_many)))).await;
    assert_scim_error(response, 413).await;

    let padding = "x".repeat(max_payload);
    let too_large = bulk(json!([{"method": "POST", "path": "/Users", "bulkId": "big", "data": {"userName": padding}}]));
    assert_scim_error(scim.send(Idp::Okta, Method::POST, "/Bulk", Some(&too_large)).await, 413).await;

    let malformed = bulk(json!([{"method": "GET", "path": "/Users"}]));
    let error = assert_scim_error(scim.send(Idp::Okta, Method::POST, "/Bulk", Some(&malformed)).await, 400).await;
    assert_eq!(error["scimType"], "invalidSyntax");
    let wrong_target = bulk(json!([{"method": "DELETE", "path": "/Schemas/x"}]));
    assert_eq!(statuses(&send(&scim, &wrong_target).await), ["400"]);
}
