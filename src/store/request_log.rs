//! The SCIM request log: one row per request, written with the change it made (if any), listed
//! newest first for the portal, and kept within a retention limit.

use super::scim_filter::fold;
use super::{Db, RunError};
use crate::domain::idp::Idp;
use crate::models::{RequestOutcome, ScimRequestCursor, ScimRequestEntry, ScimRequestFilter, ScimRequestPage};
use sqlx::{QueryBuilder, Sqlite};

/// The entries the resource index holds: everything but successful reads
/// (`domain::request_outcome::is_successful_read`). A query by resource states it word for word,
/// or SQLite cannot use that partial index (migration 0014) and reads the whole log.
macro_rules! change_or_refusal {
    () => {
        "(method <> 'GET' OR status >= 400)"
    };
}
pub const CHANGE_OR_REFUSAL: &str = change_or_refusal!();

const COLUMNS: &str = concat!(
    "r.id, r.occurred_at, r.idp, r.token_id, r.method, r.path, r.status, r.duration_ms, r.resource_type,
     r.resource_id, r.scim_type, r.detail, r.request_body, r.response_body,
     coalesce(
         (SELECT u.user_name FROM users u WHERE u.id = r.resource_id),
         (SELECT g.display_name FROM groups g WHERE g.id = r.resource_id),
         (SELECT CASE WHEN json_valid(p.response_body)
                 THEN coalesce(json_extract(p.response_body, '$.userName'), json_extract(p.response_body, '$.displayName')) END AS name
          FROM scim_requests p WHERE p.resource_id = r.resource_id AND p.status < 300 AND name IS NOT NULL AND ",
    change_or_refusal!(),
    "
          ORDER BY p.id DESC LIMIT 1),
         CASE WHEN json_valid(r.request_body)
         THEN coalesce(json_extract(r.request_body, '$.userName'), json_extract(r.request_body, '$.displayName')) END
     ) AS resource_name"
);

/// Whether, after a 409 at `?2`, `?1` succeeded in changing the resource named `?3` (folded).
/// Found through the resource's few entries: through the IdP's entries since the 409 (what
/// SQLite chose while `+` did not stop it) it took 1.4 s per conflict in a log of a million.
const CONFLICT_RESOLVED: &str = concat!(
    "SELECT EXISTS (SELECT 1 FROM scim_requests l WHERE +l.idp = ?1 AND l.status < 300 AND +l.occurred_at > ?2 AND ",
    change_or_refusal!(),
    " AND l.resource_id IN (SELECT id FROM users WHERE user_name_key = ?3 UNION ALL SELECT id FROM groups WHERE display_name_key = ?3))"
);

/// When a request arrived, to the microsecond: entries are ordered by it, and a sync sends
/// several requests a millisecond. (Written after the change when the request was a change,
/// and a moment after the response otherwise, so the row id is not the arrival order.)
pub fn arrival_time() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// A request about to be recorded.
#[derive(Debug, Clone)]
pub struct NewScimRequest {
    pub occurred_at: String,
    pub idp: Idp,
    pub token_id: Option<String>,
    pub method: String,
    pub path: String,
    pub status: u16,
    pub duration_ms: f64,
    pub resource_type: Option<&'static str>,
    pub resource_id: Option<String>,
    pub scim_type: Option<String>,
    pub detail: Option<String>,
    pub request_body: Option<String>,
    pub response_body: Option<String>,
}

/// How much of the log is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub days: u32,
    pub max_entries: u64,
}

impl Default for Retention {
    fn default() -> Self {
        Self { days: 30, max_entries: 1_000_000 }
    }
}

/// Writes entries, on the writer thread: a change writes its own entry in its transaction, the
/// background writer a batch of reads in one.
pub fn insert(conn: &rusqlite::Connection, entries: &[NewScimRequest]) -> rusqlite::Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO scim_requests (occurred_at, idp, token_id, method, path, status, duration_ms, resource_type,
                                    resource_id, scim_type, detail, request_body, response_body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )?;
    for entry in entries {
        insert.execute(rusqlite::params![
            entry.occurred_at,
            entry.idp.slug(),
            entry.token_id,
            entry.method,
            entry.path,
            entry.status,
            entry.duration_ms,
            entry.resource_type,
            entry.resource_id,
            entry.scim_type,
            entry.detail,
            entry.request_body,
            entry.response_body,
        ])?;
    }
    Ok(())
}

/// A batch of entries in a transaction of its own.
pub async fn insert_all(db: &Db, entries: Vec<NewScimRequest>) -> Result<(), RunError> {
    db.writer.transaction(move |conn| insert(conn, &entries).map_err(RunError::from)).await
}

