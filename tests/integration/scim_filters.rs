//! Filters over HTTP on every kind of attribute: indexed columns, membership rows and values kept
//! only in the stored document (issue 10, item 1), and the lookups Entra and Okta make (item 7).
//! Each case names the filter that used to answer 500.

use crate::common::{assert_scim_error, okta_user, Scim, ENTERPRISE, USER_SCHEMA};
use provisio::domain::idp::Idp;
use reqwest::Method;
use serde_json::{json, Value};

const CUSTOM: &str = "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User";

/// Ann: a title, a userType, two emails, a department and a custom cost center. Bob: none of these.
async fn directory() -> (Scim, String, String) {
    let scim = Scim::new().await;
    let ann = scim
        .created(
            Idp::Entra,
            &json!({
                "schemas": [USER_SCHEMA, ENTERPRISE, CUSTOM],
                "userName": "ann@example.com",
                "externalId": "ext-Ann",
                "name": {"givenName": "Ann", "familyName": "Lee"},
                "title": "Engineer",
                "userType": "Employee",
                "emails": [{"value": "ann@example.com", "type": "work", "primary": true}, {"value": "ann@home.example", "type": "home"}],
                ENTERPRISE: {"department": "Retail"},
                CUSTOM: {"costCenter": "CC-4130"}
            }),
        )
        .await;
    let bob = scim
        .created(
            Idp::Entra,
            &json!({
                "schemas": [USER_SCHEMA],
                "userName": "bob@example.com",
                "name": {"givenName": "Bob", "familyName": "Ray"},
                "emails": [{"value": "bob@example.com", "type": "work"}]
            }),
        )
        .await;
    (scim, ann["id"].as_str().unwrap().to_owned(), bob["id"].as_str().unwrap().to_owned())
}

/// The ids a filter on `endpoint` finds, in creation order; fails on anything but a 200 list.
async fn found(scim: &Scim, endpoint: &str, filter: &str) -> Vec<String> {
    let encoded: String = url::form_urlencoded::byte_serialize(filter.as_bytes()).collect();
    let response = scim.get(Idp::Entra, &format!("{endpoint}?filter={encoded}")).await;
    ids(response, filter).await
}

/// The same through `POST {endpoint}/.search`.
async fn searched(scim: &Scim, endpoint: &str, filter: &str) -> Vec<String> {
    let body = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "filter": filter});
    let response = scim.send(Idp::Entra, Method::POST, &format!("{endpoint}/.search"), Some(&body)).await;
    ids(response, filter).await
}

