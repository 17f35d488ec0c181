//! Builds the application (database, router, listener) and runs it until a shutdown signal.

use crate::app::{shell, App};
use crate::server::config::ServeConfig;
use crate::server::csrf::{self, PublicOrigin};
use crate::server::invitations::InvitationSender;
use crate::server::mailer::Mailer;
use crate::server::request_log::{RequestLog, RequestLogWriter};
use crate::server::scim::rate_limit::RateLimiter;
use crate::server::security_headers::{self, SecurityHeaders};
use crate::server::site::{self, Site};
use crate::server::state::{AppState, SetupGate, Shared};
use crate::server::{auth, language, scim, server_fn_status, shutdown};
use crate::store::{self, Db};
use anyhow::Context;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::ServiceExt;
use axum::{middleware, Json, Router};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::future::Future;
use std::iter::once;
use std::net::SocketAddr;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower::util::MapRequestLayer;
use tower::{Layer, ServiceExt as _};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::normalize_path::NormalizePathLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::ExpiredDeletion;

/// Portal request bodies above this are refused with 413 (SCIM has its own limit).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    setup_code: Option<String>,
    request_log_writer: RequestLogWriter,
    invitation_sender: Option<InvitationSender>,
}

impl Application {
    pub async fn build(config: ServeConfig) -> anyhow::Result<Application> {
        let db = Db::open(&config.database).await.with_context(|| format!("could not open the database `{}`", config.database))?;
        db.migrate().await.context("could not migrate the database")?;

        let listener = TcpListener::bind(config.listen).await.with_context(|| format!("could not listen on {}", config.listen))?;
        let addr = listener.local_addr()?;
        let public_url = match config.public_url {
            Some(url) => url,
            None => url::Url::parse(&format!("http://{addr}"))?,
        };

        let (setup, setup_code) = if store::admins::count(&db).await? == 0 {
            let (gate, code) = SetupGate::open();
            (gate, Some(code))
        } else {
            (SetupGate::closed(), None)
        };

        let site = Site::locate(config.site_root);
        if !site.has_bundle().await {
            tracing::warn!(site = %site.describe(), "the portal's bundle is missing: pages will not become interactive (run scripts/build)");
        }
        tracing::info!(site = %site.describe(), bundle = site.pkg_dir(), "portal assets");
        // Leptos builds the hydration scripts' URLs from the bundle's directory and name; the
        // server serves the files itself (`asset_or_not_found`), so the site root is only what
        // Leptos is told.
        let leptos_options = leptos::config::LeptosOptions::builder()
            .output_name(site::OUTPUT_NAME)
            .site_root(site::DEFAULT_ROOT)
            .site_pkg_dir(site.pkg_dir())
            .site_addr(addr)
            .build();
        let (request_log, request_log_writer) = RequestLog::start(db.clone(), config.request_log);
        let mailer = config.smtp.as_ref().map(Mailer::new).transpose().context("invalid SMTP settings")?;
        let mail_configured = mailer.is_some();
        let registration_url = config.registration_url.as_ref().unwrap_or(&public_url).to_string();
        let invitation_sender = mailer.map(|mailer| InvitationSender::start(db.clone(), mailer, registration_url));
        let sign_in_throttle = Default::default();
        let scim_rate_limiter = RateLimiter::new(config.scim_rate_limits);
        let state = AppState::new(Shared {
            db,
            public_url,
            setup,
            leptos_options,
            request_log,
            mail_configured,
            sign_in_throttle,
            scim_rate_limiter,
            session_policy: config.session,
            site,
        });
        let router = router(state.clone());
        Ok(Application { listener, router, state, setup_code, request_log_writer, invitation_sender })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    /// The one-time setup code, while the database has no administrator.
    pub fn setup_code(&self) -> Option<&str> {
        self.setup_code.as_deref()
    }

    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_with_shutdown(shutdown::stop_signal()).await
    }

