//! Bearer authentication answers from the tokens it read a moment ago. A change in the portal
//! refuses a token at once; one made by the CLI, from another process, within `FRESH_FOR`; and
//! a token the CLI creates, renews or sets active works at once.

use crate::common::TestApp;
use provisio::api::tokens::{DeleteToken, GenerateToken, RenewToken, SetTokenActive};
use provisio::domain::idp::Idp;
use provisio::models::NewToken;
use provisio::server::cli;
use provisio::store::credential_cache::FRESH_FOR;
use secrecy::ExposeSecret;
use std::time::{Duration, Instant};

async fn status(app: &TestApp, secret: &str) -> u16 {
    app.scim_get(Idp::Okta, "/Users?count=1", Some(&format!("Bearer {secret}"))).await.status().as_u16()
}

/// Uses `secret` until the server holds it in memory (a first use records when the token was
/// last used, which makes the server read the tokens again).
async fn in_use(app: &TestApp, secret: &str) {
    for _ in 0..3 {
        assert_eq!(status(app, secret).await, 200);
    }
}

/// Waits for `secret` to be refused; fails if it is still let in well past `FRESH_FOR`.
async fn refused_within_fresh_for(app: &TestApp, secret: &str) {
    let started = Instant::now();
    while status(app, secret).await != 401 {
        assert!(started.elapsed() < 2 * FRESH_FOR, "still let in after {:?}", started.elapsed());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(status(app, secret).await, 401, "and refused from then on");
}

#[tokio::test]
async fn the_cli_refuses_a_token_within_fresh_for_and_lets_one_in_at_once() {
    let app = TestApp::spawn().await;
    let url = url::Url::parse(&app.address).unwrap();
    let created = cli::create_token(&app.database, Idp::Okta, &url).await.unwrap();
    let (id, secret) = (created.token.id.clone(), created.secret.expose_secret().to_owned());
    in_use(&app, &secret).await;

    cli::set_token_active(&app.database, Idp::Okta, &id, false).await.unwrap();
    refused_within_fresh_for(&app, &secret).await;
    cli::set_token_active(&app.database, Idp::Okta, &id, true).await.unwrap();
    assert_eq!(status(&app, &secret).await, 200, "set active: works at once");
    in_use(&app, &secret).await;

    let renewed = cli::renew_token(&app.database, Idp::Okta, &id, "never", &url).await.unwrap();
    let renewed = renewed.secret.expose_secret().to_owned();
    assert_eq!(status(&app, &renewed).await, 200, "the new secret works at once");
    refused_within_fresh_for(&app, &secret).await;
    in_use(&app, &renewed).await;

    let second = cli::create_token(&app.database, Idp::Okta, &url).await.unwrap();
    assert_eq!(status(&app, second.secret.expose_secret()).await, 200, "a new token works at once");
    cli::delete_token(&app.database, Idp::Okta, &id).await.unwrap();
    refused_within_fresh_for(&app, &renewed).await;
}

#[tokio::test]
async fn the_portal_refuses_a_token_at_once_though_it_was_just_used() {
    let app = TestApp::spawn().await;
    app.set_up_admin("ann", "correct horse battery staple").await;
    let token: NewToken = app.call::<GenerateToken>(&[("idp", "okta")]).await.json().await.unwrap();
    let id = token.token.id.as_str();
    in_use(&app, &token.secret).await;

    app.call::<SetTokenActive>(&[("idp", "okta"), ("id", id), ("active", "false")]).await;
    assert_eq!(status(&app, &token.secret).await, 401, "set inactive");
    app.call::<SetTokenActive>(&[("idp", "okta"), ("id", id), ("active", "true")]).await;
    in_use(&app, &token.secret).await;

    let renewed: NewToken = app.call::<RenewToken>(&[("idp", "okta"), ("id", id)]).await.json().await.unwrap();
    assert_eq!(status(&app, &token.secret).await, 401, "renewed: the old secret");
    in_use(&app, &renewed.secret).await;

    app.call::<DeleteToken>(&[("idp", "okta"), ("id", id)]).await;
    assert_eq!(status(&app, &renewed.secret).await, 401, "deleted");
}
