//! The writes an IdP makes to users: create (with takeover and restore), update, soft delete.
//! They run on the writer thread (`store::threads`), inside the caller's transaction.

use super::{FromColumns, UserRecord, USER_COLUMNS, USER_SCOPE};
use crate::domain::idp::{Idp, Source};
use crate::domain::scim::user::UserInput;
use crate::store::now;
use crate::store::scim_filter::fold;
use rusqlite::{named_params, Connection, OptionalExtension, Row};
use serde_json::Value;

/// A user found by userName when an IdP creates one: enough to apply the lifecycle rules.
#[derive(Debug, Clone)]
pub struct StoredUser {
    pub id: String,
    pub source: String,
    pub scim_deleted: bool,
    pub resource: String,
    pub version: i64,
}

const STORED_USER: &str = "SELECT r.id, r.source, r.scim_deleted_at IS NOT NULL AS scim_deleted, r.resource, r.version FROM users r";

fn stored_user(row: &Row<'_>) -> rusqlite::Result<StoredUser> {
    Ok(StoredUser {
        id: row.get("id")?,
        source: row.get("source")?,
        scim_deleted: row.get("scim_deleted")?,
        resource: row.get("resource")?,
        version: row.get("version")?,
    })
}

/// Looks a userName up across every source and state (P4 uniqueness is global).
pub fn user_by_name(conn: &Connection, user_name: &str) -> rusqlite::Result<Option<StoredUser>> {
    conn.prepare_cached(&format!("{STORED_USER} WHERE r.user_name_key = ?"))?.query_row([fold(user_name)], stored_user).optional()
}

/// A user the IdP may change: in its scope and not deleted.
pub fn user_for_update(conn: &Connection, idp: Idp, id: &str) -> rusqlite::Result<Option<StoredUser>> {
    conn.prepare_cached(&format!("{STORED_USER} WHERE r.id = ? AND {USER_SCOPE}"))?
        .query_row([id, idp.source().as_str()], stored_user)
        .optional()
}

/// Stores a new user and returns it as SCIM serves it, or `None` when its userName is taken
/// (P4: across every source).
pub fn insert_user(conn: &Connection, id: &str, source: Source, user: &UserInput) -> rusqlite::Result<Option<UserRecord>> {
    let sql = format!(
        "INSERT INTO users (id, user_name, user_name_key, external_id, display_name, display_name_key, given_name,
                            family_name, email, active, source, resource, version, created_at, updated_at)
         VALUES (:id, {STATE_VALUES}, 1, :now, :now)
         ON CONFLICT (user_name_key) DO NOTHING RETURNING {USER_COLUMNS}"
    );
    let document = serde_json::to_string(&user.document).expect("a JSON map serializes");
    let state = UserState::of(source, user, &document);
    let now = now();
    let mut insert = conn.prepare_cached(&sql)?;
    let params = state.with(named_params! { ":id": id, ":now": now });
    let record = insert.query_row(params.as_slice(), UserRecord::from_columns).optional()?;
    if record.is_some() {
        insert_emails(conn, id, &user.emails)?;
    }
    Ok(record)
}

/// Writes a user's new state and returns it; `source` takes a local or legacy user over (P5),
/// and a user the IdP had deleted comes back (L3).
pub fn update_user(conn: &Connection, id: &str, source: Source, user: &UserInput) -> rusqlite::Result<UserRecord> {
    let sql = format!(
        "UPDATE users SET (user_name, user_name_key, external_id, display_name, display_name_key, given_name,
                           family_name, email, active, source, resource) = ({STATE_VALUES}),
                scim_deleted_at = NULL, version = version + 1, updated_at = :now
         WHERE id = :id RETURNING {USER_COLUMNS}"
    );
    let document = serde_json::to_string(&user.document).expect("a JSON map serializes");
    let state = UserState::of(source, user, &document);
    let now = now();
    let record =
        conn.prepare_cached(&sql)?.query_row(state.with(named_params! { ":id": id, ":now": now }).as_slice(), UserRecord::from_columns)?;
    conn.prepare_cached("DELETE FROM user_emails WHERE user_id = ?")?.execute([id])?;
    insert_emails(conn, id, &user.emails)?;
    Ok(record)
}

/// The columns a user's state fills, named once for the insert and the update.
const STATE_VALUES: &str = ":user_name, :user_name_key, :external_id, :display_name, :display_name_key, :given_name, \
                            :family_name, :email, :active, :source, :resource";

/// A user's state as the statements bind it (`STATE_VALUES`).
struct UserState<'a> {
    user: &'a UserInput,
    user_name_key: String,
    display_name_key: Option<String>,
    email: Option<&'a str>,
    source: &'static str,
    document: &'a str,
}

impl<'a> UserState<'a> {
    fn of(source: Source, user: &'a UserInput, document: &'a str) -> Self {
        UserState {
            user,
            user_name_key: fold(&user.user_name),
            display_name_key: user.display_name.as_deref().map(fold),
            email: user.primary_email(),
            source: source.as_str(),
            document,
        }
    }

    /// These parameters followed by `more`.
    fn with<'p>(&'p self, more: &[(&'p str, &'p dyn rusqlite::ToSql)]) -> Vec<(&'p str, &'p dyn rusqlite::ToSql)> {
        let user = self.user;
        let mut params: Vec<(&str, &dyn rusqlite::ToSql)> = vec![
            (":user_name", &user.user_name),
            (":user_name_key", &self.user_name_key),
            (":external_id", &user.external_id),
            (":display_name", &user.display_name),
            (":display_name_key", &self.display_name_key),
            (":given_name", &user.given_name),
            (":family_name", &user.family_name),
            (":email", &self.email),
            (":active", &user.active),
            (":source", &self.source),
            (":resource", &self.document),
        ];
        params.extend_from_slice(more);
        params
    }
}

/// L3: an IdP's DELETE suspends the user and hides it from SCIM; memberships stay (L5).
pub fn soft_delete_user(conn: &Connection, id: &str) -> rusqlite::Result<()> {
    let now = now();
    conn.prepare_cached("UPDATE users SET scim_deleted_at = ?1, active = 0, version = version + 1, updated_at = ?1 WHERE id = ?2")?
        .execute([&now, id])
        .map(|_| ())
}

/// The folded emails a user's `emails[value eq …]` lookups use.
fn insert_emails(conn: &Connection, id: &str, emails: &[String]) -> rusqlite::Result<()> {
    if emails.is_empty() {
        return Ok(());
    }
    let folded = Value::from(emails.iter().map(|email| fold(email)).collect::<Vec<_>>()).to_string();
    conn.prepare_cached("INSERT OR IGNORE INTO user_emails (user_id, value_key) SELECT ?, value FROM json_each(?)")?
        .execute([id, &folded])
        .map(|_| ())
}
