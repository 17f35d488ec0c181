//! Users and User Groups in the portal, through their server functions against the running app:
//! lists filtered in the database, the user page (A6, S2), local users, the hard delete of
//! suspended users (L3, P7), group pages and deletes, and the IdP settings (S1-S3, A5).

use crate::common::{next_millisecond, okta_user, refusal, Scim, ENTERPRISE, GROUP_SCHEMA, USER_SCHEMA};
use provisio::api::directory::{
    CreateLocalUser, DeleteGroup, DeleteUser, GetGroup, GetUser, ListGroupMembers, ListGroups, ListUsers, SetUserSuspended,
};
use provisio::api::portal::ListAuditEvents;
use provisio::api::settings::{AddCustomAttribute, DeleteCustomAttribute, SaveIdpSettings};
use provisio::domain::idp::{Idp, Source};
use provisio::models::{AuditEvent, GroupDetail, GroupSummary, Paged, UserDetail, UserSummary};
use serde_json::{json, Value};

async fn signed_in() -> Scim {
    let scim = Scim::new().await;
    scim.app.set_up_admin("ann", "correct horse battery staple").await;
    scim
}

async fn users(scim: &Scim, filter: Value) -> Vec<String> {
    let response = scim.app.call_json::<ListUsers>(&json!({"filter": filter, "offset": 0})).await;
    assert!(response.status().is_success(), "{}", response.text().await.unwrap());
    let page: Paged<UserSummary> = response.json().await.unwrap();
    assert_eq!(page.total as usize, page.items.len());
    page.items.into_iter().map(|user| user.user_name).collect()
}

async fn create_local(scim: &Scim, user_name: &str, email: &str) -> reqwest::Response {
    let new = json!({"user_name": user_name, "given_name": "Lou", "family_name": "Cal", "display_name": "", "email": email});
    scim.app.call_json::<CreateLocalUser>(&json!({"new": new})).await
}

