//! The portal's token actions (T1-T5) through their server functions: behind the session,
//! audited, and in force at the SCIM endpoint at once.

use crate::common::{refusal, TestApp};
use provisio::api::tokens::{DeleteToken, GenerateToken, RenewToken, SetTokenActive};
use provisio::domain::idp::Idp;
use provisio::models::NewToken;

async fn scim_status(app: &TestApp, secret: &str) -> u16 {
    app.scim_get(Idp::Okta, "/Users?count=1", Some(&format!("Bearer {secret}"))).await.status().as_u16()
}

async fn generated(app: &TestApp) -> NewToken {
    let response = app.call::<GenerateToken>(&[("idp", "okta")]).await;
    assert!(response.status().is_success(), "{}", response.status());
    response.json().await.unwrap()
}

#[tokio::test]
async fn token_actions_need_a_signed_in_admin() {
    let app = TestApp::spawn().await;
    let response = app.call::<GenerateToken>(&[("idp", "okta")]).await;
    assert!(!response.status().is_success());
    assert!(response.text().await.unwrap().contains("Unauthorized"));
    let tokens: Vec<(i64,)> = sqlx::query_as("SELECT COUNT(*) FROM scim_tokens")
        .fetch_all(&sqlx::SqlitePool::connect(&format!("sqlite:{}", app.database)).await.unwrap())
        .await
        .unwrap();
    assert_eq!(tokens, [(0,)]);
}

#[tokio::test]
async fn generate_set_inactive_renew_and_delete_take_effect_at_once_and_are_audited() {
    let app = TestApp::spawn().await;
    app.set_up_admin("ann", "correct horse battery staple").await;

    let first = generated(&app).await;
    assert!(first.secret.starts_with("prv_") && first.scim_base_url.ends_with("/scim/v2/okta"));
    assert_eq!(scim_status(&app, &first.secret).await, 200);
    let second = generated(&app).await;
    let third = app.call::<GenerateToken>(&[("idp", "okta")]).await;
    assert!(refusal(third).await.contains("already has 2 tokens"), "T2");

    let id = first.token.id.as_str();
    app.call::<SetTokenActive>(&[("idp", "okta"), ("id", id), ("active", "false")]).await;
    assert_eq!(scim_status(&app, &first.secret).await, 401);
    app.call::<SetTokenActive>(&[("idp", "okta"), ("id", id), ("active", "true")]).await;
    assert_eq!(scim_status(&app, &first.secret).await, 200);

    let renewed: NewToken = app.call::<RenewToken>(&[("idp", "okta"), ("id", id)]).await.json().await.unwrap();
    assert_eq!(renewed.token.id, first.token.id);
    assert!(renewed.token.renewed_at.is_some());
    assert_eq!(scim_status(&app, &first.secret).await, 401, "the replaced secret stops working");
    assert_eq!(scim_status(&app, &renewed.secret).await, 200);

    // A token is reached through its own IdP only.
    let elsewhere = app.call::<DeleteToken>(&[("idp", "entra"), ("id", &second.token.id)]).await;
    assert!(refusal(elsewhere).await.contains("no longer exists"));
    app.call::<DeleteToken>(&[("idp", "okta"), ("id", &second.token.id)]).await;
    assert_eq!(scim_status(&app, &second.secret).await, 401);

    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", app.database)).await.unwrap();
    let audit: Vec<(String, String, String)> =
        sqlx::query_as("SELECT action, actor, details FROM audit_events WHERE action LIKE 'SCIM token%' ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    let actions: Vec<&str> = audit.iter().map(|(action, _, _)| action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "SCIM token created",
            "SCIM token created",
            "SCIM token deactivated",
            "SCIM token activated",
            "SCIM token renewed",
            "SCIM token deleted"
        ]
    );
    assert!(audit.iter().all(|(_, actor, details)| actor == "ann" && details == "Okta"));
    let stored: Vec<(String,)> = sqlx::query_as("SELECT secret_hash FROM scim_tokens").fetch_all(&pool).await.unwrap();
    assert!(stored.iter().all(|(hash,)| hash.len() == 64 && !hash.contains(&renewed.secret)), "T6: hashes only");
}
