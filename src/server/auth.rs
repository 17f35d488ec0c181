//! Admin sessions: server-side rows in the `sessions` table, an HttpOnly SameSite=Strict cookie,
//! and a guard that keeps every portal page behind sign-in.

use crate::domain::return_to;
use crate::models::AdminInfo;
use crate::server::state::AppState;
use crate::store::{self, Db};
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::cookie::{time::Duration, SameSite};
use tower_sessions::session::Id;
use tower_sessions::{Expiry, Session, SessionManagerLayer, SessionStore};
use tower_sessions_sqlx_store::SqliteStore;

const ADMIN_ID: &str = "admin_id";
/// When the admin signed in and was last seen, in Unix milliseconds.
const SIGNED_IN_AT: &str = "signed_in_at";
const LAST_SEEN: &str = "last_seen";
pub const SESSION_COOKIE: &str = "provisio_session";

/// How long a session lasts (`--session-idle-minutes`, `--session-max-hours`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// A session ends after this long without a request.
    pub idle: std::time::Duration,
    /// ... and this long after sign-in, however busy.
    pub lifetime: std::time::Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy { idle: std::time::Duration::from_secs(30 * 60), lifetime: std::time::Duration::from_secs(12 * 3600) }
    }
}

impl SessionPolicy {
    /// `last_seen` is written at most this often, so a busy page does not write on every request.
    fn refresh_every(&self) -> std::time::Duration {
        (self.idle / 4).min(std::time::Duration::from_secs(60))
    }
}

pub fn session_store(db: &Db) -> SqliteStore {
    SqliteStore::new(db.write.clone()).with_table_name("sessions").expect("`sessions` is a valid table name")
}

pub fn session_layer(store: SqliteStore, secure: bool, policy: SessionPolicy) -> SessionManagerLayer<SqliteStore> {
    // The stored row and the cookie last `idle` from the last write; `signed_in_admin` refreshes
    // them while the admin is active and enforces both limits itself.
    let idle = Duration::try_from(policy.idle).unwrap_or(Duration::hours(8));
    SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(secure)
        .with_expiry(Expiry::OnInactivity(idle))
}

fn unix_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The administrator this session belongs to, if it is signed in, within its idle timeout and
/// lifetime, and the admin still exists. An expired session is ended here.
pub async fn signed_in_admin(session: &Session, state: &AppState) -> anyhow::Result<Option<AdminInfo>> {
    let Some(id) = session.get::<i64>(ADMIN_ID).await? else {
        return Ok(None);
    };
    let policy = state.session_policy;
    let now = unix_millis();
    let signed_in_at = session.get::<i64>(SIGNED_IN_AT).await?.unwrap_or(0);
    let last_seen = session.get::<i64>(LAST_SEEN).await?.unwrap_or(signed_in_at);
    let older_than = |at: i64, limit: std::time::Duration| now - at >= limit.as_millis() as i64;
    if older_than(signed_in_at, policy.lifetime) || older_than(last_seen, policy.idle) {
        tracing::info!(admin = id, "session expired");
        session.flush().await?;
        return Ok(None);
    }
    if older_than(last_seen, policy.refresh_every()) {
        session.insert(LAST_SEEN, now).await?;
    }
    Ok(store::admins::find(&state.db, id).await?)
}

/// Signs `admin` in on a fresh session id (no fixation of an id set before sign-in).
pub async fn start(session: &Session, admin: &AdminInfo) -> anyhow::Result<()> {
    session.cycle_id().await?;
    session.insert(ADMIN_ID, admin.id).await?;
    let now = unix_millis();
    session.insert(SIGNED_IN_AT, now).await?;
    session.insert(LAST_SEEN, now).await?;
    Ok(())
}

/// "Sign out everywhere": ends every session of `admin_id` but `keep` (this browser's, when the
/// admin stays signed in here, as after a password change). Returns how many ended.
pub async fn end_all(store: &SqliteStore, db: &Db, admin_id: i64, keep: Option<Id>) -> anyhow::Result<usize> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM sessions").fetch_all(&db.write).await?;
    let mut ended = 0;
    for id in ids.iter().filter_map(|id| id.parse::<Id>().ok()).filter(|id| Some(*id) != keep) {
        let Some(record) = store.load(&id).await? else { continue };
        if record.data.get(ADMIN_ID).and_then(|value| value.as_i64()) == Some(admin_id) {
            store.delete(&id).await?;
            ended += 1;
        }
    }
    Ok(ended)
}

pub async fn end(session: &Session) -> anyhow::Result<()> {
    session.flush().await?;
    Ok(())
}

/// Paths anyone may load: the sign-in and setup pages, assets, and server functions (which
/// check the session themselves).
fn is_public(path: &str) -> bool {
    matches!(path, "/login" | "/setup" | "/favicon.ico" | "/favicon.svg") || path.starts_with("/pkg/") || path.starts_with("/api/")
}

/// Sends anonymous page loads to sign-in (or to setup while there is no administrator), and
/// signed-in ones away from the sign-in and setup pages.
pub async fn guard_pages(State(state): State<AppState>, session: Session, request: Request, next: Next) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return next.run(request).await;
    }
    let path = request.uri().path().to_owned();
    if path.starts_with("/pkg/") || path.starts_with("/api/") {
        return next.run(request).await;
    }
    let setup_pending = setup_pending(&state).await;
    let admin = match signed_in_admin(&session, &state).await {
        Ok(admin) => admin,
        Err(err) => {
            tracing::error!(error = %err, "could not read the admin session");
            return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    match (admin.is_some(), path.as_str()) {
        (true, "/login") => Redirect::to(&after_sign_in(request.uri().query())).into_response(),
        (true, "/setup") => Redirect::to("/").into_response(),
        (true, "/") => Redirect::to("/users").into_response(),
        (true, "/admin/identity/provisioning") => Redirect::to("/admin/identity/provisioning/entra").into_response(),
        (false, "/setup") if !setup_pending => Redirect::to("/login").into_response(),
        (false, "/login") if setup_pending => Redirect::to("/setup").into_response(),
        (false, _) if !is_public(&path) && setup_pending => Redirect::to("/setup").into_response(),
        // Back to this page after sign-in.
        (false, _) if !is_public(&path) => {
            let back = request.uri().path_and_query().map_or(path.as_str(), |p| p.as_str());
            Redirect::to(&return_to::sign_in_url(back)).into_response()
        }
        _ => next.run(request).await,
    }
}

/// Where `/login?{query}` sends an admin who is already signed in: the `next` page when it is
/// a page of this site, else the start page.
fn after_sign_in(query: Option<&str>) -> String {
    let next = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()).find(|(key, _)| key == "next").map(|(_, next)| next);
    match next.as_deref().and_then(return_to::local_path).filter(|next| !matches!(*next, "/login" | "/setup")) {
        Some(next) => next.to_owned(),
        None => "/".to_owned(),
    }
}

/// Whether first-run setup is still to be done. An admin made meanwhile with
/// `provisio admin create` ends it too.
pub async fn setup_pending(state: &AppState) -> bool {
    if !state.setup.is_open() {
        return false;
    }
    if store::admins::count(&state.db).await.unwrap_or(0) > 0 {
        state.setup.close();
        return false;
    }
    true
}
