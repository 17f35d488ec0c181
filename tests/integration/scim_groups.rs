//! /Groups: Entra's and Okta's group flows (IDP-BEHAVIOR.md §1.8, §2.10) and the seed's rules
//! P3, P6, L4, L5.

use crate::common::{assert_scim_error, Scim};
use provisio::domain::idp::Idp;
use reqwest::Method;
use serde_json::{json, Value};

async fn user(scim: &Scim, idp: Idp, user_name: &str) -> String {
    let body = json!({
        "userName": user_name, "active": true,
        "name": {"givenName": "Member", "familyName": user_name},
        "emails": [{"value": user_name, "type": "work", "primary": true}]
    });
    scim.created(idp, &body).await["id"].as_str().unwrap().to_owned()
}

async fn group(scim: &Scim, idp: Idp, body: Value) -> Value {
    let response = scim.send(idp, Method::POST, "/Groups", Some(&body)).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

async fn member_ids(scim: &Scim, idp: Idp, id: &str) -> Vec<String> {
    let group: Value = scim.get(idp, &format!("/Groups/{id}")).await.json().await.unwrap();
    let mut ids: Vec<String> = group["members"].as_array().unwrap().iter().map(|m| m["value"].as_str().unwrap().to_owned()).collect();
    ids.sort();
    ids
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

#[tokio::test]
async fn entra_group_flow_create_match_members_rename_delete() {
    let scim = Scim::new().await;
    let (a, b, c) =
        (user(&scim, Idp::Entra, "a@x.io").await, user(&scim, Idp::Entra, "b@x.io").await, user(&scim, Idp::Entra, "c@x.io").await);

    let created = group(&scim, Idp::Entra, json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
        "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
        "displayName": "Sales Team",
        "meta": {"resourceType": "Group"}
    }))
    .await;
    assert_eq!(created["members"], json!([]));
    assert_eq!(created["schemas"], json!(["urn:ietf:params:scim:schemas:core:2.0:Group"]));
    let id = created["id"].as_str().unwrap().to_owned();
    let path = format!("/Groups/{id}");

    // Entra's matching query: members must not come back.
    let list: Value =
        scim.get(Idp::Entra, "/Groups?excludedAttributes=members&filter=displayName+eq+%22sales+team%22").await.json().await.unwrap();
    assert_eq!(list["totalResults"], 1);
    assert!(list["Resources"][0].get("members").is_none());

    // Add members with "$ref": null; re-adding is idempotent.
    let add = json!([{"op": "Add", "path": "members", "value": [{"$ref": null, "value": a}, {"$ref": null, "value": b}, {"$ref": null, "value": c}]}]);
    assert_eq!(scim.patch_at(Idp::Entra, &path, add.clone()).await.status(), 204);
    assert_eq!(scim.patch_at(Idp::Entra, &path, add).await.status(), 204);
    assert_eq!(member_ids(&scim, Idp::Entra, &id).await, sorted(vec![a.clone(), b.clone(), c.clone()]));

    // The default Remove form lists members in `value`: only they go.
    let remove = json!([{"op": "Remove", "path": "members", "value": [{"$ref": null, "value": a}]}]);
    assert_eq!(scim.patch_at(Idp::Entra, &path, remove).await.status(), 204);
    assert_eq!(member_ids(&scim, Idp::Entra, &id).await, sorted(vec![b.clone(), c.clone()]));
    // The aadOptscim062020 form.
    let remove = json!([{"op": "remove", "path": format!("members[value eq \"{b}\"]")}]);
    assert_eq!(scim.patch_at(Idp::Entra, &path, remove).await.status(), 204);
    assert_eq!(member_ids(&scim, Idp::Entra, &id).await, vec![c.clone()]);

    let rename = json!([{"op": "Replace", "path": "displayName", "value": "1879db59updatedDisplayName"}]);
    assert_eq!(scim.patch_at(Idp::Entra, &path, rename).await.status(), 204);
    let renamed: Value = scim.get(Idp::Entra, &format!("{path}?excludedAttributes=members")).await.json().await.unwrap();
    assert_eq!(renamed["displayName"], "1879db59updatedDisplayName");
    assert!(renamed.get("members").is_none());

    // L4: the group goes; its member is suspended and associated with All Users.
    assert_eq!(scim.send(Idp::Entra, Method::DELETE, &path, None).await.status(), 204);
    assert_scim_error(scim.get(Idp::Entra, &path).await, 404).await;
    let member: Value = scim.get(Idp::Entra, &format!("/Users/{c}")).await.json().await.unwrap();
    assert_eq!(member["active"], false);
    let in_all_users: Vec<(String,)> = scim.sql("SELECT user_id FROM group_members WHERE group_id = 'all-users'").await;
    assert_eq!(in_all_users, vec![(c.clone(),)]);
    let active: Vec<(bool,)> = scim.sql(&format!("SELECT active FROM users WHERE id = '{a}'")).await;
    assert!(active[0].0, "former members are not touched");
}

