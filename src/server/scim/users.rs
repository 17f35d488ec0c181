//! Writes to /Users: create (with takeover and restore), replace, delete. The seed's rules are
//! decided in `domain::lifecycle`; this module runs them inside one write transaction, on the
//! writer thread.

use super::auth::ScimCaller;
use super::body::ScimBody;
use super::path::ResourceId;
use super::resources::user_document;
use super::response::{internal, stored_document, ScimResource};
use super::write::WriteContext;
use crate::domain::idp::Source;
use crate::domain::lifecycle::{self, CreateDecision, Existing};
use crate::domain::scim::patch::{self, ResourceKind};
use crate::domain::scim::user::{self, UserInput};
use crate::domain::scim::{ScimError, ScimType};
use crate::server::config::scim_base_url;
use crate::store::invitations;
use crate::store::scim::{self as scim_store, StoredUser, UserRecord};
use axum::http::StatusCode;
use rusqlite::Connection;
use serde_json::{Map, Value};

pub async fn create(write: WriteContext, ScimBody(body): ScimBody) -> Result<ScimResource, ScimError> {
    create_user(&write, &body).await
}

pub async fn replace(write: WriteContext, ResourceId(id): ResourceId, ScimBody(body): ScimBody) -> Result<ScimResource, ScimError> {
    replace_user(&write, &id, &body).await
}

pub async fn patch(write: WriteContext, ResourceId(id): ResourceId, ScimBody(body): ScimBody) -> Result<ScimResource, ScimError> {
    patch_user(&write, &id, &body).await
}

pub async fn delete(write: WriteContext, ResourceId(id): ResourceId) -> Result<StatusCode, ScimError> {
    delete_user(&write, &id).await
}

/// POST: a new user, or a takeover (P5, M1) or restore (L3) of one stored under its userName.
pub async fn create_user(write: &WriteContext, body: &Value) -> Result<ScimResource, ScimError> {
    let mut input = user::read(body)?;
    // A user is created active unless stated otherwise, and says so.
    if !input.document.keys().any(|k| k.eq_ignore_ascii_case("active")) {
        input.document.insert("active".into(), Value::Bool(true));
    }
    if !input.active {
        // L1: a suspended user cannot be provisioned.
        return Err(ScimError::bad_request(ScimType::InvalidValue, "A user that is not active (active: false) cannot be provisioned."));
    }
    write.transaction(move |conn, write| create_in(conn, write, &input)).await
}

fn create_in(conn: &Connection, write: &WriteContext, input: &UserInput) -> Result<ScimResource, ScimError> {
    let idp = write.caller.idp;
    // Time-ordered (v7): a create appends to the id index instead of dirtying a random page.
    let id = uuid::Uuid::now_v7().simple().to_string();
    // Most creates are of new userNames, so the insert comes first; only a taken name is looked up.
    if let Some(record) = scim_store::insert_user(conn, &id, idp.source(), input)? {
        invitations::enqueue_if_enabled(conn, idp, &id, input)?;
        return respond(write, &record, StatusCode::CREATED);
    }
    let existing = scim_store::user_by_name(conn, &input.user_name)?;
    let existing_state = existing.as_ref().map(as_existing).transpose()?;
    let record = match lifecycle::decide_create(idp, &input.user_name, existing_state.as_ref()) {
        CreateDecision::Insert => return Err(internal(format!("userName `{}` is taken, yet no user holds it", input.user_name))),
        decision @ (CreateDecision::TakeOver { .. } | CreateDecision::Restore { .. }) => {
            let restoring = matches!(decision, CreateDecision::Restore { .. });
            let stored = existing.expect("a takeover or restore has a stored user");
            let merged = user::read(&Value::Object(lifecycle::merge_update(&document(&stored)?, &input.document)))?;
            let record = scim_store::update_user(conn, &stored.id, idp.source(), &merged)?;
            // A user the IdP deleted and now provisions again is invited if it never was. A
            // local or legacy user taken over (P5, M1) already uses the product: no invitation.
            if restoring {
                invitations::enqueue_if_enabled(conn, idp, &stored.id, &merged)?;
            }
            record
        }
        CreateDecision::Conflict(detail) => return Err(ScimError::conflict(detail)),
    };
    respond(write, &record, StatusCode::CREATED)
}

