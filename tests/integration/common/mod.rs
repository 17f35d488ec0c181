//! `TestApp`: the real application on port 0 with a fresh SQLite file, and typed helpers.
#![allow(dead_code)]

pub mod process;

use leptos::server_fn::ServerFn;
use provisio::domain::idp::Idp;
use provisio::models::{ScimRequestEntry, ScimRequestFilter};
use provisio::server::cli;
use provisio::server::config::ServeConfig;
use provisio::server::startup::Application;
use reqwest::{header, redirect, Client, Response};
use secrecy::ExposeSecret;
use serde_json::Value;
use tempfile::TempDir;
use tokio::sync::oneshot;

pub struct TestApp {
    pub address: String,
    pub database: String,
    pub setup_code: Option<String>,
    /// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
    pub client: Client,
    _dir: TempDir,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<Server>,
}

/// Where the app runs: a task on the test's runtime, or a runtime of its own.
enum Server {
    Task(tokio::task::JoinHandle<anyhow::Result<()>>),
    Thread(std::thread::JoinHandle<anyhow::Result<()>>),
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(|_| {}).await
    }

    /// An app whose configuration `adjust` changes first (e.g. to give it a mail server).
    pub async fn spawn_with(adjust: impl FnOnce(&mut ServeConfig)) -> TestApp {
        let (dir, database, mut config) = fresh_config();
        adjust(&mut config);
        let app = Application::build(config).await.expect("the app builds");
        let address = format!("http://{}", app.local_addr());
        let setup_code = app.setup_code().map(str::to_owned);
        let (tx, rx) = oneshot::channel();
        let server = tokio::spawn(app.run_with_shutdown(async {
            let _ = rx.await;
        }));
        TestApp::new(address, database, setup_code, dir, tx, Server::Task(server))
    }

    /// The app on a runtime and OS thread of its own, with two workers like the real server, so
    /// a test outlives a server that wedges its runtime and can report it instead of hanging.
    pub async fn spawn_isolated() -> TestApp {
        let (dir, database, config) = fresh_config();
        let (ready_tx, ready_rx) = oneshot::channel();
        let (tx, rx) = oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
            runtime.block_on(async move {
                let app = Application::build(config).await?;
                let _ = ready_tx.send((app.local_addr(), app.setup_code().map(str::to_owned)));
                app.run_with_shutdown(async {
                    let _ = rx.await;
                })
                .await
            })
        });
        let (address, setup_code) = ready_rx.await.expect("the app builds");
        TestApp::new(format!("http://{address}"), database, setup_code, dir, tx, Server::Thread(thread))
    }

    fn new(
        address: String,
        database: String,
        setup_code: Option<String>,
        dir: TempDir,
        shutdown: oneshot::Sender<()>,
        server: Server,
    ) -> TestApp {
        TestApp { address, database, setup_code, client: new_client(), _dir: dir, shutdown: Some(shutdown), server: Some(server) }
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match self.server.take().expect("running") {
            Server::Task(task) => task.await?,
            Server::Thread(thread) => tokio::task::spawn_blocking(move || thread.join().expect("the server thread ended")).await?,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub fn scim_url(&self, idp: Idp, path: &str) -> String {
        format!("{}/scim/v2/{}{path}", self.address, idp.slug())
    }

    /// A token made the way `provisio token create` makes one.
    pub async fn create_token(&self, idp: Idp) -> String {
        let public_url = url::Url::parse(&self.address).unwrap();
        let created = cli::create_token(&self.database, idp, &public_url).await.expect("token created");
        created.secret.expose_secret().to_owned()
    }

    /// A GET as the IdPs send it: no Content-Type, no User-Agent.
    pub async fn scim_get(&self, idp: Idp, path: &str, authorization: Option<&str>) -> Response {
        let mut request = Client::new().get(self.scim_url(idp, path));
        if let Some(value) = authorization {
            request = request.header(header::AUTHORIZATION, value);
        }
        request.send().await.expect("request sent")
    }

    /// Calls a server function the way an HTML form does, with this app's cookie jar.
    pub async fn call<F: ServerFn>(&self, form: &[(&str, &str)]) -> Response {
        self.call_with(&self.client, F::PATH, form).await
    }

    /// Calls a server function that takes JSON (`#[server(input = Json)]`).
    pub async fn call_json<F: ServerFn>(&self, body: &Value) -> Response {
        self.client.post(self.url(F::PATH)).json(body).send().await.expect("request sent")
    }

    pub async fn call_with(&self, client: &Client, path: &str, form: &[(&str, &str)]) -> Response {
        client.post(self.url(path)).form(form).send().await.expect("request sent")
    }

    /// Creates the first admin through the setup page's server function and signs in.
    pub async fn set_up_admin(&self, username: &str, password: &str) -> Response {
        let code = self.setup_code.clone().expect("a fresh app has a setup code");
        self.call::<provisio::api::auth::CompleteSetup>(&[
            ("code", &code),
            ("username", username),
            ("password", password),
            ("confirm", password),
        ])
        .await
    }
}

/// Creation times have millisecond precision and ties are ordered by a random id: tests that
/// expect creation order wait this long between creations.
pub async fn next_millisecond() {
    tokio::time::sleep(std::time::Duration::from_millis(3)).await;
}

/// A fresh database file and the configuration the tests serve it with.
fn fresh_config() -> (TempDir, String, ServeConfig) {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = dir.path().join("provisio.db").to_string_lossy().into_owned();
    let config = ServeConfig::local(database.clone(), dir.path().join("site"));
    (dir, database, config)
}

pub fn new_client() -> Client {
    Client::builder().cookie_store(true).redirect(redirect::Policy::none()).build().unwrap()
}

/// A server function's refusal, in English (the portal shows it in the page's language).
pub async fn refusal(response: Response) -> String {
    assert!(!response.status().is_success(), "expected a refusal, got {}", response.status());
    let error: provisio::api::AppError = response.json().await.expect("an AppError body");
    error.to_string()
}

/// Checks the RFC 7644 §3.12 error body and content type, and returns the detail.
pub async fn assert_scim_error(response: Response, status: u16) -> Value {
    assert_eq!(response.status().as_u16(), status);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/scim+json");
    let body: Value = response.json().await.expect("a JSON body");
    assert_eq!(body["schemas"], serde_json::json!(["urn:ietf:params:scim:api:messages:2.0:Error"]));
    assert_eq!(body["status"], status.to_string());
    assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()), "detail must explain: {body}");
    body
}

