//! `POST /Bulk` (RFC 7644 §3.7): each operation runs through the same handler, transaction and
//! log entry as if it had been sent alone, in request order. An operation that refers to a
//! later one's `bulkId` waits until that one has run.

use super::auth::ScimCaller;
use super::body::ScimBody;
use super::journal::Journal;
use super::preconditions::Preconditions;
use super::response::{ScimJson, ScimResource};
use super::write::WriteContext;
use super::{groups, users};
use crate::domain::scim::bulk::{self, Endpoint, Method, Operation, Outcome};
use crate::domain::scim::{ScimError, ScimType};
use crate::server::{config::scim_base_url, state::AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Extension;
use serde_json::Value;
use std::collections::HashMap;

pub async fn run(
    State(state): State<AppState>,
    Extension(caller): Extension<ScimCaller>,
    journal: Journal,
    ScimBody(body): ScimBody,
) -> Result<ScimJson, ScimError> {
    let request = bulk::parse_request(&body)?;
    let operations = &request.operations;
    let mut outcomes: Vec<Option<Outcome>> = vec![None; operations.len()];
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut errors = 0;
    let mut pending: Vec<usize> = (0..operations.len()).collect();

    'passes: while !pending.is_empty() {
        let mut waiting = Vec::new();
        for &index in &pending {
            let operation = &operations[index];
            let references = bulk::references(operation);
            let unresolved: Vec<&String> = references.iter().filter(|r| !ids.contains_key(*r)).collect();
            let outcome = if unresolved.is_empty() {
                let (outcome, id) = perform(&state, &caller, &journal, &bulk::resolve(operation, &ids)).await;
                if let (Some(bulk_id), Some(id)) = (&operation.bulk_id, id) {
                    ids.insert(bulk_id.clone(), id);
                }
                outcome
            } else if unresolved.iter().all(|r| yet_to_run(operations, &outcomes, r)) {
                waiting.push(index);
                continue;
            } else {
                refused(&ScimError::new(
                    409,
                    Some(ScimType::InvalidValue),
                    format!("bulkId `{}` names no operation that created a resource.", unresolved[0]),
                ))
            };
            errors += u64::from(outcome.error.is_some());
            outcomes[index] = Some(outcome);
            if request.fail_on_errors.is_some_and(|limit| errors >= limit) {
                break 'passes;
            }
        }
        if waiting.len() == pending.len() {
            // Every one waits on another: a cycle, which nothing can break.
            for index in waiting {
                outcomes[index] = Some(refused(&ScimError::new(
                    409,
                    Some(ScimType::InvalidValue),
                    "The bulkId references of this operation form a cycle and cannot be resolved.",
                )));
            }
            break;
        }
        pending = waiting;
    }

    let results: Vec<(&Operation, Outcome)> =
        operations.iter().zip(outcomes).filter_map(|(operation, outcome)| outcome.map(|o| (operation, o))).collect();
    Ok(ScimJson(StatusCode::OK, bulk::response(&results)))
}

/// Whether `bulk_id` belongs to an operation that has not run yet.
fn yet_to_run(operations: &[Operation], outcomes: &[Option<Outcome>], bulk_id: &str) -> bool {
    operations.iter().zip(outcomes).any(|(operation, outcome)| outcome.is_none() && operation.bulk_id.as_deref() == Some(bulk_id))
}

/// Runs one resolved operation; returns its outcome and, when it created one, the new id.
async fn perform(state: &AppState, caller: &ScimCaller, parent: &Journal, operation: &Operation) -> (Outcome, Option<String>) {
    let (endpoint, id) = match bulk::target(operation) {
        Ok(target) => target,
        Err(err) => return (refused(&err), None),
    };
    let path = format!("/scim/v2/{}{}", caller.idp.slug(), operation.path);
    let write = WriteContext {
        state: state.clone(),
        caller: caller.clone(),
        journal: parent.for_bulk_operation(operation.method.as_str(), path, operation.data.as_ref()),
        preconditions: Preconditions::if_match(operation.version.clone()),
    };
    match dispatch(&write, operation, endpoint, id.as_deref()).await {
        Ok(Written::Resource(ScimResource(status, document))) => {
            let meta = |key: &str| document["meta"][key].as_str().map(str::to_owned);
            let created = (status == StatusCode::CREATED).then(|| document["id"].as_str().map(str::to_owned)).flatten();
            (Outcome { status: status.as_u16(), location: meta("location"), version: meta("version"), error: None }, created)
        }
        Ok(Written::NoContent) => {
            let base = scim_base_url(&state.public_url, caller.idp);
            let location = id.map(|id| format!("{base}/{}/{id}", endpoint.as_str()));
            (Outcome { status: StatusCode::NO_CONTENT.as_u16(), location, version: None, error: None }, None)
        }
        Err(err) => {
            let status = StatusCode::from_u16(err.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let body = err.body();
            write.journal.record_unless_committed(&state.request_log, status, Some(body.to_string()), Some(&body)).await;
            (refused(&err), None)
        }
    }
}

/// What a write answered: the resource, or nothing (204).
enum Written {
    Resource(ScimResource),
    NoContent,
}

/// Calls the write an operation names: the same functions the single-request handlers call.
async fn dispatch(write: &WriteContext, operation: &Operation, endpoint: Endpoint, id: Option<&str>) -> Result<Written, ScimError> {
    let empty = Value::Null;
    let body = operation.data.as_ref().unwrap_or(&empty);
    let resource = Written::Resource;
    let no_content = |_: StatusCode| Written::NoContent;
    match (endpoint, operation.method, id) {
        (Endpoint::Users, Method::Post, None) => users::create_user(write, body).await.map(resource),
        (Endpoint::Users, Method::Put, Some(id)) => users::replace_user(write, id, body).await.map(resource),
        (Endpoint::Users, Method::Patch, Some(id)) => users::patch_user(write, id, body).await.map(resource),
        (Endpoint::Users, Method::Delete, Some(id)) => users::delete_user(write, id).await.map(no_content),
        (Endpoint::Groups, Method::Post, None) => groups::create_group(write, body).await.map(resource),
        (Endpoint::Groups, Method::Put, Some(id)) => groups::replace_group(write, id, body).await.map(resource),
        (Endpoint::Groups, Method::Patch, Some(id)) => groups::patch_group(write, id, body).await.map(no_content),
        (Endpoint::Groups, Method::Delete, Some(id)) => groups::delete_group(write, id).await.map(no_content),
        _ => {
            Err(ScimError::bad_request(ScimType::InvalidPath, format!("`{}` cannot take a {}.", operation.path, operation.method.as_str())))
        }
    }
}

fn refused(err: &ScimError) -> Outcome {
    Outcome { status: err.status, location: None, version: None, error: Some(err.body()) }
}
