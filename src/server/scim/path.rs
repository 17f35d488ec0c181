//! The `{id}` of a SCIM URL. axum answers a segment it cannot decode (`/Users/%ff`, not UTF-8)
//! with a `text/plain` 400; SCIM clients get an RFC 7644 §3.12 error body instead.

use crate::domain::scim::{ScimError, ScimType};
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

/// A resource id from the path.
pub struct ResourceId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ResourceId {
    type Rejection = ScimError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<String>::from_request_parts(parts, state).await {
            Ok(Path(id)) => Ok(ResourceId(id)),
            Err(rejection) => Err(ScimError::new(
                rejection.status().as_u16(),
                Some(ScimType::InvalidValue),
                format!("The id in the URL is not valid: {}", rejection.body_text()),
            )),
        }
    }
}
