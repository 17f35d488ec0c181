//! A hostile client (issue 10, item 6): malformed and mistyped bodies, deep nesting, hostile
//! filters and PATCH paths, huge values, ids that are not UTF-8, wrong methods, wrong content
//! types and huge query strings. Every answer is a 4xx with a SCIM error body, never a 5xx, and
//! the server answers normally afterwards.

use crate::common::{assert_scim_error, okta_user, patch_op, Scim};
use provisio::domain::idp::Idp;
use reqwest::{header, Client, Method, Response};
use serde_json::{json, Value};

/// Asserts a 4xx with an RFC 7644 §3.12 body, whatever the status; returns the status.
async fn refused(response: Response, what: &str) -> u16 {
    let status = response.status().as_u16();
    assert!((400..500).contains(&status), "{what}: expected a 4xx, got {status}: {}", response.text().await.unwrap_or_default());
    assert_scim_error(response, status).await;
    status
}

/// Sends raw bytes with a content type.
async fn raw(scim: &Scim, method: Method, path: &str, content_type: Option<&str>, body: Vec<u8>) -> Response {
    let mut request = Client::new().request(method, scim.app.scim_url(Idp::Okta, path)).header(header::AUTHORIZATION, scim.auth(Idp::Okta));
    if let Some(content_type) = content_type {
        request = request.header(header::CONTENT_TYPE, content_type);
    }
    request.body(body).send().await.unwrap()
}

/// The server still answers health checks and a normal SCIM request.
async fn assert_healthy(scim: &Scim) {
    let health = Client::new().get(scim.app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let list = scim.get(Idp::Okta, "/Users?count=1").await;
    assert_eq!(list.status(), 200);
}

async fn some_user(scim: &Scim) -> String {
    scim.okta_user_id("hostile.target@example.com").await
}

#[tokio::test]
async fn malformed_and_mistyped_bodies_are_refused() {
    let scim = Scim::new().await;
    let id = some_user(&scim).await;
    let bodies: Vec<&[u8]> = vec![
        b"",
        b"{",
        b"[]",
        b"\"user\"",
        b"null",
        b"42",
        b"{\"userName\": }",
        b"{\"userName\": \"a\"}}",
        b"\xff\xfe{}",
        b"{\"userName\": \"\\ud800\"}",
    ];
    for body in &bodies {
        for (method, path) in [
            (Method::POST, "/Users".to_owned()),
            (Method::POST, "/Groups".into()),
            (Method::PUT, format!("/Users/{id}")),
            (Method::PATCH, format!("/Users/{id}")),
            (Method::POST, "/Bulk".into()),
            (Method::POST, "/Users/.search".into()),
        ] {
            let response = raw(&scim, method.clone(), &path, Some("application/scim+json"), body.to_vec()).await;
            refused(response, &format!("{method} {path} {}", String::from_utf8_lossy(body))).await;
        }
    }
    let mistyped = [
        json!({"userName": 5, "name": {"givenName": "a", "familyName": "b"}, "emails": [{"value": "a@b"}]}),
        json!({"userName": "m@x", "name": "Ann", "emails": [{"value": "a@b"}]}),
        json!({"userName": "m@x", "name": {"givenName": "a", "familyName": "b"}, "emails": "a@b"}),
        json!({"userName": "m@x", "name": {"givenName": "a", "familyName": "b"}, "emails": [{"value": "a@b"}], "active": "maybe"}),
        json!({"userName": ["m@x"], "name": {"givenName": "a", "familyName": "b"}, "emails": [{"value": "a@b"}]}),
        json!({"userName": "m@x", "name": {"givenName": "a", "familyName": "b"}, "emails": [{"value": "a@b"}], "externalId": {"a": 1}}),
    ];
    for body in &mistyped {
        refused(scim.post(Idp::Okta, body).await, &body.to_string()).await;
    }
    for body in [json!({"displayName": 7}), json!({"displayName": "g", "members": "x"}), json!({"members": []})] {
        refused(scim.send(Idp::Okta, Method::POST, "/Groups", Some(&body)).await, &body.to_string()).await;
    }
    let patches = [
        json!({"Operations": []}),
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": "replace"}),
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "explode", "path": "title"}]}),
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": 1}]}),
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "path": 7, "value": 1}]}),
    ];
    for body in &patches {
        refused(scim.send(Idp::Okta, Method::PATCH, &format!("/Users/{id}"), Some(body)).await, &body.to_string()).await;
    }
    assert_healthy(&scim).await;
}

