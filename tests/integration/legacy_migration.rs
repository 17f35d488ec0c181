//! M1, M2: legacy users imported from CSV, the migration that makes the legacy source
//! read-only while SCIM takes its users and groups over, and the bulk delete of leftovers.

use crate::common::{okta_user, refusal, Scim, GROUP_SCHEMA};
use provisio::api::directory::GetUser;
use provisio::api::legacy::{
    DeleteLeftovers, FinishMigration, GetLegacyOverview, ImportLegacyCsv, ListLeftoverGroups, ListLeftoverUsers, StartMigration,
};
use provisio::domain::idp::{Idp, Source};
use provisio::models::{GroupSummary, ImportReport, LegacyOverview, MigrationState, Paged, UserDetail, UserSummary};
use serde_json::json;

const CSV: &str = "userName,givenName,familyName,email,displayName,groups\n\
                   ann@contoso.com,Ann,Lee,ann@contoso.com,Ann Lee,Sales;Field\n\
                   bo@contoso.com,Bo,Ng,bo@contoso.com,,Sales\n\
                   cy@contoso.com,Cy,,cy@contoso.com,,\n\
                   taken@contoso.com,Ta,Ken,taken@contoso.com,,\n\
                   dee@contoso.com,Dee,Ray,dee@contoso.com,,\n";

async fn overview(scim: &Scim) -> LegacyOverview {
    scim.app.call::<GetLegacyOverview>(&[]).await.json().await.unwrap()
}

async fn leftovers(scim: &Scim) -> (Vec<String>, Vec<String>) {
    let users: Paged<UserSummary> = scim.app.call::<ListLeftoverUsers>(&[("offset", "0")]).await.json().await.unwrap();
    let groups: Paged<GroupSummary> = scim.app.call::<ListLeftoverGroups>(&[("offset", "0")]).await.json().await.unwrap();
    (users.items.into_iter().map(|u| u.user_name).collect(), groups.items.into_iter().map(|g| g.display_name).collect())
}

#[tokio::test]
async fn legacy_users_are_imported_taken_over_by_scim_and_the_leftovers_deleted() {
    let scim = Scim::new().await;
    scim.app.set_up_admin("ann", "correct horse battery staple").await;
    scim.created(Idp::Okta, &okta_user("taken@contoso.com")).await;

    let report: ImportReport = scim.app.call_json::<ImportLegacyCsv>(&json!({"csv": CSV})).await.json().await.unwrap();
    assert_eq!((report.imported, report.groups_created), (3, 2));
    let skipped: Vec<(usize, String)> = report.skipped.iter().map(|(line, reason)| (*line, reason.to_string())).collect();
    assert_eq!(skipped, [(4, "Enter the last name.".to_owned()), (5, "taken@contoso.com already exists".to_owned())]);
    let bad = scim.app.call_json::<ImportLegacyCsv>(&json!({"csv": "name\nx\n"})).await;
    assert!(refusal(bad).await.contains("missing: userName"));
    assert_eq!((overview(&scim).await.users, overview(&scim).await.groups), (3, 2));
    let early = scim.app.call_json::<DeleteLeftovers>(&json!({"all": true, "users": [], "groups": []})).await;
    assert!(refusal(early).await.contains("Start the migration first"));

    assert!(scim.app.call::<StartMigration>(&[]).await.status().is_success());
    assert!(matches!(overview(&scim).await.migration, MigrationState::UnderWay { by, .. } if by == "ann"));
    let read_only = scim.app.call_json::<ImportLegacyCsv>(&json!({"csv": CSV})).await;
    assert!(refusal(read_only).await.contains("read-only"), "M1: no imports during the migration");

    // Entra ID sends Ann and the Sales group: both are taken over, keeping their ids.
    let (ann_id,): (String,) = scim.sql("SELECT id FROM users WHERE user_name = 'ann@contoso.com'").await.remove(0);
    let mut ann = okta_user("ann@contoso.com");
    ann["name"] = json!({"givenName": "Ann", "familyName": "Lee"});
    let taken = scim.created(Idp::Entra, &ann).await;
    assert_eq!(taken["id"].as_str(), Some(ann_id.as_str()));
    let sales = json!({"schemas": [GROUP_SCHEMA], "displayName": "Sales", "members": [{"value": ann_id}]});
    let response = scim.send(Idp::Entra, reqwest::Method::POST, "/Groups", Some(&sales)).await;
    assert_eq!(response.status(), 201);
    let group: serde_json::Value = response.json().await.unwrap();
    assert_eq!(group["members"].as_array().unwrap().len(), 1, "the IdP's members replace the legacy ones");
    let user: UserDetail = scim.app.call::<GetUser>(&[("id", &ann_id)]).await.json().await.unwrap();
    assert_eq!(user.source, Source::ScimEntra);

    // M2: what Entra ID did not send.
    assert_eq!(leftovers(&scim).await, (vec!["bo@contoso.com".into(), "dee@contoso.com".into()], vec!["Field".into()]));
    let (bo_id,): (String,) = scim.sql("SELECT id FROM users WHERE user_name = 'bo@contoso.com'").await.remove(0);
    let some = json!({"all": false, "users": [bo_id, ann_id], "groups": []});
    let deleted: (u64, u64) = scim.app.call_json::<DeleteLeftovers>(&some).await.json().await.unwrap();
    assert_eq!(deleted, (1, 0), "a user SCIM took over is never a leftover");
    assert!(scim.app.call::<FinishMigration>(&[]).await.status().is_success());
    let rest: (u64, u64) =
        scim.app.call_json::<DeleteLeftovers>(&json!({"all": true, "users": [], "groups": []})).await.json().await.unwrap();
    assert_eq!(rest, (1, 1));
    assert_eq!(leftovers(&scim).await, (vec![], vec![]));
    assert_eq!(scim.get(Idp::Entra, &format!("/Users/{}", taken["id"].as_str().unwrap())).await.status(), 200);

    let audit: Vec<(String, String)> =
        scim.sql("SELECT action, details FROM audit_events WHERE action LIKE '%egacy%' OR action LIKE 'Migration%' ORDER BY id").await;
    assert_eq!(
        audit,
        [
            ("Legacy users imported".into(), "3 users, 2 groups; 2 rows skipped".into()),
            ("Migration to SCIM started".into(), "Entra ID user source".into()),
            ("Legacy leftovers deleted".into(), "1 users, 0 groups".into()),
            ("Migration to SCIM finished".into(), "Entra ID user source".into()),
            ("Legacy leftovers deleted".into(), "1 users, 1 groups".into()),
        ]
    );
}
