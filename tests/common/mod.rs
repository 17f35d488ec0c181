//! `TestApp`: the real application on port 0 with a fresh SQLite file, and typed helpers.
#![allow(dead_code)]

use leptos::server_fn::ServerFn;
use provisio::domain::idp::Idp;
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
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = dir.path().join("provisio.db").to_string_lossy().into_owned();
        let config = ServeConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            database: database.clone(),
            public_url: None,
            site_root: dir.path().join("site"),
        };
        let app = Application::build(config).await.expect("the app builds");
        let address = format!("http://{}", app.local_addr());
        let setup_code = app.setup_code().map(str::to_owned);
        let (tx, rx) = oneshot::channel();
        let server = tokio::spawn(app.run_with_shutdown(async {
            let _ = rx.await;
        }));
        TestApp {
            address,
            database,
            setup_code,
            client: new_client(),
            _dir: dir,
            shutdown: Some(tx),
            server: Some(server),
        }
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.server.take().expect("running").await?
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

pub fn new_client() -> Client {
    Client::builder().cookie_store(true).redirect(redirect::Policy::none()).build().unwrap()
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
