//! The invitation outbox (S1): written with the user it invites, worked through by
//! `server::invitations`, listed on the provisioning page.

use super::{audit, now, Db, StoreError};
use crate::domain::idp::Idp;
use crate::domain::scim::user::UserInput;
use crate::models::{InvitationInfo, Paged};
use crate::msg;

/// Queues an invitation for a user `idp` just provisioned, if the IdP's auto-invite is on
/// and the user has never been invited (once per user).
pub fn enqueue_if_enabled(conn: &rusqlite::Connection, idp: Idp, user_id: &str, user: &UserInput) -> rusqlite::Result<()> {
    let Some(email) = user.primary_email() else { return Ok(()) };
    conn.prepare_cached(
        "INSERT OR IGNORE INTO invitations (user_id, idp, user_name, display_name, email, next_attempt_at, created_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?6 FROM idp_settings WHERE idp = ?2 AND auto_invite = 1",
    )?
    .execute(rusqlite::params![user_id, idp.slug(), user.user_name, user.display_name, email, now()])
    .map(|_| ())
}

/// An invitation ready to go out.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Due {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub idp: Idp,
    pub user_name: String,
    pub display_name: Option<String>,
    pub email: String,
    pub attempts: i64,
}

/// Pending invitations whose time has come, oldest first.
pub async fn due(db: &Db, limit: i64) -> Result<Vec<Due>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, idp, user_name, display_name, email, attempts FROM invitations
         WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
    )
    .bind(now())
    .bind(limit)
    .fetch_all(&db.read)
    .await
}

pub async fn mark_sent(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE invitations SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL WHERE id = ?")
        .bind(now())
        .bind(id)
        .execute(&db.write)
        .await
        .map(|_| ())
}

/// Records a failed attempt: retried at `retry_at`, or failed for good when that is `None`.
pub async fn mark_attempt_failed(db: &Db, id: i64, error: &str, retry_at: Option<String>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE invitations SET attempts = attempts + 1, last_error = ?,
                status = CASE WHEN ? IS NULL THEN 'failed' ELSE 'pending' END,
                next_attempt_at = coalesce(?, next_attempt_at)
         WHERE id = ?",
    )
    .bind(error)
    .bind(&retry_at)
    .bind(&retry_at)
    .bind(id)
    .execute(&db.write)
    .await
    .map(|_| ())
}

/// How many of an IdP's invitations are pending, sent and failed.
pub async fn counts(db: &Db, idp: Idp) -> Result<(i64, i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT coalesce(sum(status = 'pending'), 0), coalesce(sum(status = 'sent'), 0), coalesce(sum(status = 'failed'), 0)
         FROM invitations WHERE idp = ?",
    )
    .bind(idp.slug())
    .fetch_one(&db.read)
    .await
}

/// An IdP's invitations, newest first.
pub async fn list(db: &Db, idp: Idp, offset: i64, limit: i64) -> Result<Paged<InvitationInfo>, sqlx::Error> {
    let total = sqlx::query_scalar("SELECT COUNT(*) FROM invitations WHERE idp = ?").bind(idp.slug()).fetch_one(&db.read).await?;
    let items = sqlx::query_as(
        "SELECT id, user_id, user_name, email, status, attempts, last_error, created_at, sent_at, next_attempt_at
         FROM invitations WHERE idp = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
    )
    .bind(idp.slug())
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.read)
    .await?;
    Ok(Paged { items, total, offset, limit })
}

/// An admin sends a pending or failed invitation now, with a fresh set of attempts.
pub async fn send_again(db: &Db, idp: Idp, id: i64, actor: &str) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    let email: Option<String> = sqlx::query_scalar(
        "UPDATE invitations SET status = 'pending', attempts = 0, next_attempt_at = ?
         WHERE id = ? AND idp = ? AND status != 'sent' RETURNING email",
    )
    .bind(now())
    .bind(id)
    .bind(idp.slug())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(email) = email else {
        return Err(StoreError::NotFound(msg!("messages.invitation_gone")));
    };
    audit::record(&mut tx, actor, audit::Action::InvitationResent, Some(&email), idp.vendor()).await?;
    tx.commit().await?;
    Ok(())
}
