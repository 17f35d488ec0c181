//! Every SCIM response is `application/scim+json`, errors included, whatever the client asked.

use crate::domain::scim::resource::DamagedDocument;
use crate::domain::scim::{ScimError, ScimType};
use crate::store::scim::ListError;
use crate::store::threads::ThreadError;
use crate::store::{RunError, StoreError};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

pub const SCIM_JSON: &str = "application/scim+json";

/// A SCIM JSON body with a status.
pub struct ScimJson(pub StatusCode, pub Value);

impl IntoResponse for ScimJson {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.1).unwrap_or_default();
        (self.0, [(header::CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON))], body).into_response()
    }
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        ScimJson(status, self.body()).into_response()
    }
}

/// Logs a failure (with its cause and where it happened, for operators) and answers a generic 500.
#[track_caller]
pub fn internal(err: impl std::fmt::Display) -> ScimError {
    let at = std::panic::Location::caller();
    tracing::error!(error = %err, at = %at, "SCIM request failed");
    ScimError::internal()
}

/// A storage failure inside a SCIM handler: `?` logs it where it happened and answers 500.
impl From<sqlx::Error> for ScimError {
    #[track_caller]
    fn from(err: sqlx::Error) -> ScimError {
        let at = std::panic::Location::caller();
        tracing::error!(error = %err, at = %at, "SCIM request failed in the store");
        ScimError::internal()
    }
}

/// A failure on a database thread (`store::threads`): logged, answered 500.
impl From<rusqlite::Error> for ScimError {
    #[track_caller]
    fn from(err: rusqlite::Error) -> ScimError {
        ScimError::from(RunError::from(err))
    }
}

impl From<ThreadError> for ScimError {
    #[track_caller]
    fn from(err: ThreadError) -> ScimError {
        ScimError::from(RunError::from(err))
    }
}

impl From<RunError> for ScimError {
    #[track_caller]
    fn from(err: RunError) -> ScimError {
        let at = std::panic::Location::caller();
        tracing::error!(error = %err, at = %at, "SCIM request failed on a database thread");
        ScimError::internal()
    }
}

/// A store refusal: a unique value taken is a 409, a row gone a 404, anything else a logged 500.
impl From<StoreError> for ScimError {
    #[track_caller]
    fn from(err: StoreError) -> ScimError {
        match err {
            StoreError::Conflict(detail) => ScimError::conflict(detail.to_string()),
            StoreError::NotFound(detail) => ScimError::not_found(detail.to_string()),
            StoreError::Database(err) => ScimError::from(err),
            StoreError::Write(err) => ScimError::from(err),
        }
    }
}

/// A list the store cannot read: the client's filter or sort is refused with a 400.
impl From<ListError> for ScimError {
    #[track_caller]
    fn from(err: ListError) -> ScimError {
        match err {
            ListError::Filter(err) => ScimError::bad_request(ScimType::InvalidFilter, err.to_string()),
            ListError::Sort(err) => ScimError::bad_request(ScimType::InvalidValue, err.to_string()),
            ListError::Database(err) => ScimError::from(err),
        }
    }
}

/// A stored document that does not parse: logged with the row's id, answered with a 500.
impl From<DamagedDocument> for ScimError {
    #[track_caller]
    fn from(err: DamagedDocument) -> ScimError {
        internal(err)
    }
}

/// A stored SCIM document. One that does not parse is a damaged row: an error (logged, 500),
/// never read as `{}`, which a write would then store over the user's attributes.
#[track_caller]
pub fn stored_document(resource: &str, id: &str) -> Result<Map<String, Value>, ScimError> {
    match serde_json::from_str(resource) {
        Ok(Value::Object(document)) => Ok(document),
        Ok(_) => Err(internal(format!("the stored document of {id} is not a JSON object"))),
        Err(err) => Err(internal(format!("the stored document of {id} does not parse: {err}"))),
    }
}

/// One resource: the `ETag` header carries `meta.version`, and a 201 names the new resource in
/// `Location` (RFC 7644 §3.3).
pub struct ScimResource(pub StatusCode, pub Value);

impl IntoResponse for ScimResource {
    fn into_response(self) -> Response {
        let ScimResource(status, body) = self;
        let header_of = |key: &str| body["meta"][key].as_str().and_then(|v| HeaderValue::from_str(v).ok());
        let etag = header_of("version");
        let location = (status == StatusCode::CREATED).then(|| header_of("location")).flatten();
        let mut response = ScimJson(status, body).into_response();
        if let Some(etag) = etag {
            response.headers_mut().insert(header::ETAG, etag);
        }
        if let Some(location) = location {
            response.headers_mut().insert(header::LOCATION, location);
        }
        response
    }
}
