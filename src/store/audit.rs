//! The audit trail (T5): written in the same transaction as the change it records.

use super::{now, Db};
use crate::domain::message::Message;
use crate::models::{AuditEvent, AuditFilter, Paged};
use crate::msg;
use rusqlite::Connection;
use sqlx::SqliteConnection;

pub use crate::domain::audit::Action;

/// Details for a deleted user or group: its name, and the IdP that provisioned it (P7).
pub fn named_with_provenance(name: String, source: &str) -> Message {
    match crate::domain::idp::Source::parse(source).and_then(crate::domain::idp::Source::idp) {
        Some(idp) => msg!("audit.details.provisioned_by", name = name, idp = idp.vendor()),
        None => msg!("audit.details.name", name = name),
    }
}

/// An event whose details read the same in every language (a name, an IdP vendor).
pub async fn record(
    conn: &mut SqliteConnection,
    actor: &str,
    action: Action,
    target: Option<&str>,
    details: &str,
) -> Result<(), sqlx::Error> {
    insert(conn, actor, action, target, details, None).await
}

/// An event whose details are words: kept as data (key and values) to be shown in the reader's
/// language, and as English text for the trail's search.
pub async fn record_message(
    conn: &mut SqliteConnection,
    actor: &str,
    action: Action,
    target: Option<&str>,
    details: &Message,
) -> Result<(), sqlx::Error> {
    let data = serde_json::to_string(details).expect("a message serialises");
    insert(conn, actor, action, target, &details.to_string(), Some(&data)).await
}

const INSERT: &str = "INSERT INTO audit_events (occurred_at, actor, action, target, details, details_data) VALUES (?, ?, ?, ?, ?, ?)";

/// `record` for a change made on the writer thread (`store::threads`).
pub fn record_written(conn: &Connection, actor: &str, action: Action, target: Option<&str>, details: &str) -> rusqlite::Result<()> {
    insert_written(conn, actor, action, target, details, None)
}

/// `record_message` for a change made on the writer thread.
pub fn record_message_written(
    conn: &Connection,
    actor: &str,
    action: Action,
    target: Option<&str>,
    details: &Message,
) -> rusqlite::Result<()> {
    let data = serde_json::to_string(details).expect("a message serialises");
    insert_written(conn, actor, action, target, &details.to_string(), Some(&data))
}

fn insert_written(
    conn: &Connection,
    actor: &str,
    action: Action,
    target: Option<&str>,
    details: &str,
    details_data: Option<&str>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(INSERT)?.execute(rusqlite::params![now(), actor, action.label(), target, details, details_data]).map(|_| ())
}

async fn insert(
    conn: &mut SqliteConnection,
    actor: &str,
    action: Action,
    target: Option<&str>,
    details: &str,
    details_data: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(INSERT)
        .bind(now())
        .bind(actor)
        .bind(action.label())
        .bind(target)
        .bind(details)
        .bind(details_data)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Newest first, narrowed to one kind of event and to text found (any case) in the
/// administrator, target or details.
pub async fn list(db: &Db, filter: &AuditFilter, offset: i64, limit: i64) -> Result<Paged<AuditEvent>, sqlx::Error> {
    const WHERE: &str = "WHERE (?1 IS NULL OR action = ?1)
          AND (?2 IS NULL OR instr(lower(actor), lower(?2)) > 0 OR instr(lower(details), lower(?2)) > 0
               OR instr(lower(coalesce(target, '')), lower(?2)) > 0)";
    let total = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM audit_events {WHERE}"))
        .bind(&filter.action)
        .bind(&filter.text)
        .fetch_one(&db.read)
        .await?;
    let items = sqlx::query_as(&format!(
        "SELECT id, occurred_at, actor, action, target, details, details_data FROM audit_events {WHERE}
         ORDER BY occurred_at DESC, id DESC LIMIT ?3 OFFSET ?4"
    ))
    .bind(&filter.action)
    .bind(&filter.text)
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.read)
    .await?;
    Ok(Paged { items, total, offset, limit })
}
