//! Groups as the portal sees them, with their direct members.

use super::scim_filter::fold;
use super::{audit, scim::ALL_USERS_GROUP, Db, StoreError};
use crate::domain::idp::Idp;
use crate::models::{GroupDetail, GroupSummary, Paged, UserSummary};
use crate::msg;

/// "All Users" (built in, SPEC L4) is the group of every user: its count is the number of users.
const MEMBER_COUNT: &str = "(CASE WHEN g.source = 'builtin' THEN (SELECT COUNT(*) FROM users)
                            ELSE (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id) END) AS member_count";

/// "All Users" first, then by name; `text` narrows to names containing it, in any case.
pub async fn list(db: &Db, text: Option<&str>, offset: i64, limit: i64) -> Result<Paged<GroupSummary>, sqlx::Error> {
    let pattern = text.map(fold);
    const WHERE: &str = "WHERE (?1 IS NULL OR instr(g.display_name_key, ?1) > 0)";
    let total = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM groups g {WHERE}")).bind(&pattern).fetch_one(&db.read).await?;
    let items = sqlx::query_as(&format!(
        "SELECT g.id, g.display_name, g.source, {MEMBER_COUNT} FROM groups g {WHERE}
         ORDER BY g.source = 'builtin' DESC, g.display_name_key LIMIT ?2 OFFSET ?3"
    ))
    .bind(&pattern)
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.read)
    .await?;
    Ok(Paged { items, total, offset, limit })
}

/// "All Users" changes whenever a user does: its last change is the newest user's.
const LAST_CHANGED: &str = "(CASE WHEN g.source = 'builtin' THEN coalesce((SELECT MAX(updated_at) FROM users), g.updated_at)
                            ELSE g.updated_at END) AS updated_at";

pub async fn get(db: &Db, id: &str) -> Result<Option<GroupDetail>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT g.id, g.display_name, g.source, g.external_id, g.created_at, {LAST_CHANGED}, {MEMBER_COUNT}
         FROM groups g WHERE g.id = ?"
    ))
    .bind(id)
    .fetch_optional(&db.read)
    .await
}

/// A page of a group's direct members (P3), by user name. A large group walks the users in
/// name order and keeps its members (stopping after a page); a small one sorts its few
/// members. Either way a page costs little at 100k users.
pub async fn members(db: &Db, id: &str, offset: i64, limit: i64) -> Result<Paged<UserSummary>, sqlx::Error> {
    const LARGE_GROUP: i64 = 2000;
    if id == ALL_USERS_GROUP {
        return every_user(db, offset, limit).await;
    }
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM group_members WHERE group_id = ?").bind(id).fetch_one(&db.read).await?;
    let query = if total > LARGE_GROUP {
        "SELECT u.id, u.user_name, u.display_name, u.email, u.active, u.source, u.updated_at FROM users u
         WHERE EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = ?1 AND m.user_id = u.id)
         ORDER BY u.user_name_key LIMIT ?2 OFFSET ?3"
    } else {
        "SELECT u.id, u.user_name, u.display_name, u.email, u.active, u.source, u.updated_at
         FROM group_members m JOIN users u ON u.id = m.user_id
         WHERE m.group_id = ?1 ORDER BY u.user_name_key LIMIT ?2 OFFSET ?3"
    };
    let items = sqlx::query_as(query).bind(id).bind(limit).bind(offset).fetch_all(&db.read).await?;
    Ok(Paged { items, total, offset, limit })
}

/// The members of "All Users": every user, by user name.
async fn every_user(db: &Db, offset: i64, limit: i64) -> Result<Paged<UserSummary>, sqlx::Error> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&db.read).await?;
    let items = sqlx::query_as(
        "SELECT id, user_name, display_name, email, active, source, updated_at FROM users
         ORDER BY user_name_key LIMIT ? OFFSET ?",
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.read)
    .await?;
    Ok(Paged { items, total, offset, limit })
}

/// An admin deletes a group and its memberships; the members themselves stay as they are
/// (L4's suspension is what an IdP's delete means, not an admin's). "All Users" stays.
pub async fn delete(db: &Db, id: &str, actor: &str) -> Result<(), StoreError> {
    if id == ALL_USERS_GROUP {
        return Err(StoreError::Conflict(msg!("messages.all_users_built_in")));
    }
    let mut tx = db.begin_write().await?;
    let deleted: Option<(String, String)> =
        sqlx::query_as("DELETE FROM groups WHERE id = ? RETURNING display_name, source").bind(id).fetch_optional(&mut *tx).await?;
    let Some((name, source)) = deleted else {
        return Err(StoreError::NotFound(msg!("messages.group_gone")));
    };
    let details = audit::named_with_provenance(name, &source);
    audit::record_message(&mut tx, actor, audit::Action::GroupDeleted, Some(id), &details).await?;
    tx.commit().await?;
    Ok(())
}

/// How many groups an IdP has provisioned (C2).
pub async fn count_from(db: &Db, idp: Idp) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM groups WHERE source = ?").bind(idp.source().as_str()).fetch_one(&db.read).await
}
