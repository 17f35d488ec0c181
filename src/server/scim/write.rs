//! What every SCIM write needs besides its id and body: the app, the calling IdP, the request's
//! log entry and its preconditions. A handler takes it as one extractor; Bulk builds one per
//! operation and calls the same write functions.

use super::auth::ScimCaller;
use super::journal::Journal;
use super::preconditions::Preconditions;
use super::response::internal;
use crate::domain::scim::ScimError;
use crate::server::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

pub struct WriteContext {
    pub state: AppState,
    pub caller: ScimCaller,
    pub journal: Journal,
    pub preconditions: Preconditions,
}

impl FromRequestParts<AppState> for WriteContext {
    type Rejection = ScimError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let caller =
            parts.extensions.get::<ScimCaller>().cloned().ok_or_else(|| internal("a SCIM write ran without a bearer-token check"))?;
        let journal = Journal::from_request_parts(parts, state).await?;
        let Ok(preconditions) = Preconditions::from_request_parts(parts, state).await;
        Ok(WriteContext { state: state.clone(), caller, journal, preconditions })
    }
}
