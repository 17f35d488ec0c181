//! The SCIM workload, the same for Provisio and its peer: Entra's initial sync, creates, reads
//! by id and lookups by userName; and, for Provisio, a large group's member changes.

use crate::client::{ms, run, user, user_name, Figures, Scim};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Entra's initial sync of users `first..first + count`: a `userName eq` GET that finds
/// nothing, then the POST. The figures count users; the latencies are the POSTs'. Returns the
/// ids the server gave.
pub async fn sync(scim: &Arc<Scim>, first: usize, count: usize) -> (Figures, Vec<String>) {
    let ids = Arc::new(Mutex::new(Vec::with_capacity(count)));
    let (scim, created) = (scim.clone(), ids.clone());
    let figures = run(count, move |i| {
        let (scim, created) = (scim.clone(), created.clone());
        async move {
            let name = user_name(first + i);
            let miss = scim.get(&format!("/Users?filter=userName+eq+%22{name}%22")).await;
            assert_eq!(miss["totalResults"], 0, "user {name} should not exist yet");
            let started = Instant::now();
            let response = scim.post("/Users", &user(first + i)).await;
            let latency = started.elapsed();
            assert_eq!(response.status(), 201, "POST of {name}");
            let body: Value = response.json().await.expect("the created user");
            created.lock().unwrap().push(body["id"].as_str().expect("an id").to_owned());
            latency
        }
    })
    .await;
    let ids = std::mem::take(&mut *ids.lock().unwrap());
    (figures, ids)
}

/// POST alone, users `first..first + count`.
pub async fn creates(scim: &Arc<Scim>, first: usize, count: usize) -> Figures {
    let scim = scim.clone();
    run(count, move |i| {
        let scim = scim.clone();
        async move {
            let started = Instant::now();
            let status = scim.post("/Users", &user(first + i)).await.status();
            assert_eq!(status, 201);
            started.elapsed()
        }
    })
    .await
}

/// `GET /Users/{id}`, spread over the ids.
pub async fn reads(scim: &Arc<Scim>, ids: &[String], count: usize) -> Figures {
    let (scim, ids) = (scim.clone(), Arc::new(ids.to_vec()));
    run(count, move |i| {
        let (scim, ids) = (scim.clone(), ids.clone());
        async move {
            let id = &ids[(i * 7919) % ids.len()];
            let started = Instant::now();
            let user = scim.get(&format!("/Users/{id}")).await;
            let latency = started.elapsed();
            assert_eq!(user["id"], id.as_str());
            latency
        }
    })
    .await
}

/// `GET /Users?filter=userName eq "…"` for users that exist, among `users`.
pub async fn lookups(scim: &Arc<Scim>, users: usize, count: usize) -> Figures {
    let scim = scim.clone();
    run(count, move |i| {
        let scim = scim.clone();
        async move {
            let name = user_name((i * 7919) % users);
            let started = Instant::now();
            let found = scim.get(&format!("/Users?filter=userName+eq+%22{name}%22")).await;
            let latency = started.elapsed();
            assert_eq!(found["totalResults"], 1, "lookup of {name}");
            latency
        }
    })
    .await
}

/// Okta's import: every user, a page of 100 at a time by `startIndex`, one page after another.
/// The figures count pages.
pub async fn import(scim: &Scim, users: usize) -> Figures {
    let mut latencies = Vec::new();
    let mut seen = 0;
    while seen < users {
        let started = Instant::now();
        let page = scim.get(&format!("/Users?startIndex={}&count=100", seen + 1)).await;
        latencies.push(started.elapsed());
        let resources = page["Resources"].as_array().map_or(0, Vec::len);
        assert!(resources > 0, "the page at {} is empty: {page}", seen + 1);
        seen += resources;
    }
    Figures { operations: latencies.len(), elapsed: latencies.iter().sum(), latencies }
}

/// A group of `ids.len() - 200` members built with 1000-member PATCHes, then 200 single-member
/// adds and removes at that size. Returns (add, remove) latencies.
pub async fn group_members(scim: &Scim, ids: &[String]) -> (Figures, Figures) {
    let size = ids.len().saturating_sub(200);
    let group: Value = scim.post("/Groups", &json!({"displayName": "Benchmark Group"})).await.json().await.expect("group");
    let path = format!("/Groups/{}", group["id"].as_str().expect("group id"));
    let started = Instant::now();
    for chunk in ids[..size].chunks(1000) {
        let members: Vec<Value> = chunk.iter().map(|id| json!({"value": id})).collect();
        assert_eq!(scim.patch(&path, &json!([{"op": "Add", "path": "members", "value": members}])).await, 204);
    }
    println!("  group of {size} members built with 1000-member PATCHes in {}", ms(started.elapsed()));
    let (mut add, mut remove) = (Vec::new(), Vec::new());
    let timed = |latencies: &mut Vec<Duration>, started: Instant| latencies.push(started.elapsed());
    for id in &ids[size..] {
        let started = Instant::now();
        assert_eq!(scim.patch(&path, &json!([{"op": "Add", "path": "members", "value": [{"value": id}]}])).await, 204);
        timed(&mut add, started);
        let started = Instant::now();
        assert_eq!(scim.patch(&path, &json!([{"op": "Remove", "path": "members", "value": [{"value": id}]}])).await, 204);
        timed(&mut remove, started);
    }
    let figures = |latencies: Vec<Duration>| Figures { operations: latencies.len(), elapsed: latencies.iter().sum(), latencies };
    (figures(add), figures(remove))
}
