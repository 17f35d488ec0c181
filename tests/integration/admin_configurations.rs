//! A7: configuration fields with `${variables}`: unknown names refused, each user's values
//! substituted in the preview, changes audited.

use crate::common::{okta_user, refusal, Scim};
use provisio::api::configurations::{DeleteConfiguration, GetConfiguration, PreviewConfiguration, SaveConfiguration};
use provisio::api::settings::AddCustomAttribute;
use provisio::domain::idp::Idp;
use provisio::models::{Configuration, PreviewField};
use serde_json::{json, Value};

fn profile(display_name: &str) -> Value {
    json!({
        "email_address": "${email}",
        "display_name": display_name,
        "account_user_name": "${userName}",
        "incoming_server": "imap.example.com",
        "outgoing_server": "smtp.example.com"
    })
}

#[tokio::test]
async fn variables_are_checked_on_save_and_filled_in_per_user() {
    let scim = Scim::new().await;
    scim.app.set_up_admin("ann", "correct horse battery staple").await;
    let refused = scim
        .app
        .call_json::<SaveConfiguration>(&json!({"id": null, "name": "Mail", "profile": profile("${displayName} ${costCenter}")}))
        .await;
    assert!(refusal(refused).await.contains("Display name uses ${costCenter}, which is not a user attribute"));

    scim.app.call::<AddCustomAttribute>(&[("idp", "okta"), ("name", "costCenter")]).await;
    let saved = scim
        .app
        .call_json::<SaveConfiguration>(&json!({"id": null, "name": "Mail", "profile": profile("${displayName} (${costCenter})")}))
        .await;
    assert!(saved.status().is_success());
    let id: i64 = saved.json().await.unwrap();
    let stored: Configuration = scim.app.call::<GetConfiguration>(&[("id", &id.to_string())]).await.json().await.unwrap();
    assert_eq!(stored.profile.display_name, "${displayName} (${costCenter})", "kept as written");
    let twice = scim.app.call_json::<SaveConfiguration>(&json!({"id": null, "name": "MAIL", "profile": profile("x")})).await;
    assert!(refusal(twice).await.contains("already exists"));

    let mut user = okta_user("ann@example.com");
    user["urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:costCenter"] = json!("CC-7");
    scim.created(Idp::Okta, &user).await;
    scim.created(Idp::Okta, &okta_user("bo@example.com")).await;

    let preview = |user_name: &str| json!({"profile": stored.profile, "user_name": user_name});
    let ann: Vec<PreviewField> = scim.app.call_json::<PreviewConfiguration>(&preview("ANN@example.com")).await.json().await.unwrap();
    let texts: Vec<&str> = ann.iter().map(|f| f.text.as_str()).collect();
    assert_eq!(texts, ["ann@example.com", "Test User (CC-7)", "ann@example.com", "imap.example.com", "smtp.example.com"]);
    let bo: Vec<PreviewField> = scim.app.call_json::<PreviewConfiguration>(&preview("bo@example.com")).await.json().await.unwrap();
    assert_eq!((bo[1].text.as_str(), bo[1].missing.as_slice()), ("Test User ()", ["costCenter".to_owned()].as_slice()));
    let nobody = scim.app.call_json::<PreviewConfiguration>(&preview("nobody")).await;
    assert!(refusal(nobody).await.contains("No user is named nobody"));

    assert!(scim.app.call::<DeleteConfiguration>(&[("id", &id.to_string())]).await.status().is_success());
    let audit: Vec<(String, String)> =
        scim.sql("SELECT action, details FROM audit_events WHERE action LIKE 'Configuration%' ORDER BY id").await;
    assert_eq!(audit, [("Configuration saved".into(), "Mail".into()), ("Configuration deleted".into(), "Mail".into())]);
}
