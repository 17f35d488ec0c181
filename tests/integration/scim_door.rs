//! The SCIM door: bearer tokens bound to their IdP, and the IdPs' connection tests
//! (IDP-BEHAVIOR.md §1.2 Entra "Test Connection", §2.2 Okta "Test API Credentials").

use crate::common::{assert_scim_error, TestApp};
use provisio::domain::idp::Idp;
use reqwest::header;
use serde_json::{json, Value};

async fn list_body(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/scim+json");
    response.json().await.unwrap()
}

#[tokio::test]
async fn entra_test_connection_gets_an_empty_list_response() {
    let app = TestApp::spawn().await;
    let token = app.create_token(Idp::Entra).await;
    // Exactly as Entra sends it: `+` for spaces, %22 for quotes, no Content-Type or User-Agent.
    let response = app
        .scim_get(Idp::Entra, "/Users?filter=userName+eq+%227d420df3-9995-4831-a406-ecf8166f5f6a%22", Some(&format!("Bearer {token}")))
        .await;
    let body = list_body(response).await;
    assert_eq!(
        body,
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": 0,
            "startIndex": 1,
            "itemsPerPage": 0,
            "Resources": [],
        })
    );
    // With group provisioning on, Entra probes groups the same way.
    let response = app
        .scim_get(Idp::Entra, "/Groups?excludedAttributes=members&filter=displayName+eq+%22d1ef0c%22", Some(&format!("Bearer {token}")))
        .await;
    assert_eq!(list_body(response).await["totalResults"], 0);
}

#[tokio::test]
async fn okta_test_api_credentials_pages_users_and_groups() {
    let app = TestApp::spawn().await;
    let token = app.create_token(Idp::Okta).await;
    let auth = format!("Bearer {token}");
    let body = list_body(app.scim_get(Idp::Okta, "/Users?startIndex=1&count=2", Some(&auth)).await).await;
    assert_eq!(body["totalResults"], 0);
    assert_eq!(body["itemsPerPage"], 0);
    assert_eq!(body["startIndex"], 1);
    assert_eq!(body["Resources"], json!([]));
    // Okta's Group import check: the built-in "All Users" group is not the IdP's to see.
    let body = list_body(app.scim_get(Idp::Okta, "/Groups?startIndex=1&count=100", Some(&auth)).await).await;
    assert_eq!(body["totalResults"], 0);
    // Okta's percent-encoded form, with paging on an `eq` lookup.
    let body = list_body(
        app.scim_get(Idp::Okta, "/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100", Some(&auth)).await,
    )
    .await;
    assert_eq!(body["totalResults"], 0);
}

#[tokio::test]
async fn okta_header_auth_without_the_bearer_prefix_is_accepted() {
    let app = TestApp::spawn().await;
    let token = app.create_token(Idp::Okta).await;
    let response = app.scim_get(Idp::Okta, "/Users?startIndex=1&count=2", Some(&token)).await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn missing_wrong_and_foreign_tokens_get_401_with_a_scim_body() {
    let app = TestApp::spawn().await;
    let entra = app.create_token(Idp::Entra).await;
    let okta = app.create_token(Idp::Okta).await;
    let path = "/Users?startIndex=1&count=2";

    assert_scim_error(app.scim_get(Idp::Entra, path, None).await, 401).await;
    assert_scim_error(app.scim_get(Idp::Entra, path, Some("Bearer ")).await, 401).await;
    assert_scim_error(app.scim_get(Idp::Entra, path, Some("Bearer prv_notatokenatall")).await, 401).await;
    assert_scim_error(app.scim_get(Idp::Entra, path, Some("non-token")).await, 401).await;
    // A token works only at its own IdP's URL (I2).
    assert_scim_error(app.scim_get(Idp::Entra, path, Some(&format!("Bearer {okta}"))).await, 401).await;
    assert_scim_error(app.scim_get(Idp::Okta, path, Some(&format!("Bearer {entra}"))).await, 401).await;
    assert_eq!(app.scim_get(Idp::Okta, path, Some(&format!("Bearer {okta}"))).await.status(), 200);
}

#[tokio::test]
async fn unknown_scim_routes_and_resources_get_a_scim_404() {
    let app = TestApp::spawn().await;
    let token = format!("Bearer {}", app.create_token(Idp::Entra).await);
    for path in ["/scim/v2/azure/Users", "/scim/v1/Users", "/scim/anything", "/scim/v2/entra/Widgets"] {
        let response = reqwest::get(app.url(path)).await.unwrap();
        assert_scim_error(response, 404).await;
    }
    let response = app.scim_get(Idp::Entra, "/Users/00919288221112222", Some(&token)).await;
    assert_scim_error(response, 404).await;
    let response = app.scim_get(Idp::Entra, "/Groups/00919288221112222", Some(&token)).await;
    assert_scim_error(response, 404).await;
}

#[tokio::test]
async fn malformed_filters_and_paging_get_400_with_scim_type() {
    let app = TestApp::spawn().await;
    let token = format!("Bearer {}", app.create_token(Idp::Entra).await);
    let body = assert_scim_error(app.scim_get(Idp::Entra, "/Users?filter=userName+eq", Some(&token)).await, 400).await;
    assert_eq!(body["scimType"], "invalidFilter");
    let body = assert_scim_error(app.scim_get(Idp::Entra, "/Users?filter=userName+zz+%22a%22", Some(&token)).await, 400).await;
    assert_eq!(body["scimType"], "invalidFilter");
    let body = assert_scim_error(app.scim_get(Idp::Entra, "/Users?count=lots", Some(&token)).await, 400).await;
    assert_eq!(body["scimType"], "invalidValue");
}

#[tokio::test]
async fn a_used_token_records_last_use_and_the_idp_connection() {
    let app = TestApp::spawn().await;
    let token = app.create_token(Idp::Entra).await;
    app.scim_get(Idp::Entra, "/Users?startIndex=1&count=1", Some(&format!("Bearer {token}"))).await;

    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", app.database)).await.unwrap();
    let last_used: Option<String> = sqlx::query_scalar("SELECT last_used_at FROM scim_tokens").fetch_one(&pool).await.unwrap();
    assert!(last_used.is_some());
    let connected: Option<String> =
        sqlx::query_scalar("SELECT connected_at FROM idp_settings WHERE idp = 'entra'").fetch_one(&pool).await.unwrap();
    assert!(connected.is_some());
    let okta: Option<String> =
        sqlx::query_scalar("SELECT connected_at FROM idp_settings WHERE idp = 'okta'").fetch_one(&pool).await.unwrap();
    assert!(okta.is_none());
}

#[tokio::test]
async fn health_checks_the_database_and_the_server_stops_gracefully() {
    let app = TestApp::spawn().await;
    let response = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap()["status"], "ok");
    app.stop().await.expect("graceful shutdown");
}
