//! Okta's provisioning flows, replayed request by request from IDP-BEHAVIOR.md §2.2–§2.10
//! (and §3 for discovery and error bodies), against the real app over HTTP, with Okta's headers.

use crate::common::{assert_scim_error, okta_user, patch_op, Scim, ENTERPRISE, ERROR, GROUP_SCHEMA, LIST_RESPONSE, USER_SCHEMA};
use provisio::domain::idp::Idp;
use reqwest::{header, Client, Method, Response};
use serde_json::{json, Value};

// §2.2: "Test API Credentials" pages users with count=2 and groups with count=100.
#[tokio::test]
async fn okta_2_2_test_api_credentials() {
    let scim = Scim::new().await;
    let users = okta_json(okta(&scim, Method::GET, "/Users?startIndex=1&count=2", None).await, 200).await;
    assert_eq!(users["schemas"], json!([LIST_RESPONSE]));
    assert_eq!((users["totalResults"].as_u64(), users["itemsPerPage"].as_u64(), users["startIndex"].as_u64()), (Some(0), Some(0), Some(1)));
    assert_eq!(users["Resources"], json!([]));
    let groups = okta_json(okta(&scim, Method::GET, "/Groups?startIndex=1&count=100", None).await, 200).await;
    assert_eq!(groups["totalResults"], 0);
    assert_eq!(groups["Resources"], json!([]));

    // Saved again later, with users provisioned: count=2 is honoured.
    for name in ["one@okta.local", "two@okta.local", "three@okta.local"] {
        okta_created(&scim, &okta_user(name)).await;
    }
    let users = okta_json(okta(&scim, Method::GET, "/Users?startIndex=1&count=2", None).await, 200).await;
    assert_eq!((users["totalResults"].as_u64(), users["itemsPerPage"].as_u64()), (Some(3), Some(2)));
    assert_eq!(users["Resources"].as_array().unwrap().len(), 2);
}

// §2.3: assignment — the percent-encoded lookup misses, POST with password and `groups: []`, then the lookup hits.
#[tokio::test]
async fn okta_2_3_create_user_after_a_lookup_miss() {
    let scim = Scim::new().await;
    let lookup = "/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100";
    let miss = okta_json(okta(&scim, Method::GET, lookup, None).await, 200).await;
    assert_eq!(miss, json!({"schemas": [LIST_RESPONSE], "totalResults": 0, "startIndex": 1, "itemsPerPage": 0, "Resources": []}));

    let response = okta(&scim, Method::POST, "/Users", Some(&okta_user("test.user@okta.local"))).await;
    let user = okta_json(response, 201).await;
    let id = user["id"].as_str().expect("a created user has an id").to_owned();
    assert!(!id.is_empty());
    assert!(user["schemas"].as_array().unwrap().contains(&json!(USER_SCHEMA)));
    assert_eq!(user["userName"], "test.user@okta.local");
    assert_eq!(user["name"]["givenName"], "Test");
    assert_eq!(user["name"]["familyName"], "User");
    assert_eq!(user["emails"], json!([{"primary": true, "value": "test.user@okta.local", "type": "work"}]));
    assert_eq!(user["displayName"], "Test User");
    assert_eq!(user["locale"], "en-US");
    assert_eq!(user["externalId"], "00ujl29u0le5T6Aj10h7");
    assert_eq!(user["active"], true);
    assert!(user.get("password").is_none(), "password is never returned");
    assert_eq!(user["meta"]["resourceType"], "User");
    assert_eq!(user["meta"]["location"], scim.app.scim_url(Idp::Okta, &format!("/Users/{id}")).as_str());

    let hit = okta_json(okta(&scim, Method::GET, lookup, None).await, 200).await;
    assert_eq!((hit["totalResults"].as_u64(), hit["itemsPerPage"].as_u64()), (Some(1), Some(1)));
    assert_eq!(hit["Resources"][0]["id"], id.as_str());
    assert!(hit["Resources"][0].get("password").is_none());
    let fetched = okta_json(okta(&scim, Method::GET, &format!("/Users/{id}"), None).await, 200).await;
    assert_eq!(fetched["userName"], "test.user@okta.local");
}

