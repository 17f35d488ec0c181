//! Load benchmark of the SCIM endpoint over real HTTP against the real app (release build,
//! SQLite file in a temp dir). Prints figures; asserts nothing about time.
//!
//!     cargo bench --bench scim_load                 # 100k users, 50k-member group
//!     PROVISIO_BENCH_USERS=20000 cargo bench --bench scim_load
//!     PROVISIO_BENCH_NO_RATE_LIMIT=1 cargo bench --bench scim_load   # without the SCIM rate limits
//!
//! Phases:
//! 1. Entra-style initial sync: for every user, `GET /Users?filter=userName eq` (miss) then
//!    `POST /Users`, 8 connections; then POST alone for a further 20% of users.
//! 2. `GET /Users?filter=userName eq "<existing>"` throughput and latency, 8 connections.
//! 3. A group of 50k members built with 1000-member PATCHes, then single-member add and
//!    remove PATCH latency at that size.

use provisio::domain::idp::Idp;
use provisio::server::scim::rate_limit::{Rate, ScimRateLimits};
use provisio::server::{cli, config::ServeConfig, startup::Application};
use reqwest::{header, Client};
use secrecy::ExposeSecret;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CONNECTIONS: usize = 8;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let users: usize = std::env::var("PROVISIO_BENCH_USERS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let group_size = (users / 2).max(1);
    let dir = tempfile::tempdir()?;
    let database = dir.path().join("bench.db").to_string_lossy().into_owned();
    let mut config = ServeConfig::local(database.clone(), dir.path().join("site"));
    // For comparison: the same run without the SCIM rate limits (the default keeps them).
    if std::env::var_os("PROVISIO_BENCH_NO_RATE_LIMIT").is_some() {
        config.scim_rate_limits = ScimRateLimits { per_token: Rate::OFF, per_idp: Rate::OFF };
    }
    let app = Application::build(config).await?;
    let base = format!("http://{}/scim/v2/entra", app.local_addr());
    let public_url = url::Url::parse(&format!("http://{}", app.local_addr()))?;
    tokio::spawn(app.run_until_stopped());
    let token = cli::create_token(&database, Idp::Entra, &public_url).await?;
    let auth = format!("Bearer {}", token.secret.expose_secret());
    let client = Client::builder().pool_max_idle_per_host(CONNECTIONS).build()?;
    let scim = Arc::new(Scim { client, base, auth });

    println!("Provisio SCIM benchmark: {users} users, {CONNECTIONS} connections, SQLite at {database}");

    // 1. Entra's initial sync: a matching GET, then a POST, per user.
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let post_latencies = run_workers(|| {
        let (scim, next) = (scim.clone(), next.clone());
        async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= users {
                    return latencies;
                }
                let name = user_name(i);
                let miss = scim.get(&format!("/Users?filter=userName+eq+%22{name}%22")).await;
                assert_eq!(miss["totalResults"], 0, "user {name} should not exist yet");
                let t = Instant::now();
                let status = scim.post("/Users", &user(i)).await;
                latencies.push(t.elapsed());
                assert_eq!(status, 201, "POST of {name}");
            }
        }
    })
    .await;
    let sync = started.elapsed();
    println!(
        "Entra-style initial sync (GET filter + POST per user): {users} users in {:.1} s = {:.0} users/s; its POSTs p50 {} p99 {}",
        sync.as_secs_f64(),
        users as f64 / sync.as_secs_f64(),
        ms(percentile(&post_latencies, 50.0)),
        ms(percentile(&post_latencies, 99.0)),
    );

    // 1b. POST alone, on top of the synced directory.
    let posts = 20_000.min(users / 5).max(1);
    let next = Arc::new(AtomicUsize::new(users));
    let started = Instant::now();
    let latencies = run_workers(|| {
        let (scim, next) = (scim.clone(), next.clone());
        async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= users + posts {
                    return latencies;
                }
                let t = Instant::now();
                assert_eq!(scim.post("/Users", &user(i)).await, 201);
                latencies.push(t.elapsed());
            }
        }
    })
    .await;
    let elapsed = started.elapsed();
    println!(
        "POST /Users: {posts} creates in {:.1} s = {:.0}/s; p50 {} p99 {}",
        elapsed.as_secs_f64(),
        posts as f64 / elapsed.as_secs_f64(),
        ms(percentile(&latencies, 50.0)),
        ms(percentile(&latencies, 99.0)),
    );

    // 2. Lookups by userName at 100k users.
    let lookups = 20_000.min(users * 2);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let get_latencies = run_workers(|| {
        let (scim, next) = (scim.clone(), next.clone());
        async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= lookups {
                    return latencies;
                }
                let name = user_name((i * 7919) % users);
                let t = Instant::now();
                let found = scim.get(&format!("/Users?filter=userName+eq+%22{name}%22")).await;
                latencies.push(t.elapsed());
                assert_eq!(found["totalResults"], 1, "lookup of {name}");
            }
        }
    })
    .await;
    let elapsed = started.elapsed();
    println!(
        "GET /Users?filter=userName eq: {lookups} lookups in {:.1} s = {:.0}/s; p50 {} p99 {}",
        elapsed.as_secs_f64(),
        lookups as f64 / elapsed.as_secs_f64(),
        ms(percentile(&get_latencies, 50.0)),
        ms(percentile(&get_latencies, 99.0)),
    );

    // 3. A large group, then single-member changes at that size.
    let ids: Vec<String> = {
        let mut ids = Vec::with_capacity(group_size + 200);
        let mut start = 1;
        while ids.len() < group_size + 200 && start <= users {
            let page = scim.get(&format!("/Users?attributes=id&startIndex={start}&count=1000")).await;
            let resources = page["Resources"].as_array().cloned().unwrap_or_default();
            if resources.is_empty() {
                break;
            }
            ids.extend(resources.iter().filter_map(|r| r["id"].as_str().map(str::to_owned)));
            start += resources.len();
        }
        ids
    };
    let group: Value = scim.post_json("/Groups", &json!({"displayName": "Benchmark Group"})).await;
    let group_path = format!("/Groups/{}", group["id"].as_str().expect("group id"));
    let started = Instant::now();
    for chunk in ids[..group_size.min(ids.len())].chunks(1000) {
        let members: Vec<Value> = chunk.iter().map(|id| json!({"value": id})).collect();
        let status = scim.patch(&group_path, &json!([{"op": "Add", "path": "members", "value": members}])).await;
        assert_eq!(status, 204);
    }
    println!("group of {} members built with 1000-member PATCHes in {:.1} s", group_size.min(ids.len()), started.elapsed().as_secs_f64());
    let extra = &ids[group_size.min(ids.len())..];
    let mut add = Vec::new();
    let mut remove = Vec::new();
    for id in extra.iter().take(200) {
        let t = Instant::now();
        assert_eq!(scim.patch(&group_path, &json!([{"op": "Add", "path": "members", "value": [{"value": id}]}])).await, 204);
        add.push(t.elapsed());
        let t = Instant::now();
        assert_eq!(scim.patch(&group_path, &json!([{"op": "Remove", "path": "members", "value": [{"value": id}]}])).await, 204);
        remove.push(t.elapsed());
    }
    println!(
        "group member add at {} members: p50 {} p99 {}; remove: p50 {} p99 {}",
        group_size.min(ids.len()),
        ms(percentile(&add, 50.0)),
        ms(percentile(&add, 99.0)),
        ms(percentile(&remove, 50.0)),
        ms(percentile(&remove, 99.0)),
    );
    let size = std::fs::metadata(&database).map(|m| m.len()).unwrap_or(0);
    println!("database file: {:.1} MiB", size as f64 / (1024.0 * 1024.0));
    Ok(())
}

