//! The SCIM view of users and groups: what one IdP may see, filtered and paged in SQL.

use super::scim_filter::{self, fold, Bind, Unsupported};
use super::{conflict_on_unique, now, Db, StoreError};
use crate::domain::idp::{Idp, Source};
use crate::domain::scim::filter::Filter;
use crate::domain::scim::group::{GroupInput, Member};
use crate::domain::scim::list::{Page, Sort};
use crate::domain::scim::schema::ResourceKind;
use crate::domain::scim::user::UserInput;
use crate::msg;
use serde_json::Value;
use sqlx::sqlite::SqliteArguments;
use sqlx::{query::QueryAs, FromRow, Sqlite, SqliteConnection, SqliteExecutor};

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
    sqlx::query_as(&format!("SELECT {GROUP_COLUMNS} FROM groups r WHERE r.id = ? AND {GROUP_SCOPE}"))
        .bind(id)
        .bind(idp.source().as_str())
        .fetch_optional(conn)
        .await
}

/// A group's members as `(user id, display as sent)`, in a stable order.
pub async fn group_members<'e>(conn: impl SqliteExecutor<'e>, group_id: &str) -> Result<Vec<(String, Option<String>)>, sqlx::Error> {
    sqlx::query_as("SELECT user_id, display FROM group_members WHERE group_id = ? ORDER BY added_at, user_id")
        .bind(group_id)
        .fetch_all(conn)
        .await
}

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

/// A user found by userName when an IdP creates one: enough to apply the lifecycle rules.
#[derive(Debug, Clone, FromRow)]
pub struct StoredUser {
    pub id: String,
    pub source: String,
    pub scim_deleted: bool,
    pub resource: String,
    pub version: i64,
}

/// Looks a userName up across every source and state (P4 uniqueness is global).
pub async fn user_by_name(conn: &mut SqliteConnection, user_name: &str) -> Result<Option<StoredUser>, sqlx::Error> {
    sqlx::query_as("SELECT id, source, scim_deleted_at IS NOT NULL AS scim_deleted, resource, version FROM users WHERE user_name_key = ?")
        .bind(fold(user_name))
        .fetch_optional(conn)
        .await
}

/// A user the IdP may change: in its scope and not deleted.
pub async fn user_for_update(conn: &mut SqliteConnection, idp: Idp, id: &str) -> Result<Option<StoredUser>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT r.id, r.source, r.scim_deleted_at IS NOT NULL AS scim_deleted, r.resource, r.version FROM users r WHERE r.id = ? AND {USER_SCOPE}"
    ))
    .bind(id)
    .bind(idp.source().as_str())
    .fetch_optional(conn)
    .await
}

/// Stores a new user and returns it as SCIM serves it, or `None` when its userName is taken
/// (P4: across every source). One statement both checks and inserts: each is a round trip to
/// the connection's thread, and most creates are of new names.
pub async fn insert_user(
    conn: &mut SqliteConnection,
    id: &str,
    source: Source,
    user: &UserInput,
) -> Result<Option<UserRecord>, sqlx::Error> {
    let now = now();
    let record = sqlx::query_as(&format!(
        "INSERT INTO users (id, user_name, user_name_key, external_id, display_name, display_name_key, given_name,
                            family_name, email, active, source, resource, version, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
         ON CONFLICT (user_name_key) DO NOTHING RETURNING {USER_COLUMNS}"
    ))
    .bind(id)
    .bind(&user.user_name)
    .bind(fold(&user.user_name))
    .bind(&user.external_id)
    .bind(&user.display_name)
    .bind(user.display_name.as_deref().map(fold))
    .bind(&user.given_name)
    .bind(&user.family_name)
    .bind(user.primary_email())
    .bind(user.active)
    .bind(source.as_str())
    .bind(Value::Object(user.document.clone()).to_string())
    .bind(&now)
    .bind(&now)
    .fetch_optional(&mut *conn)
    .await?;
    if record.is_some() {
        insert_emails(conn, id, &user.emails).await?;
    }
    Ok(record)
}

/// Writes a user's new state and returns it; `source` takes a local or legacy user over (P5),
/// and a user the IdP had deleted comes back (L3).
pub async fn update_user(conn: &mut SqliteConnection, id: &str, source: Source, user: &UserInput) -> Result<UserRecord, sqlx::Error> {
    let record = sqlx::query_as(&format!(
        "UPDATE users SET user_name = ?, user_name_key = ?, external_id = ?, display_name = ?, display_name_key = ?,
                given_name = ?, family_name = ?, email = ?, active = ?, source = ?, resource = ?,
                scim_deleted_at = NULL, version = version + 1, updated_at = ?
         WHERE id = ? RETURNING {USER_COLUMNS}"
    ))
    .bind(&user.user_name)
    .bind(fold(&user.user_name))
    .bind(&user.external_id)
    .bind(&user.display_name)
    .bind(user.display_name.as_deref().map(fold))
    .bind(&user.given_name)
    .bind(&user.family_name)
    .bind(user.primary_email())
    .bind(user.active)
    .bind(source.as_str())
    .bind(Value::Object(user.document.clone()).to_string())
    .bind(now())
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM user_emails WHERE user_id = ?").bind(id).execute(&mut *conn).await?;
    insert_emails(conn, id, &user.emails).await?;
    Ok(record)
}

