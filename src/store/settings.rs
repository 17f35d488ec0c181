//! Per-IdP settings (S1, S2) and custom attributes (S3, A5). Every change is audited in its
//! own transaction.

use super::{audit, conflict_on_unique, now, Db, StoreError};
use crate::msg;
use crate::{
    domain::idp::Idp,
    models::{CustomAttribute, IdpSettings},
};

/// When the IdP first authenticated (C2), if it has.
pub async fn connected_at(db: &Db, idp: Idp) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT connected_at FROM idp_settings WHERE idp = ?").bind(idp.slug()).fetch_one(&db.read).await
}

pub async fn get(db: &Db, idp: Idp) -> Result<Option<IdpSettings>, sqlx::Error> {
    sqlx::query_as("SELECT auto_invite, managed_apple_id, apple_id_subdomain AS appleid_subdomain FROM idp_settings WHERE idp = ?")
        .bind(idp.slug())
        .fetch_optional(&db.read)
        .await
}

/// Saves an IdP's settings; the audit trail names what changed.
pub async fn update(db: &Db, idp: Idp, settings: &IdpSettings, actor: &str) -> Result<IdpSettings, StoreError> {
    let mut tx = db.begin_write().await?;
    let saved: IdpSettings = sqlx::query_as(
        "UPDATE idp_settings SET auto_invite = ?, managed_apple_id = ?, apple_id_subdomain = ?, updated_at = ?
         WHERE idp = ? RETURNING auto_invite, managed_apple_id, apple_id_subdomain AS appleid_subdomain",
    )
    .bind(settings.auto_invite)
    .bind(settings.managed_apple_id)
    .bind(settings.appleid_subdomain)
    .bind(now())
    .bind(idp.slug())
    .fetch_one(&mut *tx)
    .await?;
    let details = settings.describe(idp);
    audit::record_message(&mut tx, actor, audit::Action::SettingsChanged, Some(idp.slug()), &details).await?;
    tx.commit().await?;
    Ok(saved)
}

/// Every custom attribute of every IdP, for Admin > System > Attributes.
pub async fn custom_attributes(db: &Db) -> Result<Vec<CustomAttribute>, sqlx::Error> {
    sqlx::query_as("SELECT idp, name, created_at FROM custom_attributes ORDER BY idp, name").fetch_all(&db.read).await
}

/// The custom attribute names of one IdP (the custom extension's schema, A4).
pub async fn custom_attribute_names(db: &Db, idp: Idp) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM custom_attributes WHERE idp = ? ORDER BY name").bind(idp.slug()).fetch_all(&db.read).await
}

/// S3: a new custom attribute, at once part of the IdP's SCIM schema (A4). `name` is validated.
pub async fn add_custom_attribute(db: &Db, idp: Idp, name: &str, actor: &str) -> Result<CustomAttribute, StoreError> {
    let mut tx = db.begin_write().await?;
    let attribute =
        sqlx::query_as("INSERT INTO custom_attributes (idp, name, created_at) VALUES (?, ?, ?) RETURNING idp, name, created_at")
            .bind(idp.slug())
            .bind(name)
            .bind(now())
            .fetch_one(&mut *tx)
            .await
            .map_err(|err| conflict_on_unique(err, || msg!("messages.attribute_exists", idp = idp.display_name(), name = name)))?;
    let details = msg!("audit.details.custom_attribute", name = name, idp = idp.vendor());
    audit::record_message(&mut tx, actor, audit::Action::CustomAttributeAdded, Some(name), &details).await?;
    tx.commit().await?;
    Ok(attribute)
}

/// Removes a custom attribute from the schema. Values users already have stay in their
/// documents (A11), and come back if the attribute is added again.
pub async fn remove_custom_attribute(db: &Db, idp: Idp, name: &str, actor: &str) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    let removed =
        sqlx::query("DELETE FROM custom_attributes WHERE idp = ? AND name = ?").bind(idp.slug()).bind(name).execute(&mut *tx).await?;
    if removed.rows_affected() == 0 {
        return Err(StoreError::NotFound(msg!("messages.attribute_unknown", idp = idp.display_name(), name = name)));
    }
    let details = msg!("audit.details.custom_attribute", name = name, idp = idp.vendor());
    audit::record_message(&mut tx, actor, audit::Action::CustomAttributeDeleted, Some(name), &details).await?;
    tx.commit().await?;
    Ok(())
}