    pub async fn run_with_shutdown(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let Application { listener, router, state, setup_code, request_log_writer, invitation_sender } = self;
        tracing::info!(address = %listener.local_addr()?, public_url = %state.public_url, "Provisio is listening");
        if let Some(code) = setup_code {
            tracing::warn!(
                setup_code = %code,
                "no administrator yet: open {}setup and enter this one-time setup code (or run `provisio admin create`)",
                state.public_url
            );
        }
        let cleanup = tokio::spawn(auth::session_store(&state.db).continuously_delete_expired(std::time::Duration::from_secs(3600)));
        // `/Users/` is `/Users`, and `/users` too: clients differ, and the routes are exact.
        let app = NormalizePathLayer::trim_trailing_slash().layer(MapRequestLayer::new(canonical_scim_path).layer(router));
        // The peer address keys the sign-in throttle.
        let app = ServiceExt::<Request>::into_make_service_with_connect_info::<SocketAddr>(app);
        // Requests in flight get a bounded time to finish: a stuck or slow one must not keep
        // the server from stopping.
        let stopping = CancellationToken::new();
        tokio::spawn({
            let stopping = stopping.clone();
            async move {
                shutdown.await;
                stopping.cancel();
            }
        });
        let serve = axum::serve(listener, app).with_graceful_shutdown(stopping.clone().cancelled_owned());
        tokio::select! {
            served = serve => served?,
            () = async { stopping.cancelled().await; tokio::time::sleep(shutdown::GRACE).await } => {
                tracing::warn!(grace_seconds = shutdown::GRACE.as_secs(), "requests still running after the grace period: closing them");
            }
        }
        cleanup.abort();
        request_log_writer.stop().await;
        if let Some(sender) = invitation_sender {
            sender.stop().await;
        }
        state.db.close().await;
        tracing::info!("Provisio stopped");
        Ok(())
    }
}

fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let portal = Router::new()
        // Also registers every server function under /api, with the same context.
        .leptos_routes_with_context(
            &state,
            routes,
            {
                let state = state.clone();
                move || provide_page_context(&state)
            },
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(asset_or_not_found)
        .layer(middleware::from_fn_with_state(state.clone(), auth::guard_pages))
        .layer(middleware::from_fn(server_fn_status::from_error))
        .layer(middleware::from_fn_with_state(PublicOrigin::of(&state.public_url), csrf::same_origin_only))
        .layer(auth::session_layer(auth::session_store(&state.db), state.secure_cookies(), state.session_policy))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES));

    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .route("/healthz", get(health))
        .route(&format!("{}/{{code}}", crate::app::i18n::SWITCH_PATH), get(language::choose))
        .nest("/scim", scim::router(state.clone()))
        .merge(portal)
        .layer(middleware::from_fn_with_state(SecurityHeaders { https: state.secure_cookies() }, security_headers::apply))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
            let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .layer(SetSensitiveRequestHeadersLayer::new(once(header::AUTHORIZATION).chain(once(header::COOKIE))))
        .with_state(state)
}

/// What every page and server function renders with: the state, the response's CSP nonce, and
/// which wasm files each section of pages needs.
fn provide_page_context(state: &AppState) {
    provide_context(state.clone());
    security_headers::provide_nonce();
    state.site.provide_split_manifest();
}

/// A file of the portal's site, or the portal's not-found page.
async fn asset_or_not_found(State(state): State<AppState>, request: Request) -> Response {
    if let Some(asset) = state.site.respond(request.method(), request.uri().path(), request.headers()).await {
        return asset;
    }
    let options = state.leptos_options.clone();
    let context = move || provide_page_context(&state);
    let Ok(page) = leptos_axum::ErrorHandler::new_with_context(context, shell, options).oneshot(request).await;
    page
}

fn canonical_scim_path(mut request: Request) -> Request {
    if let Some(path) = scim::canonical_path(request.uri().path()) {
        let path_and_query = match request.uri().query() {
            Some(query) => format!("{path}?{query}"),
            None => path,
        };
        if let Ok(uri) = path_and_query.parse() {
            *request.uri_mut() = uri;
        }
    }
    request
}

/// Liveness and readiness: 200 when the database answers.
async fn health(State(state): State<AppState>) -> impl IntoResponse {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, Json(serde_json::json!({"status": "ok"}))),
        Err(err) => {
            tracing::error!(error = %err, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({"status": "database unavailable"})))
        }
    }
}
