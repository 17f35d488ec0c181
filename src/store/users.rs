//! Users as the portal sees them: every source, every state. What SCIM may see is in `scim.rs`.

use super::scim_filter::fold;
use super::{audit, now, scim, settings, Db, StoreError};
use crate::domain::apple_id::managed_apple_id;
use crate::domain::idp::{Idp, Source};
use crate::domain::scim::{CUSTOM_USER_SCHEMA, ENTERPRISE_USER_SCHEMA};
use crate::domain::user_attributes;
use crate::models::{GroupRef, Paged, UserDetail, UserFilter, UserSort, UserStatus, UserSummary};
use crate::msg;
use serde_json::{Map, Value};
use sqlx::{QueryBuilder, Sqlite};
use std::collections::BTreeMap;

const SUMMARY_COLUMNS: &str = "id, user_name, display_name, email, active, source, updated_at";

/// One page of users. Every order is served by an index, so the first pages of 100k users are
/// instant; a text search scans, which SQLite does at millions of rows a second.
pub async fn list(db: &Db, filter: &UserFilter, offset: i64, limit: i64) -> Result<Paged<UserSummary>, sqlx::Error> {
    let mut count = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM users");
    push_conditions(&mut count, filter);
    let total = count.build_query_scalar().fetch_one(&db.read).await?;

    let mut select = QueryBuilder::<Sqlite>::new(format!("SELECT {SUMMARY_COLUMNS} FROM users"));
    push_conditions(&mut select, filter);
    select.push(match filter.sort {
        UserSort::UserName => " ORDER BY user_name_key",
        UserSort::DisplayName => " ORDER BY display_name_key IS NULL, display_name_key, user_name_key",
        UserSort::Newest => " ORDER BY created_at DESC, id DESC",
        UserSort::Oldest => " ORDER BY created_at, id",
    });
    select.push(" LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
    let items = select.build_query_as().fetch_all(&db.read).await?;
    Ok(Paged { items, total, offset, limit })
}

fn push_conditions(query: &mut QueryBuilder<'_, Sqlite>, filter: &UserFilter) {
    query.push(" WHERE 1 = 1");
    if let Some(text) = &filter.text {
        // instr() rather than LIKE: no wildcards to escape, and it scans faster.
        let text = fold(text);
        query
            .push(" AND (instr(user_name_key, ")
            .push_bind(text.clone())
            .push(") > 0 OR instr(display_name_key, ")
            .push_bind(text.clone())
            .push(") > 0 OR instr(lower(email), ")
            .push_bind(text)
            .push(") > 0)");
    }
    if let Some(source) = filter.source {
        query.push(" AND source = ").push_bind(source.as_str());
    }
    if let Some(status) = filter.status {
        query.push(" AND active = ").push_bind(status == UserStatus::Active);
    }
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    user_name: String,
    display_name: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
    email: Option<String>,
    active: bool,
    #[sqlx(try_from = "String")]
    source: Source,
    external_id: Option<String>,
    scim_deleted_at: Option<String>,
    resource: String,
    created_at: String,
    updated_at: String,
}

/// A user's page: the user, its groups and every attribute value (A6).
pub async fn get(db: &Db, id: &str) -> Result<Option<UserDetail>, sqlx::Error> {
    let row: Option<UserRow> = sqlx::query_as(
        "SELECT id, user_name, display_name, given_name, family_name, email, active, source, external_id,
                scim_deleted_at, resource, created_at, updated_at
         FROM users WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(&db.read)
    .await?;
    let Some(row) = row else { return Ok(None) };

    let groups: Vec<GroupRef> = sqlx::query_as(
        "SELECT g.id, g.display_name FROM group_members m JOIN groups g ON g.id = m.group_id
         WHERE m.user_id = ? ORDER BY g.display_name_key LIMIT ?",
    )
    .bind(id)
    .bind(UserDetail::GROUPS_SHOWN)
    .fetch_all(&db.read)
    .await?;
    let group_count = sqlx::query_scalar("SELECT COUNT(*) FROM group_members WHERE user_id = ?").bind(id).fetch_one(&db.read).await?;
    let idp = row.source.idp();
    let custom_names = match idp {
        Some(idp) => settings::custom_attribute_names(db, idp).await?,
        None => Vec::new(),
    };
    let apple_id = match idp {
        Some(Idp::Entra) => settings::get(db, Idp::Entra).await?,
        _ => None,
    }
    .filter(|settings| settings.managed_apple_id)
    .and_then(|settings| row.email.as_deref().and_then(|email| managed_apple_id(email, settings.appleid_subdomain)));

    let resource: Map<String, Value> = serde_json::from_str(&row.resource).unwrap_or_default();
    Ok(Some(UserDetail {
        emails: email_values(&resource),
        attributes: user_attributes::flatten(&resource, &custom_names),
        id: row.id,
        user_name: row.user_name,
        display_name: row.display_name,
        given_name: row.given_name,
        family_name: row.family_name,
        active: row.active,
        source: row.source,
        external_id: row.external_id,
        deleted_in_idp_at: row.scim_deleted_at,
        created_at: row.created_at,
        updated_at: row.updated_at,
        managed_apple_id: apple_id,
        groups,
        group_count,
    }))
}

/// The columns `${variables}` read.
#[derive(sqlx::FromRow)]
struct VariableRow {
    user_name: String,
    email: Option<String>,
    display_name: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
    external_id: Option<String>,
    resource: String,
}

/// A7: the values `${variables}` take for the user with this user name: the core ones, the
/// enterprise department and every custom attribute the user has.
pub async fn variable_values(db: &Db, user_name: &str) -> Result<Option<BTreeMap<String, String>>, sqlx::Error> {
    let row: Option<VariableRow> = sqlx::query_as(
        "SELECT user_name, email, display_name, given_name, family_name, external_id, resource FROM users WHERE user_name_key = ?",
    )
    .bind(fold(user_name.trim()))
    .fetch_optional(&db.read)
    .await?;
    let Some(VariableRow { user_name, email, display_name, given_name, family_name, external_id, resource }) = row else { return Ok(None) };
    let resource: Map<String, Value> = serde_json::from_str(&resource).unwrap_or_default();
    let mut values = BTreeMap::from([("userName".to_owned(), user_name)]);
    for (name, value) in [
        ("email", email),
        ("displayName", display_name),
        ("givenName", given_name),
        ("familyName", family_name),
        ("externalId", external_id),
    ] {
        values.insert(name.to_owned(), value.unwrap_or_default());
    }
    let extension = |urn: &str| resource.iter().find(|(key, _)| key.eq_ignore_ascii_case(urn)).and_then(|(_, v)| v.as_object().cloned());
    let department = extension(ENTERPRISE_USER_SCHEMA).and_then(|e| e.get("department").and_then(Value::as_str).map(str::to_owned));
    values.insert("department".to_owned(), department.unwrap_or_default());
    for (name, value) in extension(CUSTOM_USER_SCHEMA).unwrap_or_default() {
        let text = match value {
            Value::String(text) => text,
            Value::Null => String::new(),
            other => other.to_string(),
        };
        values.insert(name, text);
    }
    Ok(Some(values))
}

/// Every `emails[].value`, as sent.
fn email_values(resource: &Map<String, Value>) -> Vec<String> {
    resource
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case("emails"))
        .and_then(|(_, emails)| emails.as_array())
        .map(|emails| emails.iter().filter_map(|email| email.get("value").and_then(Value::as_str).map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// Creates a local user from an already validated SCIM document; the userName is unique across
/// every source (P4).
pub async fn create_local(db: &Db, user: &crate::domain::scim::user::UserInput, actor: &str) -> Result<String, StoreError> {
    let (user, actor) = (user.clone(), actor.to_owned());
    db.writer
        .transaction(move |conn| {
            let id = uuid::Uuid::new_v4().to_string();
            if scim::insert_user(conn, &id, Source::Local, &user)?.is_none() {
                return Err(StoreError::Conflict(msg!("messages.user_exists", name = &user.user_name)));
            }
            audit::record_written(conn, &actor, audit::Action::UserCreated, Some(&id), &user.user_name)?;
            Ok(id)
        })
        .await
}

/// Suspends or restores a local user. A provisioned user's status is its IdP's (L2, P7).
pub async fn set_suspended(db: &Db, id: &str, suspended: bool, actor: &str) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    let user_name: Option<String> = sqlx::query_scalar(
        "UPDATE users SET active = ?, version = version + 1, updated_at = ?
         WHERE id = ? AND source IN ('local', 'legacy_entra') RETURNING user_name",
    )
    .bind(!suspended)
    .bind(now())
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(user_name) = user_name else {
        return Err(StoreError::NotFound(msg!("messages.suspend_local_only")));
    };
    let action = if suspended { audit::Action::UserSuspended } else { audit::Action::UserRestored };
    audit::record(&mut tx, actor, action, Some(id), &user_name).await?;
    tx.commit().await?;
    Ok(())
}

/// L3: an admin removes a suspended user for good, with its memberships. An active user must be
/// suspended first (by the admin, or by its IdP), so a slip cannot delete someone at work.
pub async fn delete(db: &Db, id: &str, actor: &str) -> Result<(), StoreError> {
    let mut tx = db.begin_write().await?;
    let deleted: Option<(String, String)> = sqlx::query_as("DELETE FROM users WHERE id = ? AND active = 0 RETURNING user_name, source")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some((user_name, source)) = deleted else {
        return Err(StoreError::NotFound(msg!("messages.delete_suspended_only")));
    };
    let details = audit::named_with_provenance(user_name, &source);
    audit::record_message(&mut tx, actor, audit::Action::UserDeleted, Some(id), &details).await?;
    tx.commit().await?;
    Ok(())
}

/// How many users an IdP has provisioned (C2).
pub async fn count_from(db: &Db, idp: Idp) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE source = ?").bind(idp.source().as_str()).fetch_one(&db.read).await
}
