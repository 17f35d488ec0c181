//! Admin sign-in: first-run setup with the one-time code, sign-in rules, sessions, sign-out,
//! and every portal page and server function behind the session.

use crate::common::{new_client, refusal, TestApp};
use provisio::api::auth::{SignIn, SignOut};
use provisio::api::directory::ListGroups;
use provisio::server::cli;
use reqwest::header;

const PASSWORD: &str = "correct horse battery staple";

async fn text(response: reqwest::Response) -> String {
    response.text().await.unwrap()
}

/// A server function that succeeded and told the browser where to go next.
fn assert_redirects_to(response: &reqwest::Response, path: &str) {
    assert!(response.status().is_success(), "{}", response.status());
    assert_eq!(response.headers()[header::LOCATION], path);
}

#[tokio::test]
async fn pages_send_anonymous_visitors_to_setup_then_to_sign_in() {
    let app = TestApp::spawn().await;
    let client = new_client();
    for page in ["/", "/users", "/groups", "/audit", "/admin/system/attributes", "/admin/identity/provisioning/entra"] {
        let response = client.get(app.url(page)).send().await.unwrap();
        assert_eq!(response.status(), 303, "{page}");
        assert_eq!(response.headers()[header::LOCATION], "/setup", "{page}");
    }
    app.set_up_admin("ann", PASSWORD).await;
    let response = client.get(app.url("/users")).send().await.unwrap();
    assert_eq!(response.headers()[header::LOCATION], "/login?next=/users");
    let response = client.get(app.url("/setup")).send().await.unwrap();
    assert_eq!(response.headers()[header::LOCATION], "/login", "setup is over once an admin exists");
}

#[tokio::test]
async fn setup_needs_the_code_from_the_log_and_happens_once() {
    let app = TestApp::spawn().await;
    let code = app.setup_code.clone().expect("no admin yet, so a setup code");
    assert_eq!(code.len(), 14);

    let wrong = app
        .call::<provisio::api::auth::CompleteSetup>(&[
            ("code", "AAAA-BBBB-CCCC"),
            ("username", "ann"),
            ("password", PASSWORD),
            ("confirm", PASSWORD),
        ])
        .await;
    assert!(!wrong.status().is_success() && !wrong.status().is_redirection());
    assert!(refusal(wrong).await.contains("setup code is not right"));

    let mismatch = app
        .call::<provisio::api::auth::CompleteSetup>(&[
            ("code", &code),
            ("username", "ann"),
            ("password", PASSWORD),
            ("confirm", "something else entirely"),
        ])
        .await;
    assert!(refusal(mismatch).await.contains("The two passwords differ"));

    let short = app
        .call::<provisio::api::auth::CompleteSetup>(&[("code", &code), ("username", "ann"), ("password", "short"), ("confirm", "short")])
        .await;
    assert!(refusal(short).await.contains("at least 12 characters"));

    let done = app.set_up_admin("ann", PASSWORD).await;
    assert_redirects_to(&done, "/users");
    // Signed in by setup: a server function now answers.
    let users = app.call::<ListGroups>(&[("offset", "0")]).await;
    assert_eq!(users.status(), 200, "{}", text(users).await);

    let again = app.set_up_admin("mallory", PASSWORD).await;
    assert!(refusal(again).await.contains("Setup is already complete"));
}

#[tokio::test]
async fn a_wrong_password_or_username_gets_one_message_and_no_session() {
    let app = TestApp::spawn().await;
    cli::create_admin(&app.database, "ann", PASSWORD).await.unwrap();
    let client = new_client();

    let wrong_password = app
        .call_with(&client, <SignIn as leptos::server_fn::ServerFn>::PATH, &[("username", "ann"), ("password", "not the password")])
        .await;
    let wrong_password = refusal(wrong_password).await;
    let wrong_user =
        app.call_with(&client, <SignIn as leptos::server_fn::ServerFn>::PATH, &[("username", "bob"), ("password", PASSWORD)]).await;
    let wrong_user = refusal(wrong_user).await;
    assert!(wrong_password.contains("The username or password is incorrect."), "{wrong_password}");
    assert_eq!(wrong_password, wrong_user, "no hint which part was wrong");
    let overlong = "a".repeat(65);
    let overlong =
        app.call_with(&client, <SignIn as leptos::server_fn::ServerFn>::PATH, &[("username", &overlong), ("password", PASSWORD)]).await;
    assert_eq!(refusal(overlong).await, wrong_user, "a name no admin can have gets the same answer");

    let users = app.call_with(&client, <ListGroups as leptos::server_fn::ServerFn>::PATH, &[("offset", "0")]).await;
    assert!(text(users).await.contains("Unauthorized"));
}

