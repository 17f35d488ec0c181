//! What every SCIM write needs besides its id and body: the app, the calling IdP, the request's
//! log entry and its preconditions. A handler takes it as one extractor; Bulk builds one per
//! operation and calls the same write functions. `transaction` runs the write itself.

use super::auth::ScimCaller;
use super::journal::Journal;
use super::preconditions::Preconditions;
use super::response::{internal, ScimResource};
use crate::domain::scim::ScimError;
use crate::server::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde_json::Value;

#[derive(Clone)]
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

impl WriteContext {
    /// Runs `work` in one write transaction on the writer thread (`store::threads`), with this
    /// request's log entry written in the same transaction: the change and its record land
    /// together or not at all.
    pub async fn transaction<T>(
        &self,
        work: impl FnOnce(&rusqlite::Connection, &WriteContext) -> Result<T, ScimError> + Send + 'static,
    ) -> Result<T, ScimError>
    where
        T: Answer + Send + 'static,
    {
        let write = self.clone();
        let answer = self
            .state
            .db
            .writer
            .transaction(move |conn| {
                let answer = work(conn, &write)?;
                write.journal.write_entry(conn, answer.status(), answer.body())?;
                Ok::<T, ScimError>(answer)
            })
            .await?;
        self.journal.mark_recorded();
        Ok(answer)
    }
}

/// What a write answers, as its log entry keeps it.
pub trait Answer {
    fn status(&self) -> StatusCode;
    fn body(&self) -> Option<&Value>;
}

impl Answer for ScimResource {
    fn status(&self) -> StatusCode {
        self.0
    }

    fn body(&self) -> Option<&Value> {
        Some(&self.1)
    }
}

/// A write that answers with its status alone (204).
impl Answer for StatusCode {
    fn status(&self) -> StatusCode {
        *self
    }

    fn body(&self) -> Option<&Value> {
        None
    }
}
