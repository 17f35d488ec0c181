//! What the portal pages read.

use super::AppError;
use crate::domain::idp::Idp;
use crate::models::{AuditEvent, AuditFilter, IdpOverview, Paged, ScimRequestCursor, ScimRequestFilter, ScimRequestPage};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::ssr::{internal, require_admin},
    crate::models::RequestOutcome,
    crate::server::config::scim_base_url,
    crate::store,
};

pub use super::directory::PAGE_SIZE;
/// How many of an IdP's latest errors its provisioning page shows.
#[cfg(feature = "ssr")]
const LAST_ERRORS: u32 = 5;

#[server(input = leptos::server_fn::codec::Json)]
pub async fn list_audit_events(filter: AuditFilter, offset: i64) -> Result<Paged<AuditEvent>, AppError> {
    let (state, _) = require_admin().await?;
    store::audit::list(&state.db, &filter, offset.max(0), PAGE_SIZE).await.map_err(internal)
}

#[server]
pub async fn provisioning_overview(idp: Idp) -> Result<IdpOverview, AppError> {
    let (state, _) = require_admin().await?;
    let db = &state.db;
    let failed = ScimRequestFilter { idp: Some(idp), outcome: Some(RequestOutcome::Failed), ..Default::default() };
    Ok(IdpOverview {
        idp,
        scim_base_url: scim_base_url(&state.public_url, idp),
        tokens: store::tokens::list(db, idp).await.map_err(internal)?,
        connected_at: store::settings::connected_at(db, idp).await.map_err(internal)?,
        users: store::users::count_from(db, idp).await.map_err(internal)?,
        groups: store::groups::count_from(db, idp).await.map_err(internal)?,
        last_activity: store::request_log::last_activity(db, idp).await.map_err(internal)?,
        last_errors: last_errors(db, &failed).await?,
    })
}

/// The newest failures that need the admin; expected answers (a 404 for a resource already
/// deleted, a conflict the IdP got past) are left to the log page.
#[cfg(feature = "ssr")]
async fn last_errors(db: &store::Db, failed: &ScimRequestFilter) -> Result<Vec<crate::models::ScimRequestEntry>, AppError> {
    use crate::domain::request_outcome::Outcome;
    const LOOKED_AT: u32 = 50;
    let failures = store::request_log::list(db, failed, None, LOOKED_AT).await.map_err(internal)?.items;
    Ok(failures.into_iter().filter(|entry| entry.outcome() == Outcome::NeedsAttention).take(LAST_ERRORS as usize).collect())
}

/// The SCIM request log, newest first, `PAGE_SIZE` at a time; `after` continues a page.
#[server(input = leptos::server_fn::codec::Json)]
pub async fn list_scim_requests(filter: ScimRequestFilter, after: Option<ScimRequestCursor>) -> Result<ScimRequestPage, AppError> {
    let (state, _) = require_admin().await?;
    store::request_log::list(&state.db, &filter, after.as_ref(), PAGE_SIZE as u32).await.map_err(internal)
}