#[tokio::test]
async fn okta_group_push_rename_with_id_delta_and_empty_replace() {
    let scim = Scim::new().await;
    let (a, b) = (user(&scim, Idp::Okta, "test.user@okta.local").await, user(&scim, Idp::Okta, "other@okta.local").await);
    let created = group(
        &scim,
        Idp::Okta,
        json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Test SCIMv2", "members": []}),
    )
    .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let path = format!("/Groups/{id}");

    let exists: Value =
        scim.get(Idp::Okta, "/Groups?filter=displayName%20eq%20%22Test%20SCIMv2%22&startIndex=1&count=100").await.json().await.unwrap();
    assert_eq!(exists["totalResults"], 1);

    // The rename Okta sends with every push, read-only id included.
    let rename = json!([{"op": "replace", "value": {"id": id, "displayName": "Test SCIMv2"}}]);
    assert_eq!(scim.patch_at(Idp::Okta, &path, rename).await.status(), 204);

    let add = json!([{"op": "add", "path": "members", "value": [{"value": a, "display": "test.user@okta.local"}]}]);
    assert_eq!(scim.patch_at(Idp::Okta, &path, add).await.status(), 204);
    // A delta mixing a filtered remove with an add, members without `type`.
    let delta = json!([
        {"op": "remove", "path": format!("members[value eq \"{a}\"]")},
        {"op": "add", "path": "members", "value": [{"value": b, "display": "other@okta.local"}]}
    ]);
    assert_eq!(scim.patch_at(Idp::Okta, &path, delta).await.status(), 204);
    assert_eq!(member_ids(&scim, Idp::Okta, &id).await, vec![b.clone()]);

    let replace = json!([{"op": "replace", "path": "members", "value": [{"value": a}, {"value": b}]}]);
    assert_eq!(scim.patch_at(Idp::Okta, &path, replace).await.status(), 204);
    assert_eq!(member_ids(&scim, Idp::Okta, &id).await, sorted(vec![a.clone(), b.clone()]));
    // "Push now" on an empty group.
    let empty = json!([{"op": "replace", "path": "members", "value": []}]);
    assert_eq!(scim.patch_at(Idp::Okta, &path, empty).await.status(), 204);
    assert!(member_ids(&scim, Idp::Okta, &id).await.is_empty());

    // AIW apps PUT the whole group, id included.
    let put = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": id, "displayName": "Test SCIMv2", "members": [{"value": a, "display": "test.user@okta.local"}]});
    let response = scim.send(Idp::Okta, Method::PUT, &path, Some(&put)).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["members"][0]["value"], a.as_str());
    assert_eq!(body["members"][0]["type"], "User");
}

#[tokio::test]
async fn p6_group_names_are_unique_across_sources() {
    let scim = Scim::new().await;
    group(&scim, Idp::Entra, json!({"displayName": "Engineering"})).await;
    let body =
        assert_scim_error(scim.send(Idp::Okta, Method::POST, "/Groups", Some(&json!({"displayName": "engineering"}))).await, 409).await;
    assert_eq!(body["scimType"], "uniqueness");
    assert_scim_error(scim.send(Idp::Entra, Method::POST, "/Groups", Some(&json!({"displayName": "Engineering"}))).await, 409).await;
    assert_scim_error(scim.send(Idp::Okta, Method::POST, "/Groups", Some(&json!({"displayName": "All Users"}))).await, 409).await;
    // A rename onto a taken name is refused too.
    let other = group(&scim, Idp::Entra, json!({"displayName": "Marketing"})).await;
    let rename = json!([{"op": "Replace", "path": "displayName", "value": "ENGINEERING"}]);
    let response = scim.patch_at(Idp::Entra, &format!("/Groups/{}", other["id"].as_str().unwrap()), rename).await;
    assert_eq!(assert_scim_error(response, 409).await["scimType"], "uniqueness");
}

#[tokio::test]
async fn l5_a_deleted_member_stays_in_its_groups_and_unknown_members_are_skipped() {
    let scim = Scim::new().await;
    let a = user(&scim, Idp::Entra, "stays@x.io").await;
    let created = group(&scim, Idp::Entra, json!({"displayName": "Keepers", "members": [{"value": a}]})).await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(scim.send(Idp::Entra, Method::DELETE, &format!("/Users/{a}"), None).await.status(), 204);
    let memberships: Vec<(String,)> = scim.sql(&format!("SELECT group_id FROM group_members WHERE user_id = '{a}'")).await;
    assert_eq!(memberships, vec![(id.clone(),)]);

    // An id that is no user adds nothing, and does not fail the rest of the change.
    let b = user(&scim, Idp::Entra, "joins@x.io").await;
    let add = json!([{"op": "Add", "path": "members", "value": [{"value": "no-such-user"}, {"value": b, "display": "Joiner"}]}]);
    assert_eq!(scim.patch_at(Idp::Entra, &format!("/Groups/{id}"), add).await.status(), 204);
    let group: Value = scim.get(Idp::Entra, &format!("/Groups/{id}")).await.json().await.unwrap();
    let members = group["members"].as_array().unwrap();
    assert_eq!(members.len(), 2);
    let joiner = members.iter().find(|m| m["value"] == b.as_str()).unwrap();
    assert_eq!(joiner["display"], "Joiner", "display kept as sent");
}

#[tokio::test]
async fn concurrent_member_adds_to_one_group_lose_nobody() {
    let scim = Scim::new().await;
    let created = group(&scim, Idp::Okta, json!({"displayName": "Crowd"})).await;
    let path = format!("/Groups/{}", created["id"].as_str().unwrap());
    let mut ids = Vec::new();
    for i in 0..16 {
        ids.push(user(&scim, Idp::Okta, &format!("crowd{i}@okta.local")).await);
    }
    let patches = ids.iter().map(|id| scim.patch_at(Idp::Okta, &path, json!([{"op": "add", "path": "members", "value": [{"value": id}]}])));
    let statuses: Vec<u16> = crate::common::join_all(patches).await.iter().map(|r| r.status().as_u16()).collect();
    assert!(statuses.iter().all(|s| *s == 204), "{statuses:?}");
    assert_eq!(member_ids(&scim, Idp::Okta, created["id"].as_str().unwrap()).await, sorted(ids));
}
