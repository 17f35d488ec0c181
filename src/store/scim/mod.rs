//! The SCIM view of users and groups: what one IdP may see, filtered and paged in SQL. The
//! writes an IdP makes are in `user_writes` and `group_writes`.

mod group_writes;
mod user_writes;

pub use group_writes::*;
pub use user_writes::*;

use super::scim_filter::{self, Bind, Unsupported};
use super::threads::ThreadError;
use super::Db;
use super::RunError;
use crate::domain::idp::Idp;
use crate::domain::scim::filter::Filter;
use crate::domain::scim::list::{Page, Sort};
use crate::domain::scim::schema::ResourceKind;
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection, OptionalExtension, Row};
use std::iter;

/// A user as SCIM returns it: the stored document plus the columns the server owns.
#[derive(Debug, Clone)]
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

#[derive(Debug, Clone)]
pub struct GroupRecord {
    pub id: String,
    pub display_name: String,
    pub external_id: Option<String>,
    pub resource: String,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// A row of `USER_COLUMNS` or `GROUP_COLUMNS`.
trait FromColumns: Sized {
    fn from_columns(row: &Row<'_>) -> rusqlite::Result<Self>;
}

impl FromColumns for UserRecord {
    fn from_columns(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(UserRecord {
            id: row.get("id")?,
            user_name: row.get("user_name")?,
            external_id: row.get("external_id")?,
            active: row.get("active")?,
            resource: row.get("resource")?,
            version: row.get("version")?,
            created_at: row.get("created_at")?,
            updated_at: row.get("updated_at")?,
        })
    }
}

impl FromColumns for GroupRecord {
    fn from_columns(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(GroupRecord {
            id: row.get("id")?,
            display_name: row.get("display_name")?,
            external_id: row.get("external_id")?,
            resource: row.get("resource")?,
            version: row.get("version")?,
            created_at: row.get("created_at")?,
            updated_at: row.get("updated_at")?,
        })
    }
}

/// An IdP sees what it provisioned plus the local and legacy users it may take over (P5, M1),
/// never another IdP's, and nothing it deleted (L3).
///
/// Two choices keep the plans fast. The `+` stops SQLite from reaching the rows through the
/// source index: nearly every row passes this test, so that plan sorted an IdP's whole user set
/// for each page (134 ms a page at 49k users, against 0.1 ms walking creation order), and a
/// COUNT now reads the small covering `users_source` index whole instead. And an `IN` list of
/// three or more values builds a temporary table on every run; of two, it is plain comparisons.
const USER_SCOPE: &str = "r.scim_deleted_at IS NULL AND (+r.source = ? OR +r.source IN ('local', 'legacy_entra'))";
/// A `UserRecord`'s columns, unqualified so a write can return them (`RETURNING` takes no alias).
const USER_COLUMNS: &str = "id, user_name, external_id, active, resource, version, created_at, updated_at";
/// Groups likewise; the built-in "All Users" group is the product's, not an IdP's.
const GROUP_SCOPE: &str = "(+r.source = ? OR +r.source IN ('local', 'legacy_entra'))";
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
    Database(#[from] RunError),
}

impl From<rusqlite::Error> for ListError {
    fn from(err: rusqlite::Error) -> Self {
        ListError::Database(err.into())
    }
}

impl From<ThreadError> for ListError {
    fn from(err: ThreadError) -> Self {
        ListError::Database(err.into())
    }
}

pub async fn list_users(db: &Db, idp: Idp, listing: Listing<'_>) -> Result<(i64, Vec<UserRecord>), ListError> {
    list(db, ResourceKind::User, idp, listing).await
}

pub async fn list_groups(db: &Db, idp: Idp, listing: Listing<'_>) -> Result<(i64, Vec<GroupRecord>), ListError> {
    list(db, ResourceKind::Group, idp, listing).await
}

/// An indexed lookup, unsorted, runs where it is asked for; any other list, which may scan every
/// stored document, on a reader thread.
async fn list<T: FromColumns + Send + 'static>(
    db: &Db,
    kind: ResourceKind,
    idp: Idp,
    listing: Listing<'_>,
) -> Result<(i64, Vec<T>), ListError> {
    let lookup = listing.sort.is_none() && listing.filter.is_some_and(|filter| scim_filter::is_indexed_lookup(filter, kind));
    let query = ListQuery::compile(kind, idp, listing)?;
    if lookup {
        db.readers.lookup(move |conn| query.run(conn)).await
    } else {
        db.readers.read(move |conn| query.run(conn)).await
    }
}

/// A user in an IdP's scope, by id.
pub async fn find_user(db: &Db, idp: Idp, id: &str) -> Result<Option<UserRecord>, RunError> {
    let id = id.to_owned();
    db.readers
        .lookup(move |conn| {
            let sql = format!("SELECT {USER_COLUMNS} FROM users r WHERE r.id = ? AND {USER_SCOPE}");
            Ok(conn.prepare_cached(&sql)?.query_row([id.as_str(), idp.source().as_str()], UserRecord::from_columns).optional()?)
        })
        .await
}

/// A group in an IdP's scope, by id, with its members when asked for.
pub async fn find_group(db: &Db, idp: Idp, id: &str, with_members: bool) -> Result<Option<(GroupRecord, Option<Members>)>, RunError> {
    let id = id.to_owned();
    db.readers
        .read(move |conn| {
            let Some(group) = group_in_scope(conn, idp, &id)? else { return Ok(None) };
            let members = if with_members { Some(members_of(conn, &id)?) } else { None };
            Ok(Some((group, members)))
        })
        .await
}

/// The members of each group, in one read.
pub async fn members_of_groups(db: &Db, group_ids: Vec<String>) -> Result<Vec<Members>, RunError> {
    db.readers.read(move |conn| group_ids.iter().map(|id| members_of(conn, id).map_err(RunError::from)).collect()).await
}

/// A group's members as `(user id, display as sent)`.
pub type Members = Vec<(String, Option<String>)>;

/// A group in an IdP's scope, by id, inside the caller's transaction.
pub fn group_in_scope(conn: &Connection, idp: Idp, id: &str) -> rusqlite::Result<Option<GroupRecord>> {
    let sql = format!("SELECT {GROUP_COLUMNS} FROM groups r WHERE r.id = ? AND {GROUP_SCOPE}");
    conn.prepare_cached(&sql)?.query_row([id, idp.source().as_str()], GroupRecord::from_columns).optional()
}

/// A group's members in a stable order, inside the caller's transaction.
pub fn members_of(conn: &Connection, group_id: &str) -> rusqlite::Result<Members> {
    conn.prepare_cached("SELECT user_id, display FROM group_members WHERE group_id = ? ORDER BY added_at, user_id")?
        .query_map([group_id], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect()
}

/// One scoped, filtered, ordered page of a table, compiled to SQL with its parameters, so it can
/// run on a reader thread.
struct ListQuery {
    /// The list's rows, or `None` when no row is asked for (`count=0`).
    select: Option<(String, Vec<Value>)>,
    count: (String, Vec<Value>),
    /// Whether a page shorter than asked ends the list, so it tells the total itself.
    short_page_ends_the_list: bool,
    page: Page,
}

impl ListQuery {
    /// Order is creation order, then id: stable across pages whatever `count` is (Okta's
    /// import relies on it).
    fn compile(kind: ResourceKind, idp: Idp, listing: Listing<'_>) -> Result<ListQuery, ListError> {
        let (table, scope, columns) = match kind {
            ResourceKind::User => ("users", USER_SCOPE, USER_COLUMNS),
            ResourceKind::Group => ("groups", GROUP_SCOPE, GROUP_COLUMNS),
        };
        let Listing { filter, sort, page, after } = listing;
        let filter = filter.map(|filter| scim_filter::compile(filter, kind)).transpose().map_err(ListError::Filter)?;
        let sort = sort.map(|sort| scim_filter::sort_key(&sort.by, kind, sort.descending)).transpose().map_err(ListError::Sort)?;
        let condition = filter.as_ref().map(|c| format!(" AND ({})", c.sql)).unwrap_or_default();
        let source = Value::Text(idp.source().as_str().to_owned());
        let filter_binds = filter.iter().flat_map(|c| &c.binds).map(Bind::to_value);

        let count = (
            format!("SELECT COUNT(*) FROM {table} r WHERE {scope}{condition}"),
            iter::once(source.clone()).chain(filter_binds.clone()).collect(),
        );
        let select = (page.count > 0).then(|| {
            let order = sort.as_ref().map(|s| format!("{}, ", s.sql)).unwrap_or_default();
            let keyset = if after.is_some() { " AND (r.created_at, r.id) > (?, ?)" } else { "" };
            let sql = format!(
                "SELECT {columns} FROM {table} r WHERE {scope}{condition}{keyset} ORDER BY {order}r.created_at, r.id LIMIT ? OFFSET ?"
            );
            let after = after.into_iter().flat_map(|(created_at, id)| [Value::Text(created_at.to_owned()), Value::Text(id.to_owned())]);
            let sort_binds = sort.iter().flat_map(|s| &s.binds).map(Bind::to_value);
            let limit = [Value::Integer(page.count as i64), Value::Integer(page.offset() as i64)];
            let params = iter::once(source).chain(filter_binds).chain(after).chain(sort_binds).chain(limit).collect();
            (sql, params)
        });
        Ok(ListQuery { select, count, short_page_ends_the_list: after.is_none(), page })
    }

    fn run<T: FromColumns>(&self, conn: &Connection) -> Result<(i64, Vec<T>), ListError> {
        let rows = match &self.select {
            Some((sql, params)) => {
                conn.prepare_cached(sql)?.query_map(params_from_iter(params), T::from_columns)?.collect::<Result<Vec<_>, _>>()?
            }
            None => Vec::new(),
        };
        // A page that ends the list tells the total itself, so most lookups (an IdP's
        // `userName eq`, one row or none) need no COUNT. Only index paging counts rows from the
        // list's start.
        let offset = self.page.offset() as i64;
        let ends_the_list = self.short_page_ends_the_list && rows.len() < self.page.count as usize && (!rows.is_empty() || offset == 0);
        if ends_the_list {
            return Ok((offset + rows.len() as i64, rows));
        }
        let (sql, params) = &self.count;
        let total = conn.prepare_cached(sql)?.query_row(params_from_iter(params), |row| row.get(0))?;
        Ok((total, rows))
    }
}

#[cfg(test)]
mod tests;