async fn ids(response: reqwest::Response, filter: &str) -> Vec<String> {
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(status, 200, "{filter}: {body}");
    assert_eq!(body["totalResults"].as_u64().unwrap() as usize, body["Resources"].as_array().unwrap().len(), "{filter}");
    body["Resources"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn title_eq_finds_the_user_with_that_title() {
    let (scim, ann, _) = directory().await;
    assert_eq!(found(&scim, "/Users", r#"title eq "engineer""#).await, [ann.as_str()]);
    assert_eq!(found(&scim, "/Users", r#"TITLE eq "Engineer""#).await, [ann]);
    assert!(found(&scim, "/Users", r#"title eq "x""#).await.is_empty());
}

#[tokio::test]
async fn user_type_eq_finds_the_user_with_that_type() {
    let (scim, ann, _) = directory().await;
    assert_eq!(found(&scim, "/Users", r#"userType eq "Employee""#).await, [ann]);
    assert!(found(&scim, "/Users", r#"userType eq "x""#).await.is_empty());
}

#[tokio::test]
async fn enterprise_department_eq_finds_the_user_in_that_department() {
    let (scim, ann, _) = directory().await;
    assert_eq!(found(&scim, "/Users", &format!(r#"{ENTERPRISE}:department eq "retail""#)).await, [ann]);
    assert!(found(&scim, "/Users", &format!(r#"{ENTERPRISE}:department eq "x""#)).await.is_empty());
}

#[tokio::test]
async fn custom_extension_attribute_eq_finds_the_user() {
    let (scim, ann, bob) = directory().await;
    assert_eq!(found(&scim, "/Users", &format!(r#"{CUSTOM}:costCenter eq "CC-4130""#)).await, [ann]);
    assert!(found(&scim, "/Users", &format!(r#"{CUSTOM}:costCenter eq "x""#)).await.is_empty());
    assert_eq!(found(&scim, "/Users", &format!(r#"not ({CUSTOM}:costCenter pr)"#)).await, [bob]);
}

#[tokio::test]
async fn emails_value_filter_with_type_and_value_finds_the_user() {
    let (scim, ann, _) = directory().await;
    assert_eq!(found(&scim, "/Users", r#"emails[type eq "work" and value eq "ANN@example.com"]"#).await, [ann]);
    // The value and the type must belong to the same email.
    assert!(found(&scim, "/Users", r#"emails[type eq "work" and value eq "ann@home.example"]"#).await.is_empty());
}

#[tokio::test]
async fn user_name_and_title_ne_combines_a_column_and_the_document() {
    let (scim, ann, bob) = directory().await;
    assert_eq!(found(&scim, "/Users", r#"userName eq "ann@example.com" and title ne "b""#).await, [ann]);
    assert!(found(&scim, "/Users", r#"userName eq "ann@example.com" and title ne "ENGINEER""#).await.is_empty());
    // Bob has no title: `ne` holds.
    assert_eq!(found(&scim, "/Users", r#"userName eq "bob@example.com" and title ne "b""#).await, [bob]);
}

#[tokio::test]
async fn user_name_ne_on_groups_and_root_search_answers_every_group() {
    let (scim, ann, bob) = directory().await;
    let group = scim.send(Idp::Entra, Method::POST, "/Groups", Some(&json!({"displayName": "Sales"}))).await;
    assert_eq!(group.status(), 201);
    let group = group.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    assert_eq!(found(&scim, "/Groups", r#"userName ne "a""#).await, [group.as_str()]);
    assert_eq!(searched(&scim, "/Groups", r#"title ne "a""#).await, [group.as_str()]);
    assert_eq!(searched(&scim, "", r#"userName ne "a""#).await, [ann, bob, group]);
}

#[tokio::test]
async fn long_or_chains_on_groups_and_root_search_answer_200() {
    let (scim, ann, _) = directory().await;
    // The longest chains the parser takes (4096 bytes, 1000 nodes): on groups these terms are
    // all read from the document.
    let chains = [
        (0..200).map(|i| format!("userName eq v{i}")).collect::<Vec<_>>().join(" or "),
        (0..320).map(|i| format!("x eq {i}")).collect::<Vec<_>>().join(" or "),
        ["a pr"; 500].join(" or "),
    ];
    for chain in &chains {
        assert!(chain.len() <= 4096);
        let terms = chain.matches(" or ").count() + 1;
        assert!(found(&scim, "/Groups", chain).await.is_empty(), "{terms}");
        assert!(found(&scim, "/Users", chain).await.is_empty(), "{terms}");
        assert!(searched(&scim, "", chain).await.is_empty(), "{terms}");
    }
    let with_ann = format!("{} or title eq Engineer", chains[1]);
    assert_eq!(searched(&scim, "", &with_ann).await, [ann]);
    // Past the parser's limits: a 400 that says why, never a 500.
    let too_long = (0..1000).map(|i| format!(r#"title eq "v{i}""#)).collect::<Vec<_>>().join(" or ");
    let body = json!({"filter": too_long});
    let response = scim.send(Idp::Entra, Method::POST, "/.search", Some(&body)).await;
    let error = assert_scim_error(response, 400).await;
    assert_eq!(error["scimType"], "invalidFilter");
}

#[tokio::test]
async fn entras_lookups_keep_working() {
    let (scim, ann, _) = directory().await;
    assert_eq!(found(&scim, "/Users", r#"externalId eq "ext-Ann""#).await, [ann.as_str()]);
    assert_eq!(found(&scim, "/Users", "externalId eq ext-Ann").await, [ann.as_str()]);
    // externalId is caseExact (RFC 7643 §3.1).
    assert!(found(&scim, "/Users", "externalId eq EXT-ANN").await.is_empty());
    assert_eq!(found(&scim, "/Users", r#"emails[type eq "work" and value eq "ann@example.com"]"#).await, [ann.as_str()]);
    assert_eq!(found(&scim, "/Users", &format!(r#"{ENTERPRISE}:department eq "Retail""#)).await, [ann]);
}

#[tokio::test]
async fn paging_after_a_document_filter_counts_and_pages_correctly() {
    let (scim, ann, bob) = directory().await;
    // The binds of the filter once shifted into LIMIT and OFFSET.
    let list: Value = scim.get(Idp::Entra, "/Users?filter=title+ne+%22x%22&startIndex=2&count=1").await.json().await.unwrap();
    assert_eq!(list["totalResults"], 2);
    assert_eq!(list["itemsPerPage"], 1);
    assert_eq!(list["Resources"][0]["id"], bob);
    let list: Value = scim.get(Idp::Entra, "/Users?filter=title+pr&count=5").await.json().await.unwrap();
    assert_eq!(list["Resources"][0]["id"], ann);
    assert_eq!(list["totalResults"], 1);
}

/// Found by the differential test: `members[value ne "x"]` once meant "no member is x", so an
/// empty group matched and a group holding other members did not.
#[tokio::test]
async fn a_value_filter_with_ne_means_some_value_differs() {
    let (scim, ann, bob) = directory().await;
    let group = |name: &str, members: &[&String]| json!({"displayName": name, "members": members.iter().map(|id| json!({"value": id})).collect::<Vec<_>>()});
    let empty = scim.send(Idp::Entra, Method::POST, "/Groups", Some(&group("Empty", &[]))).await.json::<Value>().await.unwrap();
    let both = scim.send(Idp::Entra, Method::POST, "/Groups", Some(&group("Both", &[&ann, &bob]))).await.json::<Value>().await.unwrap();
    let only_ann = scim.send(Idp::Entra, Method::POST, "/Groups", Some(&group("Ann", &[&ann]))).await.json::<Value>().await.unwrap();
    let [empty, both, only_ann] = [&empty, &both, &only_ann].map(|g| g["id"].as_str().unwrap().to_owned());
    assert_eq!(found(&scim, "/Groups", &format!(r#"members[value ne "{ann}"]"#)).await, [both.as_str()]);
    assert_eq!(found(&scim, "/Groups", &format!(r#"not (members[value ne "{ann}"])"#)).await, [empty.clone(), only_ann.clone()]);
    // Outside a value filter, `ne` still means no value equals it (as the in-memory evaluator reads it).
    assert_eq!(found(&scim, "/Groups", &format!(r#"members.value ne "{bob}""#)).await, [empty, only_ann]);
    assert!(found(&scim, "/Groups", r#"members[value eq null]"#).await.is_empty());
    assert_eq!(found(&scim, "/Users", r#"emails[value ne "ann@example.com"]"#).await.len(), 2);
}

/// Found by the differential test: `co`, `sw` and `ew` with a number matched numbers in SQL but
/// nothing in the evaluator. They compare strings: a number is refused with a reason.
#[tokio::test]
async fn substring_operators_with_a_number_are_refused_with_a_reason() {
    let (scim, _, _) = directory().await;
    for filter in ["title co 2", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department sw 1", "nickName ew 3.5"] {
        let encoded: String = url::form_urlencoded::byte_serialize(filter.as_bytes()).collect();
        let response = scim.get(Idp::Entra, &format!("/Users?filter={encoded}")).await;
        let error = assert_scim_error(response, 400).await;
        assert_eq!(error["scimType"], "invalidFilter", "{filter}");
        assert!(error["detail"].as_str().unwrap().contains("compares strings"), "{filter}: {error}");
    }
    assert_eq!(found(&scim, "/Users", r#"title co "ngin""#).await.len(), 1);
}

/// A page that ends the list gives its total without a COUNT; a full page, a page past the end
/// and `count=0` still count. Every one must say how many match in all.
#[tokio::test]
async fn total_results_is_every_match_wherever_the_page_falls() {
    let scim = Scim::new().await;
    for i in 0..5 {
        assert_eq!(scim.post(Idp::Okta, &okta_user(&format!("total{i}@example.com"))).await.status(), 201);
    }
    for (query, items) in [
        ("startIndex=1&count=10", 5),
        ("startIndex=1&count=2", 2),
        ("startIndex=4&count=2", 2),
        ("startIndex=5&count=2", 1),
        ("startIndex=6&count=2", 0),
        ("startIndex=50&count=10", 0),
        ("count=0", 0),
    ] {
        let list: Value = scim.get(Idp::Okta, &format!("/Users?filter=userName%20sw%20%22total%22&{query}")).await.json().await.unwrap();
        assert_eq!((list["totalResults"].as_u64(), list["Resources"].as_array().map_or(0, Vec::len)), (Some(5), items), "{query}");
    }
    let none: Value = scim.get(Idp::Okta, "/Users?filter=userName%20eq%20%22nobody%22").await.json().await.unwrap();
    assert_eq!(none["totalResults"], 0);
    let cursor: Value = scim.get(Idp::Okta, "/Users?filter=userName%20sw%20%22total%22&cursor&count=2").await.json().await.unwrap();
    assert_eq!(cursor["totalResults"], 5);
}
