//! The SCIM request log: one row per request, written with the change it made (if any), listed
//! newest first for the portal, and kept within a retention limit.

use super::Db;
use crate::domain::idp::Idp;
use crate::models::{RequestOutcome, ScimRequestCursor, ScimRequestEntry, ScimRequestFilter, ScimRequestPage};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

const COLUMNS: &str = "id, occurred_at, idp, token_id, method, path, status, duration_ms, resource_type, resource_id,
                       scim_type, detail, request_body, response_body";

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

pub async fn insert(conn: &mut SqliteConnection, entry: &NewScimRequest) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO scim_requests (occurred_at, idp, token_id, method, path, status, duration_ms, resource_type,
                                    resource_id, scim_type, detail, request_body, response_body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&entry.occurred_at)
    .bind(entry.idp.slug())
    .bind(&entry.token_id)
    .bind(&entry.method)
    .bind(&entry.path)
    .bind(entry.status)
    .bind(entry.duration_ms)
    .bind(entry.resource_type)
    .bind(&entry.resource_id)
    .bind(&entry.scim_type)
    .bind(&entry.detail)
    .bind(&entry.request_body)
    .bind(&entry.response_body)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Several entries in one transaction: reads and refused requests are logged in batches.
pub async fn insert_all(db: &Db, entries: &[NewScimRequest]) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    for entry in entries {
        insert(&mut tx, entry).await?;
    }
    tx.commit().await
}

/// Newest first (by when the request arrived), `limit` at a time; pass the previous page's
/// `next` to go on.
pub async fn list(
    db: &Db,
    filter: &ScimRequestFilter,
    after: Option<&ScimRequestCursor>,
    limit: u32,
) -> Result<ScimRequestPage, sqlx::Error> {
    let mut query = QueryBuilder::<Sqlite>::new(format!("SELECT {COLUMNS} FROM scim_requests WHERE 1 = 1"));
    narrow(&mut query, filter);
    if let Some(cursor) = after {
        query.push(" AND (occurred_at, id) < (").push_bind(cursor.occurred_at.clone()).push(", ").push_bind(cursor.id).push(")");
    }
    query.push(" ORDER BY occurred_at DESC, id DESC LIMIT ").push_bind(i64::from(limit) + 1);
    let mut items: Vec<ScimRequestEntry> = query.build_query_as().fetch_all(&db.read).await?;
    let next = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|entry| ScimRequestCursor { occurred_at: entry.occurred_at.clone(), id: entry.id })
    } else {
        None
    };
    Ok(ScimRequestPage { items, next })
}

/// When `idp` last sent a request, if ever.
pub async fn last_activity(db: &Db, idp: Idp) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT MAX(occurred_at) FROM scim_requests WHERE idp = ?").bind(idp.slug()).fetch_one(&db.read).await
}

pub async fn get(db: &Db, id: i64) -> Result<Option<ScimRequestEntry>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM scim_requests WHERE id = ?")).bind(id).fetch_optional(&db.read).await
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
        query.push(" AND resource_id = ").push_bind(resource_id.clone());
    }
    if let Some(since) = &filter.since {
        query.push(" AND occurred_at >= ").push_bind(since.clone());
    }
    if let Some(until) = &filter.until {
        query.push(" AND occurred_at < ").push_bind(until.clone());
    }
}

/// Deletes entries older than the retention period, then the oldest beyond the row limit.
/// Returns how many went.
pub async fn prune(db: &Db, retention: Retention, now: chrono::DateTime<chrono::Utc>) -> Result<u64, sqlx::Error> {
    let cutoff = (now - chrono::Duration::days(i64::from(retention.days))).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let by_age = sqlx::query("DELETE FROM scim_requests WHERE occurred_at < ?").bind(cutoff).execute(&db.write).await?;
    let by_count = sqlx::query("DELETE FROM scim_requests WHERE id <= (SELECT id FROM scim_requests ORDER BY id DESC LIMIT 1 OFFSET ?)")
        .bind(i64::try_from(retention.max_entries).unwrap_or(i64::MAX))
        .execute(&db.write)
        .await?;
    Ok(by_age.rows_affected() + by_count.rows_affected())
}
