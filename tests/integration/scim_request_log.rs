//! The SCIM request log: every request recorded, changes in their own transaction, secrets
//! never kept, the store's filters, and the retention limit.

use crate::common::Scim;
use provisio::domain::idp::Idp;
use provisio::models::{RequestOutcome, ScimRequestFilter};
use provisio::store::{request_log, Db};
use reqwest::Method;
use serde_json::{json, Value};

fn okta_user(user_name: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": user_name,
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "emails": [{"value": user_name, "type": "work", "primary": true}],
        "password": "Tr0ub4dor&3",
        "active": true,
        "groups": []
    })
}

fn for_idp(idp: Idp) -> ScimRequestFilter {
    ScimRequestFilter { idp: Some(idp), ..Default::default() }
}

#[tokio::test]
async fn a_change_is_logged_in_its_own_transaction_without_the_password() {
    let scim = Scim::new().await;
    let created = scim.created(Idp::Okta, &okta_user("ada@example.com")).await;
    let id = created["id"].as_str().unwrap();

    // Written with the user, so it is there the moment the response is.
    type Row = (String, i64, Option<String>, Option<String>, Option<String>, Option<String>);
    let rows: Vec<Row> =
        scim.sql("SELECT method, status, resource_type, resource_id, request_body, response_body FROM scim_requests").await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    let (method, status, resource_type, resource_id, request_body, response_body) = &rows[0];
    assert_eq!((method.as_str(), *status), ("POST", 201));
    assert_eq!(resource_type.as_deref(), Some("User"));
    assert_eq!(resource_id.as_deref(), Some(id));
    let request_body = request_body.as_deref().unwrap();
    assert!(request_body.contains("ada@example.com") && !request_body.contains("Tr0ub4dor"), "{request_body}");
    assert!(request_body.contains("[redacted]"));
    let response: Value = serde_json::from_str(response_body.as_deref().unwrap()).unwrap();
    assert_eq!(response["id"], id);

    let entry = &scim.logged(&for_idp(Idp::Okta), 1).await[0];
    assert_eq!(entry.path, "/scim/v2/okta/Users");
    assert!(entry.token_id.is_some(), "the token that called is named");
    assert!(entry.duration_ms > 0.0);
    assert!(scim.logged(&for_idp(Idp::Entra), 0).await.is_empty(), "an IdP's requests are its own");
}

