//! Every SCIM request goes into the request log. A handler that changes something writes its
//! entry into its own transaction (`WriteContext::transaction`), so the change and its record land
//! together or not at all; every other request (reads, refusals) is recorded by the `record`
//! middleware through the background writer.

use super::response::internal;
use crate::domain::idp::Idp;
use crate::domain::redact;
use crate::domain::request_outcome::keeps_response_body;
use crate::domain::scim::ScimError;
use crate::server::request_log::RequestLog;
use crate::server::state::AppState;
use crate::store::{self, request_log::NewScimRequest};
use crate::sync::lock;
use axum::body::{to_bytes, Body};
use axum::extract::{FromRequestParts, OriginalUri, Request, State};
use axum::http::{request::Parts, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// This request's log entry in the making; handlers reach it as an extractor.
#[derive(Clone)]
pub struct Journal(Arc<Pending>);

struct Pending {
    started: Instant,
    occurred_at: String,
    idp: Idp,
    method: String,
    path: String,
    token_id: Mutex<Option<String>>,
    request_body: Mutex<Option<String>>,
    /// Secret values taken out of the request body, scrubbed from whatever else is logged.
    secrets: Mutex<Vec<String>>,
    recorded: AtomicBool,
}

impl Journal {
    pub fn new(idp: Idp, method: &str, path: impl Into<String>) -> Journal {
        Journal(Arc::new(Pending {
            started: Instant::now(),
            occurred_at: store::request_log::arrival_time(),
            idp,
            method: method.to_owned(),
            path: path.into(),
            token_id: Mutex::new(None),
            request_body: Mutex::new(None),
            secrets: Mutex::new(Vec::new()),
            recorded: AtomicBool::new(false),
        }))
    }

    pub fn set_token(&self, token_id: &str) {
        *lock(&self.0.token_id) = Some(token_id.to_owned());
    }

    /// The request body as the log keeps it (redacted and capped by the caller).
    pub fn set_request_body(&self, body: redact::Redacted) {
        *lock(&self.0.request_body) = Some(body.text);
        lock(&self.0.secrets).extend(body.secrets);
    }

    /// Writes the entry in the caller's write transaction (see `WriteContext::transaction`).
    pub fn write_entry(&self, conn: &rusqlite::Connection, status: StatusCode, response: Option<&Value>) -> rusqlite::Result<()> {
        let entry = self.entry(status, response.map(redact::json_for_log), response);
        store::request_log::insert(conn, std::slice::from_ref(&entry))
    }

    /// The transaction holding the entry has committed: the middleware records nothing more.
    pub fn mark_recorded(&self) {
        self.0.recorded.store(true, Ordering::Release);
    }

    /// An operation of a Bulk request: its own entry, as if sent alone with the same token.
    pub fn for_bulk_operation(&self, method: &str, path: String, data: Option<&Value>) -> Journal {
        let journal = Journal::new(self.0.idp, method, path);
        *lock(&journal.0.token_id) = lock(&self.0.token_id).clone();
        if let Some(data) = data {
            journal.set_request_body(redact::redact_json(data));
        }
        journal
    }

    /// Queues the entry for the background writer, unless a handler committed it already.
    pub async fn record_unless_committed(&self, log: &RequestLog, status: StatusCode, body: Option<String>, parsed: Option<&Value>) {
        if !self.0.recorded.load(Ordering::Acquire) {
            log.record(self.entry(status, body, parsed)).await;
        }
    }

    fn entry(&self, status: StatusCode, response_body: Option<String>, response: Option<&Value>) -> NewScimRequest {
        let pending = &self.0;
        let (resource_type, path_id) = resource_of(&pending.path);
        let is_error = status.is_client_error() || status.is_server_error();
        let secrets = lock(&pending.secrets);
        let scrub = |text: String| if secrets.is_empty() { text } else { redact::scrub(&text, &secrets) };
        let text = |key: &str| response.and_then(|body| body[key].as_str()).map(|text| scrub(text.to_owned()));
        NewScimRequest {
            occurred_at: pending.occurred_at.clone(),
            idp: pending.idp,
            token_id: lock(&pending.token_id).clone(),
            method: pending.method.clone(),
            path: pending.path.clone(),
            status: status.as_u16(),
            duration_ms: pending.started.elapsed().as_secs_f64() * 1000.0,
            resource_type,
            // A create names its resource only in the response.
            resource_id: path_id.or_else(|| if is_error { None } else { text("id") }),
            scim_type: if is_error { text("scimType") } else { None },
            detail: if is_error { text("detail") } else { None },
            request_body: lock(&pending.request_body).clone(),
            response_body: response_body.map(scrub),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Journal {
    type Rejection = ScimError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Journal>().cloned().ok_or_else(|| internal("a SCIM handler ran outside the journal middleware"))
    }
}

/// Opens the entry, runs the request, and records it unless the handler already did.
pub async fn record(State((state, idp)): State<(AppState, Idp)>, mut request: Request, next: Next) -> Response {
    // Inside `nest` the URI has lost its prefix; the log shows the path the IdP called.
    let uri = request.extensions().get::<OriginalUri>().map_or_else(|| request.uri().clone(), |original| original.0.clone());
    let (path, secrets) = path_for_log(uri.path(), uri.query());
    let journal = Journal::new(idp, request.method().as_str(), path);
    *lock(&journal.0.secrets) = secrets;
    request.extensions_mut().insert(journal.clone());
    let response = next.run(request).await;
    if journal.0.recorded.load(Ordering::Acquire) {
        return response;
    }
    let (parts, body) = response.into_parts();
    // Our own responses are already in memory: read them whole, with no cap that could cut one
    // (a list once went out as 200 with an empty body); the log keeps a capped copy.
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(err) => {
            let error = internal(format!("a SCIM response body could not be read: {err}"));
            let body = error.body();
            journal
                .record_unless_committed(&state.request_log, StatusCode::INTERNAL_SERVER_ERROR, Some(body.to_string()), Some(&body))
                .await;
            return error.into_response();
        }
    };
    let parsed: Option<Value> = if parts.status.is_success() { None } else { serde_json::from_slice(&bytes).ok() };
    let keeps_body = !bytes.is_empty() && keeps_response_body(&journal.0.method, &journal.0.path, parts.status.as_u16());
    let logged_body = keeps_body.then(|| redact::response_for_log(&bytes));
    journal.record_unless_committed(&state.request_log, parts.status, logged_body, parsed.as_ref()).await;
    Response::from_parts(parts, Body::from(bytes))
}

/// The path the IdP called, with its query unless the query names a secret attribute
/// (`filter=password eq "…"`), which the log must not keep; the query's quoted values are then
/// secrets to scrub from the rest of the entry (an error detail quoting the filter).
fn path_for_log(path: &str, query: Option<&str>) -> (String, Vec<String>) {
    let Some(query) = query else { return (path.to_owned(), Vec::new()) };
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    if !pairs.iter().any(|(key, value)| redact::names_secret(key) || redact::names_secret(value)) {
        return (format!("{path}?{query}"), Vec::new());
    }
    let secrets = pairs.iter().flat_map(|(_, value)| value.split('"').skip(1).step_by(2).map(str::to_owned)).collect();
    (format!("{path}?{}", redact::REDACTED), secrets)
}

/// `("User", Some(id))` for `/scim/v2/okta/Users/{id}`; lists and searches have no id.
fn resource_of(path: &str) -> (Option<&'static str>, Option<String>) {
    let path = path.split('?').next().unwrap_or_default();
    let mut segments = path.trim_start_matches("/scim/v2/").split('/').skip(1);
    let resource_type = match segments.next() {
        Some("Users") => Some("User"),
        Some("Groups") => Some("Group"),
        _ => None,
    };
    let id = segments.next().filter(|id| resource_type.is_some() && !id.starts_with('.')).map(str::to_owned);
    (resource_type, id)
}

#[cfg(test)]
mod tests {
    use super::{path_for_log, resource_of};

    #[test]
    fn a_query_naming_a_secret_is_not_kept() {
        let users = "/scim/v2/okta/Users";
        assert_eq!(
            path_for_log(users, Some("filter=userName%20eq%20%22a%22")),
            (format!("{users}?filter=userName%20eq%20%22a%22"), vec![])
        );
        let (path, secrets) = path_for_log(users, Some("filter=PASSWORD%20eq%20%22Tr0ub4dor%22"));
        assert_eq!((path.as_str(), secrets), ("/scim/v2/okta/Users?[redacted]", vec!["Tr0ub4dor".to_owned()]));
        assert_eq!(path_for_log(users, None), (users.to_owned(), vec![]));
    }

    #[test]
    fn the_resource_is_read_from_the_path() {
        assert_eq!(resource_of("/scim/v2/okta/Users/abc"), (Some("User"), Some("abc".into())));
        assert_eq!(resource_of("/scim/v2/entra/Groups/g1?excludedAttributes=members"), (Some("Group"), Some("g1".into())));
        assert_eq!(resource_of("/scim/v2/entra/Users?filter=userName%20eq%20%22a%22"), (Some("User"), None));
        assert_eq!(resource_of("/scim/v2/entra/Users/.search"), (Some("User"), None));
        assert_eq!(resource_of("/scim/v2/entra/ServiceProviderConfig"), (None, None));
    }
}
