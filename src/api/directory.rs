//! Users and User Groups: what the lists and detail pages read, and what admins may change.
//! Provisioned data is the IdP's (P7): the portal suspends and restores only local users, and
//! deletes only suspended users.

use super::AppError;
use crate::models::{GroupDetail, GroupSummary, NewLocalUser, Paged, UserDetail, UserFilter, UserSummary};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::ssr::{internal, require_admin},
    crate::domain::{scim::user, validate},
    crate::msg,
    crate::store,
};

/// Rows per page in the portal's lists.
pub const PAGE_SIZE: i64 = 50;

#[server(input = leptos::server_fn::codec::Json)]
pub async fn list_users(filter: UserFilter, offset: i64) -> Result<Paged<UserSummary>, AppError> {
    let (state, _) = require_admin().await?;
    store::users::list(&state.db, &filter, offset.max(0), PAGE_SIZE).await.map_err(internal)
}

#[server]
pub async fn get_user(id: String) -> Result<UserDetail, AppError> {
    let (state, _) = require_admin().await?;
    store::users::get(&state.db, &id).await.map_err(internal)?.ok_or_else(|| AppError::NotFound(msg!("messages.user_gone")))
}

/// Creates a local user; returns its id.
#[server(input = leptos::server_fn::codec::Json)]
pub async fn create_local_user(new: NewLocalUser) -> Result<String, AppError> {
    let (state, admin) = require_admin().await?;
    let document = validate::local_user(&new).map_err(AppError::Invalid)?;
    let input = user::read(&document).map_err(|err| AppError::Invalid(msg!("messages.invalid_user", detail = err.detail)))?;
    Ok(store::users::create_local(&state.db, &input, &admin.username).await?)
}

#[server]
pub async fn set_user_suspended(id: String, suspended: bool) -> Result<(), AppError> {
    let (state, admin) = require_admin().await?;
    Ok(store::users::set_suspended(&state.db, &id, suspended, &admin.username).await?)
}

#[server]
pub async fn delete_user(id: String) -> Result<(), AppError> {
    let (state, admin) = require_admin().await?;
    Ok(store::users::delete(&state.db, &id, &admin.username).await?)
}

#[server]
pub async fn list_groups(text: Option<String>, offset: i64) -> Result<Paged<GroupSummary>, AppError> {
    let (state, _) = require_admin().await?;
    store::groups::list(&state.db, text.as_deref(), offset.max(0), PAGE_SIZE).await.map_err(internal)
}

#[server]
pub async fn get_group(id: String) -> Result<GroupDetail, AppError> {
    let (state, _) = require_admin().await?;
    store::groups::get(&state.db, &id).await.map_err(internal)?.ok_or_else(|| AppError::NotFound(msg!("messages.group_gone")))
}

#[server]
pub async fn list_group_members(id: String, offset: i64) -> Result<Paged<UserSummary>, AppError> {
    let (state, _) = require_admin().await?;
    store::groups::members(&state.db, &id, offset.max(0), PAGE_SIZE).await.map_err(internal)
}

#[server]
pub async fn delete_group(id: String) -> Result<(), AppError> {
    let (state, admin) = require_admin().await?;
    Ok(store::groups::delete(&state.db, &id, &admin.username).await?)
}
