//! M1, M2: the legacy "Entra ID user source": its CSV import, the migration to SCIM that makes
//! it read-only, and the users and groups left behind once the IdP has synced.

use super::scim::{add_members, group_by_name, insert_group, insert_user};
use super::{audit, now, Db, StoreError};
use crate::domain::idp::Source;
use crate::domain::legacy_csv::LegacyUser;
use crate::domain::message::Message;
use crate::domain::scim::group::{self, Member};
use crate::domain::scim::user;
use crate::models::{GroupSummary, ImportReport, LegacyOverview, MigrationState, Paged, UserSummary};
use crate::msg;
use serde_json::json;

pub async fn overview(db: &Db) -> Result<LegacyOverview, sqlx::Error> {
    let (users, groups): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM users WHERE source = 'legacy_entra'), (SELECT COUNT(*) FROM groups WHERE source = 'legacy_entra')",
    )
    .fetch_one(&db.read)
    .await?;
    Ok(LegacyOverview { migration: migration(db).await?, users, groups })
}

async fn migration(db: &Db) -> Result<MigrationState, sqlx::Error> {
    let row: Option<(String, String, Option<String>)> =
        sqlx::query_as("SELECT started_at, started_by, finished_at FROM legacy_migration WHERE id = 1").fetch_optional(&db.read).await?;
    Ok(match row {
        None => MigrationState::NotStarted,
        Some((since, by, None)) => MigrationState::UnderWay { since, by },
        Some((_, _, Some(at))) => MigrationState::Finished { at },
    })
}

/// A row when the migration has started (under way or finished).
const MIGRATION_STARTED: &str = "SELECT 1 FROM legacy_migration";

/// Whether the migration has started, inside the caller's transaction.
async fn migration_started(conn: &mut sqlx::SqliteConnection) -> Result<bool, sqlx::Error> {
    sqlx::query(MIGRATION_STARTED).fetch_optional(conn).await.map(|row| row.is_some())
}

/// Imports legacy users (and their groups) in one transaction on the writer thread; a user name
/// already in the product is skipped, never overwritten. Refused once the migration has started
/// (M1).
pub async fn import(db: &Db, users: Vec<LegacyUser>, skipped: Vec<(usize, Message)>, actor: &str) -> Result<ImportReport, StoreError> {
    let actor = actor.to_owned();
    db.writer.transaction(move |conn| import_in(conn, &users, skipped, &actor)).await
}

fn import_in(
    conn: &rusqlite::Connection,
    users: &[LegacyUser],
    mut skipped: Vec<(usize, Message)>,
    actor: &str,
) -> Result<ImportReport, StoreError> {
    if conn.prepare_cached(MIGRATION_STARTED)?.exists([])? {
        return Err(StoreError::Conflict(msg!("messages.legacy_read_only")));
    }
    let (mut imported, mut groups_created) = (0, 0);
    for row in users {
        let input = user::read(&row.document).map_err(|err| StoreError::Conflict(msg!("messages.invalid_user", detail = err.detail)))?;
        let id = uuid::Uuid::new_v4().simple().to_string();
        if insert_user(conn, &id, Source::LegacyEntra, &input)?.is_none() {
            skipped.push((row.line, msg!("messages.legacy_user_exists", name = &input.user_name)));
            continue;
        }
        imported += 1;
        for name in &row.groups {
            let group_id = match group_by_name(conn, name)? {
                Some(existing) if existing.source == Source::LegacyEntra.as_str() => existing.id,
                Some(_) => {
                    skipped.push((row.line, msg!("messages.legacy_group_elsewhere", name = name)));
                    continue;
                }
                None => {
                    let input = group::read(&json!({"displayName": name}))
                        .map_err(|err| StoreError::Conflict(msg!("messages.invalid_group", detail = err.detail)))?;
                    let group_id = uuid::Uuid::new_v4().simple().to_string();
                    insert_group(conn, &group_id, Source::LegacyEntra, &input)?;
                    groups_created += 1;
                    group_id
                }
            };
            add_members(conn, &group_id, &[Member { id: id.clone(), display: None }])?;
        }
    }
    skipped.sort_by_key(|(line, _)| *line);
    let details = msg!("audit.details.imported", users = imported, groups = groups_created, skipped = skipped.len());
    audit::record_message_written(conn, actor, audit::Action::LegacyImported, None, &details)?;
    Ok(ImportReport { imported, groups_created, skipped })
}

