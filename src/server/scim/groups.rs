//! Writes to /Groups. Memberships are rows: a PATCH costs what it changes, not the group size.

use super::auth::ScimCaller;
use super::body::ScimBody;
use super::path::ResourceId;
use super::resources::group_document;
use super::response::{internal, stored_document, ScimResource};
use super::write::WriteContext;
use crate::domain::idp::Source;
use crate::domain::scim::group::{self, Member};
use crate::domain::scim::patch::{self, MemberChange, ResourceKind};
use crate::domain::scim::ScimError;
use crate::server::config::scim_base_url;
use crate::store::scim::{self as scim_store, StoredGroup};
use axum::http::StatusCode;
use rusqlite::Connection;
use serde_json::Value;

pub async fn create(write: WriteContext, ScimBody(body): ScimBody) -> Result<ScimResource, ScimError> {
    create_group(&write, &body).await
}

pub async fn replace(write: WriteContext, ResourceId(id): ResourceId, ScimBody(body): ScimBody) -> Result<ScimResource, ScimError> {
    replace_group(&write, &id, &body).await
}

pub async fn patch(write: WriteContext, ResourceId(id): ResourceId, ScimBody(body): ScimBody) -> Result<StatusCode, ScimError> {
    patch_group(&write, &id, &body).await
}

pub async fn delete(write: WriteContext, ResourceId(id): ResourceId) -> Result<StatusCode, ScimError> {
    delete_group(&write, &id).await
}

/// POST: a new group, or the takeover of a legacy Entra ID group of the same name (M1).
pub async fn create_group(write: &WriteContext, body: &Value) -> Result<ScimResource, ScimError> {
    let input = group::read(body)?;
    write
        .transaction(move |conn, write| {
            let source = write.caller.idp.source();
            let id = match scim_store::group_by_name(conn, &input.display_name)? {
                // M1: a group of the legacy Entra ID user source is taken over, like its users,
                // and from then on holds the members the IdP sends.
                Some(existing) if existing.source == Source::LegacyEntra.as_str() => {
                    scim_store::update_group(conn, &existing.id, source, &input)?;
                    if input.members.is_some() {
                        scim_store::remove_all_members(conn, &existing.id)?;
                    }
                    existing.id
                }
                Some(existing) => {
                    return Err(ScimError::conflict(format!(
                        "A group named `{}` already exists (id {}); group names are unique across sources.",
                        input.display_name, existing.id
                    )))
                }
                None => {
                    let id = uuid::Uuid::now_v7().simple().to_string();
                    scim_store::insert_group(conn, &id, source, &input)?;
                    id
                }
            };
            if let Some(members) = &input.members {
                add_members(conn, &id, members)?;
            }
            respond(conn, write, &id, StatusCode::CREATED)
        })
        .await
}

/// PUT (Okta's AIW apps): name, externalId and, when sent, the full member list.
pub async fn replace_group(write: &WriteContext, id: &str, body: &Value) -> Result<ScimResource, ScimError> {
    let input = group::read(body)?;
    let id = id.to_owned();
    write
        .transaction(move |conn, write| {
            write.preconditions.check_write(find(conn, &write.caller, &id)?.version)?;
            scim_store::update_group(conn, &id, write.caller.idp.source(), &input)?;
            if let Some(members) = &input.members {
                scim_store::remove_all_members(conn, &id)?;
                add_members(conn, &id, members)?;
            }
            respond(conn, write, &id, StatusCode::OK)
        })
        .await
}

/// PATCH answers 204: Entra prefers it for groups and Okta accepts it (IDP-BEHAVIOR.md §3.3);
/// a body listing every member of a large group is what Microsoft advises against.
pub async fn patch_group(write: &WriteContext, id: &str, body: &Value) -> Result<StatusCode, ScimError> {
    let operations = patch::parse_request(body)?;
    let id = id.to_owned();
    write.transaction(move |conn, write| patch_in(conn, write, &id, &operations)).await
}

fn patch_in(conn: &Connection, write: &WriteContext, id: &str, operations: &[patch::Operation]) -> Result<StatusCode, ScimError> {
    let stored = find(conn, &write.caller, id)?;
    write.preconditions.check_write(stored.version)?;
    let mut document = stored_document(&stored.resource, id)?;
    // A built-in or local group's document may lack its name; the row always has it.
    if !document.keys().any(|k| k.eq_ignore_ascii_case("displayName")) {
        document.insert("displayName".into(), stored.display_name.clone().into());
    }
    let before = document.clone();
    let outcome = patch::apply(ResourceKind::Group, &mut document, operations)?;
    let displays = group::displays_in(operations.iter().filter_map(|op| op.value.clone()));
    let members =
        |ids: &[String]| -> Vec<Member> { ids.iter().map(|id| Member { id: id.clone(), display: displays.get(id).cloned() }).collect() };

    if document != before {
        let input = group::read(&Value::Object(document))?;
        scim_store::update_group(conn, id, write.caller.idp.source(), &input)?;
    } else if !outcome.members.is_empty() {
        scim_store::touch_group(conn, id)?;
    }
    for change in &outcome.members {
        match change {
            MemberChange::Add(ids) => add_members(conn, id, &members(ids))?,
            MemberChange::Remove(ids) => scim_store::remove_members(conn, id, ids)?,
            MemberChange::RemoveAll => scim_store::remove_all_members(conn, id)?,
            MemberChange::ReplaceAll(ids) => {
                scim_store::remove_all_members(conn, id)?;
                add_members(conn, id, &members(ids))?;
            }
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

/// L4: members are suspended and associated with "All Users".
pub async fn delete_group(write: &WriteContext, id: &str) -> Result<StatusCode, ScimError> {
    let id = id.to_owned();
    write
        .transaction(move |conn, write| {
            write.preconditions.check_write(find(conn, &write.caller, &id)?.version)?;
            scim_store::delete_group(conn, &id)?;
            Ok(StatusCode::NO_CONTENT)
        })
        .await
}

/// The group as the write left it, members included, read inside the transaction.
fn respond(conn: &Connection, write: &WriteContext, id: &str, status: StatusCode) -> Result<ScimResource, ScimError> {
    let WriteContext { state, caller, .. } = write;
    let row = scim_store::group_in_scope(conn, caller.idp, id)?.ok_or_else(|| internal(format!("group {id} is gone after its write")))?;
    let members = scim_store::members_of(conn, id)?;
    Ok(ScimResource(status, group_document(&scim_base_url(&state.public_url, caller.idp), &row, Some(&members))?))
}

fn find(conn: &Connection, caller: &ScimCaller, id: &str) -> Result<StoredGroup, ScimError> {
    scim_store::group_for_update(conn, caller.idp, id)?.ok_or_else(|| ScimError::not_found(format!("Group {id} not found")))
}

/// Adds members. An id that is no user is skipped, not refused: the IdPs only send ids this
/// server issued, so it can only be one deleted here meanwhile, and refusing would make Entra
/// retry the whole change for days. The skip is logged.
fn add_members(conn: &Connection, group_id: &str, members: &[Member]) -> Result<(), ScimError> {
    let unknown = scim_store::add_members(conn, group_id, members)?;
    if !unknown.is_empty() {
        tracing::warn!(group_id, unknown = ?unknown, "skipped group members that are not users");
    }
    Ok(())
}
