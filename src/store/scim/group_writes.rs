//! The writes an IdP makes to groups and their members, and L4's group delete.

use super::GROUP_SCOPE;
use crate::domain::idp::{Idp, Source};
use crate::domain::scim::group::{GroupInput, Member};
use crate::msg;
use crate::store::scim_filter::fold;
use crate::store::{conflict_on_unique, now, StoreError};
use sqlx::types::Json;
use sqlx::{FromRow, SqliteConnection};

/// A group as a write needs it.
#[derive(Debug, Clone, FromRow)]
pub struct StoredGroup {
    pub id: String,
    pub display_name: String,
    pub source: String,
    pub resource: String,
    pub version: i64,
}

/// Any group with this name, from any source (P6: names are unique across sources).
pub async fn group_by_name(conn: &mut SqliteConnection, display_name: &str) -> Result<Option<StoredGroup>, sqlx::Error> {
    sqlx::query_as("SELECT id, display_name, source, resource, version FROM groups WHERE display_name_key = ?")
        .bind(fold(display_name))
        .fetch_optional(conn)
        .await
}

pub async fn group_for_update(conn: &mut SqliteConnection, idp: Idp, id: &str) -> Result<Option<StoredGroup>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT r.id, r.display_name, r.source, r.resource, r.version FROM groups r WHERE r.id = ? AND {GROUP_SCOPE}"))
        .bind(id)
        .bind(idp.source().as_str())
        .fetch_optional(conn)
        .await
}

pub async fn insert_group(conn: &mut SqliteConnection, id: &str, source: Source, group: &GroupInput) -> Result<(), StoreError> {
    let now = now();
    sqlx::query(
        "INSERT INTO groups (id, display_name, display_name_key, external_id, source, resource, version, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
    )
    .bind(id)
    .bind(&group.display_name)
    .bind(fold(&group.display_name))
    .bind(&group.external_id)
    .bind(source.as_str())
    .bind(Json(&group.document))
    .bind(&now)
    .bind(&now)
    .execute(conn)
    .await
    .map_err(|e| group_name_conflict(e, &group.display_name))?;
    Ok(())
}

pub async fn update_group(conn: &mut SqliteConnection, id: &str, source: Source, group: &GroupInput) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE groups SET display_name = ?, display_name_key = ?, external_id = ?, source = ?, resource = ?,
                version = version + 1, updated_at = ? WHERE id = ?",
    )
    .bind(&group.display_name)
    .bind(fold(&group.display_name))
    .bind(&group.external_id)
    .bind(source.as_str())
    .bind(Json(&group.document))
    .bind(now())
    .bind(id)
    .execute(conn)
    .await
    .map_err(|e| group_name_conflict(e, &group.display_name))?;
    Ok(())
}

fn group_name_conflict(err: sqlx::Error, name: &str) -> StoreError {
    conflict_on_unique(err, || msg!("messages.group_exists", name = name))
}

/// Adds members; re-adding one is a no-op (IdPs re-send adds) that keeps a newer `display`.
/// Returns the ids that are not users: there is nothing to add for them.
pub async fn add_members(conn: &mut SqliteConnection, group_id: &str, members: &[Member]) -> Result<Vec<String>, sqlx::Error> {
    let now = now();
    let mut unknown = Vec::new();
    for member in members {
        let added = sqlx::query(
            "INSERT INTO group_members (group_id, user_id, display, added_at)
             SELECT ?, id, ?, ? FROM users WHERE id = ?
             ON CONFLICT (group_id, user_id) DO UPDATE SET display = COALESCE(excluded.display, group_members.display)",
        )
        .bind(group_id)
        .bind(&member.display)
        .bind(&now)
        .bind(&member.id)
        .execute(&mut *conn)
        .await?;
        if added.rows_affected() == 0 {
            unknown.push(member.id.clone());
        }
    }
    Ok(unknown)
}

pub async fn remove_members(conn: &mut SqliteConnection, group_id: &str, user_ids: &[String]) -> Result<(), sqlx::Error> {
    for user_id in user_ids {
        sqlx::query("DELETE FROM group_members WHERE group_id = ? AND user_id = ?")
            .bind(group_id)
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn remove_all_members(conn: &mut SqliteConnection, group_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM group_members WHERE group_id = ?").bind(group_id).execute(conn).await.map(|_| ())
}

/// A membership change is a change of the group: new version, new lastModified.
pub async fn touch_group(conn: &mut SqliteConnection, group_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE groups SET version = version + 1, updated_at = ? WHERE id = ?")
        .bind(now())
        .bind(group_id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// L4: the group goes; each member is suspended and associated with "All Users".
pub async fn delete_group(conn: &mut SqliteConnection, group_id: &str) -> Result<(), sqlx::Error> {
    let now = now();
    sqlx::query(
        "INSERT OR IGNORE INTO group_members (group_id, user_id, added_at)
         SELECT ?, user_id, ? FROM group_members WHERE group_id = ?",
    )
    .bind(ALL_USERS_GROUP)
    .bind(&now)
    .bind(group_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE users SET active = 0, version = version + 1, updated_at = ?
         WHERE id IN (SELECT user_id FROM group_members WHERE group_id = ?)",
    )
    .bind(&now)
    .bind(group_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM groups WHERE id = ?").bind(group_id).execute(conn).await.map(|_| ())
}

/// The built-in group every member of a deleted group is associated with (L4).
pub const ALL_USERS_GROUP: &str = "all-users";
