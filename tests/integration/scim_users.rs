//! /Users writes, replaying IDP-BEHAVIOR.md's Entra and Okta requests, with the seed's rules.

use crate::common::{assert_scim_error, okta_user, patch_op, Scim};
use provisio::domain::idp::Idp;
use reqwest::{header, Client};
use serde_json::{json, Value};

/// IDP-BEHAVIOR.md §1.3: Entra's `POST /Users`.
fn entra_user(user_name: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        "userName": user_name,
        "active": true,
        "emails": [{"primary": true, "type": "work", "value": "Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com"}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
        "roles": []
    })
}

#[tokio::test]
async fn entra_creates_a_user_then_finds_it_by_filter() {
    let scim = Scim::new().await;
    let name = "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee";
    let response = scim.post(Idp::Entra, &entra_user(name)).await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/scim+json");
    let location = response.headers()[header::LOCATION].to_str().unwrap().to_owned();
    let etag = response.headers()[header::ETAG].to_str().unwrap().to_owned();
    let user: Value = response.json().await.unwrap();
    let id = user["id"].as_str().unwrap();
    assert_eq!(location, scim.app.scim_url(Idp::Entra, &format!("/Users/{id}")));
    assert_eq!(user["meta"]["location"], location);
    assert_eq!(user["meta"]["version"], etag);
    assert_eq!(user["userName"], name);
    assert_eq!(user["externalId"], "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef");
    assert_eq!(user["name"]["givenName"], "givenName");
    assert_eq!(user["emails"][0]["value"], "Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com");
    assert_eq!(user["active"], true);
    assert_eq!(user["meta"]["resourceType"], "User");

    // Entra's matching query, exactly as it sends it; userName is case-insensitive.
    let list: Value = scim.get(Idp::Entra, &format!("/Users?filter=userName+eq+%22{}%22", name.to_uppercase())).await.json().await.unwrap();
    assert_eq!(list["totalResults"], 1);
    assert_eq!(list["itemsPerPage"], 1);
    assert_eq!(list["Resources"][0]["id"], id);
    let by_id: Value = scim.get(Idp::Entra, &format!("/Users/{id}")).await.json().await.unwrap();
    assert_eq!(by_id, user);
}

#[tokio::test]
async fn okta_creates_a_user_whose_password_is_never_stored_or_returned() {
    let scim = Scim::new().await;
    let user = scim.created(Idp::Okta, &okta_user("test.user@okta.local")).await;
    assert!(user.get("password").is_none());
    assert_eq!(user["locale"], "en-US");
    let stored: Vec<(String,)> = scim.sql("SELECT resource FROM users").await;
    assert!(!stored[0].0.contains("1mz050nq"));
    let list: Value = scim
        .get(Idp::Okta, "/Users?filter=userName%20eq%20%22TEST.USER%40okta.local%22&startIndex=1&count=100")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["totalResults"], 1);
    assert!(list["Resources"][0].get("password").is_none());
}

#[tokio::test]
async fn p4_a_user_name_is_unique_across_case_and_identity_providers() {
    let scim = Scim::new().await;
    scim.created(Idp::Okta, &okta_user("ann@example.com")).await;
    let body = assert_scim_error(scim.post(Idp::Okta, &okta_user("ann@example.com")).await, 409).await;
    assert_eq!(body["scimType"], "uniqueness");
    assert_scim_error(scim.post(Idp::Okta, &okta_user("ANN@example.com")).await, 409).await;
    let body = assert_scim_error(scim.post(Idp::Entra, &entra_user("Ann@Example.com")).await, 409).await;
    assert!(body["detail"].as_str().unwrap().contains("SCIM Okta"), "{body}");
}

#[tokio::test]
async fn each_idp_sees_only_its_own_users() {
    let scim = Scim::new().await;
    let user = scim.created(Idp::Okta, &okta_user("okta.only@example.com")).await;
    let id = user["id"].as_str().unwrap();
    assert_scim_error(scim.get(Idp::Entra, &format!("/Users/{id}")).await, 404).await;
    let list: Value = scim.get(Idp::Entra, "/Users?filter=userName+eq+%22okta.only%40example.com%22").await.json().await.unwrap();
    assert_eq!(list["totalResults"], 0);
    let list: Value = scim.get(Idp::Entra, "/Users").await.json().await.unwrap();
    assert_eq!(list["totalResults"], 0);
}

