//! GET handlers for Users and Groups.

use super::auth::ScimCaller;
use super::body::ScimBody;
use super::path::ResourceId;
use super::preconditions::Preconditions;
use super::query::ListQuery;
use super::response::{ScimJson, ScimResource};
use crate::domain::scim::resource::{self, GroupFields, Meta, UserFields};
use crate::domain::scim::window::{self, Window};
use crate::domain::scim::{list, ScimError, ScimType};
use crate::server::{config::scim_base_url, state::AppState};
use crate::store::scim::{self as scim_store, GroupRecord, Listing, UserRecord};
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::Value;

pub async fn list_users(
    State(state): State<AppState>,
    Extension(caller): Extension<ScimCaller>,
    query: ListQuery,
) -> Result<ScimJson, ScimError> {
    users(&state, &caller, query).await
}

pub async fn search_users(
    State(state): State<AppState>,
    Extension(caller): Extension<ScimCaller>,
    ScimBody(body): ScimBody,
) -> Result<ScimJson, ScimError> {
    users(&state, &caller, ListQuery::from_search_request(&body)?).await
}

pub async fn search_groups(
    State(state): State<AppState>,
    Extension(caller): Extension<ScimCaller>,
    ScimBody(body): ScimBody,
) -> Result<ScimJson, ScimError> {
    groups(&state, &caller, ListQuery::from_search_request(&body)?).await
}

/// `POST /.search` across Users and Groups: users first, then groups, paged as one list.
pub async fn search_all(
    State(state): State<AppState>,
    Extension(caller): Extension<ScimCaller>,
    ScimBody(body): ScimBody,
) -> Result<ScimJson, ScimError> {
    let query = ListQuery::from_search_request(&body)?;
    if query.cursor.is_some() {
        return Err(ScimError::bad_request(
            ScimType::InvalidValue,
            "A search across all resource types pages by startIndex; cursor paging is offered on /Users and /Groups.",
        ));
    }
    let base = scim_base_url(&state.public_url, caller.idp);
    let page = query.page;
    let listing = Listing { filter: query.filter.as_ref(), sort: query.sort.as_ref(), page, after: None };
    let (user_total, user_rows) = scim_store::list_users(&state.db, caller.idp, listing).await?;
    let mut resources: Vec<Value> =
        user_rows.iter().map(|row| Ok(query.projection.apply(user_document(&base, row)?))).collect::<Result<_, ScimError>>()?;
    // The groups' share of the page starts where the users ran out.
    let group_page = list::Page {
        start_index: page.start_index.saturating_sub(user_total as u64).max(1),
        count: page.count.saturating_sub(resources.len() as u32),
    };
    let listing = Listing { page: group_page, ..listing };
    let (group_total, group_rows) = scim_store::list_groups(&state.db, caller.idp, listing).await?;
    resources.extend(group_documents(&state, &base, &group_rows, &query).await?);
    let resources = window::within_budget(resources);
    Ok(ScimJson(StatusCode::OK, list::list_response((user_total + group_total) as u64, page, resources)))
}

async fn users(state: &AppState, caller: &ScimCaller, query: ListQuery) -> Result<ScimJson, ScimError> {
    let window = Window::of(query.page, query.cursor.as_ref(), query.sort.is_some())?;
    let listing = Listing { filter: query.filter.as_ref(), sort: query.sort.as_ref(), page: window.page, after: window.after() };
    let (total, rows) = scim_store::list_users(&state.db, caller.idp, listing).await?;
    let base = scim_base_url(&state.public_url, caller.idp);
    let documents = rows.iter().map(|row| Ok(query.projection.apply(user_document(&base, row)?))).collect::<Result<_, ScimError>>()?;
    Ok(ScimJson(StatusCode::OK, window.finish(total as u64, &rows, documents, |row| (&row.created_at, &row.id))))
}

pub async fn get_user(
    State(state): State<AppState>,
    Extension(caller): Extension<ScimCaller>,
    ResourceId(id): ResourceId,
    preconditions: Preconditions,
    query: ListQuery,
) -> Result<Response, ScimError> {
    let row = scim_store::find_user(&state.db, caller.idp, &id).await?.ok_or_else(|| not_found("User", &id))?;
    let document = user_document(&scim_base_url(&state.public_url, caller.idp), &row)?;
    Ok(conditional(&preconditions, ScimResource(StatusCode::OK, query.projection.apply(document))))
}