// §2.3 step 5: a duplicate create gets a 409 Error body that stops the provisioning job (status as a string).
#[tokio::test]
async fn okta_2_3_duplicate_create_gets_409() {
    let scim = Scim::new().await;
    okta_created(&scim, &okta_user("dup@okta.local")).await;
    let response = okta(&scim, Method::POST, "/Users", Some(&okta_user("dup@okta.local"))).await;
    let error = assert_scim_error(response, 409).await;
    assert_eq!(error["status"], "409");
    assert_eq!(error["scimType"], "uniqueness");
    let count = okta_json(okta(&scim, Method::GET, "/Users", None).await, 200).await;
    assert_eq!(count["totalResults"], 1);
}

// §2.4: GET, then PUT of the documented body (id, meta, groups echoed), answered with the updated user.
#[tokio::test]
async fn okta_2_4_get_then_put_profile_update() {
    let scim = Scim::new().await;
    let user = okta_created(&scim, &okta_user("test.user@okta.local")).await;
    let id = user["id"].as_str().unwrap().to_owned();
    let path = format!("/Users/{id}");
    okta_json(okta(&scim, Method::GET, &path, None).await, 200).await;

    let put = json!({
        "schemas": [USER_SCHEMA],
        "id": id,
        "userName": "test.user@okta.local",
        "name": {"givenName": "Another", "middleName": "Excited", "familyName": "User"},
        "emails": [{"primary": true, "value": "test.user@okta.local", "type": "work", "display": "test.user@okta.local"}],
        "active": true,
        "groups": [],
        "meta": {"resourceType": "User"}
    });
    let updated = okta_json(okta(&scim, Method::PUT, &path, Some(&put)).await, 200).await;
    assert_eq!(updated["id"], id.as_str());
    assert_eq!(updated["name"]["givenName"], "Another");
    assert_eq!(updated["name"]["middleName"], "Excited");
    assert_eq!(updated["active"], true);
    assert!(updated.get("password").is_none());

    let stored = okta_json(okta(&scim, Method::GET, &path, None).await, 200).await;
    assert_eq!(stored["name"]["givenName"], "Another");
    assert_eq!(stored["name"]["familyName"], "User");
    assert_eq!(stored["emails"][0]["display"], "test.user@okta.local");
    assert_eq!(stored["active"], true);
    assert_eq!(stored["meta"]["created"], user["meta"]["created"]);
    // A11: what the PUT no longer carries stays.
    assert_eq!(stored["displayName"], "Test User");
    assert_eq!(stored["locale"], "en-US");
}

// §2.4 "Consequences": a PUT of our own GET output changes nothing (active included), and empty values push without error.
#[tokio::test]
async fn okta_2_4_put_echoing_our_representation_and_empty_values() {
    let scim = Scim::new().await;
    let mut body = okta_user("echo@okta.local");
    body["title"] = json!("Engineer");
    let user = okta_created(&scim, &body).await;
    let path = format!("/Users/{}", user["id"].as_str().unwrap());
    let ours = okta_json(okta(&scim, Method::GET, &path, None).await, 200).await;
    let echoed = okta_json(okta(&scim, Method::PUT, &path, Some(&ours)).await, 200).await;
    for key in ["id", "userName", "name", "emails", "displayName", "locale", "externalId", "active", "title"] {
        assert_eq!(echoed[key], ours[key], "{key}");
    }

    // "Verify Update To Push Empty Values" (O-PLAN C9337): no error; A8 keeps the old values.
    let mut empty = ours.clone();
    empty["title"] = json!("");
    empty["displayName"] = json!("");
    let after = okta_json(okta(&scim, Method::PUT, &path, Some(&empty)).await, 200).await;
    assert_eq!(after["title"], "Engineer");
    assert_eq!(after["displayName"], "Test User");
    assert_eq!(after["active"], true);
}