/// A running app with one token per IdP, and SCIM request helpers.
pub struct Scim {
    pub app: TestApp,
    pub entra: String,
    pub okta: String,
}

impl Scim {
    pub async fn new() -> Scim {
        Scim::on(TestApp::spawn().await).await
    }

    pub async fn on(app: TestApp) -> Scim {
        let entra = format!("Bearer {}", app.create_token(Idp::Entra).await);
        let okta = format!("Bearer {}", app.create_token(Idp::Okta).await);
        Scim { app, entra, okta }
    }

    pub fn auth(&self, idp: Idp) -> &str {
        match idp {
            Idp::Entra => &self.entra,
            Idp::Okta => &self.okta,
        }
    }

    pub async fn send(&self, idp: Idp, method: reqwest::Method, path: &str, body: Option<&Value>) -> Response {
        let mut request = Client::new().request(method, self.app.scim_url(idp, path)).header(header::AUTHORIZATION, self.auth(idp));
        if let Some(body) = body {
            request = request.header(header::CONTENT_TYPE, "application/scim+json; charset=utf-8").body(body.to_string());
        }
        request.send().await.unwrap()
    }

    pub async fn post(&self, idp: Idp, body: &Value) -> Response {
        self.send(idp, reqwest::Method::POST, "/Users", Some(body)).await
    }

    pub async fn patch_at(&self, idp: Idp, path: &str, operations: Value) -> Response {
        self.patch(idp, path, operations).await
    }

    pub async fn patch(&self, idp: Idp, path: &str, operations: Value) -> Response {
        self.send(idp, reqwest::Method::PATCH, path, Some(&patch_op(operations))).await
    }

    pub async fn get(&self, idp: Idp, path: &str) -> Response {
        self.send(idp, reqwest::Method::GET, path, None).await
    }

    pub async fn created(&self, idp: Idp, body: &Value) -> Value {
        let response = self.post(idp, body).await;
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
        response.json().await.unwrap()
    }

    /// Creates an Okta user named `user_name` and returns its id.
    pub async fn okta_user_id(&self, user_name: &str) -> String {
        self.created(Idp::Okta, &okta_user(user_name)).await["id"].as_str().unwrap().to_owned()
    }

