//! SCIM bearer tokens. Only hashes are stored (T6).

use super::{audit, now, Db, RunError, StoreError};
use crate::domain::{idp::Idp, tokens};
use crate::models::TokenInfo;
use crate::msg;
use chrono::{DateTime, SecondsFormat, Utc};
use std::sync::Arc;

const COLUMNS: &str = "id, idp, secret_hint, active, created_at, created_by, renewed_at, last_used_at, expires_at, \
     CAST(round((julianday(expires_at) - julianday('now')) * 86400) AS INTEGER) AS expires_in_seconds";

/// An expiry as stored: RFC 3339 in UTC, like every timestamp.
fn stored(at: Option<DateTime<Utc>>) -> Option<String> {
    at.map(|at| at.to_rfc3339_opts(SecondsFormat::Millis, true))
}

pub async fn list(db: &Db, idp: Idp) -> Result<Vec<TokenInfo>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM scim_tokens WHERE idp = ? ORDER BY created_at, id"))
        .bind(idp.slug())
        .fetch_all(&db.read)
        .await
}

/// Stores a new token for `idp`, refusing a third one (T2), and records it in the audit trail
/// (T5), all in one transaction so two admins clicking at once cannot make three.
pub async fn create(
    db: &Db,
    idp: Idp,
    secret: &tokens::NewSecret,
    expires_at: Option<DateTime<Utc>>,
    actor: &str,
) -> Result<TokenInfo, StoreError> {
    let mut tx = db.begin_write().await?;
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM scim_tokens WHERE idp = ?").bind(idp.slug()).fetch_one(&mut *tx).await?;
    tokens::check_room(idp, existing as usize)
        .map_err(|full| StoreError::Conflict(msg!("messages.too_many_tokens", idp = full.idp, max = tokens::MAX_PER_IDP)))?;

    let id = uuid::Uuid::new_v4().to_string();
    let token: TokenInfo = sqlx::query_as(&format!(
        "INSERT INTO scim_tokens (id, idp, secret_hash, secret_hint, active, created_at, created_by, expires_at)
         VALUES (?, ?, ?, ?, 1, ?, ?, ?) RETURNING {COLUMNS}"
    ))
    .bind(&id)
    .bind(idp.slug())
    .bind(&secret.hash)
    .bind(&secret.hint)
    .bind(now())
    .bind(actor)
    .bind(stored(expires_at))
    .fetch_one(&mut *tx)
    .await?;
    audit::record(&mut tx, actor, audit::Action::TokenCreated, Some(&id), idp.vendor()).await?;
    let _forget = db.token_cache.forget_when_done(idp);
    tx.commit().await?;
    Ok(token)
}

/// T4: Set Active / Set Inactive. Takes effect at the SCIM endpoint with the next request.
pub async fn set_active(db: &Db, idp: Idp, id: &str, active: bool, actor: &str) -> Result<TokenInfo, StoreError> {
    let mut tx = db.begin_write().await?;
    let token: TokenInfo = sqlx::query_as(&format!("UPDATE scim_tokens SET active = ? WHERE id = ? AND idp = ? RETURNING {COLUMNS}"))
        .bind(active)
        .bind(id)
        .bind(idp.slug())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(not_found)?;
    let action = if active { audit::Action::TokenActivated } else { audit::Action::TokenDeactivated };
    audit::record(&mut tx, actor, action, Some(id), idp.vendor()).await?;
    let _forget = db.token_cache.forget_when_done(idp);
    tx.commit().await?;
    Ok(token)
}

/// T4: Renew. A new secret, with its own lifetime, replaces the old one, which stops working at once.
pub async fn renew(
    db: &Db,
    idp: Idp,
    id: &str,
    secret: &tokens::NewSecret,
    expires_at: Option<DateTime<Utc>>,
    actor: &str,
) -> Result<TokenInfo, StoreError> {
    let mut tx = db.begin_write().await?;
    let token: TokenInfo = sqlx::query_as(&format!(
        "UPDATE scim_tokens SET secret_hash = ?, secret_hint = ?, renewed_at = ?, expires_at = ? WHERE id = ? AND idp = ? RETURNING {COLUMNS}"
    ))
    .bind(&secret.hash)
    .bind(&secret.hint)
    .bind(now())
    .bind(stored(expires_at))
    .bind(id)
    .bind(idp.slug())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(not_found)?;
    audit::record(&mut tx, actor, audit::Action::TokenRenewed, Some(id), idp.vendor()).await?;
    let _forget = db.token_cache.forget_when_done(idp);
    tx.commit().await?;
    Ok(token)
}

