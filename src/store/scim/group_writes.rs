//! The writes an IdP makes to groups and their members, and L4's group delete. They run on the
//! writer thread (`store::threads`), inside the caller's transaction.

use super::GROUP_SCOPE;
use crate::domain::idp::{Idp, Source};
use crate::domain::scim::group::{GroupInput, Member};
use crate::msg;
use crate::store::scim_filter::fold;
use crate::store::{is_unique_violation, now, StoreError};
use rusqlite::{params, Connection, OptionalExtension, Row};

/// A group as a write needs it.
#[derive(Debug, Clone)]
pub struct StoredGroup {
    pub id: String,
    pub display_name: String,
    pub source: String,
    pub resource: String,
    pub version: i64,
}

const STORED_GROUP: &str = "SELECT r.id, r.display_name, r.source, r.resource, r.version FROM groups r";

fn stored_group(row: &Row<'_>) -> rusqlite::Result<StoredGroup> {
    Ok(StoredGroup {
        id: row.get("id")?,
        display_name: row.get("display_name")?,
        source: row.get("source")?,
        resource: row.get("resource")?,
        version: row.get("version")?,
    })
}

/// Any group with this name, from any source (P6: names are unique across sources).
pub fn group_by_name(conn: &Connection, display_name: &str) -> rusqlite::Result<Option<StoredGroup>> {
    conn.prepare_cached(&format!("{STORED_GROUP} WHERE r.display_name_key = ?"))?.query_row([fold(display_name)], stored_group).optional()
}

pub fn group_for_update(conn: &Connection, idp: Idp, id: &str) -> rusqlite::Result<Option<StoredGroup>> {
    conn.prepare_cached(&format!("{STORED_GROUP} WHERE r.id = ? AND {GROUP_SCOPE}"))?
        .query_row([id, idp.source().as_str()], stored_group)
        .optional()
}

pub fn insert_group(conn: &Connection, id: &str, source: Source, group: &GroupInput) -> Result<(), StoreError> {
    let now = now();
    let document = serde_json::to_string(&group.document).expect("a JSON map serializes");
    conn.prepare_cached(
        "INSERT INTO groups (id, display_name, display_name_key, external_id, source, resource, version, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?7)",
    )?
    .execute(params![id, group.display_name, fold(&group.display_name), group.external_id, source.as_str(), document, now])
    .map_err(|e| group_name_conflict(e, &group.display_name))?;
    Ok(())
}

pub fn update_group(conn: &Connection, id: &str, source: Source, group: &GroupInput) -> Result<(), StoreError> {
    let document = serde_json::to_string(&group.document).expect("a JSON map serializes");
    conn.prepare_cached(
        "UPDATE groups SET display_name = ?1, display_name_key = ?2, external_id = ?3, source = ?4, resource = ?5,
                version = version + 1, updated_at = ?6 WHERE id = ?7",
    )?
    .execute(params![group.display_name, fold(&group.display_name), group.external_id, source.as_str(), document, now(), id])
    .map_err(|e| group_name_conflict(e, &group.display_name))?;
    Ok(())
}

fn group_name_conflict(err: rusqlite::Error, name: &str) -> StoreError {
    if is_unique_violation(&err) {
        StoreError::Conflict(msg!("messages.group_exists", name = name))
    } else {
        err.into()
    }
}

/// Adds members; re-adding one is a no-op (IdPs re-send adds) that keeps a newer `display`.
/// Returns the ids that are not users: there is nothing to add for them.
pub fn add_members(conn: &Connection, group_id: &str, members: &[Member]) -> rusqlite::Result<Vec<String>> {
    let now = now();
    let mut add = conn.prepare_cached(
        "INSERT INTO group_members (group_id, user_id, display, added_at)
         SELECT ?1, id, ?2, ?3 FROM users WHERE id = ?4
         ON CONFLICT (group_id, user_id) DO UPDATE SET display = COALESCE(excluded.display, group_members.display)",
    )?;
    let mut unknown = Vec::new();
    for member in members {
        if add.execute(params![group_id, member.display, now, member.id])? == 0 {
            unknown.push(member.id.clone());
        }
    }
    Ok(unknown)
}

pub fn remove_members(conn: &Connection, group_id: &str, user_ids: &[String]) -> rusqlite::Result<()> {
    let mut remove = conn.prepare_cached("DELETE FROM group_members WHERE group_id = ? AND user_id = ?")?;
    for user_id in user_ids {
        remove.execute([group_id, user_id])?;
    }
    Ok(())
}

pub fn remove_all_members(conn: &Connection, group_id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM group_members WHERE group_id = ?")?.execute([group_id]).map(|_| ())
}

/// A membership change is a change of the group: new version, new lastModified.
pub fn touch_group(conn: &Connection, group_id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE groups SET version = version + 1, updated_at = ? WHERE id = ?")?.execute([&now(), group_id]).map(|_| ())
}

/// L4: the group goes; each member is suspended and associated with "All Users".
pub fn delete_group(conn: &Connection, group_id: &str) -> rusqlite::Result<()> {
    let now = now();
    conn.prepare_cached(
        "INSERT OR IGNORE INTO group_members (group_id, user_id, added_at)
         SELECT ?1, user_id, ?2 FROM group_members WHERE group_id = ?3",
    )?
    .execute([ALL_USERS_GROUP, &now, group_id])?;
    conn.prepare_cached(
        "UPDATE users SET active = 0, version = version + 1, updated_at = ?1
         WHERE id IN (SELECT user_id FROM group_members WHERE group_id = ?2)",
    )?
    .execute([&now, group_id])?;
    conn.prepare_cached("DELETE FROM groups WHERE id = ?")?.execute([group_id]).map(|_| ())
}

/// The built-in group every member of a deleted group is associated with (L4).
pub const ALL_USERS_GROUP: &str = "all-users";
