//! Portal administrators.

use super::{audit, conflict_on_unique, now, Db, StoreError};
use crate::models::AdminInfo;
use crate::msg;

/// What sign-in needs: the stored argon2 hash.
#[derive(Debug, sqlx::FromRow)]
pub struct Credentials {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
}

pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM admins").fetch_one(&db.read).await
}

pub async fn credentials(db: &Db, username: &str) -> Result<Option<Credentials>, sqlx::Error> {
    sqlx::query_as("SELECT id, username, password_hash FROM admins WHERE username = ?").bind(username).fetch_optional(&db.read).await
}

pub async fn find(db: &Db, id: i64) -> Result<Option<AdminInfo>, sqlx::Error> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT id, username FROM admins WHERE id = ?").bind(id).fetch_optional(&db.read).await?;
    Ok(row.map(|(id, username)| AdminInfo { id, username }))
}

/// Adds an administrator (`provisio admin create`), with its audit event in the same transaction.
pub async fn create(db: &Db, username: &str, password_hash: &str, actor: &str) -> Result<AdminInfo, StoreError> {
    let mut tx = db.begin_write().await?;
    let id = sqlx::query("INSERT INTO admins (username, password_hash, created_at) VALUES (?, ?, ?)")
        .bind(username)
        .bind(password_hash)
        .bind(now())
        .execute(&mut *tx)
        .await
        .map_err(|e| conflict_on_unique(e, || msg!("messages.admin_exists", name = username)))?
        .last_insert_rowid();
    let details = msg!("audit.details.admin_added", name = username);
    audit::record_message(&mut tx, actor, audit::Action::AdminCreated, Some(username), &details).await?;
    tx.commit().await?;
    Ok(AdminInfo { id, username: username.to_owned() })
}

/// Adds the first administrator, and only if there is none yet (the first-run setup page), with
/// its audit event. Returns `None` when someone else got there first.
pub async fn create_first(db: &Db, username: &str, password_hash: &str) -> Result<Option<AdminInfo>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let result = sqlx::query(
        "INSERT INTO admins (username, password_hash, created_at)
         SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM admins)",
    )
    .bind(username)
    .bind(password_hash)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    if result.rows_affected() == 0 {
        return Ok(None);
    }
    let details = msg!("audit.details.admin_first", name = username);
    audit::record_message(&mut tx, username, audit::Action::AdminCreated, Some(username), &details).await?;
    tx.commit().await?;
    Ok(Some(AdminInfo { id: result.last_insert_rowid(), username: username.to_owned() }))
}

pub async fn set_password(db: &Db, id: i64, password_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE admins SET password_hash = ? WHERE id = ?").bind(password_hash).bind(id).execute(&db.write).await.map(|_| ())
}

pub async fn record_sign_in(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE admins SET last_sign_in_at = ? WHERE id = ?").bind(now()).bind(id).execute(&db.write).await.map(|_| ())
}
