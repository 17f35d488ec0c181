//! Portal sessions: the idle timeout and the absolute lifetime, "sign out everywhere", and an
//! admin changing their own password.

use crate::common::{new_client, refusal, TestApp};
use leptos::server_fn::ServerFn;
use provisio::api::auth::{ChangePassword, SignIn, SignOutEverywhere};
use provisio::api::directory::ListGroups;
use provisio::server::auth::SessionPolicy;
use reqwest::{header, Client};
use std::time::Duration;

const PASSWORD: &str = "correct horse battery staple";

async fn app_with(policy: SessionPolicy) -> TestApp {
    let app = TestApp::spawn_with(|config| config.session = policy).await;
    app.set_up_admin("ann", PASSWORD).await;
    app
}

async fn status_for(app: &TestApp, client: &Client) -> u16 {
    app.call_with(client, ListGroups::PATH, &[("offset", "0")]).await.status().as_u16()
}

async fn signed_in_client(app: &TestApp, password: &str) -> Client {
    let client = new_client();
    let response = app.call_with(&client, SignIn::PATH, &[("username", "ann"), ("password", password)]).await;
    assert!(response.status().is_success(), "{}", response.status());
    client
}

#[tokio::test]
async fn a_session_ends_after_its_idle_timeout() {
    let app = app_with(SessionPolicy { idle: Duration::from_secs(2), lifetime: Duration::from_secs(3600) }).await;
    assert_eq!(status_for(&app, &app.client).await, 200);
    tokio::time::sleep(Duration::from_millis(2300)).await;
    assert_eq!(status_for(&app, &app.client).await, 401);
    let page = app.client.get(app.url("/groups")).send().await.unwrap();
    assert_eq!(page.headers()[header::LOCATION], "/login?next=/groups", "sent to sign-in, and back afterwards");
}

#[tokio::test]
async fn an_active_session_still_ends_at_its_lifetime() {
    let app = app_with(SessionPolicy { idle: Duration::from_secs(2), lifetime: Duration::from_secs(4) }).await;
    // Busy: a request every 0.8 s keeps the idle timeout away...
    for _ in 0..4 {
        assert_eq!(status_for(&app, &app.client).await, 200);
        tokio::time::sleep(Duration::from_millis(800)).await;
    }
    assert_eq!(status_for(&app, &app.client).await, 200, "3.2 s in, past the idle timeout only if idle had not been refreshed");
    tokio::time::sleep(Duration::from_millis(1000)).await;
    // ... but not the lifetime.
    assert_eq!(status_for(&app, &app.client).await, 401);
}

#[tokio::test]
async fn sign_out_everywhere_ends_every_session_of_the_admin() {
    let app = app_with(SessionPolicy::default()).await;
    let laptop = signed_in_client(&app, PASSWORD).await;
    let other_admin = new_client();
    provisio::server::cli::create_admin(&app.database, "bob", PASSWORD).await.unwrap();
    app.call_with(&other_admin, SignIn::PATH, &[("username", "bob"), ("password", PASSWORD)]).await;
    assert_eq!(status_for(&app, &laptop).await, 200);

    let out = app.call::<SignOutEverywhere>(&[]).await;
    assert_eq!(out.status(), 200);
    assert_eq!(out.headers()[header::LOCATION], "/login");
    assert_eq!(status_for(&app, &app.client).await, 401, "this browser");
    assert_eq!(status_for(&app, &laptop).await, 401, "the other browser");
    assert_eq!(status_for(&app, &other_admin).await, 200, "another admin's session is not touched");
}

#[tokio::test]
async fn an_admin_changes_their_password_given_the_current_one() {
    let app = app_with(SessionPolicy::default()).await;
    let laptop = signed_in_client(&app, PASSWORD).await;
    let new = "a brand new passphrase";

    let wrong = app.call::<ChangePassword>(&[("current", "not it at all"), ("password", new), ("confirm", new)]).await;
    assert_eq!(wrong.status(), 400);
    assert_eq!(refusal(wrong).await, "The current password is incorrect.");
    let differ = app.call::<ChangePassword>(&[("current", PASSWORD), ("password", new), ("confirm", "something else")]).await;
    assert_eq!(refusal(differ).await, "The two passwords differ.");
    let short = app.call::<ChangePassword>(&[("current", PASSWORD), ("password", "short"), ("confirm", "short")]).await;
    assert_eq!(short.status(), 400);

    let changed = app.call::<ChangePassword>(&[("current", PASSWORD), ("password", new), ("confirm", new)]).await;
    assert_eq!(changed.status(), 200);
    assert_eq!(status_for(&app, &app.client).await, 200, "this session goes on");
    assert_eq!(status_for(&app, &laptop).await, 401, "whoever knew the old password is signed out");

    let old = app.call_with(&new_client(), SignIn::PATH, &[("username", "ann"), ("password", PASSWORD)]).await;
    assert_eq!(old.status(), 400);
    signed_in_client(&app, new).await;
    let anonymous =
        app.call_with(&new_client(), ChangePassword::PATH, &[("current", new), ("password", PASSWORD), ("confirm", PASSWORD)]).await;
    assert_eq!(anonymous.status(), 401);
}