async fn user(scim: &Scim, id: &str) -> UserDetail {
    let response = scim.app.call::<GetUser>(&[("id", id)]).await;
    assert!(response.status().is_success(), "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

fn filter(text: Option<&str>, source: Option<&str>, status: Option<&str>, sort: &str) -> Value {
    json!({"text": text, "source": source, "status": status, "sort": sort})
}

#[tokio::test]
async fn the_users_list_searches_filters_and_sorts_in_the_database() {
    let scim = signed_in().await;
    for name in ["carol@example.com", "amy@example.com", "bob_1@example.com"] {
        scim.created(Idp::Okta, &okta_user(name)).await;
        next_millisecond().await;
    }
    let mut entra = okta_user("dave@contoso.com");
    entra["displayName"] = json!("Zed Dave");
    scim.created(Idp::Entra, &entra).await;
    next_millisecond().await;
    let local: String = create_local(&scim, "lou@example.com", "lou@example.com").await.json().await.unwrap();
    scim.app.call::<SetUserSuspended>(&[("id", &local), ("suspended", "true")]).await;

    assert_eq!(users(&scim, filter(None, None, None, "UserName")).await.len(), 5);
    assert_eq!(
        users(&scim, filter(None, Some("scim_okta"), None, "UserName")).await,
        ["amy@example.com", "bob_1@example.com", "carol@example.com"]
    );
    assert_eq!(users(&scim, filter(None, Some("scim_entra"), None, "UserName")).await, ["dave@contoso.com"]);
    assert_eq!(users(&scim, filter(None, None, Some("Suspended"), "UserName")).await, ["lou@example.com"]);
    assert_eq!(users(&scim, filter(None, Some("local"), Some("Active"), "UserName")).await, Vec::<String>::new());
    // Search: any case, in user name, display name or email; `_` is a character, not a wildcard.
    assert_eq!(users(&scim, filter(Some("CONTOSO"), None, None, "UserName")).await, ["dave@contoso.com"]);
    assert_eq!(users(&scim, filter(Some("zed"), None, None, "UserName")).await, ["dave@contoso.com"]);
    assert_eq!(users(&scim, filter(Some("b_1"), None, None, "UserName")).await, ["bob_1@example.com"]);
    assert_eq!(users(&scim, filter(Some("b%"), None, None, "UserName")).await, Vec::<String>::new());
    assert_eq!(users(&scim, filter(None, None, None, "Newest")).await[0], "lou@example.com");
    assert_eq!(users(&scim, filter(None, None, None, "Oldest")).await[0], "carol@example.com");
}

#[tokio::test]
async fn local_users_are_created_suspended_restored_and_deleted_by_hand_with_an_audit_trail() {
    let scim = signed_in().await;
    let response = create_local(&scim, "lou@example.com", "lou@example.com").await;
    assert!(response.status().is_success());
    let id: String = response.json().await.unwrap();
    let created = user(&scim, &id).await;
    assert_eq!((created.source, created.active, created.display_name.as_deref()), (Source::Local, true, Some("Lou Cal")));

    let again = create_local(&scim, "LOU@example.com", "lou@example.com").await;
    assert!(refusal(again).await.contains("already exists"), "P4: user names are unique in any case");
    let bad = create_local(&scim, "x", "not-an-address").await;
    assert!(refusal(bad).await.contains("is not an email address"));

    let active_delete = scim.app.call::<DeleteUser>(&[("id", &id)]).await;
    assert!(refusal(active_delete).await.contains("Only a suspended user"), "an active user is never deleted");
    scim.app.call::<SetUserSuspended>(&[("id", &id), ("suspended", "true")]).await;
    assert!(!user(&scim, &id).await.active);
    scim.app.call::<SetUserSuspended>(&[("id", &id), ("suspended", "false")]).await;
    assert!(user(&scim, &id).await.active);
    scim.app.call::<SetUserSuspended>(&[("id", &id), ("suspended", "true")]).await;
    assert!(scim.app.call::<DeleteUser>(&[("id", &id)]).await.status().is_success());
    let gone = scim.app.call::<GetUser>(&[("id", &id)]).await;
    assert!(refusal(gone).await.contains("No user has this id"));

    let audit: Vec<(String, String, String)> =
        scim.sql("SELECT action, actor, details FROM audit_events WHERE action LIKE 'User %' ORDER BY id").await;
    let actions: Vec<&str> = audit.iter().map(|(action, _, _)| action.as_str()).collect();
    assert_eq!(actions, ["User created", "User suspended", "User restored", "User suspended", "User deleted"]);
    assert!(audit.iter().all(|(_, actor, details)| actor == "ann" && details == "lou@example.com"));
}

#[tokio::test]
async fn a_provisioned_user_is_the_idps_until_it_is_suspended_then_an_admin_may_delete_it() {
    let scim = signed_in().await;
    let id = scim.created(Idp::Okta, &okta_user("pat@example.com")).await["id"].as_str().unwrap().to_owned();

    let suspend = scim.app.call::<SetUserSuspended>(&[("id", &id), ("suspended", "true")]).await;
    assert!(refusal(suspend).await.contains("Only local users"), "P7: the IdP owns its users' status");
    assert!(refusal(scim.app.call::<DeleteUser>(&[("id", &id)]).await).await.contains("Only a suspended user"));

    // L3: the IdP's DELETE suspends; the admin's delete then removes it for good.
    assert_eq!(scim.send(Idp::Okta, reqwest::Method::DELETE, &format!("/Users/{id}"), None).await.status(), 204);
    let suspended = user(&scim, &id).await;
    assert!(!suspended.active && suspended.deleted_in_idp_at.is_some());
    assert!(scim.app.call::<DeleteUser>(&[("id", &id)]).await.status().is_success());
    let details: Vec<(String,)> = scim.sql("SELECT details FROM audit_events WHERE action = 'User deleted'").await;
    assert_eq!(details, [("pat@example.com (provisioned by Okta)".to_owned(),)]);

    // The IdP may provision the same user name again: a new user.
    let back = scim.created(Idp::Okta, &okta_user("pat@example.com")).await;
    assert_ne!(back["id"].as_str().unwrap(), id);
}

#[tokio::test]
async fn a_local_user_taken_over_by_an_idp_keeps_its_id_and_changes_source() {
    let scim = signed_in().await;
    let id: String = create_local(&scim, "sam@example.com", "sam@example.com").await.json().await.unwrap();
    let taken = scim.created(Idp::Okta, &okta_user("sam@example.com")).await;
    assert_eq!(taken["id"].as_str(), Some(id.as_str()), "P5");
    assert_eq!(user(&scim, &id).await.source, Source::ScimOkta);
}

#[tokio::test]
async fn the_user_page_shows_every_attribute_groups_and_the_managed_apple_id() {
    let scim = signed_in().await;
    let added = scim.app.call::<AddCustomAttribute>(&[("idp", "entra"), ("name", "costCenter")]).await;
    assert!(added.status().is_success(), "{}", added.text().await.unwrap());
    scim.app.call::<AddCustomAttribute>(&[("idp", "entra"), ("name", "badge")]).await;
    let mut body = okta_user("eve@contoso.com");
    body["schemas"] = json!([USER_SCHEMA, ENTERPRISE, "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User"]);
    body[ENTERPRISE] = json!({"department": "Sales"});
    body["urn:ietf:params:scim:schemas:extension:ivanti:2.0:User"] = json!({"costCenter": "CC-7"});
    body["displayName"] = json!("<img src=x onerror=alert(1)>");
    let id = scim.created(Idp::Entra, &body).await["id"].as_str().unwrap().to_owned();
    let group = json!({"schemas": [GROUP_SCHEMA], "displayName": "Sales", "members": [{"value": id}]});
    assert_eq!(scim.send(Idp::Entra, reqwest::Method::POST, "/Groups", Some(&group)).await.status(), 201);

    let detail = user(&scim, &id).await;
    assert_eq!(detail.emails, ["eve@contoso.com"]);
    assert_eq!(detail.groups.iter().map(|g| g.display_name.as_str()).collect::<Vec<_>>(), ["Sales"]);
    let value = |name: &str| detail.attributes.iter().find(|a| a.name == name).map(|a| a.value.clone());
    assert_eq!(value("department"), Some(Some("Sales".into())));
    assert_eq!(value("costCenter"), Some(Some("CC-7".into())));
    assert_eq!(value("badge"), Some(None), "a defined custom attribute not sent yet is listed");
    assert_eq!(value("name.givenName"), Some(Some("Test".into())));
    assert!(detail.attributes.iter().all(|a| a.name != "password"), "never stored");
    assert_eq!(detail.managed_apple_id, None, "S2 is off by default");

    let settings = json!({"idp": "entra", "settings": {"auto_invite": false, "managed_apple_id": true, "appleid_subdomain": true}});
    assert!(scim.app.call_json::<SaveIdpSettings>(&settings).await.status().is_success());
    assert_eq!(user(&scim, &id).await.managed_apple_id.as_deref(), Some("eve@appleid.contoso.com"));
    let audit: Vec<(String,)> = scim.sql("SELECT details FROM audit_events WHERE action = 'Provisioning settings changed'").await;
    assert_eq!(audit, [("Entra ID/Azure: auto-invite off, Managed Apple ID on, appleid subdomain on".to_owned(),)]);
}

#[tokio::test]
async fn custom_attributes_join_and_leave_the_idps_scim_schema() {
    let scim = signed_in().await;
    let custom_schema = |schemas: Value| {
        schemas["Resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User")
            .map(|s| s["attributes"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap().to_owned()).collect::<Vec<_>>())
    };
    for bad in ["cost center", "9lives", ""] {
        let refused = scim.app.call::<AddCustomAttribute>(&[("idp", "okta"), ("name", bad)]).await;
        assert!(refusal(refused).await.contains("attribute name"), "{bad:?} refused");
    }
    scim.app.call::<AddCustomAttribute>(&[("idp", "okta"), ("name", "costCenter")]).await;
    let twice = scim.app.call::<AddCustomAttribute>(&[("idp", "okta"), ("name", "CostCenter")]).await;
    assert!(refusal(twice).await.contains("already has a custom attribute"));

    let okta: Value = scim.get(Idp::Okta, "/Schemas").await.json().await.unwrap();
    assert_eq!(custom_schema(okta), Some(vec!["costCenter".to_owned()]));
    let entra: Value = scim.get(Idp::Entra, "/Schemas").await.json().await.unwrap();
    assert!(custom_schema(entra).unwrap_or_default().is_empty(), "custom attributes are per IdP");

    assert!(scim.app.call::<DeleteCustomAttribute>(&[("idp", "okta"), ("name", "costCenter")]).await.status().is_success());
    let okta: Value = scim.get(Idp::Okta, "/Schemas").await.json().await.unwrap();
    assert!(custom_schema(okta).unwrap_or_default().is_empty());
    let audit: Vec<(String, String)> =
        scim.sql("SELECT action, details FROM audit_events WHERE action LIKE 'Custom attribute%' ORDER BY id").await;
    assert_eq!(
        audit,
        [("Custom attribute added".into(), "costCenter (Okta)".into()), ("Custom attribute deleted".into(), "costCenter (Okta)".into())]
    );

    // Kept as data too, so the trail shows them in the page's language.
    let listed =
        scim.app.call_json::<ListAuditEvents>(&json!({"filter": {"action": "Custom attribute added", "text": null}, "offset": 0})).await;
    let listed: Paged<AuditEvent> = listed.json().await.unwrap();
    assert_eq!(listed.items[0].details_in("fr"), "costCenter (Okta)");
    let saved = json!({"idp": "okta", "settings": {"auto_invite": true, "managed_apple_id": false, "appleid_subdomain": false}});
    assert!(scim.app.call_json::<SaveIdpSettings>(&saved).await.status().is_success());
    let listed = scim
        .app
        .call_json::<ListAuditEvents>(&json!({"filter": {"action": "Provisioning settings changed", "text": null}, "offset": 0}))
        .await;
    let listed: Paged<AuditEvent> = listed.json().await.unwrap();
    assert_eq!(listed.items[0].details, "Okta: auto-invite on, Managed Apple ID off");
    assert_eq!(listed.items[0].details_in("ja"), "Okta: 自動招待 オン、管理対象Apple ID オフ");
    assert_eq!(listed.items[0].details_in("fr"), "Okta : invitation automatique activé, identifiant Apple géré désactivé");
}

#[tokio::test]
async fn groups_list_with_member_counts_page_their_members_and_delete_with_their_memberships_only() {
    let scim = signed_in().await;
    let mut members = Vec::new();
    for n in 0..55 {
        let id = scim.created(Idp::Okta, &okta_user(&format!("m{n:02}@example.com"))).await["id"].as_str().unwrap().to_owned();
        members.push(json!({"value": id}));
    }
    let group = json!({"schemas": [GROUP_SCHEMA], "displayName": "Everyone", "members": members});
    let created: Value = scim.send(Idp::Okta, reqwest::Method::POST, "/Groups", Some(&group)).await.json().await.unwrap();
    let group_id = created["id"].as_str().unwrap();

    let list: Paged<GroupSummary> = scim.app.call::<ListGroups>(&[("offset", "0")]).await.json().await.unwrap();
    let rows: Vec<(&str, Source, i64)> = list.items.iter().map(|g| (g.display_name.as_str(), g.source, g.member_count)).collect();
    // SPEC L4's built-in "All Users" is the group of every user.
    assert_eq!(rows, [("All Users", Source::Builtin, 55), ("Everyone", Source::ScimOkta, 55)]);
    let found: Paged<GroupSummary> = scim.app.call::<ListGroups>(&[("text", "EVERY"), ("offset", "0")]).await.json().await.unwrap();
    assert_eq!(found.total, 1);

    let detail: GroupDetail = scim.app.call::<GetGroup>(&[("id", group_id)]).await.json().await.unwrap();
    assert_eq!((detail.member_count, detail.source), (55, Source::ScimOkta));
    let second: Paged<UserSummary> = scim.app.call::<ListGroupMembers>(&[("id", group_id), ("offset", "50")]).await.json().await.unwrap();
    assert_eq!((second.total, second.items.len()), (55, 5));
    assert_eq!(second.items[0].user_name, "m50@example.com");

    let all: GroupDetail = scim.app.call::<GetGroup>(&[("id", "all-users")]).await.json().await.unwrap();
    assert_eq!(all.member_count, 55);
    assert!(!all.updated_at.starts_with("1970") && !all.created_at.starts_with("1970"), "no epoch dates: {all:?}");
    let newest: Vec<(String,)> = scim.sql("SELECT MAX(updated_at) FROM users").await;
    assert_eq!(all.updated_at, newest[0].0, "All Users changes when a user does");
    let everyone: Paged<UserSummary> =
        scim.app.call::<ListGroupMembers>(&[("id", "all-users"), ("offset", "50")]).await.json().await.unwrap();
    assert_eq!((everyone.total, everyone.items.len(), everyone.items[0].user_name.as_str()), (55, 5, "m50@example.com"));

    let builtin = scim.app.call::<DeleteGroup>(&[("id", "all-users")]).await;
    assert!(refusal(builtin).await.contains("built in"));
    assert!(scim.app.call::<DeleteGroup>(&[("id", group_id)]).await.status().is_success());
    assert_eq!(scim.get(Idp::Okta, &format!("/Groups/{group_id}")).await.status(), 404);
    let still_active: Vec<(i64,)> = scim.sql("SELECT COUNT(*) FROM users WHERE active = 1").await;
    assert_eq!(still_active, [(55,)], "an admin's delete leaves the members as they were");
    let audit: Vec<(String,)> = scim.sql("SELECT details FROM audit_events WHERE action = 'User group deleted'").await;
    assert_eq!(audit, [("Everyone (provisioned by Okta)".to_owned(),)]);
}

#[tokio::test]
async fn directory_and_settings_functions_need_a_signed_in_admin() {
    let scim = Scim::new().await;
    let list = scim.app.call_json::<ListUsers>(&json!({"filter": filter(None, None, None, "UserName"), "offset": 0})).await;
    assert!(list.text().await.unwrap().contains("Unauthorized"));
    let add = scim.app.call::<AddCustomAttribute>(&[("idp", "okta"), ("name", "x")]).await;
    assert!(add.text().await.unwrap().contains("Unauthorized"));
    let count: Vec<(i64,)> = scim.sql("SELECT COUNT(*) FROM custom_attributes").await;
    assert_eq!(count, [(0,)]);
}
