//! M1, M2: the legacy "Entra ID user source" page: CSV import, the migration to SCIM, and the
//! leftovers the IdP did not send.

use super::AppError;
use crate::models::{GroupSummary, ImportReport, LegacyOverview, Paged, UserSummary};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::ssr::{internal, require_admin},
    crate::domain::legacy_csv,
    crate::store::{self, legacy::Selection},
};

#[server]
pub async fn get_legacy_overview() -> Result<LegacyOverview, AppError> {
    let (state, _) = require_admin().await?;
    store::legacy::overview(&state.db).await.map_err(internal)
}

/// Imports a CSV export of the legacy source (the file's text).
#[server(input = leptos::server_fn::codec::Json)]
pub async fn import_legacy_csv(csv: String) -> Result<ImportReport, AppError> {
    let (state, admin) = require_admin().await?;
    let (users, errors) = legacy_csv::read(&csv).map_err(AppError::Invalid)?;
    let skipped = errors.into_iter().map(|error| (error.line, error.reason)).collect();
    Ok(store::legacy::import(&state.db, users, skipped, &admin.username).await?)
}

#[server]
pub async fn start_migration() -> Result<(), AppError> {
    let (state, admin) = require_admin().await?;
    Ok(store::legacy::start_migration(&state.db, &admin.username).await?)
}

#[server]
pub async fn finish_migration() -> Result<(), AppError> {
    let (state, admin) = require_admin().await?;
    Ok(store::legacy::finish_migration(&state.db, &admin.username).await?)
}

#[server]
pub async fn list_leftover_users(offset: i64) -> Result<Paged<UserSummary>, AppError> {
    let (state, _) = require_admin().await?;
    store::legacy::leftover_users(&state.db, offset.max(0), super::directory::PAGE_SIZE).await.map_err(internal)
}

#[server]
pub async fn list_leftover_groups(offset: i64) -> Result<Paged<GroupSummary>, AppError> {
    let (state, _) = require_admin().await?;
    store::legacy::leftover_groups(&state.db, offset.max(0), super::directory::PAGE_SIZE).await.map_err(internal)
}

/// Deletes the chosen leftovers, or all of them; returns how many users and groups went.
#[server(input = leptos::server_fn::codec::Json)]
pub async fn delete_leftovers(all: bool, users: Vec<String>, groups: Vec<String>) -> Result<(u64, u64), AppError> {
    let (state, admin) = require_admin().await?;
    let selection = if all { Selection::All } else { Selection::Some { users: &users, groups: &groups } };
    Ok(store::legacy::delete_leftovers(&state.db, selection, &admin.username).await?)
}