// §2.5 and §2.6: deactivate with the path-less PATCH, stay findable, reactivate to the same id with memberships.
#[tokio::test]
async fn okta_2_5_deactivate_with_a_path_less_patch_then_reactivate() {
    let scim = Scim::new().await;
    let user = okta_created(&scim, &okta_user("leaver@okta.local")).await;
    let id = user["id"].as_str().unwrap().to_owned();
    let path = format!("/Users/{id}");
    let group = okta_group(&scim, "Leavers Keep Groups").await;
    let group_path = format!("/Groups/{}", group["id"].as_str().unwrap());
    let add = patch_op(json!([{"op": "add", "path": "members", "value": [{"value": id, "display": "leaver@okta.local"}]}]));
    assert_no_content_or_ok(okta(&scim, Method::PATCH, &group_path, Some(&add)).await).await;

    let deactivate = patch_op(json!([{"op": "replace", "value": {"active": false}}]));
    let response = okta(&scim, Method::PATCH, &path, Some(&deactivate)).await;
    if response.status() == 200 {
        assert_eq!(okta_json(response, 200).await["active"], false);
    } else {
        assert_eq!(response.status(), 204);
    }
    assert_eq!(okta_json(okta(&scim, Method::GET, &path, None).await, 200).await["active"], false);

    // Reassignment: Okta's lookup must find the inactive user, so it does not POST a duplicate.
    let lookup = "/Users?filter=userName%20eq%20%22leaver%40okta.local%22&startIndex=1&count=100";
    let hit = okta_json(okta(&scim, Method::GET, lookup, None).await, 200).await;
    assert_eq!(hit["totalResults"], 1);
    assert_eq!(hit["Resources"][0]["id"], id.as_str());
    assert_eq!(hit["Resources"][0]["active"], false);

    let reactivate = patch_op(json!([{"op": "replace", "value": {"active": true}}]));
    assert_no_content_or_ok(okta(&scim, Method::PATCH, &path, Some(&reactivate)).await).await;
    let back = okta_json(okta(&scim, Method::GET, &path, None).await, 200).await;
    assert_eq!(back["id"], id.as_str(), "the same id");
    assert_eq!(back["active"], true);
    assert_eq!(back["name"], user["name"], "the same attributes");
    assert_eq!(back["emails"], user["emails"]);
    assert_eq!(group_member_ids(&scim, &group_path).await, vec![id.clone()], "memberships survive");
}

// §2.5 and §2.6, AIW apps: deactivation and reactivation ride in a full PUT.
#[tokio::test]
async fn okta_2_5_aiw_deactivate_and_reactivate_with_put() {
    let scim = Scim::new().await;
    let user = okta_created(&scim, &okta_user("aiw@okta.local")).await;
    let path = format!("/Users/{}", user["id"].as_str().unwrap());
    let mut put = okta_json(okta(&scim, Method::GET, &path, None).await, 200).await;
    put["active"] = json!(false);
    assert_eq!(okta_json(okta(&scim, Method::PUT, &path, Some(&put)).await, 200).await["active"], false);
    assert_eq!(okta_json(okta(&scim, Method::GET, &path, None).await, 200).await["active"], false);
    let hit =
        okta_json(okta(&scim, Method::GET, "/Users?filter=userName%20eq%20%22aiw%40okta.local%22&startIndex=1&count=100", None).await, 200)
            .await;
    assert_eq!(hit["Resources"][0]["active"], false);

    put["active"] = json!(true);
    let back = okta_json(okta(&scim, Method::PUT, &path, Some(&put)).await, 200).await;
    assert_eq!(back["active"], true);
    assert_eq!(back["id"], user["id"]);
}

// §2.7: password sync (body undocumented; the deactivation form suggests this one): accepted, never returned.
#[tokio::test]
async fn okta_2_7_password_sync_is_never_returned() {
    let scim = Scim::new().await;
    let user = okta_created(&scim, &okta_user("sync@okta.local")).await;
    let path = format!("/Users/{}", user["id"].as_str().unwrap());
    let sync = patch_op(json!([{"op": "replace", "value": {"password": "N3w-Passw0rd!"}}]));
    let response = okta(&scim, Method::PATCH, &path, Some(&sync)).await;
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    assert!(status == 200 || status == 204, "{status}: {text}");
    assert!(!text.contains("N3w-Passw0rd!"));
    let stored = okta_json(okta(&scim, Method::GET, &path, None).await, 200).await;
    assert!(stored.get("password").is_none());
    assert_eq!(stored["active"], true);
}