/// L3: an IdP's DELETE suspends the user and hides it from SCIM; memberships stay (L5).
pub async fn soft_delete_user(conn: &mut SqliteConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET scim_deleted_at = ?, active = 0, version = version + 1, updated_at = ? WHERE id = ?")
        .bind(now())
        .bind(now())
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// The folded emails a user's `emails[value eq …]` lookups use, in one statement however many.
async fn insert_emails(conn: &mut SqliteConnection, id: &str, emails: &[String]) -> Result<(), sqlx::Error> {
    if emails.is_empty() {
        return Ok(());
    }
    let folded = Value::from(emails.iter().map(|email| fold(email)).collect::<Vec<_>>()).to_string();
    sqlx::query("INSERT OR IGNORE INTO user_emails (user_id, value_key) SELECT ?, value FROM json_each(?)")
        .bind(id)
        .bind(folded)
        .execute(conn)
        .await
        .map(|_| ())
}

/// A group as a write needs it.
#[derive(Debug, Clone, FromRow)]
pub struct StoredGroup {
    pub id: String,
    pub display_name: String,
    pub source: String,
    pub resource: String,
    pub version: i64,
}

/// Any group with this name, from any source (P6: names are unique across sources).
pub async fn group_by_name(conn: &mut SqliteConnection, display_name: &str) -> Result<Option<StoredGroup>, sqlx::Error> {
    sqlx::query_as("SELECT id, display_name, source, resource, version FROM groups WHERE display_name_key = ?")
        .bind(fold(display_name))
        .fetch_optional(conn)
        .await
}

pub async fn group_for_update(conn: &mut SqliteConnection, idp: Idp, id: &str) -> Result<Option<StoredGroup>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT r.id, r.display_name, r.source, r.resource, r.version FROM groups r WHERE r.id = ? AND {GROUP_SCOPE}"))
        .bind(id)
        .bind(idp.source().as_str())
        .fetch_optional(conn)
        .await
}

pub async fn insert_group(conn: &mut SqliteConnection, id: &str, source: Source, group: &GroupInput) -> Result<(), StoreError> {
    let now = now();
    sqlx::query(
        "INSERT INTO groups (id, display_name, display_name_key, external_id, source, resource, version, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
    )
    .bind(id)
    .bind(&group.display_name)
    .bind(fold(&group.display_name))
    .bind(&group.external_id)
    .bind(source.as_str())
    .bind(Value::Object(group.document.clone()).to_string())
    .bind(&now)
    .bind(&now)
    .execute(conn)
    .await
    .map_err(|e| group_name_conflict(e, &group.display_name))?;
    Ok(())
}

pub async fn update_group(conn: &mut SqliteConnection, id: &str, source: Source, group: &GroupInput) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE groups SET display_name = ?, display_name_key = ?, external_id = ?, source = ?, resource = ?,
                version = version + 1, updated_at = ? WHERE id = ?",
    )
    .bind(&group.display_name)
    .bind(fold(&group.display_name))
    .bind(&group.external_id)
    .bind(source.as_str())
    .bind(Value::Object(group.document.clone()).to_string())
    .bind(now())
    .bind(id)
    .execute(conn)
    .await
    .map_err(|e| group_name_conflict(e, &group.display_name))?;
    Ok(())
}

fn group_name_conflict(err: sqlx::Error, name: &str) -> StoreError {
    conflict_on_unique(err, || msg!("messages.group_exists", name = name))
}

/// Adds members; re-adding one is a no-op (IdPs re-send adds) that keeps a newer `display`.
/// Returns the ids that are not users: there is nothing to add for them.
pub async fn add_members(conn: &mut SqliteConnection, group_id: &str, members: &[Member]) -> Result<Vec<String>, sqlx::Error> {
    let now = now();
    let mut unknown = Vec::new();
    for member in members {
        let added = sqlx::query(
            "INSERT INTO group_members (group_id, user_id, display, added_at)
             SELECT ?, id, ?, ? FROM users WHERE id = ?
             ON CONFLICT (group_id, user_id) DO UPDATE SET display = COALESCE(excluded.display, group_members.display)",
        )
        .bind(group_id)
        .bind(&member.display)
        .bind(&now)
        .bind(&member.id)
        .execute(&mut *conn)
        .await?;
        if added.rows_affected() == 0 {
            unknown.push(member.id.clone());
        }
    }
    Ok(unknown)
}

pub async fn remove_members(conn: &mut SqliteConnection, group_id: &str, user_ids: &[String]) -> Result<(), sqlx::Error> {
    for user_id in user_ids {
        sqlx::query("DELETE FROM group_members WHERE group_id = ? AND user_id = ?")
            .bind(group_id)
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn remove_all_members(conn: &mut SqliteConnection, group_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM group_members WHERE group_id = ?").bind(group_id).execute(conn).await.map(|_| ())
}

/// A membership change is a change of the group: new version, new lastModified.
pub async fn touch_group(conn: &mut SqliteConnection, group_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE groups SET version = version + 1, updated_at = ? WHERE id = ?")
        .bind(now())
        .bind(group_id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// L4: the group goes; each member is suspended and associated with "All Users".
pub async fn delete_group(conn: &mut SqliteConnection, group_id: &str) -> Result<(), sqlx::Error> {
    let now = now();
    sqlx::query(
        "INSERT OR IGNORE INTO group_members (group_id, user_id, added_at)
         SELECT ?, user_id, ? FROM group_members WHERE group_id = ?",
    )
    .bind(ALL_USERS_GROUP)
    .bind(&now)
    .bind(group_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE users SET active = 0, version = version + 1, updated_at = ?
         WHERE id IN (SELECT user_id FROM group_members WHERE group_id = ?)",
    )
    .bind(&now)
    .bind(group_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM groups WHERE id = ?").bind(group_id).execute(conn).await.map(|_| ())
}

/// The built-in group every member of a deleted group is associated with (L4).
pub const ALL_USERS_GROUP: &str = "all-users";