    pub async fn sql<T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + Send + Unpin>(&self, query: &str) -> Vec<T> {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", self.app.database)).await.unwrap();
        let rows = sqlx::query_as(query).fetch_all(&pool).await.unwrap();
        pool.close().await;
        rows
    }
}

/// The wire URNs, spelled out here rather than taken from the crate, so a typo there fails.
pub const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
pub const ERROR: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
pub const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// IDP-BEHAVIOR.md §2.3: Okta's `POST /Users` body, for `user_name`.
pub fn okta_user(user_name: &str) -> Value {
    serde_json::json!({
        "schemas": [USER_SCHEMA],
        "userName": user_name,
        "name": {"givenName": "Test", "familyName": "User"},
        "emails": [{"primary": true, "value": user_name, "type": "work"}],
        "displayName": "Test User",
        "locale": "en-US",
        "externalId": "00ujl29u0le5T6Aj10h7",
        "groups": [],
        "password": "1mz050nq",
        "active": true
    })
}

pub fn patch_op(operations: Value) -> Value {
    serde_json::json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": operations})
}

/// Runs the futures together on this task, so the server sees the requests concurrently.
pub async fn join_all<F: std::future::Future<Output = Response>>(futures: impl Iterator<Item = F>) -> Vec<Response> {
    let mut pending: Vec<_> = futures.map(Box::pin).collect();
    let mut results: Vec<Option<Response>> = pending.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut waiting = false;
        for (future, slot) in pending.iter_mut().zip(results.iter_mut()) {
            if slot.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(response) => *slot = Some(response),
                    std::task::Poll::Pending => waiting = true,
                }
            }
        }
        if waiting {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    results.into_iter().map(|r| r.expect("every future finished")).collect()
}

impl Scim {
    /// The request log's newest entries matching `filter`, once at least `count` are there:
    /// reads and refusals are written by a background task, a moment after their response.
    pub async fn logged(&self, filter: &ScimRequestFilter, count: usize) -> Vec<ScimRequestEntry> {
        let db = provisio::store::Db::open(&self.app.database).await.unwrap();
        let mut entries = Vec::new();
        for _ in 0..200 {
            entries = provisio::store::request_log::list(&db, filter, None, 100).await.unwrap().items;
            if entries.len() >= count {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        db.close().await;
        entries
    }
}

/// A real SMTP server (aiosmtpd, installed by `scripts/setup --e2e`) that keeps every message
/// it receives in a maildir. Stopped when dropped.
pub struct SmtpSink {
    pub port: u16,
    maildir: std::path::PathBuf,
    child: std::process::Child,
    _dir: TempDir,
}

impl SmtpSink {
    /// On a free port.
    pub async fn start() -> SmtpSink {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        SmtpSink::start_on(port).await
    }

    pub async fn start_on(port: u16) -> SmtpSink {
        let python = concat!(env!("CARGO_MANIFEST_DIR"), "/tools/.venv/bin/python");
        assert!(std::path::Path::new(python).exists(), "aiosmtpd is missing: run scripts/setup --e2e");
        let dir = tempfile::tempdir().unwrap();
        let maildir = dir.path().join("mail");
        let mut child = std::process::Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("aiosmtpd starts");
        // Python takes a while to start on a busy CI machine.
        for _ in 0..400 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return SmtpSink { port, maildir, child, _dir: dir };
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("aiosmtpd exited ({status}) before listening on port {port}: taken?");
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("aiosmtpd did not start on port {port} within 20 s");
    }

    pub fn config(port: u16) -> provisio::server::config::SmtpConfig {
        provisio::server::config::SmtpConfig {
            host: "127.0.0.1".into(),
            port,
            tls: provisio::server::config::SmtpTls::None,
            credentials: None,
            from: "Provisio <provisio@example.com>".into(),
        }
    }

    /// The messages received so far, once there are at least `count` (waits up to 10 s).
    pub async fn received(&self, count: usize) -> Vec<String> {
        let mut messages = Vec::new();
        for _ in 0..200 {
            messages = std::fs::read_dir(self.maildir.join("new"))
                .map(|entries| entries.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok()).collect())
                .unwrap_or_default();
            if messages.len() >= count {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        messages
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