// §2.8: import pages users with startIndex/count until all are seen, then groups the same way.
#[tokio::test]
async fn okta_2_8_import_paging() {
    let scim = Scim::new().await;
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(okta_created(&scim, &okta_user(&format!("import{i}@okta.local"))).await["id"].as_str().unwrap().to_owned());
    }
    let seen = page_through(&scim, "/Users", 2, 5).await;
    assert_eq!(sorted(seen.clone()), sorted(ids.clone()));
    // The same ordering whatever count and startIndex are.
    assert_eq!(page_through(&scim, "/Users", 3, 5).await, seen);
    let middle = okta_json(okta(&scim, Method::GET, "/Users?startIndex=2&count=3", None).await, 200).await;
    let middle: Vec<String> = middle["Resources"].as_array().unwrap().iter().map(|u| u["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(middle, seen[1..4].to_vec());
    // ory/polis#4054: a page past the end has itemsPerPage 0, not the requested count.
    let past = okta_json(okta(&scim, Method::GET, "/Users?startIndex=101&count=100", None).await, 200).await;
    assert_eq!((past["totalResults"].as_u64(), past["itemsPerPage"].as_u64(), past["startIndex"].as_u64()), (Some(5), Some(0), Some(101)));
    assert_eq!(past["Resources"], json!([]));

    let mut groups = Vec::new();
    for name in ["Import A", "Import B", "Import C"] {
        groups.push(okta_group(&scim, name).await["id"].as_str().unwrap().to_owned());
    }
    let add = patch_op(json!([{"op": "add", "path": "members", "value": [{"value": ids[0], "display": "import0@okta.local"}]}]));
    assert_no_content_or_ok(okta(&scim, Method::PATCH, &format!("/Groups/{}", groups[0]), Some(&add)).await).await;
    let seen = page_through(&scim, "/Groups", 2, 3).await;
    assert_eq!(sorted(seen), sorted(groups.clone()));
    // GET /Groups/{id} carries members with value and display.
    let group = okta_json(okta(&scim, Method::GET, &format!("/Groups/{}", groups[0]), None).await, 200).await;
    assert_eq!(group["members"][0]["value"], ids[0].as_str());
    assert_eq!(group["members"][0]["display"], "import0@okta.local");
}

// §2.9: Okta's Runscope SPEC test, request by request.
#[tokio::test]
async fn okta_2_9_spec_test_sequence() {
    let scim = Scim::new().await;
    // "So create a real user first."
    let isv_user = okta_created(&scim, &okta_user("isv.user@okta.local")).await;
    let isv_id = isv_user["id"].as_str().unwrap();

    let list = okta_json(okta(&scim, Method::GET, "/Users?count=1&startIndex=1", None).await, 200).await;
    assert!(list["schemas"].as_array().unwrap().contains(&json!(LIST_RESPONSE)));
    assert!(list["itemsPerPage"].is_number() && list["startIndex"].is_number() && list["totalResults"].is_number());
    let first = &list["Resources"][0];
    assert_real_user(first);

    let by_id = okta_json(okta(&scim, Method::GET, &format!("/Users/{isv_id}"), None).await, 200).await;
    assert_real_user(&by_id);
    assert_eq!(by_id["id"], isv_id);

    let invalid =
        okta_json(okta(&scim, Method::GET, "/Users?filter=userName%20eq%20%22invalid-user-email%40example.com%22", None).await, 200).await;
    assert!(invalid["schemas"].as_array().unwrap().contains(&json!(LIST_RESPONSE)));
    assert_eq!(invalid["totalResults"], 0);

    let missing = assert_scim_error(okta(&scim, Method::GET, "/Users/010101001010101010", None).await, 404).await;
    assert!(missing["schemas"].as_array().unwrap().contains(&json!(ERROR)));

    // The create step sends `Content-Type: application/json`.
    let random = okta_user("Random.User.4F7A@okta.local");
    let response = Client::new()
        .post(scim.app.scim_url(Idp::Okta, "/Users"))
        .header(header::AUTHORIZATION, &scim.okta)
        .header(header::ACCEPT, "application/scim+json")
        .header(header::CONTENT_TYPE, "application/json")
        .body(random.to_string())
        .send()
        .await
        .unwrap();
    let one = okta_json(response, 201).await;
    assert_eq!(one["active"], true);
    assert!(one["id"].as_str().is_some_and(|id| !id.is_empty()));
    assert_eq!(one["name"]["familyName"], random["name"]["familyName"]);
    assert_eq!(one["name"]["givenName"], random["name"]["givenName"]);
    assert_eq!(one["userName"], random["userName"]);
    assert!(one["schemas"].as_array().unwrap().contains(&json!(USER_SCHEMA)));
    let id_one = one["id"].as_str().unwrap();

    let fetched = okta_json(okta(&scim, Method::GET, &format!("/Users/{id_one}"), None).await, 200).await;
    assert_eq!(fetched["userName"], random["userName"]);
    assert_eq!(fetched["name"]["givenName"], random["name"]["givenName"]);
    assert_eq!(fetched["active"], true);

    assert_scim_error(okta(&scim, Method::POST, "/Users", Some(&random)).await, 409).await;

    // "Username Case Sensitivity Check".
    let caps =
        okta_json(okta(&scim, Method::GET, "/Users?filter=userName%20eq%20%22RANDOM.USER.4F7A%40OKTA.LOCAL%22", None).await, 200).await;
    assert_eq!(caps["totalResults"], 1);
    assert_eq!(caps["Resources"][0]["id"], id_one);

    assert_eq!(okta(&scim, Method::GET, "/Groups", None).await.status(), 200);

    let response = Client::new()
        .get(scim.app.scim_url(Idp::Okta, "/Users?filter=userName%20eq%20%22isv.user%40okta.local%22"))
        .header(header::AUTHORIZATION, "non-token")
        .header(header::ACCEPT, "application/scim+json")
        .send()
        .await
        .unwrap();
    let unauthorized = assert_scim_error(response, 401).await;
    assert_eq!(unauthorized["status"], "401");

    let not_found = assert_scim_error(okta(&scim, Method::GET, "/Users/00919288221112222", None).await, 404).await;
    assert_eq!(not_found["status"], "404");
}

// §2.9 O-CRUD: the assertions Okta's CRUD suite makes after each admin action.
#[tokio::test]
async fn okta_2_9_crud_suite_assertions() {
    let scim = Scim::new().await;
    let lookup = "/Users?filter=userName%20eq%20%22crud.user%40okta.local%22";
    okta_created(&scim, &okta_user("crud.user@okta.local")).await;
    let assigned = okta_json(okta(&scim, Method::GET, lookup, None).await, 200).await;
    let user = &assigned["Resources"][0];
    assert_eq!(user["userName"], "crud.user@okta.local");
    assert_eq!(user["emails"][0]["value"], "crud.user@okta.local");
    assert_eq!(user["name"]["familyName"], "User");
    assert_eq!(user["name"]["givenName"], "Test");
    let path = format!("/Users/{}", user["id"].as_str().unwrap());

    // First-name change: GET then PUT.
    let mut put = okta_json(okta(&scim, Method::GET, &path, None).await, 200).await;
    put["name"]["givenName"] = json!("Changed");
    okta_json(okta(&scim, Method::PUT, &path, Some(&put)).await, 200).await;
    assert_eq!(okta_json(okta(&scim, Method::GET, &path, None).await, 200).await["name"]["givenName"], "Changed");

    // Deactivation, reactivation and reassignment, unassignment.
    for active in [false, true, false] {
        let body = patch_op(json!([{"op": "replace", "value": {"active": active}}]));
        assert_no_content_or_ok(okta(&scim, Method::PATCH, &path, Some(&body)).await).await;
        assert_eq!(okta_json(okta(&scim, Method::GET, &path, None).await, 200).await["active"], active);
    }
}

// §2.10 steps 1–5: Group Push — exists check, create, rename with read-only id, membership delta, full and empty replace.
#[tokio::test]
async fn okta_2_10_group_push() {
    let scim = Scim::new().await;
    let a = okta_created(&scim, &okta_user("test.user@okta.local")).await["id"].as_str().unwrap().to_owned();
    let b = okta_created(&scim, &okta_user("second.user@okta.local")).await["id"].as_str().unwrap().to_owned();
    let exists = "/Groups?filter=displayName%20eq%20%22Test%20SCIMv2%22&startIndex=1&count=100";
    let miss = okta_json(okta(&scim, Method::GET, exists, None).await, 200).await;
    assert_eq!(miss["totalResults"], 0);
    assert_eq!(miss["Resources"], json!([]));

    let created = okta_json(
        okta(&scim, Method::POST, "/Groups", Some(&json!({"schemas": [GROUP_SCHEMA], "displayName": "Test SCIMv2", "members": []}))).await,
        201,
    )
    .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let path = format!("/Groups/{id}");
    assert_eq!(created["displayName"], "Test SCIMv2");
    assert_eq!(created["meta"]["resourceType"], "Group");
    // "as it would for a GET"
    let fetched = okta_json(okta(&scim, Method::GET, &path, None).await, 200).await;
    assert_eq!(created, fetched);
    let hit = okta_json(okta(&scim, Method::GET, exists, None).await, 200).await;
    assert_eq!(hit["totalResults"], 1);
    assert_eq!(hit["Resources"][0]["id"], id.as_str());

    let rename = patch_op(json!([{"op": "replace", "value": {"id": id, "displayName": "Test SCIMv2"}}]));
    assert_no_content_or_ok(okta(&scim, Method::PATCH, &path, Some(&rename)).await).await;

    let add = patch_op(json!([{"op": "add", "path": "members", "value": [{"value": b, "display": "second.user@okta.local"}]}]));
    assert_no_content_or_ok(okta(&scim, Method::PATCH, &path, Some(&add)).await).await;
    assert_no_content_or_ok(okta(&scim, Method::PATCH, &path, Some(&rename)).await).await;
    assert_eq!(group_member_ids(&scim, &path).await, vec![b.clone()]);

    // The delta: a filtered remove with an add, members without `type`; then the rename that follows every push.
    let delta = patch_op(json!([
        {"op": "remove", "path": format!("members[value eq \"{b}\"]")},
        {"op": "add", "path": "members", "value": [{"value": a, "display": "test.user@okta.local"}]}
    ]));
    assert_no_content_or_ok(okta(&scim, Method::PATCH, &path, Some(&delta)).await).await;
    assert_no_content_or_ok(okta(&scim, Method::PATCH, &path, Some(&rename)).await).await;
    assert_eq!(group_member_ids(&scim, &path).await, vec![a.clone()]);

    // A real rename, id still inside.
    let renamed = patch_op(json!([{"op": "replace", "value": {"id": id, "displayName": "Test SCIMv2 Renamed"}}]));
    assert_no_content_or_ok(okta(&scim, Method::PATCH, &path, Some(&renamed)).await).await;
    let group = okta_json(okta(&scim, Method::GET, &path, None).await, 200).await;
    assert_eq!(group["displayName"], "Test SCIMv2 Renamed");
    assert_eq!(group["id"], id.as_str());

    let replace = patch_op(json!([{"op": "replace", "path": "members", "value": [
        {"value": a, "display": "test.user@okta.local"},
        {"value": b, "display": "test.user@okta.local"}
    ]}]));
    assert_no_content_or_ok(okta(&scim, Method::PATCH, &path, Some(&replace)).await).await;
    assert_eq!(group_member_ids(&scim, &path).await, sorted(vec![a.clone(), b.clone()]));

    // "Push now" on an empty group.
    let empty = patch_op(json!([{"op": "replace", "path": "members", "value": []}]));
    assert_no_content_or_ok(okta(&scim, Method::PATCH, &path, Some(&empty)).await).await;
    assert!(group_member_ids(&scim, &path).await.is_empty());
}

// §2.10 steps 6–7: AIW integrations PUT the full group (also right after create, id included); delete answers 204.
#[tokio::test]
async fn okta_2_10_aiw_group_put_and_delete() {
    let scim = Scim::new().await;
    let a = okta_created(&scim, &okta_user("test.user@okta.local")).await["id"].as_str().unwrap().to_owned();
    let created = okta_group(&scim, "Test SCIMv2").await;
    let id = created["id"].as_str().unwrap().to_owned();
    let path = format!("/Groups/{id}");

    // Right after create, carrying id.
    let put = json!({"schemas": [GROUP_SCHEMA], "id": id, "displayName": "Test SCIMv2", "members": []});
    okta_json(okta(&scim, Method::PUT, &path, Some(&put)).await, 200).await;

    let put = json!({
        "schemas": [GROUP_SCHEMA],
        "displayName": "Test SCIMv2",
        "members": [{"value": a, "display": "test.user@okta.local"}]
    });
    let group = okta_json(okta(&scim, Method::PUT, &path, Some(&put)).await, 200).await;
    assert_eq!(group["id"], id.as_str());
    assert_eq!(group["displayName"], "Test SCIMv2");
    assert_eq!(group["members"].as_array().unwrap().len(), 1);
    assert_eq!(group["members"][0]["value"], a.as_str());
    assert_eq!(group_member_ids(&scim, &path).await, vec![a.clone()]);

    // "Delete the group in the target app".
    let response = okta(&scim, Method::DELETE, &path, None).await;
    assert_eq!(response.status(), 204);
    assert_scim_error(okta(&scim, Method::GET, &path, None).await, 404).await;
    let gone = okta_json(
        okta(&scim, Method::GET, "/Groups?filter=displayName%20eq%20%22Test%20SCIMv2%22&startIndex=1&count=100", None).await,
        200,
    )
    .await;
    assert_eq!(gone["totalResults"], 0);
}

// §3.1: Okta's schema import reads /ResourceTypes, then /Schemas; /ServiceProviderConfig is there for completeness.
#[tokio::test]
async fn okta_3_1_resource_types_then_schemas() {
    let scim = Scim::new().await;
    let types = okta_json(okta(&scim, Method::GET, "/ResourceTypes", None).await, 200).await;
    assert_eq!(types["schemas"], json!([LIST_RESPONSE]));
    let types = types["Resources"].as_array().unwrap();
    let user = types.iter().find(|t| t["id"] == "User").expect("the User resource type");
    assert_eq!(user["endpoint"], "/Users");
    assert_eq!(user["schema"], USER_SCHEMA);
    let extensions: Vec<&str> = user["schemaExtensions"].as_array().unwrap().iter().map(|e| e["schema"].as_str().unwrap()).collect();
    assert!(extensions.contains(&ENTERPRISE), "{extensions:?}");
    assert!(types.iter().any(|t| t["id"] == "Group" && t["schema"] == GROUP_SCHEMA));

    let schemas = okta_json(okta(&scim, Method::GET, "/Schemas", None).await, 200).await;
    let ids: Vec<&str> = schemas["Resources"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&USER_SCHEMA), "{ids:?}");
    // Every extension the User resource type names is served by /Schemas.
    for extension in extensions {
        assert!(ids.contains(&extension), "{extension} listed in /ResourceTypes but not in /Schemas");
    }

    let config = okta_json(okta(&scim, Method::GET, "/ServiceProviderConfig", None).await, 200).await;
    assert_eq!(config["schemas"], json!(["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"]));
    assert_eq!(config["patch"]["supported"], true);
    assert_eq!(config["bulk"]["supported"], true, "Bulk is supported, with its limits advertised");
}

