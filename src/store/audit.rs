//! The audit trail (T5): written in the same transaction as the change it records.

use super::{now, Db};
use crate::models::{AuditEvent, Paged};
use sqlx::SqliteConnection;

/// What happened, in the words the Audit Trail shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    TokenCreated,
    TokenActivated,
    TokenDeactivated,
    TokenRenewed,
    TokenDeleted,
    AdminCreated,
}

impl Action {
    pub fn label(self) -> &'static str {
        match self {
            Action::TokenCreated => "SCIM token created",
            Action::TokenActivated => "SCIM token activated",
            Action::TokenDeactivated => "SCIM token deactivated",
            Action::TokenRenewed => "SCIM token renewed",
            Action::TokenDeleted => "SCIM token deleted",
            Action::AdminCreated => "Administrator created",
        }
    }
}

pub async fn record(
    conn: &mut SqliteConnection,
    actor: &str,
    action: Action,
    target: Option<&str>,
    details: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO audit_events (occurred_at, actor, action, target, details) VALUES (?, ?, ?, ?, ?)")
        .bind(now())
        .bind(actor)
        .bind(action.label())
        .bind(target)
        .bind(details)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Newest first.
pub async fn list(db: &Db, offset: i64, limit: i64) -> Result<Paged<AuditEvent>, sqlx::Error> {
    let total = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events").fetch_one(&db.read).await?;
    let items = sqlx::query_as(
        "SELECT id, occurred_at, actor, action, target, details FROM audit_events
         ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?",
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.read)
    .await?;
    Ok(Paged { items, total, offset, limit })
}