#[tokio::test]
async fn reads_and_refusals_are_logged_with_their_scim_type_and_detail() {
    let scim = Scim::new().await;
    scim.created(Idp::Entra, &okta_user("grace@example.com")).await;
    let conflict = scim.post(Idp::Entra, &okta_user("grace@example.com")).await;
    assert_eq!(conflict.status(), 409);
    let search = "/Users?filter=userName%20eq%20%22grace%40example.com%22";
    assert_eq!(scim.get(Idp::Entra, search).await.status(), 200);
    let unauthorized = reqwest::Client::new().get(scim.app.scim_url(Idp::Entra, "/Users")).bearer_auth("not-a-token").send().await.unwrap();
    assert_eq!(unauthorized.status(), 401);

    let failed = ScimRequestFilter { outcome: Some(RequestOutcome::Failed), ..for_idp(Idp::Entra) };
    let entries = scim.logged(&failed, 2).await;
    assert_eq!(entries.len(), 2, "{entries:?}");
    let (refused, conflicted) = (&entries[0], &entries[1]);
    assert_eq!((refused.status, refused.token_id.as_deref()), (401, None));
    assert_eq!(conflicted.status, 409);
    assert_eq!(conflicted.scim_type.as_deref(), Some("uniqueness"));
    assert!(conflicted.detail.as_deref().is_some_and(|d| d.contains("grace@example.com")), "{conflicted:?}");
    assert!(!conflicted.request_body.as_deref().unwrap().contains("Tr0ub4dor"));

    let reads = ScimRequestFilter { method: Some("get".into()), outcome: Some(RequestOutcome::Succeeded), ..for_idp(Idp::Entra) };
    let read = &scim.logged(&reads, 1).await[0];
    assert_eq!(read.path, format!("/scim/v2/entra{search}"), "the query string is kept");
    assert_eq!(read.status, 200);
    // What a search found is why the IdP went on to create or update: kept.
    assert!(read.response_body.as_deref().is_some_and(|b| b.contains("\"totalResults\":1")));
    assert!(conflicted.response_body.as_deref().is_some_and(|b| b.contains("uniqueness")), "an error keeps its body");

    // A read of one user returned what is stored: the log keeps no copy of it.
    let id = read.response_body.as_deref().and_then(|b| serde_json::from_str::<Value>(b).ok()).unwrap()["Resources"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(scim.get(Idp::Entra, &format!("/Users/{id}")).await.status(), 200);
    let by_id = ScimRequestFilter { outcome: Some(RequestOutcome::Status(200)), ..reads };
    let entries = scim.logged(&by_id, 2).await;
    let read_of_one = entries.iter().find(|e| e.path.ends_with(&id)).expect("the read by id is logged");
    assert_eq!(read_of_one.response_body, None);
}

#[tokio::test]
async fn the_log_is_filtered_by_resource_status_and_time_and_paged_newest_first() {
    let scim = Scim::new().await;
    let id = scim.created(Idp::Okta, &okta_user("linus@example.com")).await["id"].as_str().unwrap().to_owned();
    let patch = json!([{"op": "replace", "value": {"active": false}}]);
    assert_eq!(scim.patch(Idp::Okta, &format!("/Users/{id}"), patch).await.status(), 200);
    assert_eq!(scim.get(Idp::Okta, &format!("/Users/{id}")).await.status(), 200);
    assert_eq!(scim.send(Idp::Okta, Method::DELETE, &format!("/Users/{id}"), None).await.status(), 204);
    assert_eq!(scim.get(Idp::Okta, &format!("/Users/{id}")).await.status(), 404);
    assert_eq!(scim.get(Idp::Okta, "/Groups").await.status(), 200);

    // The changes and errors about the user; its successful read is in the log, not in this view.
    let about_user = ScimRequestFilter { resource_id: Some(id.clone()), ..for_idp(Idp::Okta) };
    let history = scim.logged(&about_user, 4).await;
    let methods: Vec<_> = history.iter().map(|e| (e.method.as_str(), e.status)).collect();
    assert_eq!(methods, [("GET", 404), ("DELETE", 204), ("PATCH", 200), ("POST", 201)]);

    let not_found = ScimRequestFilter { outcome: Some(RequestOutcome::Status(404)), ..for_idp(Idp::Okta) };
    assert_eq!(scim.logged(&not_found, 1).await.len(), 1);
    let groups = ScimRequestFilter { resource_type: Some("Group".into()), ..for_idp(Idp::Okta) };
    assert_eq!(scim.logged(&groups, 1).await.len(), 1);

    let all = scim.logged(&for_idp(Idp::Okta), 6).await;
    let middle = &all[2].occurred_at;
    let since = ScimRequestFilter { since: Some(middle.clone()), ..for_idp(Idp::Okta) };
    assert!(scim.logged(&since, 3).await.iter().all(|e| &e.occurred_at >= middle));
    let until = ScimRequestFilter { until: Some(all.last().unwrap().occurred_at.clone()), ..for_idp(Idp::Okta) };
    assert!(scim.logged(&until, 0).await.is_empty(), "until is exclusive");

    let db = Db::open(&scim.app.database).await.unwrap();
    let first = request_log::list(&db, &for_idp(Idp::Okta), None, 4).await.unwrap();
    assert_eq!(first.items.len(), 4);
    let rest = request_log::list(&db, &for_idp(Idp::Okta), first.next.as_ref(), 4).await.unwrap();
    assert_eq!(rest.items.len(), 2);
    assert_eq!(rest.next, None);
    let ids: Vec<i64> = first.items.iter().chain(&rest.items).map(|e| e.id).collect();
    assert_eq!(ids, all.iter().map(|e| e.id).collect::<Vec<_>>());
    assert_eq!(request_log::get(&db, ids[0]).await.unwrap().unwrap().id, ids[0]);
}

#[tokio::test]
async fn old_and_surplus_entries_are_pruned() {
    let scim = Scim::new().await;
    for _ in 0..5 {
        assert_eq!(scim.get(Idp::Entra, "/Users?count=1").await.status(), 200);
    }
    scim.logged(&for_idp(Idp::Entra), 5).await;
    let db = Db::open(&scim.app.database).await.unwrap();
    sqlx::query("UPDATE scim_requests SET occurred_at = '2020-01-01T00:00:00.000Z' WHERE id = (SELECT MIN(id) FROM scim_requests)")
        .execute(&db.write)
        .await
        .unwrap();

    let retention = request_log::Retention { days: 30, max_entries: 3 };
    assert_eq!(request_log::prune(&db, retention, chrono::Utc::now()).await.unwrap(), 2, "one too old, one too many");
    let kept = request_log::list(&db, &ScimRequestFilter::default(), None, 10).await.unwrap().items;
    assert_eq!(kept.len(), 3);
    assert_eq!(request_log::prune(&db, retention, chrono::Utc::now()).await.unwrap(), 0);
}

#[tokio::test]
async fn every_entry_names_its_user_or_group_and_expected_answers_are_set_apart() {
    use provisio::domain::request_outcome::Outcome;
    let scim = Scim::new().await;
    let ada = scim.created(Idp::Entra, &okta_user("ada@example.com")).await["id"].as_str().unwrap().to_owned();
    assert_eq!(scim.send(Idp::Entra, Method::DELETE, &format!("/Users/{ada}"), None).await.status(), 204);
    assert_eq!(scim.get(Idp::Entra, &format!("/Users/{ada}")).await.status(), 404);
    let group = json!({"schemas": [crate::common::GROUP_SCHEMA], "displayName": "Team Blue"});
    let created: Value = scim.send(Idp::Entra, Method::POST, "/Groups", Some(&group)).await.json().await.unwrap();
    let team = created["id"].as_str().unwrap().to_owned();
    assert_eq!(scim.send(Idp::Entra, Method::DELETE, &format!("/Groups/{team}"), None).await.status(), 204);
    scim.created(Idp::Entra, &okta_user("grace@example.com")).await;
    assert_eq!(scim.post(Idp::Entra, &okta_user("grace@example.com")).await.status(), 409);

    let entries = scim.logged(&for_idp(Idp::Entra), 7).await;
    let seen: Vec<_> = entries.iter().map(|e| (e.method.as_str(), e.status, e.resource_name.as_deref(), e.outcome())).collect();
    assert_eq!(
        seen,
        [
            ("POST", 409, Some("grace@example.com"), Outcome::NeedsAttention),
            ("POST", 201, Some("grace@example.com"), Outcome::Succeeded),
            // The group is gone: its name comes from what the log saw of it before.
            ("DELETE", 204, Some("Team Blue"), Outcome::Succeeded),
            ("POST", 201, Some("Team Blue"), Outcome::Succeeded),
            // Soft-deleted (L3): gone to SCIM, an ordinary 404 the IdP expects.
            ("GET", 404, Some("ada@example.com"), Outcome::Expected),
            ("DELETE", 204, Some("ada@example.com"), Outcome::Succeeded),
            ("POST", 201, Some("ada@example.com"), Outcome::Succeeded),
        ]
    );

    // Once the IdP gets on with the user it collided with, the conflict is no longer the admin's.
    let grace = scim.get(Idp::Entra, "/Users?filter=userName%20eq%20%22grace%40example.com%22").await.json::<Value>().await.unwrap();
    let grace = grace["Resources"][0]["id"].as_str().unwrap().to_owned();
    let patch = json!([{"op": "replace", "value": {"displayName": "Grace H."}}]);
    assert_eq!(scim.patch(Idp::Entra, &format!("/Users/{grace}"), patch).await.status(), 200);
    let failed = ScimRequestFilter { outcome: Some(RequestOutcome::Failed), ..for_idp(Idp::Entra) };
    let outcomes: Vec<_> = scim.logged(&failed, 2).await.iter().map(|e| (e.status, e.outcome())).collect();
    assert_eq!(outcomes, [(409, Outcome::Expected), (404, Outcome::Expected)]);
}
