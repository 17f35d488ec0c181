//! Token lifetimes (never, 90 days, 1 year, a date): set by Generate and Renew in the portal and
//! on the command line, enforced at the SCIM door; and the `provisio token` commands, audited
//! like the portal's actions.

use crate::common::{refusal, TestApp};
use provisio::api::tokens::{GenerateToken, RenewToken};
use provisio::domain::idp::Idp;
use provisio::models::NewToken;
use provisio::server::cli;

const DAY: i64 = 86_400;

async fn sql_execute(app: &TestApp, query: &str) {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", app.database)).await.unwrap();
    sqlx::query(query).execute(&pool).await.unwrap();
    pool.close().await;
}

async fn scim_status(app: &TestApp, idp: Idp, secret: &str) -> u16 {
    app.scim_get(idp, "/Users?count=1", Some(&format!("Bearer {secret}"))).await.status().as_u16()
}

#[tokio::test]
async fn generate_and_renew_set_the_lifetime_chosen() {
    let app = TestApp::spawn().await;
    app.set_up_admin("ann", "correct horse battery staple").await;

    let never: NewToken = app.call::<GenerateToken>(&[("idp", "okta")]).await.json().await.unwrap();
    assert_eq!((never.token.expires_at, never.token.expires_in_seconds), (None, None));
    let quarter: NewToken = app.call::<GenerateToken>(&[("idp", "entra"), ("lifetime", "90d")]).await.json().await.unwrap();
    let left = quarter.token.expires_in_seconds.unwrap();
    assert!((90 * DAY - 5..=90 * DAY).contains(&left), "{left}");

    let renewed = app.call::<RenewToken>(&[("idp", "okta"), ("id", &never.token.id), ("lifetime", "2100-01-31")]).await;
    let renewed: NewToken = renewed.json().await.unwrap();
    assert_eq!(renewed.token.expires_at.as_deref(), Some("2100-01-31T00:00:00.000Z"));
    let year: NewToken =
        app.call::<RenewToken>(&[("idp", "entra"), ("id", &quarter.token.id), ("lifetime", "1y")]).await.json().await.unwrap();
    assert!(year.token.expires_in_seconds.unwrap() > 364 * DAY);

    let past = app.call::<GenerateToken>(&[("idp", "okta"), ("lifetime", "2020-01-01")]).await;
    assert_eq!(past.status(), 400);
    assert!(refusal(past).await.contains("2020-01-01"));
    let nonsense = app.call::<GenerateToken>(&[("idp", "okta"), ("lifetime", "forever")]).await;
    assert_eq!(nonsense.status(), 400);
}

#[tokio::test]
async fn an_expired_token_gets_401_at_once_and_its_twin_keeps_working() {
    let app = TestApp::spawn().await;
    let url = url::Url::parse(&app.address).unwrap();
    let expiring = cli::create_token_expiring(&app.database, Idp::Okta, &url, "90d").await.unwrap();
    let other = app.create_token(Idp::Okta).await;
    let secret = secrecy::ExposeSecret::expose_secret(&expiring.secret).to_owned();
    assert_eq!(scim_status(&app, Idp::Okta, &secret).await, 200);

    sql_execute(&app, &format!("UPDATE scim_tokens SET expires_at = '2026-01-01T00:00:00.000Z' WHERE id = '{}'", expiring.token.id)).await;
    let refused = app.scim_get(Idp::Okta, "/Users?count=1", Some(&format!("Bearer {secret}"))).await;
    let body = crate::common::assert_scim_error(refused, 401).await;
    assert!(body["detail"].as_str().unwrap().contains("expired"), "{body}");
    assert_eq!(scim_status(&app, Idp::Okta, &other).await, 200);

    let listed = cli::list_tokens(&app.database, Idp::Okta).await.unwrap();
    let table = cli::token_table(&listed);
    let line = table.lines().find(|line| line.starts_with(&expiring.token.id)).expect("listed by id");
    assert!(line.contains("expired") && line.contains("2026-01-01"), "{table}");
}

#[tokio::test]
async fn the_token_commands_do_what_the_portal_does_and_are_audited() {
    let app = TestApp::spawn().await;
    let url = url::Url::parse(&app.address).unwrap();
    assert_eq!(cli::token_table(&cli::list_tokens(&app.database, Idp::Entra).await.unwrap()), "No tokens.");
    let created = cli::create_token_expiring(&app.database, Idp::Entra, &url, "1y").await.unwrap();
    let id = created.token.id.clone();
    let first = secrecy::ExposeSecret::expose_secret(&created.secret).to_owned();

    cli::set_token_active(&app.database, Idp::Entra, &id, false).await.unwrap();
    assert!(cli::token_table(&cli::list_tokens(&app.database, Idp::Entra).await.unwrap()).contains("inactive"));
    assert_eq!(scim_status(&app, Idp::Entra, &first).await, 401);
    cli::set_token_active(&app.database, Idp::Entra, &id, true).await.unwrap();
    assert_eq!(scim_status(&app, Idp::Entra, &first).await, 200);

    let renewed = cli::renew_token(&app.database, Idp::Entra, &id, "never", &url).await.unwrap();
    assert_eq!(renewed.token.expires_at, None, "the new secret has the new lifetime");
    assert!(renewed.to_string().contains("/scim/v2/entra"));
    assert_eq!(scim_status(&app, Idp::Entra, &first).await, 401, "the old secret stops at once");
    assert_eq!(scim_status(&app, Idp::Entra, secrecy::ExposeSecret::expose_secret(&renewed.secret)).await, 200);

    let elsewhere = cli::delete_token(&app.database, Idp::Okta, &id).await.unwrap_err();
    assert!(elsewhere.to_string().contains("no longer exists"), "a token is reached through its own IdP: {elsewhere}");
    assert!(cli::create_token_expiring(&app.database, Idp::Entra, &url, "yesterday").await.is_err());
    cli::delete_token(&app.database, Idp::Entra, &id).await.unwrap();
    assert!(cli::list_tokens(&app.database, Idp::Entra).await.unwrap().is_empty());

    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", app.database)).await.unwrap();
    let events: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT action, actor, target FROM audit_events ORDER BY id").fetch_all(&pool).await.unwrap();
    let actions: Vec<&str> = events.iter().map(|(action, _, _)| action.as_str()).collect();
    assert_eq!(
        actions,
        ["SCIM token created", "SCIM token deactivated", "SCIM token activated", "SCIM token renewed", "SCIM token deleted"]
    );
    assert!(events.iter().all(|(_, actor, target)| actor == cli::CLI_ACTOR && target.as_deref() == Some(id.as_str())), "{events:?}");
}
