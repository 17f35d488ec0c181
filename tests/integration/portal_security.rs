//! The portal's browser defenses (security headers, the same-origin rule for changes) and the
//! statuses server functions answer with, over HTTP against the real app.

use crate::common::{new_client, refusal, TestApp};
use leptos::server_fn::ServerFn;
use provisio::api::auth::SignIn;
use provisio::api::directory::GetUser;
use provisio::api::settings::AddCustomAttribute;
use provisio::api::tokens::GenerateToken;
use reqwest::{header, Response};

const PASSWORD: &str = "correct horse battery staple";

fn assert_browser_defenses(response: &Response, what: &str) {
    let headers = response.headers();
    let csp = headers.get(header::CONTENT_SECURITY_POLICY).unwrap_or_else(|| panic!("{what}: no CSP")).to_str().unwrap();
    assert!(csp.contains("script-src 'self' 'nonce-"), "{what}: {csp}");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{what}: {csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{what}");
    assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY", "{what}");
    assert_eq!(headers[header::REFERRER_POLICY], "same-origin", "{what}");
    assert!(!headers.contains_key(header::STRICT_TRANSPORT_SECURITY), "{what}: no HSTS over http");
}

#[tokio::test]
async fn pages_server_functions_and_assets_carry_the_security_headers() {
    let app = TestApp::spawn().await;
    app.set_up_admin("ann", PASSWORD).await;

    let page = app.client.get(app.url("/users")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_browser_defenses(&page, "page");
    assert_eq!(page.headers()[header::CACHE_CONTROL], "no-store", "a signed-in page is never stored");
    // The inline hydration script carries this response's nonce, and only this one.
    let csp = page.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
    let nonce = csp.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).unwrap().to_owned();
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "the hydration script has the header's nonce");
    let again = app.client.get(app.url("/users")).send().await.unwrap();
    assert!(!again.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains(&nonce), "a fresh nonce per response");

    let function = app.call::<GetUser>(&[("id", "nobody")]).await;
    assert_browser_defenses(&function, "server function");
    assert_eq!(function.headers()[header::CACHE_CONTROL], "no-store");

    // The test app has no built site: a missing asset still gets the headers, not no-store.
    let asset = app.client.get(app.url("/pkg/provisio.css")).send().await.unwrap();
    assert_browser_defenses(&asset, "asset");
    assert!(asset.headers().get(header::CACHE_CONTROL).is_none_or(|value| value != "no-store"), "assets may be cached");
}

#[tokio::test]
async fn hsts_is_sent_when_the_public_url_is_https() {
    let app = TestApp::spawn_with(|config| config.public_url = Some(url::Url::parse("https://provisio.example.com").unwrap())).await;
    let response = new_client().get(app.url("/login")).send().await.unwrap();
    assert_eq!(response.headers()[header::STRICT_TRANSPORT_SECURITY], "max-age=31536000");
}

