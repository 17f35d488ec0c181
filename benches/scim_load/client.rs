//! The load generator: a SCIM client over HTTP, workers that share a counter, and the figures
//! a phase prints.

use reqwest::{header, Client};
use serde_json::{json, Value};
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

/// Concurrent connections, as an IdP's sync engine opens them.
pub const CONNECTIONS: usize = 8;

/// A SCIM endpoint: its base URL and the `Authorization` header it takes.
pub struct Scim {
    client: Client,
    base: String,
    auth: String,
}

impl Scim {
    pub fn new(base: String, auth: String) -> Arc<Scim> {
        let client = Client::builder().pool_max_idle_per_host(CONNECTIONS).build().expect("HTTP client");
        Arc::new(Scim { client, base, auth })
    }

    pub async fn get(&self, path: &str) -> Value {
        let response = self.client.get(format!("{}{path}", self.base)).header(header::AUTHORIZATION, &self.auth).send().await.expect("GET");
        let status = response.status();
        let body = response.text().await.expect("body");
        assert!(status.is_success(), "GET {path}: {status} {body}");
        serde_json::from_str(&body).expect("JSON")
    }

    pub async fn post(&self, path: &str, body: &Value) -> reqwest::Response {
        self.send(reqwest::Method::POST, path, body).await
    }

    pub async fn patch(&self, path: &str, operations: &Value) -> u16 {
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

/// What a phase measured: operations, wall time and each operation's latency.
pub struct Figures {
    pub operations: usize,
    pub elapsed: Duration,
    pub latencies: Vec<Duration>,
}

impl Figures {
    pub fn per_second(&self) -> f64 {
        self.operations as f64 / self.elapsed.as_secs_f64()
    }

    pub fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let mut sorted = self.latencies.clone();
        sorted.sort();
        sorted[((p / 100.0) * (sorted.len() - 1) as f64).round() as usize]
    }

    /// `1234/s, p50 1.10 ms, p99 4.20 ms`
    pub fn summary(&self) -> String {
        format!("{:.0}/s, p50 {}, p99 {}", self.per_second(), ms(self.percentile(50.0)), ms(self.percentile(99.0)))
    }
}

pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Runs operations `0..count` on [`CONNECTIONS`] workers; `operation(i)` returns the latency
/// that counts (an operation may do untimed work first).
pub async fn run<F, Fut>(count: usize, operation: F) -> Figures
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Duration> + Send,
{
    let operation = Arc::new(operation);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..CONNECTIONS)
        .map(|_| {
            let (operation, next) = (operation.clone(), next.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        return latencies;
                    }
                    latencies.push(operation(i).await);
                }
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(count);
    for worker in workers {
        latencies.extend(worker.await.expect("worker"));
    }
    Figures { operations: count, elapsed: started.elapsed(), latencies }
}

/// `PROVISIO_BENCH_SHUFFLED=1`: userNames in no order, as an IdP sends them (in directory
/// order, not by name). By default they come sorted, which the userName and email indexes
/// take as appends.
static SHUFFLED: LazyLock<bool> = LazyLock::new(|| std::env::var("PROVISIO_BENCH_SHUFFLED").as_deref() == Ok("1"));

pub fn user_name(i: usize) -> String {
    if *SHUFFLED {
        // Multiplying by an odd constant is a bijection on u32: unique, and unordered.
        return format!("bench.user{:08x}@example.com", (i as u32).wrapping_mul(2_654_435_761));
    }
    format!("bench.user{i:06}@example.com")
}

/// The user Entra sends for `i` (the enterprise extension included).
pub fn user(i: usize) -> Value {
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