// §3.2: the recommended error bodies — 409 uniqueness, 404, 401 — with string status and SCIM content type.
#[tokio::test]
async fn okta_3_2_error_bodies() {
    let scim = Scim::new().await;
    okta_created(&scim, &okta_user("taken@okta.local")).await;
    let conflict = assert_scim_error(okta(&scim, Method::POST, "/Users", Some(&okta_user("taken@okta.local"))).await, 409).await;
    assert_eq!((conflict["status"].as_str(), conflict["scimType"].as_str()), (Some("409"), Some("uniqueness")));

    let missing = assert_scim_error(okta(&scim, Method::GET, "/Users/2819c223", None).await, 404).await;
    assert_eq!(missing["status"], "404");
    let missing = assert_scim_error(okta(&scim, Method::GET, "/Groups/2819c223", None).await, 404).await;
    assert_eq!(missing["status"], "404");
    let patch = patch_op(json!([{"op": "replace", "value": {"active": false}}]));
    assert_scim_error(okta(&scim, Method::PATCH, "/Users/2819c223", Some(&patch)).await, 404).await;

    let response = Client::new()
        .get(scim.app.scim_url(Idp::Okta, "/Users?startIndex=1&count=2"))
        .header(header::AUTHORIZATION, "Bearer not-the-token")
        .header(header::ACCEPT, "application/scim+json")
        .send()
        .await
        .unwrap();
    let unauthorized = assert_scim_error(response, 401).await;
    assert_eq!(unauthorized["status"], "401");

    let bad_filter = assert_scim_error(okta(&scim, Method::GET, "/Users?filter=userName%20eq", None).await, 400).await;
    assert_eq!(bad_filter["scimType"], "invalidFilter");
}