#[tokio::test]
async fn deep_nesting_is_refused() {
    let scim = Scim::new().await;
    let id = some_user(&scim).await;
    for depth in [200, 100_000] {
        let arrays = format!("{{\"userName\": {}1{}}}", "[".repeat(depth), "]".repeat(depth));
        let objects = format!("{{\"userName\": {}1{}}}", "{\"a\":".repeat(depth), "}".repeat(depth));
        for body in [arrays, objects] {
            let response = raw(&scim, Method::POST, "/Users", Some("application/scim+json"), body.clone().into_bytes()).await;
            refused(response, &format!("nesting {depth}")).await;
            let response = raw(&scim, Method::PATCH, &format!("/Users/{id}"), Some("application/json"), body.into_bytes()).await;
            refused(response, &format!("PATCH nesting {depth}")).await;
        }
    }
    assert_healthy(&scim).await;
}

#[tokio::test]
async fn hostile_filters_are_refused() {
    let scim = Scim::new().await;
    some_user(&scim).await;
    let filters = [
        "((((".to_owned(),
        ")".into(),
        "userName eq".into(),
        "userName eq \"unterminated".into(),
        "emails[value[type eq 1]]".into(),
        "urn:evil:schema:attr eq 1".into(),
        "userName eq \"a\" or".into(),
        "not not not".into(),
        format!("{}userName pr{}", "(".repeat(5000), ")".repeat(5000)),
        format!("{}userName pr{}", "not (".repeat(20), ")".repeat(20)),
        (0..2000).map(|i| format!("userName eq \"{i}\"")).collect::<Vec<_>>().join(" or "),
        "userName eq \"a\"; DROP TABLE users; --\" eq 1".into(),
        "title eq \"x\") OR 1=1 --".into(),
        "active gt true".into(),
        "meta.version eq \"x\"".into(),
        "\"quoted\" eq 1".into(),
    ];
    for filter in &filters {
        let encoded: String = url::form_urlencoded::byte_serialize(filter.as_bytes()).collect();
        for endpoint in ["/Users", "/Groups"] {
            let response = scim.get(Idp::Okta, &format!("{endpoint}?filter={encoded}")).await;
            refused(response, &format!("{endpoint} {}", &filter[..filter.len().min(80)])).await;
        }
        let body = json!({"filter": filter});
        let response = scim.send(Idp::Okta, Method::POST, "/.search", Some(&body)).await;
        refused(response, &format!("/.search {}", &filter[..filter.len().min(80)])).await;
    }
    // Control characters, percent-encoded in the query string.
    for raw_filter in ["userName%20eq%20%22a%00b%22", "%ff%fe", "userName%0Aeq%201"] {
        refused(scim.get(Idp::Okta, &format!("/Users?filter={raw_filter}")).await, raw_filter).await;
    }
    // Bytes that are not UTF-8 inside a string are read as U+FFFD: no match, no error.
    let list = scim.get(Idp::Okta, "/Users?filter=userName%20eq%20%22%ff%22").await;
    assert_eq!(list.status(), 200);
    assert_eq!(list.json::<Value>().await.unwrap()["totalResults"], 0);
    assert_healthy(&scim).await;
}

#[tokio::test]
async fn hostile_patch_paths_are_refused() {
    let scim = Scim::new().await;
    let id = some_user(&scim).await;
    let paths = [
        "emails[type eq \"work\"",
        "emails[type eq \"work\"]]",
        "emails]",
        "a.b.c.d",
        "urn:x:y",
        "",
        "emails[value[type eq 1]].value",
        "name..givenName",
        "emails[type eq \"work\"].value.deeper",
        "((((",
    ];
    for path in paths {
        let response = scim.patch(Idp::Okta, &format!("/Users/{id}"), json!([{"op": "replace", "path": path, "value": "x"}])).await;
        refused(response, path).await;
    }
    let long_path = format!("emails[{}].value", (0..600).map(|i| format!("type eq \"{i}\"")).collect::<Vec<_>>().join(" or "));
    let response = scim.patch(Idp::Okta, &format!("/Users/{id}"), json!([{"op": "remove", "path": long_path}])).await;
    assert!(response.status().as_u16() < 500, "a long PATCH path got {}", response.status());
    assert_healthy(&scim).await;
}

#[tokio::test]
async fn huge_bodies_and_query_strings_are_refused() {
    let scim = Scim::new().await;
    let id = some_user(&scim).await;
    let mut huge = okta_user("huge@example.com");
    huge["displayName"] = json!("x".repeat(2 * 1024 * 1024));
    assert_eq!(refused(scim.post(Idp::Okta, &huge).await, "2 MiB body").await, 413);
    assert_eq!(refused(scim.send(Idp::Okta, Method::PUT, &format!("/Users/{id}"), Some(&huge)).await, "2 MiB PUT").await, 413);
    let filter = format!("userName eq \"{}\"", "a".repeat(60_000));
    refused(scim.get(Idp::Okta, &format!("/Users?filter={filter}")).await, "60 KB filter").await;
    let attributes = (0..5000).map(|i| format!("a{i}")).collect::<Vec<_>>().join(",");
    let response = scim.get(Idp::Okta, &format!("/Users?attributes={attributes}&count=1")).await;
    assert!(response.status().as_u16() < 500, "a long attributes list got {}", response.status());
    for query in ["count=99999999999999999999", "startIndex=-99999999999999999999", "count=abc", "sortOrder=sideways", "sortBy=(("] {
        refused(scim.get(Idp::Okta, &format!("/Users?{query}")).await, query).await;
    }
    assert_healthy(&scim).await;
}

