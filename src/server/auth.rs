//! Admin sessions: server-side rows in the `sessions` table, an HttpOnly SameSite=Strict cookie,
//! and a guard that keeps every portal page behind sign-in.

use crate::models::AdminInfo;
use crate::server::state::AppState;
use crate::store::{self, Db};
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::cookie::{time::Duration, SameSite};
use tower_sessions::{Expiry, Session, SessionManagerLayer};
use tower_sessions_sqlx_store::SqliteStore;

const ADMIN_ID: &str = "admin_id";
pub const SESSION_COOKIE: &str = "provisio_session";
/// A session ends after this long without a request.
const IDLE_TIMEOUT: Duration = Duration::hours(8);

pub fn session_store(db: &Db) -> SqliteStore {
    SqliteStore::new(db.write.clone()).with_table_name("sessions").expect("`sessions` is a valid table name")
}

pub fn session_layer(store: SqliteStore, secure: bool) -> SessionManagerLayer<SqliteStore> {
    SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(secure)
        .with_expiry(Expiry::OnInactivity(IDLE_TIMEOUT))
}

/// The administrator this session belongs to, if it is signed in and the admin still exists.
pub async fn signed_in_admin(session: &Session, db: &Db) -> anyhow::Result<Option<AdminInfo>> {
    let Some(id) = session.get::<i64>(ADMIN_ID).await? else {
        return Ok(None);
    };
    Ok(store::admins::find(db, id).await?)
}

/// Signs `admin` in on a fresh session id (no fixation of an id set before sign-in).
pub async fn start(session: &Session, admin: &AdminInfo) -> anyhow::Result<()> {
    session.cycle_id().await?;
    session.insert(ADMIN_ID, admin.id).await?;
    Ok(())
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
    let admin = match signed_in_admin(&session, &state.db).await {
        Ok(admin) => admin,
        Err(err) => {
            tracing::error!(error = %err, "could not read the admin session");
            return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    match (admin.is_some(), path.as_str()) {
        (true, "/login" | "/setup") => Redirect::to("/").into_response(),
        (true, "/") => Redirect::to("/users").into_response(),
        (true, "/admin/identity/provisioning") => Redirect::to("/admin/identity/provisioning/entra").into_response(),
        (false, "/setup") if !setup_pending => Redirect::to("/login").into_response(),
        (false, "/login") if setup_pending => Redirect::to("/setup").into_response(),
        (false, _) if !is_public(&path) => Redirect::to(if setup_pending { "/setup" } else { "/login" }).into_response(),
        _ => next.run(request).await,
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