// --- helpers ---

/// A request with the headers Okta puts on the wire (§2.1), a body or not.
async fn okta(scim: &Scim, method: Method, path: &str, body: Option<&Value>) -> Response {
    let mut request = Client::new()
        .request(method, scim.app.scim_url(Idp::Okta, path))
        .header(header::ACCEPT, "application/scim+json")
        .header(header::ACCEPT_CHARSET, "utf-8")
        .header(header::CONTENT_TYPE, "application/scim+json; charset=utf-8")
        .header(header::USER_AGENT, "Okta SCIM Client 1.0.0")
        .header(header::AUTHORIZATION, &scim.okta)
        .header(header::ACCEPT_ENCODING, "gzip,deflate");
    if let Some(body) = body {
        request = request.body(body.to_string());
    }
    request.send().await.unwrap()
}

async fn okta_created(scim: &Scim, body: &Value) -> Value {
    okta_json(okta(scim, Method::POST, "/Users", Some(body)).await, 201).await
}

/// §2.10 step 2: Okta's `POST /Groups`.
async fn okta_group(scim: &Scim, display_name: &str) -> Value {
    let body = json!({"schemas": [GROUP_SCHEMA], "displayName": display_name, "members": []});
    okta_json(okta(scim, Method::POST, "/Groups", Some(&body)).await, 201).await
}

