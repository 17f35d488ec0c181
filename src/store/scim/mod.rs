//! The SCIM view of users and groups: what one IdP may see, filtered and paged in SQL. The
//! writes an IdP makes are in `user_writes` and `group_writes`.

mod group_writes;
mod user_writes;

pub use group_writes::*;
pub use user_writes::*;

use super::scim_filter::{self, Bind, Unsupported};
use super::Db;
use crate::domain::idp::Idp;
use crate::domain::scim::filter::Filter;
use crate::domain::scim::list::{Page, Sort};
use crate::domain::scim::schema::ResourceKind;
use sqlx::sqlite::SqliteArguments;
use sqlx::{query::QueryAs, FromRow, Sqlite, SqliteExecutor};

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
/// A `UserRecord`'s columns, unqualified so a write can return them (`RETURNING` takes no alias).
const USER_COLUMNS: &str = "id, user_name, external_id, active, resource, version, created_at, updated_at";
/// Groups likewise; the built-in "All Users" group is the product's, not an IdP's.
const GROUP_SCOPE: &str = "r.source IN (?, 'local', 'legacy_entra')";
const GROUP_COLUMNS: &str = "id, display_name, external_id, resource, version, created_at, updated_at";

/// How a list is narrowed, ordered and paged.
#[derive(Debug, Clone, Copy)]
pub struct Listing<'a> {
    pub filter: Option<&'a Filter>,
    /// `sortBy`; creation order always follows, so paging stays stable.
    pub sort: Option<&'a Sort>,
    pub page: Page,
    /// Keyset paging: only rows after this `(created_at, id)` in creation order.
    pub after: Option<(&'a str, &'a str)>,
}

/// Why a list cannot be read: a filter or sort this store cannot run (the client's mistake), or
/// the database.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    #[error("{0}")]
    Filter(Unsupported),
    #[error("{0}")]
    Sort(Unsupported),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

pub async fn list_users(db: &Db, idp: Idp, listing: Listing<'_>) -> Result<(i64, Vec<UserRecord>), ListError> {
    list(db, ResourceKind::User, idp, listing).await
}

pub async fn list_groups(db: &Db, idp: Idp, listing: Listing<'_>) -> Result<(i64, Vec<GroupRecord>), ListError> {
    list(db, ResourceKind::Group, idp, listing).await
}

/// A user in this IdP's scope; `conn` is the read pool, or a write transaction that wants to
/// read what it just wrote.
pub async fn find_user<'e>(conn: impl SqliteExecutor<'e>, idp: Idp, id: &str) -> Result<Option<UserRecord>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users r WHERE r.id = ? AND {USER_SCOPE}"))
        .bind(id)
        .bind(idp.source().as_str())
        .fetch_optional(conn)
        .await
}

pub async fn find_group<'e>(conn: impl SqliteExecutor<'e>, idp: Idp, id: &str) -> Result<Option<GroupRecord>, sqlx::Error> {
    sqlx::query_as(&find_group_sql()).bind(id).bind(idp.source().as_str()).fetch_optional(conn).await
}

/// A group's members as `(user id, display as sent)`, in a stable order.
pub async fn group_members<'e>(conn: impl SqliteExecutor<'e>, group_id: &str) -> Result<Vec<(String, Option<String>)>, sqlx::Error> {
    sqlx::query_as(GROUP_MEMBERS).bind(group_id).fetch_all(conn).await
}

/// A group in an IdP's scope, by id; read here and, by the writes, on the writer thread.
fn find_group_sql() -> String {
    format!("SELECT {GROUP_COLUMNS} FROM groups r WHERE r.id = ? AND {GROUP_SCOPE}")
}

/// A group's members, in the order they are listed.
const GROUP_MEMBERS: &str = "SELECT user_id, display FROM group_members WHERE group_id = ? ORDER BY added_at, user_id";

/// Pages and counts one scoped, filtered table. Order is creation order, then id: stable
/// across pages whatever `count` is (Okta's import relies on it).
async fn list<T>(db: &Db, kind: ResourceKind, idp: Idp, listing: Listing<'_>) -> Result<(i64, Vec<T>), ListError>
where
    T: for<'r> FromRow<'r, sqlx::sqlite::SqliteRow> + Send + Unpin,
{
    let (table, scope, columns) = match kind {
        ResourceKind::User => ("users", USER_SCOPE, USER_COLUMNS),
        ResourceKind::Group => ("groups", GROUP_SCOPE, GROUP_COLUMNS),
    };
    let Listing { filter, sort, page, after } = listing;
    let filter = filter.map(|filter| scim_filter::compile(filter, kind)).transpose().map_err(ListError::Filter)?;
    let sort = sort.map(|sort| scim_filter::sort_key(&sort.by, kind, sort.descending)).transpose().map_err(ListError::Sort)?;
    let (filter, sort) = (filter.as_ref(), sort.as_ref());
    let condition = filter.map(|c| format!(" AND ({})", c.sql)).unwrap_or_default();
    let binds = filter.map(|c| c.binds.as_slice()).unwrap_or_default();
    let source = idp.source().as_str();

    let rows = if page.count == 0 {
        Vec::new()
    } else {
        let order = sort.map(|s| format!("{}, ", s.sql)).unwrap_or_default();
        let keyset = if after.is_some() { " AND (r.created_at, r.id) > (?, ?)" } else { "" };
        let select_sql =
            format!("SELECT {columns} FROM {table} r WHERE {scope}{condition}{keyset} ORDER BY {order}r.created_at, r.id LIMIT ? OFFSET ?");
        let query = bind_all(sqlx::query_as::<_, T>(&select_sql).bind(source), binds);
        let query = match after {
            Some((created_at, id)) => query.bind(created_at).bind(id),
            None => query,
        };
        let query = bind_all(query, sort.map(|s| s.binds.as_slice()).unwrap_or_default());
        query.bind(page.count as i64).bind(page.offset() as i64).fetch_all(&db.read).await?
    };

    // A page that ends the list tells the total itself, so most lookups (an IdP's `userName eq`,
    // one row or none) need no COUNT. Only index paging counts rows from the list's start.
    let offset = page.offset() as i64;
    let ends_the_list = after.is_none() && rows.len() < page.count as usize && (!rows.is_empty() || offset == 0);
    if ends_the_list {
        return Ok((offset + rows.len() as i64, rows));
    }
    let count_sql = format!("SELECT COUNT(*) FROM {table} r WHERE {scope}{condition}");
    let (total,) = bind_all(sqlx::query_as::<_, (i64,)>(&count_sql).bind(source), binds).fetch_one(&db.read).await?;
    Ok((total, rows))
}

fn bind_all<'q, T>(
    mut query: QueryAs<'q, Sqlite, T, SqliteArguments<'q>>,
    binds: &'q [Bind],
) -> QueryAs<'q, Sqlite, T, SqliteArguments<'q>> {
    for bind in binds {
        query = match bind {
            Bind::Text(s) => query.bind(s.as_str()),
            Bind::Int(i) => query.bind(*i),
            Bind::Real(f) => query.bind(*f),
        };
    }
    query
}