pub async fn list_groups(
    State(state): State<AppState>,
    Extension(caller): Extension<ScimCaller>,
    query: ListQuery,
) -> Result<ScimJson, ScimError> {
    groups(&state, &caller, query).await
}

async fn groups(state: &AppState, caller: &ScimCaller, query: ListQuery) -> Result<ScimJson, ScimError> {
    let window = Window::of(query.page, query.cursor.as_ref(), query.sort.is_some())?;
    let listing = Listing { filter: query.filter.as_ref(), sort: query.sort.as_ref(), page: window.page, after: window.after() };
    let (total, rows) = scim_store::list_groups(&state.db, caller.idp, listing).await?;
    let base = scim_base_url(&state.public_url, caller.idp);
    let documents = group_documents(state, &base, &rows, &query).await?;
    Ok(ScimJson(StatusCode::OK, window.finish(total as u64, &rows, documents, |row| (&row.created_at, &row.id))))
}

/// Group rows as the query asks for them, members included unless left out.
async fn group_documents(state: &AppState, base: &str, rows: &[GroupRecord], query: &ListQuery) -> Result<Vec<Value>, ScimError> {
    let members = if query.projection.includes("members") {
        scim_store::members_of_groups(&state.db, rows.iter().map(|row| row.id.clone()).collect()).await?.into_iter().map(Some).collect()
    } else {
        vec![None; rows.len()]
    };
    rows.iter().zip(members).map(|(row, members)| Ok(query.projection.apply(group_document(base, row, members.as_deref())?))).collect()
}

pub async fn get_group(
    State(state): State<AppState>,
    Extension(caller): Extension<ScimCaller>,
    ResourceId(id): ResourceId,
    preconditions: Preconditions,
    query: ListQuery,
) -> Result<Response, ScimError> {
    let (row, members) = scim_store::find_group(&state.db, caller.idp, &id, query.projection.includes("members"))
        .await?
        .ok_or_else(|| not_found("Group", &id))?;
    let document = group_document(&scim_base_url(&state.public_url, caller.idp), &row, members.as_deref())?;
    Ok(conditional(&preconditions, ScimResource(StatusCode::OK, query.projection.apply(document))))
}

/// 304 with just the `ETag` when the client already has this version; the resource otherwise.
fn conditional(preconditions: &Preconditions, resource: ScimResource) -> Response {
    if !preconditions.not_modified(&resource.1) {
        return resource.into_response();
    }
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    if let Some(tag) = resource.1["meta"]["version"].as_str().and_then(|t| HeaderValue::from_str(t).ok()) {
        response.headers_mut().insert(header::ETAG, tag);
    }
    response
}

fn not_found(kind: &str, id: &str) -> ScimError {
    ScimError::not_found(format!("{kind} {id} not found"))
}

/// A user row as SCIM serves it; a damaged stored document is a logged 500.
pub fn user_document(base: &str, row: &UserRecord) -> Result<Value, ScimError> {
    Ok(resource::user(
        &row.resource,
        UserFields { id: &row.id, user_name: &row.user_name, external_id: row.external_id.as_deref(), active: row.active },
        Meta {
            resource_type: "User",
            created: &row.created_at,
            last_modified: &row.updated_at,
            location: format!("{base}/Users/{}", row.id),
            version: row.version,
        },
    )?)
}

pub fn group_document(base: &str, row: &GroupRecord, members: Option<&[(String, Option<String>)]>) -> Result<Value, ScimError> {
    Ok(resource::group(
        &row.resource,
        GroupFields { id: &row.id, display_name: &row.display_name, external_id: row.external_id.as_deref() },
        members,
        &format!("{base}/Users"),
        Meta {
            resource_type: "Group",
            created: &row.created_at,
            last_modified: &row.updated_at,
            location: format!("{base}/Groups/{}", row.id),
            version: row.version,
        },
    )?)
}