struct Scim {
    client: Client,
    base: String,
    auth: String,
}

impl Scim {
    async fn get(&self, path: &str) -> Value {
        let response = self.client.get(format!("{}{path}", self.base)).header(header::AUTHORIZATION, &self.auth).send().await.expect("GET");
        response.json().await.expect("JSON")
    }

    async fn post(&self, path: &str, body: &Value) -> u16 {
        self.send(reqwest::Method::POST, path, body).await.status().as_u16()
    }

    async fn post_json(&self, path: &str, body: &Value) -> Value {
        self.send(reqwest::Method::POST, path, body).await.json().await.expect("JSON")
    }

    async fn patch(&self, path: &str, operations: &Value) -> u16 {
        let body = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": operations});
        self.send(reqwest::Method::PATCH, path, &body).await.status().as_u16()
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .request(method, format!("{}{path}", self.base))
            .header(header::AUTHORIZATION, &self.auth)
            .header(header::CONTENT_TYPE, "application/scim+json")
            .body(body.to_string())
            .send()
            .await
            .expect("request")
    }
}

/// Runs `CONNECTIONS` workers and gathers their latencies.
async fn run_workers<F, Fut>(worker: F) -> Vec<Duration>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Vec<Duration>> + Send + 'static,
{
    let handles: Vec<_> = (0..CONNECTIONS).map(|_| tokio::spawn(worker())).collect();
    let mut all = Vec::new();
    for handle in handles {
        all.extend(handle.await.expect("worker"));
    }
    all
}

fn user_name(i: usize) -> String {
    format!("bench.user{i:06}@example.com")
}

fn user(i: usize) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "externalId": format!("ext-{i}"),
        "userName": user_name(i),
        "active": true,
        "displayName": format!("Bench User {i}"),
        "emails": [{"primary": true, "type": "work", "value": user_name(i)}],
        "name": {"formatted": format!("Bench User {i}"), "familyName": format!("User{i}"), "givenName": "Bench"},
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Benchmarks"}
    })
}

fn percentile(samples: &[Duration], p: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    let mut sorted = samples.to_vec();
    sorted.sort();
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}
