//! The writes an IdP makes to users: create (with takeover and restore), update, soft delete.

use super::{UserRecord, USER_COLUMNS, USER_SCOPE};
use crate::domain::idp::{Idp, Source};
use crate::domain::scim::user::UserInput;
use crate::store::now;
use crate::store::scim_filter::fold;
use serde_json::Value;
use sqlx::sqlite::SqliteArguments;
use sqlx::types::Json;
use sqlx::{query::QueryAs, FromRow, Sqlite, SqliteConnection};

/// A user found by userName when an IdP creates one: enough to apply the lifecycle rules.
#[derive(Debug, Clone, FromRow)]
pub struct StoredUser {
    pub id: String,
    pub source: String,
    pub scim_deleted: bool,
    pub resource: String,
    pub version: i64,
}

/// Looks a userName up across every source and state (P4 uniqueness is global).
pub async fn user_by_name(conn: &mut SqliteConnection, user_name: &str) -> Result<Option<StoredUser>, sqlx::Error> {
    sqlx::query_as("SELECT id, source, scim_deleted_at IS NOT NULL AS scim_deleted, resource, version FROM users WHERE user_name_key = ?")
        .bind(fold(user_name))
        .fetch_optional(conn)
        .await
}

/// A user the IdP may change: in its scope and not deleted.
pub async fn user_for_update(conn: &mut SqliteConnection, idp: Idp, id: &str) -> Result<Option<StoredUser>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT r.id, r.source, r.scim_deleted_at IS NOT NULL AS scim_deleted, r.resource, r.version FROM users r WHERE r.id = ? AND {USER_SCOPE}"
    ))
    .bind(id)
    .bind(idp.source().as_str())
    .fetch_optional(conn)
    .await
}

/// Stores a new user and returns it as SCIM serves it, or `None` when its userName is taken
/// (P4: across every source). One statement both checks and inserts: each is a round trip to
/// the connection's thread, and most creates are of new names.
pub async fn insert_user(
    conn: &mut SqliteConnection,
    id: &str,
    source: Source,
    user: &UserInput,
) -> Result<Option<UserRecord>, sqlx::Error> {
    let now = now();
    let sql = format!(
        "INSERT INTO users (id, user_name, user_name_key, external_id, display_name, display_name_key, given_name,
                            family_name, email, active, source, resource, version, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
         ON CONFLICT (user_name_key) DO NOTHING RETURNING {USER_COLUMNS}"
    );
    let record = bind_state(sqlx::query_as(&sql).bind(id), source, user).bind(&now).bind(&now).fetch_optional(&mut *conn).await?;
    if record.is_some() {
        insert_emails(conn, id, &user.emails).await?;
    }
    Ok(record)
}

/// Writes a user's new state and returns it; `source` takes a local or legacy user over (P5),
/// and a user the IdP had deleted comes back (L3).
pub async fn update_user(conn: &mut SqliteConnection, id: &str, source: Source, user: &UserInput) -> Result<UserRecord, sqlx::Error> {
    let sql = format!(
        "UPDATE users SET user_name = ?, user_name_key = ?, external_id = ?, display_name = ?, display_name_key = ?,
                given_name = ?, family_name = ?, email = ?, active = ?, source = ?, resource = ?,
                scim_deleted_at = NULL, version = version + 1, updated_at = ?
         WHERE id = ? RETURNING {USER_COLUMNS}"
    );
    let record = bind_state(sqlx::query_as(&sql), source, user).bind(now()).bind(id).fetch_one(&mut *conn).await?;
    sqlx::query("DELETE FROM user_emails WHERE user_id = ?").bind(id).execute(&mut *conn).await?;
    insert_emails(conn, id, &user.emails).await?;
    Ok(record)
}

type UserQuery<'q> = QueryAs<'q, Sqlite, UserRecord, SqliteArguments<'q>>;

/// Binds what a user's state fills, in the order both writes name the columns: user_name,
/// user_name_key, external_id, display_name, display_name_key, given_name, family_name, email,
/// active, source, resource (the document, serialized from the map without a copy).
fn bind_state<'q>(query: UserQuery<'q>, source: Source, user: &'q UserInput) -> UserQuery<'q> {
    query
        .bind(&user.user_name)
        .bind(fold(&user.user_name))
        .bind(&user.external_id)
        .bind(&user.display_name)
        .bind(user.display_name.as_deref().map(fold))
        .bind(&user.given_name)
        .bind(&user.family_name)
        .bind(user.primary_email())
        .bind(user.active)
        .bind(source.as_str())
        .bind(Json(&user.document))
}

/// L3: an IdP's DELETE suspends the user and hides it from SCIM; memberships stay (L5).
pub async fn soft_delete_user(conn: &mut SqliteConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET scim_deleted_at = ?, active = 0, version = version + 1, updated_at = ? WHERE id = ?")
        .bind(now())
        .bind(now())
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// The folded emails a user's `emails[value eq …]` lookups use, in one statement however many.
async fn insert_emails(conn: &mut SqliteConnection, id: &str, emails: &[String]) -> Result<(), sqlx::Error> {
    if emails.is_empty() {
        return Ok(());
    }
    let folded = Value::from(emails.iter().map(|email| fold(email)).collect::<Vec<_>>()).to_string();
    sqlx::query("INSERT OR IGNORE INTO user_emails (user_id, value_key) SELECT ?, value FROM json_each(?)")
        .bind(id)
        .bind(folded)
        .execute(conn)
        .await
        .map(|_| ())
}
