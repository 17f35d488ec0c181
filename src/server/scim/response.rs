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
