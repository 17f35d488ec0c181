//! Per-IdP settings and custom attributes.

use super::Db;
use crate::{domain::idp::Idp, models::CustomAttribute};

/// When the IdP first authenticated (C2), if it has.
pub async fn connected_at(db: &Db, idp: Idp) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT connected_at FROM idp_settings WHERE idp = ?")
        .bind(idp.slug())
        .fetch_one(&db.read)
        .await
}

/// Every custom attribute of every IdP, for Admin > System > Attributes.
pub async fn custom_attributes(db: &Db) -> Result<Vec<CustomAttribute>, sqlx::Error> {
    sqlx::query_as("SELECT idp, name, created_at FROM custom_attributes ORDER BY idp, name")
        .fetch_all(&db.read)
        .await
}

/// The custom attribute names of one IdP (the custom extension's schema, A4).
pub async fn custom_attribute_names(db: &Db, idp: Idp) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM custom_attributes WHERE idp = ? ORDER BY name")
        .bind(idp.slug())
        .fetch_all(&db.read)
        .await
}
