//! Lists of very large resources (issue 10, item 4): a page is bounded by size as well as by
//! count, says how many it holds, and the client pages on to every resource. A list is never
//! truncated and never a 200 with an empty body.

use crate::common::{okta_user, Scim};
use provisio::domain::idp::Idp;
use serde_json::Value;
use std::collections::BTreeSet;

/// Five users whose documents each hold a 1.5 MB title, written straight into the store the way
/// rows stored before the value limits would be.
async fn huge_users() -> (Scim, BTreeSet<String>) {
    let scim = Scim::new().await;
    let mut ids = BTreeSet::new();
    for i in 0..5 {
        let user = scim.created(Idp::Okta, &okta_user(&format!("huge{i}@example.com"))).await;
        ids.insert(user["id"].as_str().unwrap().to_owned());
    }
    let updated: Vec<(String,)> =
        scim.sql("UPDATE users SET resource = json_set(resource, '$.title', printf('%.*c', 1500000, 'x')) RETURNING id").await;
    assert_eq!(updated.len(), 5);
    (scim, ids)
}

async fn page(scim: &Scim, query: &str) -> Value {
    let response = scim.get(Idp::Okta, &format!("/Users?{query}")).await;
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.unwrap();
    assert!(!bytes.is_empty(), "a 200 list must have a body");
    serde_json::from_slice(&bytes).expect("a complete ListResponse")
}

fn ids_of(list: &Value) -> Vec<String> {
    list["Resources"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn index_paging_through_huge_users_returns_every_one() {
    let (scim, ids) = huge_users().await;
    let mut seen = BTreeSet::new();
    let mut start = 1;
    while seen.len() < ids.len() {
        let list = page(&scim, &format!("startIndex={start}&count=100")).await;
        assert_eq!(list["totalResults"], 5);
        let items = list["itemsPerPage"].as_u64().unwrap();
        assert!((1..5).contains(&items), "a page of 1.5 MB users is cut by size, not by count: {items}");
        assert_eq!(items as usize, ids_of(&list).len());
        seen.extend(ids_of(&list));
        start += items;
        assert!(start <= 6, "paged past the end without seeing every user");
    }
    assert_eq!(seen, ids);
}

#[tokio::test]
async fn cursor_paging_through_huge_users_returns_every_one() {
    let (scim, ids) = huge_users().await;
    let mut seen = Vec::new();
    let mut list = page(&scim, "cursor=&count=100").await;
    loop {
        seen.extend(ids_of(&list));
        let Some(next) = list["nextCursor"].as_str().map(str::to_owned) else { break };
        assert!(seen.len() < 5, "a cursor after the last user");
        list = page(&scim, &format!("cursor={next}&count=100")).await;
    }
    assert_eq!(seen.iter().cloned().collect::<BTreeSet<_>>(), ids);
    assert_eq!(seen.len(), 5, "no user twice");
}