/// T4: Delete.
pub async fn delete(db: &Db, idp: Idp, id: &str, actor: &str) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    let deleted = sqlx::query("DELETE FROM scim_tokens WHERE id = ? AND idp = ?").bind(id).bind(idp.slug()).execute(&mut *tx).await?;
    if deleted.rows_affected() == 0 {
        return Err(not_found());
    }
    audit::record(&mut tx, actor, audit::Action::TokenDeleted, Some(id), idp.vendor()).await?;
    let _forget = db.token_cache.forget_when_done(idp);
    tx.commit().await?;
    Ok(())
}

fn not_found() -> StoreError {
    StoreError::NotFound(msg!("messages.token_gone"))
}

/// A token as bearer authentication needs it.
#[derive(Clone)]
pub struct Credential {
    pub id: String,
    pub secret_hash: String,
    pub active: bool,
    pub last_used_at: Option<String>,
    pub expires_at: Option<String>,
}

/// Without the hash: the cache keeps credentials for the server's lifetime, inside `Db`.
impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential").field("id", &self.id).field("active", &self.active).finish_non_exhaustive()
    }
}

/// The token of `idp` whose hash is `presented`, among those read less than `FRESH_FOR` ago
/// (`credential_cache`): no database read. `None` when nothing fresh matches.
pub fn find_cached(db: &Db, idp: Idp, presented: &str) -> Option<Credential> {
    db.token_cache.fresh(idp).and_then(|credentials| matching(&credentials, presented))
}

/// The token of `idp` whose hash is `presented`, read from the database; what is read is cached.
pub async fn find(db: &Db, idp: Idp, presented: &str) -> Result<Option<Credential>, RunError> {
    let ticket = db.token_cache.ticket();
    let credentials = read_credentials(db, idp).await?;
    let found = matching(&credentials, presented);
    db.token_cache.keep(idp, ticket, credentials);
    Ok(found)
}

/// Compared in constant time: the hash of a guess tells nothing of how close it came.
fn matching(credentials: &[Credential], presented: &str) -> Option<Credential> {
    credentials.iter().find(|c| tokens::hashes_match(presented, &c.secret_hash)).cloned()
}

/// Every token of `idp` (two at most), as a lookup (`threads::Readers::lookup`).
async fn read_credentials(db: &Db, idp: Idp) -> Result<Arc<[Credential]>, RunError> {
    db.readers
        .lookup(move |conn| {
            let mut select =
                conn.prepare_cached("SELECT id, secret_hash, active, last_used_at, expires_at FROM scim_tokens WHERE idp = ?")?;
            let rows = select.query_map([idp.slug()], |row| {
                Ok(Credential {
                    id: row.get("id")?,
                    secret_hash: row.get("secret_hash")?,
                    active: row.get("active")?,
                    last_used_at: row.get("last_used_at")?,
                    expires_at: row.get("expires_at")?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
}

/// Records that a token was just used, and that its IdP is connected (C2). On the writer
/// thread, with the SCIM writes it comes among.
pub async fn mark_used(db: &Db, idp: Idp, token_id: &str) -> Result<(), RunError> {
    let token_id = token_id.to_owned();
    // The next request reads the new time, rather than mark the token used again.
    let _forget = db.token_cache.forget_when_done(idp);
    db.writer
        .transaction(move |conn| {
            let at = now();
            conn.prepare_cached("UPDATE scim_tokens SET last_used_at = ? WHERE id = ?")?.execute([&at, &token_id])?;
            conn.prepare_cached("UPDATE idp_settings SET connected_at = ? WHERE idp = ? AND connected_at IS NULL")?
                .execute([&at, idp.slug()])?;
            Ok::<_, RunError>(())
        })
        .await
}
