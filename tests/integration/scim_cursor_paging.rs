//! Cursor paging (RFC 9865) on /Users and /Groups, beside index paging.

use crate::common::{assert_scim_error, next_millisecond, Scim};
use provisio::domain::idp::Idp;
use reqwest::Method;
use serde_json::{json, Value};

async fn users(scim: &Scim, names: &[&str]) -> Vec<String> {
    let mut ids = Vec::new();
    for name in names {
        let body = json!({
            "userName": name, "name": {"givenName": "Page", "familyName": name},
            "emails": [{"value": format!("{name}@paging.test"), "primary": true}]
        });
        ids.push(scim.created(Idp::Okta, &body).await["id"].as_str().unwrap().to_owned());
        next_millisecond().await;
    }
    ids
}

async fn get(scim: &Scim, path: &str) -> Value {
    let response = scim.get(Idp::Okta, path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

fn ids(page: &Value) -> Vec<String> {
    page["Resources"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect()
}

/// Follows `nextCursor` from the first page to the last; every page is checked for shape.
async fn walk(scim: &Scim, first: &str, mut between_pages: impl FnMut(usize) -> Option<&'static str>) -> Vec<String> {
    let mut seen = Vec::new();
    let mut path = first.to_owned();
    for page_number in 0.. {
        let page = get(scim, &path).await;
        assert!(page.get("startIndex").is_none(), "cursor pages have no startIndex: {page}");
        assert_eq!(page["itemsPerPage"].as_u64().unwrap() as usize, page["Resources"].as_array().unwrap().len());
        seen.extend(ids(&page));
        if let Some(name) = between_pages(page_number) {
            users(scim, &[name]).await;
        }
        match page["nextCursor"].as_str() {
            Some(next) => path = format!("{}&cursor={next}", first.split("&cursor").next().unwrap()),
            None => break,
        }
    }
    seen
}

#[tokio::test]
async fn a_cursor_walks_every_user_once_even_while_users_are_added() {
    let scim = Scim::new().await;
    let created = users(&scim, &["u1", "u2", "u3", "u4", "u5"]).await;

    let first = get(&scim, "/Users?count=2&cursor=").await;
    assert_eq!((first["totalResults"].as_u64(), first["itemsPerPage"].as_u64()), (Some(5), Some(2)));
    assert!(first["nextCursor"].is_string());

    assert_eq!(walk(&scim, "/Users?count=2&cursor", |_| None).await, created);
    // A user created mid-walk neither shifts the pages nor repeats anyone: it comes last.
    let walked = walk(&scim, "/Users?count=2&cursor", |page| (page == 0).then_some("late")).await;
    assert_eq!(walked.len(), 6);
    assert_eq!(&walked[..5], created.as_slice());

    // The same order as index paging.
    assert_eq!(ids(&get(&scim, "/Users?startIndex=1&count=6").await), walked);
}

#[tokio::test]
async fn sorted_and_filtered_lists_page_by_cursor_too() {
    let scim = Scim::new().await;
    users(&scim, &["carol", "alice", "erin", "bob", "dave"]).await;
    let path = "/Users?sortBy=userName&sortOrder=descending&filter=userName%20ne%20%22bob%22&count=3&cursor";
    let walked = walk(&scim, path, |_| None).await;
    let names: Vec<String> = {
        let page = get(&scim, "/Users?sortBy=userName&sortOrder=descending&filter=userName%20ne%20%22bob%22").await;
        page["Resources"].as_array().unwrap().iter().map(|r| r["userName"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(names, ["erin", "dave", "carol", "alice"]);
    assert_eq!(walked.len(), 4);
    assert_eq!(walked, ids(&get(&scim, "/Users?sortBy=userName&sortOrder=descending&filter=userName%20ne%20%22bob%22").await));

    let search = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": "userName sw \"a\" or userName sw \"b\"", "count": 1, "cursor": ""
    });
    let response = scim.send(Idp::Okta, Method::POST, "/Users/.search", Some(&search)).await;
    let page: Value = response.json().await.unwrap();
    assert_eq!((page["totalResults"].as_u64(), page["itemsPerPage"].as_u64()), (Some(2), Some(1)));
    assert!(page["nextCursor"].is_string());
}

#[tokio::test]
async fn groups_page_by_cursor() {
    let scim = Scim::new().await;
    let mut created = Vec::new();
    for name in ["G1", "G2", "G3"] {
        let response = scim.send(Idp::Okta, Method::POST, "/Groups", Some(&json!({"displayName": name}))).await;
        created.push(response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned());
        next_millisecond().await;
    }
    assert_eq!(walk(&scim, "/Groups?count=1&excludedAttributes=members&cursor", |_| None).await, created);
}

#[tokio::test]
async fn bad_cursors_are_refused_with_invalid_cursor() {
    let scim = Scim::new().await;
    users(&scim, &["a", "b", "c"]).await;
    let error = assert_scim_error(scim.get(Idp::Okta, "/Users?cursor=not-ours").await, 400).await;
    assert_eq!(error["scimType"], "invalidCursor");

    let unsorted_cursor = get(&scim, "/Users?count=1&cursor").await["nextCursor"].as_str().unwrap().to_owned();
    let error =
        assert_scim_error(scim.get(Idp::Okta, &format!("/Users?count=1&sortBy=userName&cursor={unsorted_cursor}")).await, 400).await;
    assert_eq!(error["scimType"], "invalidCursor");

    let error = assert_scim_error(scim.get(Idp::Okta, "/Users?startIndex=1&cursor").await, 400).await;
    assert_eq!(error["scimType"], "invalidValue");
    let root = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "cursor": ""});
    assert_scim_error(scim.send(Idp::Okta, Method::POST, "/.search", Some(&root)).await, 400).await;

    let config = get(&scim, "/ServiceProviderConfig").await;
    assert_eq!(config["pagination"]["cursor"], true);
    assert_eq!(config["pagination"]["index"], true);
    assert_eq!(config["pagination"]["maxPageSize"], 1000);
}
