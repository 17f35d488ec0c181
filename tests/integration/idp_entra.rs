//! Microsoft Entra ID's provisioning flows, replayed request by request from IDP-BEHAVIOR.md
//! §1.2–§1.10 (and §3 for discovery), against the real app over HTTP.

use crate::common::{assert_scim_error, Scim, ENTERPRISE, GROUP_SCHEMA, LIST_RESPONSE, USER_SCHEMA};
use provisio::domain::idp::Idp;
use reqwest::{header, Method, Response};
use serde_json::{json, Value};

// §1.2: Test Connection (and the keep-alive probe) asks for a random GUID and wants an empty ListResponse.
#[tokio::test]
async fn entra_1_2_test_connection_probe_gets_an_empty_list_response() {
    let scim = Scim::new().await;
    let probe = |resource: &'static str, attribute: &'static str| {
        let guid = uuid::Uuid::new_v4().to_string();
        let extra = if resource == "Groups" { "excludedAttributes=members&" } else { "" };
        format!("/{resource}?{extra}filter={attribute}+eq+%22{guid}%22")
    };
    // Exactly as Entra sends it: no Content-Type, no User-Agent, `+` for spaces.
    let response = scim.app.scim_get(Idp::Entra, &probe("Users", "userName"), Some(&scim.entra)).await;
    let list = scim_json(response, 200).await;
    assert_eq!(list["schemas"], json!([LIST_RESPONSE]));
    assert_eq!(list["totalResults"], 0);
    assert_eq!(list["Resources"], json!([]));
    assert_eq!(list["startIndex"], 1);
    assert_eq!(list["itemsPerPage"], 0);

    // With group mapping on, the group probe too.
    let response = scim.app.scim_get(Idp::Entra, &probe("Groups", "displayName"), Some(&scim.entra)).await;
    assert_eq!(scim_json(response, 200).await["totalResults"], 0);

    // Older setups match on externalId (§1.0); a GET whose Accept does not prefer JSON still gets SCIM JSON (§1.1).
    let response = scim.app.scim_get(Idp::Entra, &probe("Users", "externalId"), Some(&scim.entra)).await;
    assert_eq!(scim_json(response, 200).await["totalResults"], 0);
    let response = reqwest::Client::new()
        .get(scim.app.scim_url(Idp::Entra, &probe("Users", "userName")))
        .header(header::AUTHORIZATION, &scim.entra)
        .header(header::ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8")
        .send()
        .await
        .unwrap();
    assert_eq!(scim_json(response, 200).await["totalResults"], 0);

    // The keep-alive recurs during normal operation, when the directory is no longer empty.
    scim.created(Idp::Entra, &entra_user("probe.neighbour@contoso.com")).await;
    let response = scim.app.scim_get(Idp::Entra, &probe("Users", "userName"), Some(&scim.entra)).await;
    let list = scim_json(response, 200).await;
    assert_eq!((list["totalResults"].as_u64(), list["itemsPerPage"].as_u64()), (Some(0), Some(0)));
    assert_eq!(list["Resources"], json!([]));
}

// §1.3: matching query misses, then POST /Users with the documented body, then the matching query hits.
#[tokio::test]
async fn entra_1_3_create_user_after_a_filter_miss() {
    let scim = Scim::new().await;
    let name = "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee";
    let miss = scim_json(scim.get(Idp::Entra, &user_filter("userName", name)).await, 200).await;
    assert_eq!(miss["totalResults"], 0);

    let response = scim.post(Idp::Entra, &entra_user(name)).await;
    let location = response.headers().get(header::LOCATION).map(|v| v.to_str().unwrap().to_owned());
    let user = scim_json(response, 201).await;
    let id = user["id"].as_str().expect("id is required on every returned resource").to_owned();
    assert!(!id.is_empty());
    assert!(user["schemas"].as_array().unwrap().contains(&json!(USER_SCHEMA)), "{user}");
    assert_eq!(user["externalId"], "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef");
    assert_eq!(user["userName"], name);
    assert_eq!(user["active"], true);
    assert_eq!(user["name"], json!({"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"}));
    assert_eq!(
        user["emails"],
        json!([{"primary": true, "type": "work", "value": "Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com"}])
    );
    assert_eq!(user["meta"]["resourceType"], "User");
    let self_url = scim.app.scim_url(Idp::Entra, &format!("/Users/{id}"));
    assert_eq!(user["meta"]["location"], self_url.as_str());
    assert_eq!(location.as_deref(), Some(self_url.as_str()));
    assert!(user["meta"]["created"].is_string() && user["meta"]["lastModified"].is_string());

    // Next cycle: the same matching query finds exactly one, the cached id.
    let hit = scim_json(scim.get(Idp::Entra, &user_filter("userName", name)).await, 200).await;
    assert_eq!(hit["schemas"], json!([LIST_RESPONSE]));
    assert_eq!((hit["totalResults"].as_u64(), hit["itemsPerPage"].as_u64(), hit["startIndex"].as_u64()), (Some(1), Some(1), Some(1)));
    let found = &hit["Resources"][0];
    assert_eq!(found["id"], id.as_str());
    assert_eq!(found["externalId"], user["externalId"]);
    assert_eq!(found["userName"], name);
    assert_eq!(found["active"], true);
    assert_eq!(found["emails"], user["emails"]);
    assert_eq!(found["meta"]["resourceType"], "User");
}

// §1.3 "Example 2": explicit nulls, client-sent meta and a malformed extension URN, matched on externalId (§1.0).
#[tokio::test]
async fn entra_1_3_create_tolerates_nulls_client_meta_and_a_malformed_urn() {
    let scim = Scim::new().await;
    let miss = scim_json(scim.get(Idp::Entra, "/Users?filter=externalId+eq+%22jyoung%22").await, 200).await;
    assert_eq!(miss["totalResults"], 0);

    let body = json!({
        "schemas": [USER_SCHEMA, "urn:ietf:params:scim:schemas:extension:enterprise:2.0User"],
        "externalId": "jyoung",
        "userName": "jyoung@testuser.com",
        "active": true,
        "addresses": null,
        "displayName": "Joy Young",
        "emails": [{"type": "work", "value": "jyoung@Contoso.com", "primary": true}],
        "meta": {"resourceType": "User"},
        "name": {"familyName": "Young", "givenName": "Joy"},
        "phoneNumbers": null,
        "preferredLanguage": null,
        "title": null,
        "department": null,
        "manager": null
    });
    let user = scim_json(scim.post(Idp::Entra, &body).await, 201).await;
    assert_eq!(user["userName"], "jyoung@testuser.com");
    assert_eq!(user["displayName"], "Joy Young");
    assert_eq!(user["emails"][0]["value"], "jyoung@Contoso.com", "stored exactly as sent");
    assert_eq!(user["name"]["givenName"], "Joy");

    let hit = scim_json(scim.get(Idp::Entra, "/Users?filter=externalId+eq+%22jyoung%22").await, 200).await;
    assert_eq!(hit["totalResults"], 1);
    assert_eq!(hit["Resources"][0]["id"], user["id"]);
}

// §1.3 "Roles": a SingleAppRoleAssignment POST carries roles, a later PATCH adds one as a JSON-encoded string.
#[tokio::test]
async fn entra_1_3_roles_in_post_and_as_a_json_string_in_patch() {
    let scim = Scim::new().await;
    let mut body = entra_user("role.holder@contoso.com");
    body["roles"] = json!([{"primary": true, "type": "WindowsAzureActiveDirectoryRole", "value": "Admin"}]);
    let user = scim_json(scim.post(Idp::Entra, &body).await, 201).await;
    let path = format!("/Users/{}", user["id"].as_str().unwrap());

    let role = "{\"id\":\"06b07648-ecfe-589f-9d2f-6325724a46ee\",\"value\":\"25\",\"displayName\":\"Role1234\"}";
    let response = scim.patch(Idp::Entra, &path, json!([{"op": "Add", "path": "roles", "value": [{"value": role}]}])).await;
    let patched = scim_json(response, 200).await;
    assert_eq!(patched["id"], user["id"]);
    assert_eq!(patched["userName"], "role.holder@contoso.com");
}

// §1.3 "Custom attributes": extension data can arrive without its URN listed in `schemas`.
#[tokio::test]
async fn entra_1_3_extension_data_without_its_schema_urn() {
    let scim = Scim::new().await;
    let mut body = entra_user("no.urn@contoso.com");
    body["schemas"] = json!([USER_SCHEMA]);
    body[ENTERPRISE] = json!({"department": "Retail"});
    let user = scim_json(scim.post(Idp::Entra, &body).await, 201).await;
    assert_eq!(user[ENTERPRISE]["department"], "Retail");
    let stored = scim_json(scim.get(Idp::Entra, &format!("/Users/{}", user["id"].as_str().unwrap())).await, 200).await;
    assert_eq!(stored[ENTERPRISE]["department"], "Retail");
}

// §1.3 "409 on POST": a create retried after a timeout conflicts, and the matching query agrees it exists.
#[tokio::test]
async fn entra_1_3_retried_create_gets_409_and_the_filter_agrees() {
    let scim = Scim::new().await;
    let name = "Retried.User@contoso.com";
    let first = scim.created(Idp::Entra, &entra_user(name)).await;
    let body = assert_scim_error(scim.post(Idp::Entra, &entra_user(name)).await, 409).await;
    assert_eq!(body["scimType"], "uniqueness");
    // No "…ServiceIncompatibleFiltering": the filter (any case) finds what uniqueness found.
    let hit = scim_json(scim.get(Idp::Entra, &user_filter("userName", &name.to_lowercase())).await, 200).await;
    assert_eq!(hit["totalResults"], 1);
    assert_eq!(hit["Resources"][0]["id"], first["id"]);
}

// §1.4: GET /Users/{id} returns the full user; an unknown id gets a SCIM 404 (InvalidAnchor on Entra's side).
#[tokio::test]
async fn entra_1_4_get_user_by_id_and_an_unknown_id() {
    let scim = Scim::new().await;
    let user = scim.created(Idp::Entra, &entra_user("get.me@contoso.com")).await;
    let id = user["id"].as_str().unwrap();
    let fetched = scim_json(scim.get(Idp::Entra, &format!("/Users/{id}")).await, 200).await;
    assert_eq!(fetched, user);

    let missing = assert_scim_error(scim.get(Idp::Entra, "/Users/23B51B0E5D7AE9110A49411D").await, 404).await;
    assert_eq!(missing["status"], "404");
    let ops = json!([{"op": "Replace", "path": "active", "value": "False"}]);
    assert_scim_error(scim.patch(Idp::Entra, "/Users/23B51B0E5D7AE9110A49411D", ops).await, 404).await;
}

// §1.5: Replace on `emails[type eq "work"].value` and the dotted `name.familyName`; 200 with the user.
#[tokio::test]
async fn entra_1_5_patch_filtered_email_and_dotted_path() {
    let scim = Scim::new().await;
    let user = scim.created(Idp::Entra, &entra_user("patch.email@contoso.com")).await;
    let path = format!("/Users/{}", user["id"].as_str().unwrap());
    let response = scim
        .patch(
            Idp::Entra,
            &path,
            json!([
                {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "updatedEmail@microsoft.com"},
                {"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"}
            ]),
        )
        .await;
    let patched = scim_json(response, 200).await;
    assert_eq!(patched["id"], user["id"]);
    let stored = scim_json(scim.get(Idp::Entra, &path).await, 200).await;
    assert_eq!(stored["emails"], json!([{"primary": true, "type": "work", "value": "updatedEmail@microsoft.com"}]));
    assert_eq!(stored["name"]["familyName"], "updatedFamilyName");
    assert_eq!(stored["name"]["givenName"], "givenName");
    assert_eq!(stored["userName"], "patch.email@contoso.com");
}

// §1.5 "Single-valued attribute": Entra's userName Replace; SPEC P4 refuses it with a mutability error.
#[tokio::test]
async fn entra_1_5_patch_replace_user_name_is_refused_by_p4() {
    let scim = Scim::new().await;
    let user = scim.created(Idp::Entra, &entra_user("fixed.name@contoso.com")).await;
    let path = format!("/Users/{}", user["id"].as_str().unwrap());
    let ops = json!([{"op": "Replace", "path": "userName", "value": "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"}]);
    let error = assert_scim_error(scim.patch(Idp::Entra, &path, ops).await, 400).await;
    assert_eq!(error["scimType"], "mutability");
    let stored = scim_json(scim.get(Idp::Entra, &path).await, 200).await;
    assert_eq!(stored["userName"], "fixed.name@contoso.com");
    assert_eq!(stored["meta"]["lastModified"], user["meta"]["lastModified"], "nothing of the refused PATCH applied");
}

// §1.5 "Multiple attributes in one request, without the flag", including the enterprise URN path.
#[tokio::test]
async fn entra_1_5_patch_replace_several_attributes_without_the_flag() {
    let scim = Scim::new().await;
    let user = scim.created(Idp::Entra, &entra_user("several@contoso.com")).await;
    let path = format!("/Users/{}", user["id"].as_str().unwrap());
    let response = scim
        .patch(
            Idp::Entra,
            &path,
            json!([
                {"op": "Replace", "path": "displayName", "value": "Pvlo"},
                {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "TestBcwqnm@test.microsoft.com"},
                {"op": "Replace", "path": "name.givenName", "value": "Gtfd"},
                {"op": "Replace", "path": "name.familyName", "value": "Pkqf"},
                {"op": "Replace", "path": "externalId", "value": "Eqpj"},
                {"op": "Replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "value": "Eqpj"}
            ]),
        )
        .await;
    assert_eq!(response.status(), 200);
    let stored = scim_json(scim.get(Idp::Entra, &path).await, 200).await;
    assert_eq!(stored["displayName"], "Pvlo");
    assert_eq!(stored["emails"][0]["value"], "TestBcwqnm@test.microsoft.com");
    assert_eq!(stored["emails"].as_array().unwrap().len(), 1);
    assert_eq!(stored["name"]["givenName"], "Gtfd");
    assert_eq!(stored["name"]["familyName"], "Pkqf");
    assert_eq!(stored["externalId"], "Eqpj");
    assert_eq!(stored[ENTERPRISE]["employeeNumber"], "Eqpj");
    // Split after the last colon, never on the dot in "2.0".
    assert!(stored.get("urn:ietf:params:scim:schemas:extension:enterprise:2").is_none(), "{stored}");
    // The changed externalId is what the next matching query (old setups) finds.
    let hit = scim_json(scim.get(Idp::Entra, "/Users?filter=externalId+eq+%22Eqpj%22").await, 200).await;
    assert_eq!(hit["totalResults"], 1);
}

// §1.5 "Add for an attribute the target doesn't have yet": {"op":"Add","path":"nickName","value":"Babs"}.
#[tokio::test]
async fn entra_1_5_patch_add_an_attribute_the_user_lacks() {
    let scim = Scim::new().await;
    let user = scim.created(Idp::Entra, &entra_user("babs@contoso.com")).await;
    let path = format!("/Users/{}", user["id"].as_str().unwrap());
    let response = scim.patch(Idp::Entra, &path, json!([{"op": "Add", "path": "nickName", "value": "Babs"}])).await;
    assert_eq!(scim_json(response, 200).await["nickName"], "Babs");
    assert_eq!(scim_json(scim.get(Idp::Entra, &path).await, 200).await["nickName"], "Babs");
}

// §1.5 "Path patterns": the laravel capture, capital `.Value`/`.Formatted`, upsert, and merged sub-attribute adds.
#[tokio::test]
async fn entra_1_5_filtered_paths_upsert_ignore_case_and_merge() {
    let scim = Scim::new().await;
    let user = scim.created(Idp::Entra, &entra_user("adele@contoso.com")).await;
    let path = format!("/Users/{}", user["id"].as_str().unwrap());
    let capture = json!({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"emails[type eq \"work\"].value","value":"AdeleV2@REDACTED.onmicrosoft.com"},{"op":"Replace","path":"addresses[type eq \"work\"].formatted","value":"18/2111"},{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Retail"}]});
    assert_eq!(scim.send(Idp::Entra, Method::PATCH, &path, Some(&capture)).await.status(), 200);

    // Default mappings: capitalised sub-attributes, entries that do not exist yet, and several
    // sub-attribute adds on one filtered element.
    let response = scim
        .patch(
            Idp::Entra,
            &path,
            json!([
                {"op": "Add", "path": "emails[type eq \"other\"].Value", "value": "adele.other@contoso.com"},
                {"op": "Add", "path": "addresses[type eq \"other\"].Formatted", "value": "Other street 1"},
                {"op": "Add", "path": "phoneNumbers[type eq \"mobile\"].value", "value": "+1 (555) 010-0199"},
                {"op": "Add", "path": "addresses[type eq \"work\"].streetAddress", "value": "1 Microsoft Way"},
                {"op": "Add", "path": "addresses[type eq \"work\"].locality", "value": "Redmond"},
                {"op": "Add", "path": "addresses[type eq \"work\"].postalCode", "value": "98052"}
            ]),
        )
        .await;
    assert_eq!(response.status(), 200);
    let stored = scim_json(scim.get(Idp::Entra, &path).await, 200).await;
    let emails = stored["emails"].as_array().unwrap();
    assert_eq!(emails.len(), 2, "{stored}");
    assert_eq!(of_type(emails, "work")["value"], "AdeleV2@REDACTED.onmicrosoft.com");
    assert_eq!(of_type(emails, "other")["value"], "adele.other@contoso.com");
    let addresses = stored["addresses"].as_array().unwrap();
    assert_eq!(addresses.len(), 2, "one work and one other address: {stored}");
    let work = of_type(addresses, "work");
    assert_eq!(work["formatted"], "18/2111");
    assert_eq!(work["streetAddress"], "1 Microsoft Way");
    assert_eq!(work["locality"], "Redmond");
    assert_eq!(work["postalCode"], "98052");
    assert_eq!(of_type(addresses, "other")["formatted"], "Other street 1");
    assert_eq!(of_type(stored["phoneNumbers"].as_array().unwrap(), "mobile")["value"], "+1 (555) 010-0199", "stored as sent");
    assert_eq!(stored[ENTERPRISE]["department"], "Retail");

    // Replace on a filtered path that matches nothing creates the entry (no 400 noTarget).
    let mut body = entra_user("home.only@contoso.com");
    body["emails"] = json!([{"primary": true, "type": "home", "value": "home.only@contoso.com"}]);
    let home_only = scim.created(Idp::Entra, &body).await;
    let path = format!("/Users/{}", home_only["id"].as_str().unwrap());
    let ops = json!([{"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "work@contoso.com"}]);
    assert_eq!(scim.patch(Idp::Entra, &path, ops).await.status(), 200);
    let stored = scim_json(scim.get(Idp::Entra, &path).await, 200).await;
    let emails = stored["emails"].as_array().unwrap();
    assert_eq!(of_type(emails, "work")["value"], "work@contoso.com");
    assert_eq!(of_type(emails, "home")["value"], "home.only@contoso.com");
}

// §1.5 "Manager": PATCH sends a bare string; Entra expects GET to answer `manager` as a complex object.
#[tokio::test]
async fn entra_1_5_manager_as_a_bare_string_reads_back_as_an_object() {
    let scim = Scim::new().await;
    let boss = scim.created(Idp::Entra, &entra_user("boss@contoso.com")).await;
    let report = scim.created(Idp::Entra, &entra_user("report@contoso.com")).await;
    let boss_id = boss["id"].as_str().unwrap();
    let path = format!("/Users/{}", report["id"].as_str().unwrap());
    let ops = json!([{"op": "add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "value": boss_id}]);
    assert_eq!(scim.patch(Idp::Entra, &path, ops).await.status(), 200);
    let stored = scim_json(scim.get(Idp::Entra, &path).await, 200).await;
    assert_eq!(stored[ENTERPRISE]["manager"]["value"], boss_id, "{stored}");

    // E-TUT's older Example 5 form: `manager` with a `$ref`/`value` list.
    let other = scim.created(Idp::Entra, &entra_user("boss2@contoso.com")).await;
    let other_id = other["id"].as_str().unwrap();
    let reference = scim.app.scim_url(Idp::Entra, &format!("/Users/{other_id}"));
    let ops = json!([{"op": "Add", "path": "manager", "value": [{"$ref": reference, "value": other_id}]}]);
    assert_eq!(scim.patch(Idp::Entra, &path, ops).await.status(), 200);
    let stored = scim_json(scim.get(Idp::Entra, &path).await, 200).await;
    assert_eq!(stored[ENTERPRISE]["manager"]["value"], other_id, "{stored}");
}

// §1.6: disable with the string "False" (and its variants), stay readable, keep memberships, re-enable.
#[tokio::test]
async fn entra_1_6_disable_and_re_enable() {
    let scim = Scim::new().await;
    let user = scim.created(Idp::Entra, &entra_user("leaver.soft@contoso.com")).await;
    let id = user["id"].as_str().unwrap().to_owned();
    let path = format!("/Users/{id}");
    let group = entra_group(&scim, "Disabled Keep Members").await;
    let group_path = format!("/Groups/{}", group["id"].as_str().unwrap());
    let add = json!([{"op": "Add", "path": "members", "value": [{"$ref": null, "value": id}]}]);
    assert_eq!(scim.patch(Idp::Entra, &group_path, add).await.status(), 204);

    let disable = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "Replace", "path": "active", "value": "False"}]});
    let disabled = scim_json(scim.send(Idp::Entra, Method::PATCH, &path, Some(&disable)).await, 200).await;
    assert_eq!(disabled["active"], false);
    // Inactive users are still returned, by id and by the matching query.
    assert_eq!(scim_json(scim.get(Idp::Entra, &path).await, 200).await["active"], false);
    let hit = scim_json(scim.get(Idp::Entra, &user_filter("userName", "leaver.soft@contoso.com")).await, 200).await;
    assert_eq!(hit["totalResults"], 1);
    assert_eq!(hit["Resources"][0]["active"], false);
    // Microsoft: the target should keep memberships while a user is inactive.
    assert_eq!(member_ids(&scim, &group_path).await, vec![id.clone()]);

    // Re-enable with "True", then the other forms seen on the wire.
    for (op, value, expected) in [
        ("Replace", json!("True"), true),
        ("Replace", json!("false"), false),
        ("Add", json!("true"), true),
        ("replace", json!(false), false),
        ("Add", json!("True"), true),
    ] {
        let response = scim.patch(Idp::Entra, &path, json!([{"op": op, "path": "active", "value": value}])).await;
        assert_eq!(scim_json(response, 200).await["active"], expected, "{op} {value}");
        assert_eq!(scim_json(scim.get(Idp::Entra, &path).await, 200).await["active"], expected, "{op} {value}");
    }
    assert_eq!(member_ids(&scim, &group_path).await, vec![id.clone()]);
}

// §1.7: the user is soft-deleted in Entra (disable), then hard-deleted: DELETE answers 204, and SCIM forgets it (L3).
#[tokio::test]
async fn entra_1_7_delete_user_after_disable() {
    let scim = Scim::new().await;
    let user = scim.created(Idp::Entra, &entra_user("purged@contoso.com")).await;
    let path = format!("/Users/{}", user["id"].as_str().unwrap());
    assert_eq!(scim.patch(Idp::Entra, &path, json!([{"op": "Replace", "path": "active", "value": "False"}])).await.status(), 200);

    let response = scim.send(Idp::Entra, Method::DELETE, &path, None).await;
    assert_eq!(response.status(), 204);
    assert!(response.bytes().await.unwrap().is_empty());
    assert_scim_error(scim.get(Idp::Entra, &path).await, 404).await;
    let miss = scim_json(scim.get(Idp::Entra, &user_filter("userName", "purged@contoso.com")).await, 200).await;
    assert_eq!(miss["totalResults"], 0);
    assert_eq!(miss["Resources"], json!([]));
}

// §1.8 steps 1–3: match by displayName excluding members, create with the ADSCIM schema, get without members.
#[tokio::test]
async fn entra_1_8_group_match_create_and_get() {
    let scim = Scim::new().await;
    let miss =
        scim_json(scim.get(Idp::Entra, "/Groups?excludedAttributes=members&filter=displayName+eq+%22displayName%22").await, 200).await;
    assert_eq!(miss["totalResults"], 0);

    let response = scim
        .send(
            Idp::Entra,
            Method::POST,
            "/Groups",
            Some(&json!({
                "schemas": [GROUP_SCHEMA, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
                "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
                "displayName": "displayName",
                "meta": {"resourceType": "Group"}
            })),
        )
        .await;
    let group = scim_json(response, 201).await;
    let id = group["id"].as_str().unwrap().to_owned();
    assert!(group["schemas"].as_array().unwrap().contains(&json!(GROUP_SCHEMA)));
    assert_eq!(group["displayName"], "displayName");
    assert_eq!(group["externalId"], "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159");
    assert_eq!(group["members"], json!([]));
    assert_eq!(group["meta"]["resourceType"], "Group");
    assert_eq!(group["meta"]["location"], scim.app.scim_url(Idp::Entra, &format!("/Groups/{id}")).as_str());

    let hit =
        scim_json(scim.get(Idp::Entra, "/Groups?excludedAttributes=members&filter=displayName+eq+%22displayName%22").await, 200).await;
    assert_eq!((hit["totalResults"].as_u64(), hit["itemsPerPage"].as_u64()), (Some(1), Some(1)));
    let found = &hit["Resources"][0];
    assert_eq!(found["id"], id.as_str());
    assert_eq!(found["externalId"], "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159");
    assert!(found.get("members").is_none(), "members despite excludedAttributes: {found}");

    let fetched = scim_json(scim.get(Idp::Entra, &format!("/Groups/{id}?excludedAttributes=members")).await, 200).await;
    assert_eq!(fetched["displayName"], "displayName");
    assert!(fetched.get("members").is_none());

    // The body seen in production (MSQA-637791): core schema only, `members: []`.
    let response = scim
        .send(Idp::Entra, Method::POST, "/Groups", Some(&json!({
            "schemas": [GROUP_SCHEMA], "externalId": "0899060-org-admin", "displayName": "Org Admin", "members": [], "meta": {"resourceType": "Group"}
        })))
        .await;
    assert_eq!(scim_json(response, 201).await["members"], json!([]));
}

// §1.8 steps 5–6: Add members (several, "$ref": null), a redundant re-add, and Remove with a value list.
#[tokio::test]
async fn entra_1_8_group_members_add_readd_and_remove_by_value_list() {
    let scim = Scim::new().await;
    let mut ids = Vec::new();
    for name in ["m1@contoso.com", "m2@contoso.com", "m3@contoso.com"] {
        ids.push(scim.created(Idp::Entra, &entra_user(name)).await["id"].as_str().unwrap().to_owned());
    }
    let group = entra_group(&scim, "Membership Sync").await;
    let path = format!("/Groups/{}", group["id"].as_str().unwrap());

    let add =
        json!([{"op": "Add", "path": "members", "value": ids.iter().map(|id| json!({"$ref": null, "value": id})).collect::<Vec<_>>()}]);
    let response = scim.patch(Idp::Entra, &path, add).await;
    assert_eq!(response.status(), 204);
    assert!(response.bytes().await.unwrap().is_empty());
    assert_eq!(member_ids(&scim, &path).await, sorted(ids.clone()));

    // Remove one member in the default (unflagged) form: only the listed member goes.
    let remove = json!([{"op": "Remove", "path": "members", "value": [{"$ref": null, "value": ids[0]}]}]);
    assert_eq!(scim.patch(Idp::Entra, &path, remove).await.status(), 204);
    assert_eq!(member_ids(&scim, &path).await, sorted(ids[1..].to_vec()));

    // Entra then re-sends "add" for each existing member: idempotent, 204, not 409.
    for id in &ids[1..] {
        let add = json!([{"op": "Add", "path": "members", "value": [{"$ref": null, "value": id}]}]);
        assert_eq!(scim.patch(Idp::Entra, &path, add).await.status(), 204);
    }
    assert_eq!(member_ids(&scim, &path).await, sorted(ids[1..].to_vec()));

    // Removing several in one request.
    let remove = json!([{"op": "Remove", "path": "members", "value": [{"$ref": null, "value": ids[1]}, {"$ref": null, "value": ids[2]}]}]);
    assert_eq!(scim.patch(Idp::Entra, &path, remove).await.status(), 204);
    assert!(member_ids(&scim, &path).await.is_empty());
    // Removing someone who is no longer a member is not an error either.
    let remove = json!([{"op": "Remove", "path": "members", "value": [{"$ref": null, "value": ids[0]}]}]);
    assert_eq!(scim.patch(Idp::Entra, &path, remove).await.status(), 204);
    // The users themselves are untouched.
    for id in &ids {
        assert_eq!(scim_json(scim.get(Idp::Entra, &format!("/Users/{id}")).await, 200).await["active"], true);
    }
}

// §1.8 steps 4 and 7: rename answers 204 and the new name is what the matching query finds; delete answers 204.
#[tokio::test]
async fn entra_1_8_group_rename_and_delete() {
    let scim = Scim::new().await;
    let group = entra_group(&scim, "1879db59-3bdf-4490-ad68-ab880a269474").await;
    let path = format!("/Groups/{}", group["id"].as_str().unwrap());
    let rename = json!([{"op": "Replace", "path": "displayName", "value": "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"}]);
    let response = scim.patch(Idp::Entra, &path, rename).await;
    assert_eq!(response.status(), 204);
    assert!(response.bytes().await.unwrap().is_empty());
    let hit = scim_json(
        scim.get(
            Idp::Entra,
            "/Groups?excludedAttributes=members&filter=displayName+eq+%221879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName%22",
        )
        .await,
        200,
    )
    .await;
    assert_eq!(hit["totalResults"], 1);
    let old = scim_json(
        scim.get(Idp::Entra, "/Groups?excludedAttributes=members&filter=displayName+eq+%221879db59-3bdf-4490-ad68-ab880a269474%22").await,
        200,
    )
    .await;
    assert_eq!(old["totalResults"], 0);

    let response = scim.send(Idp::Entra, Method::DELETE, &path, None).await;
    assert_eq!(response.status(), 204);
    assert_scim_error(scim.get(Idp::Entra, &path).await, 404).await;
}

// §1.9: listing with startIndex/count (Account Discovery) returns every user exactly once, with exact metadata.
#[tokio::test]
async fn entra_1_9_paging_lists_every_user_once() {
    let scim = Scim::new().await;
    let mut created = Vec::new();
    for i in 0..7 {
        created.push(scim.created(Idp::Entra, &entra_user(&format!("page.user{i}@contoso.com"))).await["id"].as_str().unwrap().to_owned());
    }
    let mut seen = Vec::new();
    let mut start = 1;
    loop {
        let page = scim_json(scim.get(Idp::Entra, &format!("/Users?startIndex={start}&count=3")).await, 200).await;
        assert_eq!(page["schemas"], json!([LIST_RESPONSE]));
        assert_eq!(page["totalResults"].as_u64(), Some(7), "a number, the full count: {page}");
        assert_eq!(page["startIndex"].as_u64(), Some(start));
        let resources = page["Resources"].as_array().unwrap();
        assert_eq!(page["itemsPerPage"].as_u64(), Some(resources.len() as u64), "itemsPerPage is the actual page size");
        if resources.is_empty() {
            break;
        }
        assert!(resources.len() <= 3);
        seen.extend(resources.iter().map(|u| u["id"].as_str().unwrap().to_owned()));
        start += resources.len() as u64;
    }
    assert_eq!(start, 8);
    assert_eq!(sorted(seen.clone()), sorted(created.clone()), "every user exactly once");
    // The same order whatever the page size.
    let whole = scim_json(scim.get(Idp::Entra, "/Users?startIndex=1&count=100").await, 200).await;
    let whole: Vec<String> = whole["Resources"].as_array().unwrap().iter().map(|u| u["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(whole, seen);
}

// §1.10: the aadOptscim062020 forms, and the flag's query string on the Tenant URL is ignored.
#[tokio::test]
async fn entra_1_10_feature_flag_forms() {
    let scim = Scim::new().await;
    let user = scim.created(Idp::Entra, &entra_user("flagged@contoso.com")).await;
    let id = user["id"].as_str().unwrap().to_owned();
    let path = format!("/Users/{id}?aadOptscim062020");
    let hit = scim_json(scim.get(Idp::Entra, "/Users?aadOptscim062020&filter=userName+eq+%22flagged%40contoso.com%22").await, 200).await;
    assert_eq!(hit["totalResults"], 1);

    // "Replace several attributes": filtered paths separate, the rest one path-less op with dotted and URN keys.
    let response = scim
        .patch(
            Idp::Entra,
            &path,
            json!([
                {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "TestMhvaes@test.microsoft.com"},
                {"op": "replace", "value": {
                    "displayName": "Bjfe",
                    "name.givenName": "Kkom",
                    "name.familyName": "Unua",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "Aklq"
                }}
            ]),
        )
        .await;
    assert_eq!(response.status(), 200);
    let stored = scim_json(scim.get(Idp::Entra, &format!("/Users/{id}")).await, 200).await;
    assert_eq!(stored["emails"][0]["value"], "TestMhvaes@test.microsoft.com");
    assert_eq!(stored["displayName"], "Bjfe");
    assert_eq!(stored["name"]["givenName"], "Kkom");
    assert_eq!(stored["name"]["familyName"], "Unua");
    assert_eq!(stored[ENTERPRISE]["employeeNumber"], "Aklq");
    for literal in ["name.givenName", "name.familyName", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"] {
        assert!(stored.get(literal).is_none(), "{literal} kept as a literal key: {stored}");
    }

    // Add single-value attribute, lower-case op; disable with a real boolean.
    let response = scim.patch(Idp::Entra, &path, json!([{"op": "add", "path": "nickName", "value": "Babs"}])).await;
    assert_eq!(scim_json(response, 200).await["nickName"], "Babs");
    let response = scim.patch(Idp::Entra, &path, json!([{"op": "replace", "path": "active", "value": false}])).await;
    assert_eq!(scim_json(response, 200).await["active"], false);

    // Remove group member with a value filter.
    let other = scim.created(Idp::Entra, &entra_user("stays.member@contoso.com")).await["id"].as_str().unwrap().to_owned();
    let group = entra_group(&scim, "Flagged Group").await;
    let group_path = format!("/Groups/{}?aadOptscim062020", group["id"].as_str().unwrap());
    let add = json!([{"op": "add", "path": "members", "value": [{"value": id}, {"value": other}]}]);
    assert_eq!(scim.patch(Idp::Entra, &group_path, add).await.status(), 204);
    let remove = json!([{"op": "remove", "path": format!("members[value eq \"{id}\"]")}]);
    assert_eq!(scim.patch(Idp::Entra, &group_path, remove).await.status(), 204);
    assert_eq!(member_ids(&scim, &format!("/Groups/{}", group["id"].as_str().unwrap())).await, vec![other]);
}

// §3.1: /Schemas as Entra's schema discovery reads it: a ListResponse, camel-case values, no nulls.
#[tokio::test]
async fn entra_3_1_schemas_discovery() {
    let scim = Scim::new().await;
    let response = scim.app.scim_get(Idp::Entra, "/Schemas", Some(&scim.entra)).await;
    let list = scim_json(response, 200).await;
    assert_eq!(list["schemas"], json!([LIST_RESPONSE]));
    let resources = list["Resources"].as_array().unwrap();
    assert_eq!(list["totalResults"].as_u64(), Some(resources.len() as u64));
    assert!(list["itemsPerPage"].is_u64() && list["startIndex"].is_u64());
    let user = resources.iter().find(|s| s["id"] == USER_SCHEMA).expect("the core User schema");
    assert_eq!(user["schemas"], json!(["urn:ietf:params:scim:schemas:core:2.0:Schema"]));
    assert_eq!(user["name"], "User");
    assert_eq!(user["meta"]["resourceType"], "Schema");
    let user_name = user["attributes"].as_array().unwrap().iter().find(|a| a["name"] == "userName").expect("userName");
    assert_eq!(user_name["type"], "string");
    assert_eq!(user_name["multiValued"], false);
    assert_eq!(user_name["required"], true);
    assert_eq!(user_name["caseExact"], false);
    assert_eq!(user_name["uniqueness"], "server");
    assert!(resources.iter().any(|s| s["id"] == GROUP_SCHEMA));
    assert!(resources.iter().any(|s| s["id"] == ENTERPRISE));
    assert_no_nulls(&list, "$");
    let mutabilities = collect(&list, "mutability");
    assert!(!mutabilities.is_empty());
    for m in mutabilities {
        assert!(["readOnly", "readWrite", "immutable", "writeOnly"].contains(&m.as_str()), "camel-case mutability: {m}");
    }

    let one = scim_json(scim.get(Idp::Entra, &format!("/Schemas/{USER_SCHEMA}")).await, 200).await;
    assert_eq!(one["id"], USER_SCHEMA);
}

// --- helpers ---

/// IDP-BEHAVIOR.md §1.3: Entra's `POST /Users` body, for `user_name`.
fn entra_user(user_name: &str) -> Value {
    let external_id = if user_name == "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee" {
        "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef".to_owned()
    } else {
        uuid::Uuid::new_v4().to_string()
    };
    let email = if user_name.contains('@') {
        user_name.to_owned()
    } else {
        "Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com".to_owned()
    };
    json!({
        "schemas": [USER_SCHEMA, ENTERPRISE],
        "externalId": external_id,
        "userName": user_name,
        "active": true,
        "emails": [{"primary": true, "type": "work", "value": email}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
        "roles": []
    })
}

/// IDP-BEHAVIOR.md §1.8 step 2: Entra's `POST /Groups`, with an empty member list.
async fn entra_group(scim: &Scim, display_name: &str) -> Value {
    let body = json!({
        "schemas": [GROUP_SCHEMA, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
        "externalId": uuid::Uuid::new_v4().to_string(),
        "displayName": display_name,
        "meta": {"resourceType": "Group"}
    });
    scim_json(scim.send(Idp::Entra, Method::POST, "/Groups", Some(&body)).await, 201).await
}

/// Entra's matching query: `+` for spaces, `%22` for quotes, the rest percent-encoded.
fn user_filter(attribute: &str, value: &str) -> String {
    format!("/Users?filter={attribute}+eq+%22{}%22", encode(value))
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// Asserts the status and the SCIM content type, and returns the JSON body.
async fn scim_json(response: Response, status: u16) -> Value {
    let actual = response.status().as_u16();
    let content_type = response.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_owned());
    let text = response.text().await.unwrap();
    assert_eq!(actual, status, "{text}");
    assert_eq!(content_type.as_deref(), Some("application/scim+json"), "{text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

async fn member_ids(scim: &Scim, group_path: &str) -> Vec<String> {
    let group = scim_json(scim.get(Idp::Entra, group_path).await, 200).await;
    sorted(group["members"].as_array().unwrap().iter().map(|m| m["value"].as_str().unwrap().to_owned()).collect())
}

fn of_type<'a>(values: &'a [Value], kind: &str) -> &'a Value {
    values.iter().find(|v| v["type"] == kind).unwrap_or_else(|| panic!("no {kind} entry in {values:?}"))
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

fn assert_no_nulls(value: &Value, at: &str) {
    match value {
        Value::Null => panic!("null at {at}"),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| assert_no_nulls(v, &format!("{at}[{i}]"))),
        Value::Object(map) => map.iter().for_each(|(k, v)| assert_no_nulls(v, &format!("{at}.{k}"))),
        _ => {}
    }
}

fn collect(value: &Value, key: &str) -> Vec<String> {
    let mut found = Vec::new();
    match value {
        Value::Array(items) => items.iter().for_each(|v| found.extend(collect(v, key))),
        Value::Object(map) => {
            for (k, v) in map {
                if k == key {
                    if let Some(s) = v.as_str() {
                        found.push(s.to_owned());
                    }
                }
                found.extend(collect(v, key));
            }
        }
        _ => {}
    }
    found
}
