//! Every SCIM response is `application/scim+json`, errors included, whatever the client asked.

use crate::domain::scim::ScimError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

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

/// Logs a storage failure (with its cause, for operators) and answers a generic 500.
pub fn internal(err: impl std::fmt::Display) -> ScimError {
    tracing::error!(error = %err, "SCIM request failed");
    ScimError::internal()
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
