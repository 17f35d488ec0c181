//! Honest statuses from server functions. Leptos answers every server-function error with 500;
//! this layer reads the error (an [`AppError`], a small JSON body) and answers with the status
//! it stands for, so monitoring sees real faults only and clients can tell "sign in again"
//! (401) from a refusal (400, 404, 409). The body, the message the portal shows, is unchanged.

use crate::api::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// An error body is a message; anything this long is not one of ours.
const MAX_ERROR_BYTES: usize = 64 * 1024;

pub async fn from_error(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Some(status) = serde_json::from_slice::<AppError>(&bytes).ok().and_then(|error| StatusCode::from_u16(error.status()).ok()) {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}