/// M1: from now on the legacy source is read-only, and SCIM takes its users over.
pub async fn start_migration(db: &Db, actor: &str) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    let inserted = sqlx::query("INSERT OR IGNORE INTO legacy_migration (id, started_at, started_by) VALUES (1, ?, ?)")
        .bind(now())
        .bind(actor)
        .execute(&mut *tx)
        .await?;
    if inserted.rows_affected() == 0 {
        return Err(StoreError::Conflict(msg!("messages.migration_already_started")));
    }
    audit::record_message(&mut tx, actor, audit::Action::MigrationStarted, None, &msg!("audit.details.legacy_source")).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn finish_migration(db: &Db, actor: &str) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    let updated =
        sqlx::query("UPDATE legacy_migration SET finished_at = ? WHERE finished_at IS NULL").bind(now()).execute(&mut *tx).await?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::Conflict(msg!("messages.no_migration")));
    }
    audit::record_message(&mut tx, actor, audit::Action::MigrationFinished, None, &msg!("audit.details.legacy_source")).await?;
    tx.commit().await?;
    Ok(())
}

/// M2: the legacy users the IdP has not taken over, by user name.
pub async fn leftover_users(db: &Db, offset: i64, limit: i64) -> Result<Paged<UserSummary>, sqlx::Error> {
    let total = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE source = 'legacy_entra'").fetch_one(&db.read).await?;
    let items = sqlx::query_as(
        "SELECT id, user_name, display_name, email, active, source, updated_at FROM users
         WHERE source = 'legacy_entra' ORDER BY user_name_key LIMIT ? OFFSET ?",
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.read)
    .await?;
    Ok(Paged { items, total, offset, limit })
}

/// M2: the legacy groups the IdP has not sent, a page at a time.
pub async fn leftover_groups(db: &Db, offset: i64, limit: i64) -> Result<Paged<GroupSummary>, sqlx::Error> {
    let total = sqlx::query_scalar("SELECT COUNT(*) FROM groups WHERE source = 'legacy_entra'").fetch_one(&db.read).await?;
    let items = sqlx::query_as(
        "SELECT g.id, g.display_name, g.source, (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id) AS member_count
         FROM groups g WHERE g.source = 'legacy_entra' ORDER BY g.display_name_key LIMIT ? OFFSET ?",
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.read)
    .await?;
    Ok(Paged { items, total, offset, limit })
}

/// Which leftovers a bulk delete removes.
pub enum Selection<'a> {
    All,
    Some { users: &'a [String], groups: &'a [String] },
}

/// M2: deletes leftovers, once the migration has started. Only what is still from the legacy
/// source goes: a user the IdP took over a moment ago stays. Returns (users, groups) deleted.
pub async fn delete_leftovers(db: &Db, selection: Selection<'_>, actor: &str) -> Result<(u64, u64), StoreError> {
    let mut tx = db.begin_write().await?;
    if !migration_started(&mut tx).await? {
        return Err(StoreError::Conflict(msg!("messages.migration_not_started")));
    }
    let (users, groups) = match selection {
        Selection::All => (
            sqlx::query("DELETE FROM users WHERE source = 'legacy_entra'").execute(&mut *tx).await?.rows_affected(),
            sqlx::query("DELETE FROM groups WHERE source = 'legacy_entra'").execute(&mut *tx).await?.rows_affected(),
        ),
        Selection::Some { users, groups } => {
            let (mut deleted_users, mut deleted_groups) = (0, 0);
            for id in users {
                deleted_users += sqlx::query("DELETE FROM users WHERE id = ? AND source = 'legacy_entra'")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            for id in groups {
                deleted_groups += sqlx::query("DELETE FROM groups WHERE id = ? AND source = 'legacy_entra'")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            (deleted_users, deleted_groups)
        }
    };
    let details = msg!("audit.details.counts", users = users, groups = groups);
    audit::record_message(&mut tx, actor, audit::Action::LeftoversDeleted, None, &details).await?;
    tx.commit().await?;
    Ok((users, groups))
}
