//! The SCIM view of users and groups: what one IdP may see, filtered and paged in SQL.

use super::scim_filter::{Bind, Condition};
use super::Db;
use crate::domain::{idp::Idp, scim::list::Page};
use sqlx::sqlite::SqliteArguments;
use sqlx::{query::QueryAs, FromRow, Sqlite};

/// A user as SCIM returns it: the stored document plus the columns the server owns.
#[derive(Debug, Clone, FromRow)]
pub struct UserRecord {
    pub id: String,
    pub user_name: String,
    pub external_id: Option<String>,
    pub active: bool,
    pub resource: String,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct GroupRecord {
    pub id: String,
    pub display_name: String,
    pub external_id: Option<String>,
    pub resource: String,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// An IdP sees what it provisioned plus the local and legacy users it may take over (P5, M1),
/// never another IdP's, and nothing it deleted (L3).
const USER_SCOPE: &str = "r.scim_deleted_at IS NULL AND r.source IN (?, 'local', 'legacy_entra')";
const USER_COLUMNS: &str = "r.id, r.user_name, r.external_id, r.active, r.resource, r.version, r.created_at, r.updated_at";
/// Groups likewise; the built-in "All Users" group is the product's, not an IdP's.
const GROUP_SCOPE: &str = "r.source IN (?, 'local', 'legacy_entra')";
const GROUP_COLUMNS: &str = "r.id, r.display_name, r.external_id, r.resource, r.version, r.created_at, r.updated_at";

pub async fn list_users(db: &Db, idp: Idp, filter: Option<&Condition>, page: Page) -> Result<(i64, Vec<UserRecord>), sqlx::Error> {
    list(db, "users", USER_SCOPE, USER_COLUMNS, idp, filter, page).await
}

pub async fn list_groups(db: &Db, idp: Idp, filter: Option<&Condition>, page: Page) -> Result<(i64, Vec<GroupRecord>), sqlx::Error> {
    list(db, "groups", GROUP_SCOPE, GROUP_COLUMNS, idp, filter, page).await
}

pub async fn find_user(db: &Db, idp: Idp, id: &str) -> Result<Option<UserRecord>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users r WHERE r.id = ? AND {USER_SCOPE}"))
        .bind(id)
        .bind(idp.source().as_str())
        .fetch_optional(&db.read)
        .await
}

pub async fn find_group(db: &Db, idp: Idp, id: &str) -> Result<Option<GroupRecord>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {GROUP_COLUMNS} FROM groups r WHERE r.id = ? AND {GROUP_SCOPE}"))
        .bind(id)
        .bind(idp.source().as_str())
        .fetch_optional(&db.read)
        .await
}

/// A group's members as `(user id, userName)`, in a stable order.
pub async fn group_members(db: &Db, group_id: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.user_name FROM group_members m JOIN users u ON u.id = m.user_id
         WHERE m.group_id = ? ORDER BY m.added_at, u.id",
    )
    .bind(group_id)
    .fetch_all(&db.read)
    .await
}

/// Counts and pages one scoped, filtered table. Order is creation order, then id: stable
/// across pages whatever `count` is (Okta's import relies on it).
async fn list<T>(
    db: &Db,
    table: &str,
    scope: &str,
    columns: &str,
    idp: Idp,
    filter: Option<&Condition>,
    page: Page,
) -> Result<(i64, Vec<T>), sqlx::Error>
where
    T: for<'r> FromRow<'r, sqlx::sqlite::SqliteRow> + Send + Unpin,
{
    let condition = filter.map(|c| format!(" AND ({})", c.sql)).unwrap_or_default();
    let binds = filter.map(|c| c.binds.as_slice()).unwrap_or_default();
    let source = idp.source().as_str();

    let count_sql = format!("SELECT COUNT(*) FROM {table} r WHERE {scope}{condition}");
    let mut count = sqlx::query_scalar::<_, i64>(&count_sql).bind(source);
    for bind in binds {
        count = match bind {
            Bind::Text(s) => count.bind(s.clone()),
            Bind::Int(i) => count.bind(*i),
            Bind::Real(f) => count.bind(*f),
        };
    }
    let total = count.fetch_one(&db.read).await?;
    if page.count == 0 || total == 0 {
        return Ok((total, Vec::new()));
    }

    let select_sql = format!(
        "SELECT {columns} FROM {table} r WHERE {scope}{condition} ORDER BY r.created_at, r.id LIMIT ? OFFSET ?"
    );
    let query = bind_all(sqlx::query_as::<_, T>(&select_sql).bind(source), binds);
    let rows = query
        .bind(page.count as i64)
        .bind(page.offset() as i64)
        .fetch_all(&db.read)
        .await?;
    Ok((total, rows))
}

fn bind_all<'q, T>(mut query: QueryAs<'q, Sqlite, T, SqliteArguments<'q>>, binds: &'q [Bind]) -> QueryAs<'q, Sqlite, T, SqliteArguments<'q>> {
    for bind in binds {
        query = match bind {
            Bind::Text(s) => query.bind(s.as_str()),
            Bind::Int(i) => query.bind(*i),
            Bind::Real(f) => query.bind(*f),
        };
    }
    query
}
