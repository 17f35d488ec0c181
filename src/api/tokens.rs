//! SCIM token actions of the User Provisioning page (T1-T5). Each is audited by the store, in
//! the same transaction as the change, and takes effect at the SCIM endpoint at once.

use super::AppError;
use crate::domain::idp::Idp;
use crate::models::{NewToken, TokenInfo};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {super::ssr::require_admin, crate::domain::tokens, crate::server::config::scim_base_url, crate::store, secrecy::ExposeSecret};

/// T1: a new token; the response is the only time its secret leaves the server. `lifetime`:
/// `never` (the default), `90d`, `1y` or a date (`YYYY-MM-DD`).
#[server]
pub async fn generate_token(idp: Idp, #[server(default)] lifetime: Option<String>) -> Result<NewToken, AppError> {
    let (state, admin) = require_admin().await?;
    let expires_at = tokens::expiry(lifetime.as_deref().unwrap_or(tokens::NEVER), chrono::Utc::now()).map_err(AppError::Invalid)?;
    let secret = tokens::generate();
    let token = store::tokens::create(&state.db, idp, &secret, expires_at, &admin.username).await?;
    Ok(NewToken { token, secret: secret.secret.expose_secret().to_owned(), scim_base_url: scim_base_url(&state.public_url, idp) })
}

#[server]
pub async fn set_token_active(idp: Idp, id: String, active: bool) -> Result<TokenInfo, AppError> {
    let (state, admin) = require_admin().await?;
    Ok(store::tokens::set_active(&state.db, idp, &id, active, &admin.username).await?)
}

/// T4: a new secret for the token, with a lifetime of its own; the old one gets 401 from now on.
#[server]
pub async fn renew_token(idp: Idp, id: String, #[server(default)] lifetime: Option<String>) -> Result<NewToken, AppError> {
    let (state, admin) = require_admin().await?;
    let expires_at = tokens::expiry(lifetime.as_deref().unwrap_or(tokens::NEVER), chrono::Utc::now()).map_err(AppError::Invalid)?;
    let secret = tokens::generate();
    let token = store::tokens::renew(&state.db, idp, &id, &secret, expires_at, &admin.username).await?;
    Ok(NewToken { token, secret: secret.secret.expose_secret().to_owned(), scim_base_url: scim_base_url(&state.public_url, idp) })
}

#[server]
pub async fn delete_token(idp: Idp, id: String) -> Result<(), AppError> {
    let (state, admin) = require_admin().await?;
    Ok(store::tokens::delete(&state.db, idp, &id, &admin.username).await?)
}
