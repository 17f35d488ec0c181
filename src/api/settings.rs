//! An IdP's settings (S1, S2), its invitations (S1) and custom attributes (S3, A5).

use super::AppError;
use crate::domain::idp::Idp;
use crate::models::{CustomAttribute, IdpSettings, InvitationOverview};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::ssr::{internal, require_admin},
    crate::domain::validate,
    crate::store,
};

#[server]
pub async fn get_idp_settings(idp: Idp) -> Result<IdpSettings, AppError> {
    let (state, _) = require_admin().await?;
    Ok(store::settings::get(&state.db, idp).await.map_err(internal)?.unwrap_or_default())
}

#[server(input = leptos::server_fn::codec::Json)]
pub async fn save_idp_settings(idp: Idp, settings: IdpSettings) -> Result<IdpSettings, AppError> {
    let (state, admin) = require_admin().await?;
    // Managed Apple IDs are an Entra ID setting (S2); the subdomain only means something with them.
    let settings = IdpSettings {
        managed_apple_id: idp == Idp::Entra && settings.managed_apple_id,
        appleid_subdomain: idp == Idp::Entra && settings.managed_apple_id && settings.appleid_subdomain,
        ..settings
    };
    Ok(store::settings::update(&state.db, idp, &settings, &admin.username).await?)
}

#[server]
pub async fn list_custom_attributes() -> Result<Vec<CustomAttribute>, AppError> {
    let (state, _) = require_admin().await?;
    store::settings::custom_attributes(&state.db).await.map_err(internal)
}

#[server]
pub async fn add_custom_attribute(idp: Idp, name: String) -> Result<CustomAttribute, AppError> {
    let (state, admin) = require_admin().await?;
    let name = validate::custom_attribute_name(&name).map_err(AppError::Invalid)?;
    Ok(store::settings::add_custom_attribute(&state.db, idp, &name, &admin.username).await?)
}

#[server]
pub async fn delete_custom_attribute(idp: Idp, name: String) -> Result<(), AppError> {
    let (state, admin) = require_admin().await?;
    Ok(store::settings::remove_custom_attribute(&state.db, idp, &name, &admin.username).await?)
}

/// The invitations of S1: counts, the latest `PAGE_SIZE`, and whether mail is configured.
#[server]
pub async fn list_invitations(idp: Idp, offset: i64) -> Result<InvitationOverview, AppError> {
    let (state, _) = require_admin().await?;
    let db = &state.db;
    let (pending, sent, failed) = store::invitations::counts(db, idp).await.map_err(internal)?;
    let latest = store::invitations::list(db, idp, offset.max(0), super::directory::PAGE_SIZE).await.map_err(internal)?;
    Ok(InvitationOverview { mail_configured: state.mail_configured, pending, sent, failed, latest })
}

/// Sends a pending or failed invitation now.
#[server]
pub async fn send_invitation_again(idp: Idp, id: i64) -> Result<(), AppError> {
    let (state, admin) = require_admin().await?;
    Ok(store::invitations::send_again(&state.db, idp, id, &admin.username).await?)
}
