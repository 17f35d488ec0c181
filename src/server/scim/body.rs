//! Request bodies: JSON whatever the Content-Type says (Entra sends application/scim+json,
//! Okta's SPEC test application/json), size-capped, with SCIM errors for everything wrong.

use super::journal::Journal;
use crate::domain::scim::{self, ScimError, ScimType};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, Request};
use serde_json::Value;

/// The largest body accepted, advertised as `bulk.maxPayloadSize`.
pub const MAX_PAYLOAD_BYTES: usize = 1024 * 1024;

/// A JSON object body.
pub struct ScimBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for ScimBody {
    type Rejection = ScimError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let journal = request.extensions().get::<Journal>().cloned();
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| match rejection {
            BytesRejection::FailedToBufferBody(_) if rejection.status().as_u16() == 413 => {
                ScimError::payload_too_large(format!("The request body is larger than {MAX_PAYLOAD_BYTES} bytes."))
            }
            other => ScimError::bad_request(ScimType::InvalidSyntax, other.body_text()),
        })?;
        let (value, logged) = scim::body::read(&bytes);
        if let (Some(journal), Some(logged)) = (journal, logged) {
            journal.set_request_body(logged);
        }
        let value = value?;
        Ok(ScimBody(value))
    }
}