/// Asserts the status and the SCIM content type, and returns the JSON body.
async fn okta_json(response: Response, status: u16) -> Value {
    let actual = response.status().as_u16();
    let content_type = response.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_owned());
    let text = response.text().await.unwrap();
    assert_eq!(actual, status, "{text}");
    assert_eq!(content_type.as_deref(), Some("application/scim+json"), "{text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Okta accepts either 200 with the resource or 204 with no body for PATCH (§2.5, §2.10).
async fn assert_no_content_or_ok(response: Response) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    assert!(status == 200 || status == 204, "{status}: {text}");
    if status == 204 {
        assert!(text.is_empty(), "204 with a body: {text}");
    }
}

async fn group_member_ids(scim: &Scim, group_path: &str) -> Vec<String> {
    let group = okta_json(okta(scim, Method::GET, group_path, None).await, 200).await;
    sorted(group["members"].as_array().unwrap().iter().map(|m| m["value"].as_str().unwrap().to_owned()).collect())
}

/// Pages `endpoint` with `count` until a page comes back empty; checks the list metadata of each page.
async fn page_through(scim: &Scim, endpoint: &str, count: u64, total: u64) -> Vec<String> {
    let mut seen = Vec::new();
    let mut start = 1;
    loop {
        let page = okta_json(okta(scim, Method::GET, &format!("{endpoint}?startIndex={start}&count={count}"), None).await, 200).await;
        assert_eq!(page["schemas"], json!([LIST_RESPONSE]));
        assert_eq!(page["totalResults"].as_u64(), Some(total), "integers, the full count: {page}");
        assert_eq!(page["startIndex"].as_u64(), Some(start));
        let resources = page["Resources"].as_array().unwrap();
        assert_eq!(page["itemsPerPage"].as_u64(), Some(resources.len() as u64));
        assert!(resources.len() as u64 <= count);
        if resources.is_empty() {
            break;
        }
        seen.extend(resources.iter().map(|r| r["id"].as_str().unwrap().to_owned()));
        start += resources.len() as u64;
    }
    assert_eq!(seen.len() as u64, total);
    seen
}

/// §2.9: `Resources[0]` must be a real user: non-empty id, names, userName, active and an email.
fn assert_real_user(user: &Value) {
    for pointer in ["/id", "/name/familyName", "/name/givenName", "/userName", "/emails/0/value"] {
        assert!(user.pointer(pointer).and_then(Value::as_str).is_some_and(|s| !s.is_empty()), "{pointer} in {user}");
    }
    assert!(user["active"].is_boolean(), "{user}");
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}