#[tokio::test]
async fn ids_that_are_not_utf8_get_a_scim_error() {
    let scim = Scim::new().await;
    for endpoint in ["/Users", "/Groups"] {
        for id in ["%ff", "%c3%28", "a%80b", "%ed%a0%80"] {
            let path = format!("{endpoint}/{id}");
            for method in [Method::GET, Method::DELETE] {
                refused(scim.send(Idp::Okta, method.clone(), &path, None).await, &format!("{method} {path}")).await;
            }
            refused(scim.send(Idp::Okta, Method::PUT, &path, Some(&okta_user("x@y.z"))).await, &format!("PUT {path}")).await;
            refused(
                scim.patch(Idp::Okta, &path, json!([{"op": "replace", "path": "title", "value": "x"}])).await,
                &format!("PATCH {path}"),
            )
            .await;
        }
    }
    refused(scim.get(Idp::Okta, "/Schemas/%ff").await, "schema id").await;
    refused(scim.get(Idp::Okta, "/ResourceTypes/%ff").await, "resource type id").await;
    assert_healthy(&scim).await;
}

#[tokio::test]
async fn wrong_methods_are_refused() {
    let scim = Scim::new().await;
    let id = some_user(&scim).await;
    for (method, path) in [
        (Method::PUT, "/Users".to_owned()),
        (Method::DELETE, "/Users".into()),
        (Method::PATCH, "/Groups".into()),
        (Method::GET, "/Bulk".into()),
        (Method::POST, format!("/Users/{id}")),
        (Method::GET, "/Users/.search".into()),
        (Method::DELETE, "/ServiceProviderConfig".into()),
        (Method::POST, "/Schemas".into()),
    ] {
        assert_eq!(refused(scim.send(Idp::Okta, method.clone(), &path, Some(&json!({}))).await, &format!("{method} {path}")).await, 405);
    }
    for method in ["TRACE", "PROPFIND", "BREW"] {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let status = refused(scim.send(Idp::Okta, method.clone(), "/Users", None).await, method.as_str()).await;
        assert_eq!(status, 405, "{method}");
    }
    assert_healthy(&scim).await;
}

#[tokio::test]
async fn wrong_content_types_are_refused_or_read_as_json() {
    let scim = Scim::new().await;
    let id = some_user(&scim).await;
    let form = b"userName=a&name=b".to_vec();
    for content_type in [Some("application/x-www-form-urlencoded"), Some("multipart/form-data; boundary=x"), Some("text/plain"), None] {
        refused(raw(&scim, Method::POST, "/Users", content_type, form.clone()).await, &format!("{content_type:?}")).await;
    }
    let body = patch_op(json!([{"op": "replace", "path": "displayName", "value": "Via Text"}])).to_string().into_bytes();
    // A JSON body is read as JSON whatever its label (Okta's test sends application/json).
    let response = raw(&scim, Method::PATCH, &format!("/Users/{id}"), Some("text/plain"), body).await;
    assert_eq!(response.status(), 200);
    let user: Value = response.json().await.unwrap();
    assert_eq!(user["displayName"], "Via Text");
    assert_healthy(&scim).await;
}

/// A stored document that no longer parses (a damaged row) is a 500 with a SCIM error body,
/// on reads and on writes: never served as an empty user, never written over.
#[tokio::test]
async fn a_damaged_stored_document_is_an_error_never_an_empty_user() {
    let scim = Scim::new().await;
    let id = some_user(&scim).await;
    let _: Vec<(i64,)> = scim.sql(&format!("UPDATE users SET resource = 'not json' WHERE id = '{id}' RETURNING 1")).await;
    assert_scim_error(scim.get(Idp::Okta, &format!("/Users/{id}")).await, 500).await;
    assert_scim_error(scim.get(Idp::Okta, "/Users").await, 500).await;
    let patch = patch_op(json!([{"op": "replace", "path": "title", "value": "x"}]));
    assert_scim_error(scim.send(Idp::Okta, Method::PATCH, &format!("/Users/{id}"), Some(&patch)).await, 500).await;
    let stored: Vec<(String,)> = scim.sql(&format!("SELECT resource FROM users WHERE id = '{id}'")).await;
    assert_eq!(stored[0].0, "not json", "the damaged row is left for the operator, not overwritten");
    let health = Client::new().get(scim.app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
}