/// PUT: Okta sends back its GET output with its changes. Read-only attributes are ignored,
/// unmentioned and blank ones keep their values (A8, A11), userName cannot change (P4).
pub async fn replace_user(write: &WriteContext, id: &str, body: &Value) -> Result<ScimResource, ScimError> {
    let update = user::read(body)?;
    change(write, id, move |stored| user::read(&Value::Object(lifecycle::merge_update(stored, &update.document)))).await
}

/// PATCH: the operations run on the stored document; the result must still be a valid user
/// (A9, A10), and values an operation sets blank keep their old value (A8).
pub async fn patch_user(write: &WriteContext, id: &str, body: &Value) -> Result<ScimResource, ScimError> {
    let operations = patch::parse_request(body)?;
    change(write, id, move |stored| {
        let mut patched = stored.clone();
        patch::apply(ResourceKind::User, &mut patched, &operations)?;
        let update = user::read(&Value::Object(patched))?;
        user::read(&Value::Object(lifecycle::keep_blanked(stored, &update.document)))
    })
    .await
}

/// L3: a soft delete. The user is suspended in Provisio and gone to SCIM.
pub async fn delete_user(write: &WriteContext, id: &str) -> Result<StatusCode, ScimError> {
    let id = id.to_owned();
    write
        .transaction(move |conn, write| {
            write.preconditions.check_write(find(conn, &write.caller, &id)?.version)?;
            scim_store::soft_delete_user(conn, &id)?;
            Ok(StatusCode::NO_CONTENT)
        })
        .await
}

/// One change to an existing user, in one write transaction: find it, honour If-Match, let
/// `new_state` compute the user from its stored document, refuse a new userName (P4), store.
/// A local or legacy user the IdP changes becomes the IdP's (P5).
async fn change(
    write: &WriteContext,
    id: &str,
    new_state: impl FnOnce(&Map<String, Value>) -> Result<user::UserInput, ScimError> + Send + 'static,
) -> Result<ScimResource, ScimError> {
    let id = id.to_owned();
    write
        .transaction(move |conn, write| {
            let stored = find(conn, &write.caller, &id)?;
            write.preconditions.check_write(stored.version)?;
            let before = document(&stored)?;
            let updated = new_state(&before)?;
            lifecycle::check_user_name_unchanged(&before, &updated.user_name)?;
            let record = scim_store::update_user(conn, &id, write.caller.idp.source(), &updated)?;
            respond(write, &record, StatusCode::OK)
        })
        .await
}

fn find(conn: &Connection, caller: &ScimCaller, id: &str) -> Result<StoredUser, ScimError> {
    scim_store::user_for_update(conn, caller.idp, id)?.ok_or_else(|| ScimError::not_found(format!("User {id} not found")))
}

fn document(stored: &StoredUser) -> Result<Map<String, Value>, ScimError> {
    stored_document(&stored.resource, &stored.id)
}

/// An unknown stored source is a damaged row, never taken for a local user (which an IdP could
/// then take over).
fn as_existing(stored: &StoredUser) -> Result<Existing, ScimError> {
    let source =
        Source::parse(&stored.source).ok_or_else(|| internal(format!("user {} has an unknown source `{}`", stored.id, stored.source)))?;
    Ok(Existing { id: stored.id.clone(), source, scim_deleted: stored.scim_deleted })
}

/// The user as the write left it, as SCIM serves it.
fn respond(write: &WriteContext, record: &UserRecord, status: StatusCode) -> Result<ScimResource, ScimError> {
    let document = user_document(&scim_base_url(&write.state.public_url, write.caller.idp), record)?;
    Ok(ScimResource(status, document))
}