#[tokio::test]
async fn repeated_wrong_passwords_hold_that_name_back_even_with_the_right_one() {
    let app = TestApp::spawn().await;
    cli::create_admin(&app.database, "ann", PASSWORD).await.unwrap();
    cli::create_admin(&app.database, "bob", PASSWORD).await.unwrap();
    let app = &app;
    let sign_in = |username: &'static str, password: &'static str| {
        let form = [("username", username), ("password", password)];
        async move { app.call::<SignIn>(&form).await }
    };

    for _ in 0..5 {
        assert!(refusal(sign_in("ann", "a guess").await).await.contains("incorrect"));
    }
    let held = refusal(sign_in("Ann", PASSWORD).await).await;
    // The wait counts down from 30 s from the fifth failure; a slow machine may already be at 29.
    assert!(["30", "29"].iter().any(|s| held == format!("Too many failed sign-ins. Wait {s} seconds, then try again.")), "{held}");
    assert_redirects_to(&sign_in("bob", PASSWORD).await, "/users");
}

#[tokio::test]
async fn sign_in_sets_a_strict_http_only_cookie_and_sign_out_ends_the_session() {
    let app = TestApp::spawn().await;
    cli::create_admin(&app.database, "ann", PASSWORD).await.unwrap();

    let response = app.call::<SignIn>(&[("username", "ann"), ("password", PASSWORD)]).await;
    assert_redirects_to(&response, "/users");
    let cookie = response.headers()[header::SET_COOKIE].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("provisio_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http in tests: {cookie}");

    let page = app.client.get(app.url("/users")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(text(page).await.contains("Users"));
    let users = app.call::<ListGroups>(&[("offset", "0")]).await;
    assert_eq!(users.status(), 200);
    // Sessions are server-side rows.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", app.database)).await.unwrap();
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(&pool).await.unwrap();
    assert_eq!(sessions, 1);

    let out = app.call::<SignOut>(&[]).await;
    assert_redirects_to(&out, "/login");
    let users = app.call::<ListGroups>(&[("offset", "0")]).await;
    assert!(text(users).await.contains("Unauthorized"));
    let page = app.client.get(app.url("/users")).send().await.unwrap();
    assert_eq!(page.headers()[header::LOCATION], "/login?next=/users");
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(&pool).await.unwrap();
    assert_eq!(sessions, 0);
}

#[tokio::test]
async fn signed_in_admins_see_every_page() {
    let app = TestApp::spawn().await;
    app.set_up_admin("ann", PASSWORD).await;
    for (page, heading) in [
        ("/users", "Users"),
        ("/groups", "User Groups"),
        ("/admin/identity/provisioning/entra", "Entra ID User Provisioning"),
        ("/admin/identity/provisioning/okta", "User Provisioning - Okta"),
        ("/admin/system/attributes", "Attributes"),
        ("/audit", "Audit Trail"),
    ] {
        let response = app.client.get(app.url(page)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{page}");
        // Erased views mark where a text node ends with an empty comment (`<!>`); read past them.
        let html = text(response).await.replace("<!>", "");
        assert!(html.contains(&format!("<h1>{heading}</h1>")), "{page}: {html}");
    }
    let response = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(response.headers()[header::LOCATION], "/users");
    // A sign-in link followed while signed in goes where it was meant to, on this site only.
    for (asked, sent_to) in [
        ("/login?next=/groups%3Ftext%3Dops", "/groups?text=ops"),
        ("/login?next=//evil.example/", "/"),
        ("/login?next=https://evil.example/", "/"),
        ("/login?next=/login", "/"),
        ("/login", "/"),
    ] {
        let response = app.client.get(app.url(asked)).send().await.unwrap();
        assert_eq!(response.headers()[header::LOCATION], sent_to, "{asked}");
    }
}

#[tokio::test]
async fn the_language_links_set_the_cookie_and_return_only_to_this_site() {
    let app = TestApp::spawn().await;
    let client = new_client();
    let chosen = client.get(app.url("/language/ja?to=%2Fusers%3Fq%3Dann")).send().await.unwrap();
    assert_eq!(chosen.status(), 303);
    assert_eq!(chosen.headers()[header::LOCATION], "/users?q=ann");
    let cookie = chosen.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("lang=ja;") && cookie.contains("Path=/") && cookie.contains("SameSite=Lax"), "{cookie}");

    let elsewhere = client.get(app.url("/language/fr?to=%2F%2Fevil.example")).send().await.unwrap();
    assert_eq!(elsewhere.headers()[header::LOCATION], "/", "never an open redirect");
    let unknown = client.get(app.url("/language/de?to=%2Fusers")).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    assert!(unknown.headers().get(header::SET_COOKIE).is_none());
}
