//! GET /ServiceProviderConfig, /ResourceTypes, /Schemas (writes get 405 from the router).

use super::auth::ScimCaller;
use super::body::MAX_PAYLOAD_BYTES;
use super::path::ResourceId;
use super::response::ScimJson;
use crate::domain::scim::list::{list_response, Page};
use crate::domain::scim::{discovery, ScimError};
use crate::server::{config::scim_base_url, state::AppState};
use crate::store;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Extension;
use serde_json::Value;

pub async fn service_provider_config(State(state): State<AppState>, Extension(caller): Extension<ScimCaller>) -> ScimJson {
    let base = scim_base_url(&state.public_url, caller.idp);
    ScimJson(StatusCode::OK, discovery::service_provider_config(&base, MAX_PAYLOAD_BYTES))
}

pub async fn resource_types(State(state): State<AppState>, Extension(caller): Extension<ScimCaller>) -> ScimJson {
    all(discovery::resource_types(&scim_base_url(&state.public_url, caller.idp)))
}

pub async fn resource_type(
    State(state): State<AppState>,
    Extension(caller): Extension<ScimCaller>,
    ResourceId(id): ResourceId,
) -> Result<ScimJson, ScimError> {
    one(discovery::resource_types(&scim_base_url(&state.public_url, caller.idp)), &id, "ResourceType")
}

pub async fn schemas(State(state): State<AppState>, Extension(caller): Extension<ScimCaller>) -> Result<ScimJson, ScimError> {
    Ok(all(idp_schemas(&state, &caller).await?))
}

pub async fn schema(
    State(state): State<AppState>,
    Extension(caller): Extension<ScimCaller>,
    ResourceId(id): ResourceId,
) -> Result<ScimJson, ScimError> {
    one(idp_schemas(&state, &caller).await?, &id, "Schema")
}

async fn idp_schemas(state: &AppState, caller: &ScimCaller) -> Result<Vec<Value>, ScimError> {
    let custom = store::settings::custom_attribute_names(&state.db, caller.idp).await?;
    Ok(discovery::schemas(&scim_base_url(&state.public_url, caller.idp), &custom))
}

fn all(resources: Vec<Value>) -> ScimJson {
    let page = Page { start_index: 1, count: resources.len() as u32 };
    ScimJson(StatusCode::OK, list_response(resources.len() as u64, page, resources))
}

fn one(resources: Vec<Value>, id: &str, kind: &str) -> Result<ScimJson, ScimError> {
    resources
        .into_iter()
        .find(|r| r["id"].as_str().is_some_and(|rid| rid.eq_ignore_ascii_case(id)))
        .map(|r| ScimJson(StatusCode::OK, r))
        .ok_or_else(|| ScimError::not_found(format!("{kind} {id} not found")))
}