async fn post_with(app: &TestApp, path: &str, form: &[(&str, &str)], headers: &[(&str, &str)]) -> Response {
    let mut request = app.client.post(app.url(path)).form(form);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

async fn tokens_in_database(app: &TestApp) -> i64 {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", app.database)).await.unwrap();
    let count = sqlx::query_scalar("SELECT COUNT(*) FROM scim_tokens").fetch_one(&pool).await.unwrap();
    pool.close().await;
    count
}

#[tokio::test]
async fn changes_from_another_origin_are_refused_and_same_origin_ones_pass() {
    let app = TestApp::spawn().await;
    app.set_up_admin("ann", PASSWORD).await;
    let generate = GenerateToken::PATH;

    for (name, value) in [
        ("origin", "https://evil.example"),
        ("origin", "null"),
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
        ("referer", "https://evil.example/page"),
    ] {
        let refused = post_with(&app, generate, &[("idp", "okta")], &[(name, value)]).await;
        assert_eq!(refused.status(), 403, "{name}: {value}");
        assert!(refusal(refused).await.contains("came from another site"), "{name}: {value}");
    }
    // Sign-in is a change too: a forged one could sign the victim into the attacker's account.
    let sign_in =
        post_with(&app, SignIn::PATH, &[("username", "ann"), ("password", PASSWORD)], &[("origin", "https://evil.example")]).await;
    assert_eq!(sign_in.status(), 403);
    assert_eq!(tokens_in_database(&app).await, 0, "nothing refused was done");

    let ours = app.address.clone();
    let same_origin = post_with(&app, generate, &[("idp", "okta")], &[("origin", &ours)]).await;
    assert_eq!(same_origin.status(), 200);
    let by_fetch_metadata = post_with(&app, generate, &[("idp", "entra")], &[("sec-fetch-site", "same-origin")]).await;
    assert_eq!(by_fetch_metadata.status(), 200);
    let by_referer =
        post_with(&app, generate, &[("idp", "entra")], &[("referer", &format!("{ours}/admin/identity/provisioning/entra"))]).await;
    assert_eq!(by_referer.status(), 200);
    // No browser header at all: not a browser (curl, a script), so nothing forged from a page.
    let no_browser = post_with(&app, generate, &[("idp", "okta")], &[]).await;
    assert_eq!(no_browser.status(), 200);
    assert_eq!(tokens_in_database(&app).await, 4);

    // Reading is never refused, wherever it comes from.
    let page = app.client.get(app.url("/users")).header("origin", "https://evil.example").send().await.unwrap();
    assert_eq!(page.status(), 200);
}

#[tokio::test]
async fn server_functions_answer_with_honest_statuses_and_readable_bodies() {
    let app = TestApp::spawn().await;

    let anonymous = app.call::<GetUser>(&[("id", "x")]).await;
    assert_eq!(anonymous.status(), 401, "not signed in");
    assert_eq!(refusal(anonymous).await, "Your session has ended. Sign in again.");

    app.set_up_admin("ann", PASSWORD).await;
    let missing_argument = app.call::<GetUser>(&[]).await;
    assert_eq!(missing_argument.status(), 400, "a missing argument is the client's mistake");
    let refused_input = app.call::<AddCustomAttribute>(&[("idp", "okta"), ("name", "not a valid name!")]).await;
    assert_eq!(refused_input.status(), 400);
    assert!(!refusal(refused_input).await.is_empty());
    let unknown = app.call::<GetUser>(&[("id", "no-such-user")]).await;
    assert_eq!(unknown.status(), 404);
    assert!(refusal(unknown).await.contains("No user has this id"));

    for _ in 0..2 {
        assert_eq!(app.call::<GenerateToken>(&[("idp", "okta")]).await.status(), 200);
    }
    let third = app.call::<GenerateToken>(&[("idp", "okta")]).await;
    assert_eq!(third.status(), 409, "T2: a third token conflicts with the two there");
    assert!(refusal(third).await.contains("already has 2 tokens"));
}

#[tokio::test]
async fn a_lapsed_session_is_sent_to_sign_in_and_back_to_its_page() {
    let app = TestApp::spawn().await;
    app.set_up_admin("ann", PASSWORD).await;
    let anonymous = new_client();
    let page = anonymous.get(app.url("/groups?text=ops")).send().await.unwrap();
    assert_eq!(page.headers()[header::LOCATION], "/login?next=/groups%3Ftext%3Dops");

    let signed_in =
        app.call_with(&anonymous, SignIn::PATH, &[("username", "ann"), ("password", PASSWORD), ("next", "/groups?text=ops")]).await;
    assert_eq!(signed_in.headers()[header::LOCATION], "/groups?text=ops");
    let elsewhere =
        app.call_with(&new_client(), SignIn::PATH, &[("username", "ann"), ("password", PASSWORD), ("next", "https://evil.example/")]).await;
    assert_eq!(elsewhere.headers()[header::LOCATION], "/users", "never an open redirect");
}