#[tokio::test]
async fn a9_a10_l1_incomplete_or_suspended_users_are_refused() {
    let scim = Scim::new().await;
    let mut no_names = okta_user("a@example.com");
    no_names["name"] = json!({"givenName": " ", "familyName": "User"});
    let body = assert_scim_error(scim.post(Idp::Okta, &no_names).await, 400).await;
    assert_eq!(body["scimType"], "invalidValue");

    let mut no_email = okta_user("b@example.com");
    no_email.as_object_mut().unwrap().remove("emails");
    let body = assert_scim_error(scim.post(Idp::Okta, &no_email).await, 400).await;
    assert!(body["detail"].as_str().unwrap().contains("email"));

    let mut suspended = entra_user("c@example.com");
    suspended["active"] = json!("False");
    let body = assert_scim_error(scim.post(Idp::Entra, &suspended).await, 400).await;
    assert!(body["detail"].as_str().unwrap().contains("not active"));
    let count: Vec<(i64,)> = scim.sql("SELECT COUNT(*) FROM users").await;
    assert_eq!(count[0].0, 0);
}

#[tokio::test]
async fn p5_a_local_user_is_taken_over_and_keeps_what_it_had() {
    let scim = Scim::new().await;
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", scim.app.database)).await.unwrap();
    sqlx::query(
        "INSERT INTO users (id, user_name, user_name_key, given_name, family_name, email, active, source, resource, created_at, updated_at)
         VALUES ('local1', 'Dana@Example.com', 'dana@example.com', 'Dana', 'Local', 'dana@example.com', 1, 'local',
                 '{\"userName\":\"Dana@Example.com\",\"title\":\"Engineer\",\"name\":{\"givenName\":\"Dana\",\"familyName\":\"Local\"}}', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO group_members (group_id, user_id, added_at) VALUES ('all-users', 'local1', '2026-01-01T00:00:00.000Z')")
        .execute(&pool)
        .await
        .unwrap();

    // Visible to the IdP before it creates, so Entra's matching query can find it.
    let list: Value = scim.get(Idp::Entra, "/Users?filter=userName+eq+%22dana%40example.com%22").await.json().await.unwrap();
    assert_eq!(list["totalResults"], 1);

    let user = scim.created(Idp::Entra, &entra_user("dana@example.com")).await;
    assert_eq!(user["id"], "local1", "same user, taken over");
    assert_eq!(user["title"], "Engineer", "nothing of it is lost");
    assert_eq!(user["name"]["familyName"], "familyName");
    let row: (String, i64) =
        sqlx::query_as("SELECT source, (SELECT COUNT(*) FROM group_members WHERE user_id = 'local1') FROM users WHERE id = 'local1'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(row, ("scim_entra".to_owned(), 1));
}

#[tokio::test]
async fn okta_get_then_put_updates_and_keeps_blank_and_unmapped_values() {
    let scim = Scim::new().await;
    let mut body = okta_user("put.user@okta.local");
    body["title"] = json!("Manager");
    let user = scim.created(Idp::Okta, &body).await;
    let id = user["id"].as_str().unwrap().to_owned();

    // Okta sends back our representation with its change (IDP-BEHAVIOR.md §2.4).
    let mut put = scim.get(Idp::Okta, &format!("/Users/{id}")).await.json::<Value>().await.unwrap();
    put["name"]["givenName"] = json!("Another");
    put["name"]["middleName"] = json!("Excited");
    put["displayName"] = json!("");
    put.as_object_mut().unwrap().remove("title");
    let response = scim.send(Idp::Okta, reqwest::Method::PUT, &format!("/Users/{id}"), Some(&put)).await;
    assert_eq!(response.status(), 200);
    assert_ne!(response.headers()[header::ETAG], user["meta"]["version"].as_str().unwrap());
    let updated: Value = response.json().await.unwrap();
    assert_eq!(updated["name"]["givenName"], "Another");
    assert_eq!(updated["name"]["middleName"], "Excited");
    assert_eq!(updated["displayName"], "Test User", "A8: a blank update is not applied");
    assert_eq!(updated["title"], "Manager", "A11: an attribute no longer sent keeps its value");

    // AIW apps deactivate with a PUT carrying active false.
    put["active"] = json!(false);
    let updated: Value = scim.send(Idp::Okta, reqwest::Method::PUT, &format!("/Users/{id}"), Some(&put)).await.json().await.unwrap();
    assert_eq!(updated["active"], false);
}

#[tokio::test]
async fn p4_a_user_name_cannot_be_changed() {
    let scim = Scim::new().await;
    let user = scim.created(Idp::Okta, &okta_user("fixed@okta.local")).await;
    let mut put = user.clone();
    put["userName"] = json!("renamed@okta.local");
    let path = format!("/Users/{}", user["id"].as_str().unwrap());
    let body = assert_scim_error(scim.send(Idp::Okta, reqwest::Method::PUT, &path, Some(&put)).await, 400).await;
    assert_eq!(body["scimType"], "mutability");
}

#[tokio::test]
async fn l3_delete_suspends_hides_from_scim_and_a_new_create_brings_the_user_back() {
    let scim = Scim::new().await;
    let user = scim.created(Idp::Entra, &entra_user("leaver@example.com")).await;
    let id = user["id"].as_str().unwrap().to_owned();
    let path = format!("/Users/{id}");
    let response = scim.send(Idp::Entra, reqwest::Method::DELETE, &path, None).await;
    assert_eq!(response.status(), 204);

    assert_scim_error(scim.get(Idp::Entra, &path).await, 404).await;
    assert_scim_error(scim.send(Idp::Entra, reqwest::Method::DELETE, &path, None).await, 404).await;
    let list: Value = scim.get(Idp::Entra, "/Users?filter=userName+eq+%22leaver%40example.com%22").await.json().await.unwrap();
    assert_eq!(list["totalResults"], 0);
    let rows: Vec<(bool, Option<String>)> = scim.sql("SELECT active, scim_deleted_at FROM users").await;
    assert!(!rows[0].0 && rows[0].1.is_some(), "still in Provisio, suspended");

    let back = scim.created(Idp::Entra, &entra_user("leaver@example.com")).await;
    assert_eq!(back["id"], id.as_str());
    assert_eq!(back["active"], true);
    assert_eq!(scim.get(Idp::Entra, &path).await.status(), 200);
}

#[tokio::test]
async fn hostile_bodies_get_scim_errors() {
    let scim = Scim::new().await;
    let raw = |body: &'static str| {
        Client::new()
            .post(scim.app.scim_url(Idp::Okta, "/Users"))
            .header(header::AUTHORIZATION, &scim.okta)
            .header(header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
    };
    for body in ["", "{", "[]", "null", "\"user\"", "{\"userName\": {}}"] {
        let response = raw(body).await.unwrap();
        let error = assert_scim_error(response, 400).await;
        assert!(error["scimType"] == "invalidSyntax" || error["scimType"] == "invalidValue", "{body}: {error}");
    }
    let mut huge = okta_user("big@okta.local");
    huge["title"] = json!("x".repeat(2 * 1024 * 1024));
    assert_scim_error(scim.post(Idp::Okta, &huge).await, 413).await;
}

#[tokio::test]
async fn concurrent_creates_of_one_user_name_make_exactly_one_user() {
    let scim = Scim::new().await;
    let body = okta_user("race@okta.local");
    let attempts = (0..12).map(|_| scim.post(Idp::Okta, &body));
    let statuses: Vec<u16> = crate::common::join_all(attempts).await.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 11, "{statuses:?}");
}

#[tokio::test]
async fn entra_patches_attributes_with_filtered_paths_and_string_booleans() {
    let scim = Scim::new().await;
    let user = scim.created(Idp::Entra, &entra_user("patch.me@example.com")).await;
    let path = format!("/Users/{}", user["id"].as_str().unwrap());
    let patch = |ops: Value| scim.patch(Idp::Entra, &path, ops);

    // IDP-BEHAVIOR.md §1.5, without the flag.
    let response = patch(json!([
        {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "updatedEmail@microsoft.com"},
        {"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"},
        {"op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Retail"},
        {"op": "Replace", "path": "addresses[type eq \"work\"].formatted", "value": "18/2111"}
    ]))
    .await;
    assert_eq!(response.status(), 200);
    let patched: Value = response.json().await.unwrap();
    assert_eq!(patched["emails"].as_array().unwrap().len(), 1);
    assert_eq!(patched["emails"][0]["value"], "updatedEmail@microsoft.com");
    assert_eq!(patched["name"]["familyName"], "updatedFamilyName");
    assert_eq!(patched["name"]["givenName"], "givenName");
    assert_eq!(patched["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["department"], "Retail");
    assert_eq!(patched["addresses"], json!([{"type": "work", "formatted": "18/2111"}]));
    // The new address is indexed for Entra's next matching query.
    let list: Value = scim.get(Idp::Entra, "/Users?filter=emails.value+eq+%22UPDATEDEMAIL%40microsoft.com%22").await.json().await.unwrap();
    assert_eq!(list["totalResults"], 1);

    // Disable and enable with strings, and with Add (§1.6).
    let disabled: Value = patch(json!([{"op": "Replace", "path": "active", "value": "False"}])).await.json().await.unwrap();
    assert_eq!(disabled["active"], false);
    // Inactive users stay visible to filters (Okta reactivation, Entra's requirement).
    let list: Value = scim.get(Idp::Entra, "/Users?filter=userName+eq+%22patch.me%40example.com%22").await.json().await.unwrap();
    assert_eq!(list["Resources"][0]["active"], false);
    let enabled: Value = patch(json!([{"op": "Add", "path": "active", "value": "True"}])).await.json().await.unwrap();
    assert_eq!(enabled["active"], true);

    // The aadOptscim062020 form: a path-less value object with dotted and URN keys (§1.10).
    let flagged: Value = patch(json!([
        {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "TestMhvaes@test.microsoft.com"},
        {"op": "replace", "value": {"displayName": "Bjfe", "name.givenName": "Kkom", "name.familyName": "Unua",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "Aklq"}}
    ]))
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(flagged["displayName"], "Bjfe");
    assert_eq!(flagged["name"]["givenName"], "Kkom");
    assert!(flagged.get("name.givenName").is_none());
    assert_eq!(flagged["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["employeeNumber"], "Aklq");
}

#[tokio::test]
async fn okta_deactivates_with_a_path_less_patch() {
    let scim = Scim::new().await;
    let user = scim.created(Idp::Okta, &okta_user("deactivate@okta.local")).await;
    let path = format!("/Users/{}", user["id"].as_str().unwrap());
    let body = patch_op(json!([{"op": "replace", "value": {"active": false}}]));
    let patched: Value = scim.send(Idp::Okta, reqwest::Method::PATCH, &path, Some(&body)).await.json().await.unwrap();
    assert_eq!(patched["active"], false);
    let body = patch_op(json!([{"op": "replace", "value": {"active": true}}]));
    let patched: Value = scim.send(Idp::Okta, reqwest::Method::PATCH, &path, Some(&body)).await.json().await.unwrap();
    assert_eq!(patched["active"], true, "reactivation keeps the same id");
}

#[tokio::test]
async fn active_is_stated_on_create_and_can_be_removed_to_unassigned() {
    let scim = Scim::new().await;
    let mut body = okta_user("unstated@okta.local");
    body.as_object_mut().unwrap().remove("active");
    let user = scim.created(Idp::Okta, &body).await;
    assert_eq!(user["active"], true, "created active unless stated otherwise");
    let path = format!("/Users/{}", user["id"].as_str().unwrap());

    // RFC 7644 §3.5.2.2: `remove` leaves the attribute unassigned; the user is not suspended.
    let removed: Value = scim.patch(Idp::Okta, &path, json!([{"op": "remove", "path": "active"}])).await.json().await.unwrap();
    assert!(removed.get("active").is_none(), "{removed}");
    let stored: Vec<(bool,)> = scim.sql(&format!("SELECT active FROM users WHERE id = '{}'", user["id"].as_str().unwrap())).await;
    assert_eq!(stored, [(true,)]);

    // A suspension always shows, stated or not (L2).
    let suspended: Value =
        scim.patch(Idp::Okta, &path, json!([{"op": "replace", "path": "active", "value": false}])).await.json().await.unwrap();
    assert_eq!(suspended["active"], false);
}

#[tokio::test]
async fn patch_cannot_rename_blank_or_break_a_user() {
    let scim = Scim::new().await;
    let user = scim.created(Idp::Entra, &entra_user("steady@example.com")).await;
    let path = format!("/Users/{}", user["id"].as_str().unwrap());
    let send = |ops: Value| scim.patch(Idp::Entra, &path, ops);

    let rename = send(json!([{"op": "Replace", "path": "userName", "value": "5b50642d@testuser.com"}])).await;
    assert_eq!(assert_scim_error(rename, 400).await["scimType"], "mutability");

    let blank_name = send(json!([{"op": "Replace", "path": "name.givenName", "value": ""}])).await;
    assert_eq!(assert_scim_error(blank_name, 400).await["scimType"], "invalidValue", "A9: a blank first name fails");
    let blank: Value = send(json!([{"op": "Replace", "path": "title", "value": "Lead"}])).await.json().await.unwrap();
    assert_eq!(blank["title"], "Lead");
    let blank: Value = send(json!([{"op": "Replace", "path": "title", "value": ""}])).await.json().await.unwrap();
    assert_eq!(blank["title"], "Lead", "A8: a blank update is not applied");
    assert_eq!(blank["name"]["givenName"], "givenName");

    let bad_op = send(json!([{"op": "Frobnicate", "path": "displayName", "value": "x"}])).await;
    assert_scim_error(bad_op, 400).await;
    let bad_active = send(json!([{"op": "Replace", "path": "active", "value": "perhaps"}])).await;
    assert_scim_error(bad_active, 400).await;
    let missing = scim
        .send(Idp::Entra, reqwest::Method::PATCH, "/Users/nope", Some(&patch_op(json!([{"op": "add", "path": "title", "value": "x"}]))))
        .await;
    assert_scim_error(missing, 404).await;
}

#[tokio::test]
async fn search_and_attribute_projection() {
    let scim = Scim::new().await;
    scim.created(Idp::Okta, &okta_user("find.me@okta.local")).await;
    scim.created(Idp::Okta, &okta_user("other@okta.local")).await;
    let search = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": "userName sw \"find\"", "attributes": ["userName", "name.givenName"], "startIndex": 1, "count": 10
    });
    let found: Value = scim.send(Idp::Okta, reqwest::Method::POST, "/Users/.search", Some(&search)).await.json().await.unwrap();
    assert_eq!(found["totalResults"], 1);
    let user = &found["Resources"][0];
    assert_eq!(user["userName"], "find.me@okta.local");
    assert_eq!(user["name"], json!({"givenName": "Test"}));
    assert!(user.get("emails").is_none() && user.get("id").is_some());

    // The root search spans Users and Groups, users first.
    let group = json!({"displayName": "Searchers"});
    assert_eq!(scim.send(Idp::Okta, reqwest::Method::POST, "/Groups", Some(&group)).await.status(), 201);
    let everything = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "startIndex": 2, "count": 5});
    let all: Value = scim.send(Idp::Okta, reqwest::Method::POST, "/.search", Some(&everything)).await.json().await.unwrap();
    assert_eq!((all["totalResults"].as_u64(), all["itemsPerPage"].as_u64()), (Some(3), Some(2)));
    assert_eq!(all["Resources"][1]["displayName"], "Searchers");

    let list: Value = scim.get(Idp::Okta, "/users?excludedAttributes=emails,name&count=1").await.json().await.unwrap();
    assert_eq!((list["totalResults"].as_u64(), list["itemsPerPage"].as_u64()), (Some(2), Some(1)));
    assert!(list["Resources"][0].get("emails").is_none() && list["Resources"][0].get("userName").is_some());
    let second: Value = scim.get(Idp::Okta, "/Users/?startIndex=2&count=1").await.json().await.unwrap();
    assert_eq!(second["startIndex"], 2);
    assert_ne!(second["Resources"][0]["id"], list["Resources"][0]["id"], "stable paging");
}

#[tokio::test]
async fn etags_guard_writes_and_spare_rereads() {
    let scim = Scim::new().await;
    let user = scim.created(Idp::Okta, &okta_user("etag@okta.local")).await;
    let path = format!("/Users/{}", user["id"].as_str().unwrap());
    let etag = user["meta"]["version"].as_str().unwrap().to_owned();
    let request = |method: reqwest::Method| {
        Client::new().request(method, scim.app.scim_url(Idp::Okta, &path)).header(header::AUTHORIZATION, &scim.okta)
    };

    let unchanged = request(reqwest::Method::GET).header(header::IF_NONE_MATCH, &etag).send().await.unwrap();
    assert_eq!(unchanged.status(), 304);
    assert_eq!(unchanged.headers()[header::ETAG], etag.as_str());
    let stale = request(reqwest::Method::GET).header(header::IF_NONE_MATCH, "W/\"999\"").send().await.unwrap();
    assert_eq!(stale.status(), 200);

    let mut put = user.clone();
    put["title"] = json!("Changed");
    let changed = request(reqwest::Method::PUT).header(header::IF_MATCH, &etag).body(put.to_string()).send().await.unwrap();
    assert_eq!(changed.status(), 200);
    let new_etag = changed.headers()[header::ETAG].to_str().unwrap().to_owned();
    assert_ne!(new_etag, etag);
    // The old version is stale now: writes with it are refused.
    let refused = request(reqwest::Method::PUT).header(header::IF_MATCH, &etag).body(put.to_string()).send().await.unwrap();
    assert_eq!(assert_scim_error(refused, 412).await["status"], "412");
    let refused = request(reqwest::Method::DELETE).header(header::IF_MATCH, &etag).send().await.unwrap();
    assert_scim_error(refused, 412).await;
    let deleted = request(reqwest::Method::DELETE).header(header::IF_MATCH, &new_etag).send().await.unwrap();
    assert_eq!(deleted.status(), 204);
}

#[tokio::test]
async fn sort_by_and_sort_order() {
    let scim = Scim::new().await;
    for (name, title) in [("b@okta.local", Some("Zed")), ("c@okta.local", None), ("a@okta.local", Some("Able"))] {
        let mut body = okta_user(name);
        if let Some(title) = title {
            body["title"] = json!(title);
        }
        scim.created(Idp::Okta, &body).await;
    }
    let names = |list: &Value, key: &str| -> Vec<String> {
        list["Resources"].as_array().unwrap().iter().map(|u| u[key].as_str().unwrap_or("-").to_owned()).collect()
    };
    let list: Value = scim.get(Idp::Okta, "/Users?sortBy=userName&sortOrder=descending").await.json().await.unwrap();
    assert_eq!(names(&list, "userName"), ["c@okta.local", "b@okta.local", "a@okta.local"]);
    let list: Value = scim.get(Idp::Okta, "/Users?sortBy=title").await.json().await.unwrap();
    assert_eq!(names(&list, "title"), ["Able", "Zed", "-"], "unassigned values sort last");
    let list: Value = scim.get(Idp::Okta, "/Users?sortBy=userName&startIndex=2&count=1").await.json().await.unwrap();
    assert_eq!(names(&list, "userName"), ["b@okta.local"]);
    let bad = scim.get(Idp::Okta, "/Users?sortBy=userName&sortOrder=sideways").await;
    assert_eq!(assert_scim_error(bad, 400).await["scimType"], "invalidValue");
}