/// Newest first (by when the request arrived), `limit` at a time; pass the previous page's
/// `next` to go on.
pub async fn list(
    db: &Db,
    filter: &ScimRequestFilter,
    after: Option<&ScimRequestCursor>,
    limit: u32,
) -> Result<ScimRequestPage, sqlx::Error> {
    let mut query = list_query(filter, after, limit);
    let mut items: Vec<ScimRequestEntry> = query.build_query_as().fetch_all(&db.read).await?;
    let next = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|entry| ScimRequestCursor { occurred_at: entry.occurred_at.clone(), id: entry.id })
    } else {
        None
    };
    mark_resolved_conflicts(db, &mut items).await?;
    Ok(ScimRequestPage { items, next })
}

/// One page of the log, and one row more to tell whether another page follows.
fn list_query<'a>(filter: &'a ScimRequestFilter, after: Option<&'a ScimRequestCursor>, limit: u32) -> QueryBuilder<'a, Sqlite> {
    let mut query = QueryBuilder::<Sqlite>::new(format!("SELECT {COLUMNS} FROM scim_requests r WHERE 1 = 1"));
    narrow(&mut query, filter);
    if let Some(cursor) = after {
        query.push(" AND (occurred_at, id) < (").push_bind(cursor.occurred_at.clone()).push(", ").push_bind(cursor.id).push(")");
    }
    query.push(" ORDER BY occurred_at DESC, id DESC LIMIT ").push_bind(i64::from(limit) + 1);
    query
}

/// A 409 the IdP got past by itself: it later changed the resource it collided with (Entra
/// reads the user back and PATCHes it). Such a conflict is no longer the admin's to resolve.
async fn mark_resolved_conflicts(db: &Db, entries: &mut [ScimRequestEntry]) -> Result<(), sqlx::Error> {
    for entry in entries.iter_mut().filter(|entry| entry.status == 409) {
        let Some(name) = entry.resource_name.as_deref() else { continue };
        entry.conflict_resolved = sqlx::query_scalar(CONFLICT_RESOLVED)
            .bind(entry.idp.slug())
            .bind(&entry.occurred_at)
            .bind(fold(name))
            .fetch_one(&db.read)
            .await?;
    }
    Ok(())
}

/// When `idp` last sent a request, if ever.
pub async fn last_activity(db: &Db, idp: Idp) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT MAX(occurred_at) FROM scim_requests WHERE idp = ?").bind(idp.slug()).fetch_one(&db.read).await
}

pub async fn get(db: &Db, id: i64) -> Result<Option<ScimRequestEntry>, sqlx::Error> {
    let mut entry: Option<ScimRequestEntry> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM scim_requests r WHERE r.id = ?")).bind(id).fetch_optional(&db.read).await?;
    mark_resolved_conflicts(db, entry.as_mut_slice()).await?;
    Ok(entry)
}

fn narrow(query: &mut QueryBuilder<'_, Sqlite>, filter: &ScimRequestFilter) {
    if let Some(idp) = filter.idp {
        query.push(" AND idp = ").push_bind(idp.slug());
    }
    match filter.outcome {
        Some(RequestOutcome::Succeeded) => {
            query.push(" AND status < 400");
        }
        Some(RequestOutcome::Failed) => {
            query.push(" AND status >= 400");
        }
        Some(RequestOutcome::Status(status)) => {
            query.push(" AND status = ").push_bind(status);
        }
        None => {}
    }
    if let Some(method) = &filter.method {
        query.push(" AND method = ").push_bind(method.to_ascii_uppercase());
    }
    if let Some(resource_type) = &filter.resource_type {
        query.push(" AND resource_type = ").push_bind(resource_type.clone());
    }
    if let Some(resource_id) = &filter.resource_id {
        query.push(" AND resource_id = ").push_bind(resource_id.clone()).push(format!(" AND {CHANGE_OR_REFUSAL}"));
    }
    if let Some(since) = &filter.since {
        query.push(" AND occurred_at >= ").push_bind(since.clone());
    }
    if let Some(until) = &filter.until {
        query.push(" AND occurred_at < ").push_bind(until.clone());
    }
}

/// Deletes entries older than the retention period, then the oldest beyond the row limit, on
/// the writer thread (a large prune holds the lock a while: the SCIM writes queue behind it
/// rather than time out). Returns how many went.
pub async fn prune(db: &Db, retention: Retention, now: chrono::DateTime<chrono::Utc>) -> Result<u64, RunError> {
    let cutoff = (now - chrono::Duration::days(i64::from(retention.days))).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let keep = i64::try_from(retention.max_entries).unwrap_or(i64::MAX);
    db.writer
        .transaction(move |conn| {
            let by_age = conn.execute("DELETE FROM scim_requests WHERE occurred_at < ?", [cutoff])?;
            let by_count = conn.execute(
                "DELETE FROM scim_requests WHERE id <= (SELECT id FROM scim_requests ORDER BY id DESC LIMIT 1 OFFSET ?)",
                [keep],
            )?;
            Ok((by_age + by_count) as u64)
        })
        .await
}

#[cfg(test)]
#[path = "request_log_tests.rs"]
mod tests;
