//! A7: saved configurations. The fields are kept as the admin wrote them, variables and all;
//! they are filled in per user when used.

use super::{audit, conflict_on_unique, now, Db, StoreError};
use crate::models::{Configuration, EmailAccountProfile};
use crate::msg;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    name: String,
    fields: String,
    updated_at: String,
    updated_by: String,
}

impl From<Row> for Configuration {
    fn from(row: Row) -> Self {
        Configuration {
            id: row.id,
            name: row.name,
            profile: serde_json::from_str(&row.fields).unwrap_or_default(),
            updated_at: row.updated_at,
            updated_by: row.updated_by,
        }
    }
}

pub async fn list(db: &Db) -> Result<Vec<Configuration>, sqlx::Error> {
    let rows: Vec<Row> =
        sqlx::query_as("SELECT id, name, fields, updated_at, updated_by FROM configurations ORDER BY name").fetch_all(&db.read).await?;
    Ok(rows.into_iter().map(Configuration::from).collect())
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Configuration>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as("SELECT id, name, fields, updated_at, updated_by FROM configurations WHERE id = ?")
        .bind(id)
        .fetch_optional(&db.read)
        .await?;
    Ok(row.map(Configuration::from))
}

/// Creates (`id` None) or replaces a configuration; returns its id.
pub async fn save(db: &Db, id: Option<i64>, name: &str, profile: &EmailAccountProfile, actor: &str) -> Result<i64, StoreError> {
    let fields = serde_json::to_string(profile).expect("a profile serialises");
    let mut tx = db.begin_write().await?;
    let saved: Option<i64> = match id {
        None => {
            sqlx::query_scalar(
                "INSERT INTO configurations (name, kind, fields, updated_at, updated_by) VALUES (?, 'email_account', ?, ?, ?) RETURNING id",
            )
            .bind(name)
            .bind(&fields)
            .bind(now())
            .bind(actor)
            .fetch_optional(&mut *tx)
            .await
        }
        Some(id) => {
            sqlx::query_scalar("UPDATE configurations SET name = ?, fields = ?, updated_at = ?, updated_by = ? WHERE id = ? RETURNING id")
                .bind(name)
                .bind(&fields)
                .bind(now())
                .bind(actor)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await
        }
    }
    .map_err(|err| conflict_on_unique(err, || msg!("messages.configuration_exists", name = name)))?;
    let Some(id) = saved else {
        return Err(StoreError::NotFound(msg!("messages.configuration_gone")));
    };
    audit::record(&mut tx, actor, audit::Action::ConfigurationSaved, Some(&id.to_string()), name).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn delete(db: &Db, id: i64, actor: &str) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    let name: Option<String> =
        sqlx::query_scalar("DELETE FROM configurations WHERE id = ? RETURNING name").bind(id).fetch_optional(&mut *tx).await?;
    let Some(name) = name else {
        return Err(StoreError::NotFound(msg!("messages.configuration_gone")));
    };
    audit::record(&mut tx, actor, audit::Action::ConfigurationDeleted, Some(&id.to_string()), &name).await?;
    tx.commit().await?;
    Ok(())
}
