//! What every server function needs on the server: state, session, the signed-in admin.

use super::AppError;
use crate::models::AdminInfo;
use crate::server::{auth, state::AppState};
use crate::store::StoreError;
use leptos::prelude::use_context;
use tower_sessions::Session;

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| internal("AppState missing from the Leptos context"))
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(internal)
}

/// The signed-in admin, or `Unauthorized`.
pub async fn require_admin() -> Result<(AppState, AdminInfo), AppError> {
    let state = state()?;
    let session = session().await?;
    match auth::signed_in_admin(&session, &state).await.map_err(internal)? {
        Some(admin) => Ok((state, admin)),
        None => Err(AppError::Unauthorized),
    }
}

/// Logs the cause for operators; the browser gets a generic message.
pub fn internal(err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "server function failed");
    AppError::Internal
}

/// A store refusal reads as it is; a database failure is logged and kept from the browser.
impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Conflict(message) => AppError::Conflict(message),
            StoreError::NotFound(message) => AppError::NotFound(message),
            StoreError::Database(err) => internal(err),
            StoreError::Write(err) => internal(err),
        }
    }
}
