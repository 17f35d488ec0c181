//! Bearer-token authentication, bound to the IdP whose URL was called (I2, T4, T6).

use super::journal::Journal;
use crate::domain::{idp::Idp, scim::ScimError, tokens};
use crate::server::state::AppState;
use crate::store;
use crate::store::tokens::Credential;
use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

/// Who is calling: set on every authenticated SCIM request.
#[derive(Debug, Clone)]
pub struct ScimCaller {
    pub idp: Idp,
    pub token_id: String,
}

/// `last_used_at` is refreshed at most this often, so a sync does not write once per request.
const LAST_USED_GRANULARITY_SECS: i64 = 60;

pub async fn require_token(State((state, idp)): State<(AppState, Idp)>, mut request: Request, next: Next) -> Response {
    let authorization = request.headers().get(AUTHORIZATION).and_then(|value| value.to_str().ok()).map(str::to_owned);
    match authenticate(&state, idp, authorization.as_deref()).await {
        Ok(caller) => {
            if let Some(journal) = request.extensions().get::<Journal>() {
                journal.set_token(&caller.token_id);
            }
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        Err(err) => err.into_response(),
    }
}

async fn authenticate(state: &AppState, idp: Idp, authorization: Option<&str>) -> Result<ScimCaller, ScimError> {
    let secret = authorization
        .and_then(tokens::from_authorization)
        .ok_or_else(|| ScimError::unauthorized("Authentication required: send the Provisio token as `Authorization: Bearer <token>`."))?;
    let presented = tokens::hash(secret);
    let now = Utc::now();
    // Tokens read a moment ago let a request in; a refusal is made only on what the database
    // says now, so a token created, renewed or set active by the CLI works at once. A change
    // that refuses a token takes effect at once from the portal, and from the CLI (another
    // process) within `credential_cache::FRESH_FOR`.
    let token = match store::tokens::find_cached(&state.db, idp, &presented).filter(|token| usable(token, now).is_ok()) {
        Some(token) => token,
        None => {
            let token = store::tokens::find(&state.db, idp, &presented)
                .await?
                // Same answer for a wrong token and another IdP's token: nothing to probe.
                .ok_or_else(|| {
                    ScimError::unauthorized(format!("The bearer token is not a valid {} token for this URL.", idp.display_name()))
                })?;
            usable(&token, now)?;
            token
        }
    };
    if token.last_used_at.is_none() || is_past(token.last_used_at.as_deref(), now, LAST_USED_GRANULARITY_SECS) {
        store::tokens::mark_used(&state.db, idp, &token.id).await?;
    }
    Ok(ScimCaller { idp, token_id: token.id })
}

/// Refuses a token that is set inactive or has expired.
fn usable(token: &Credential, now: DateTime<Utc>) -> Result<(), ScimError> {
    if !token.active {
        return Err(ScimError::unauthorized("The bearer token is inactive; set it active in Provisio or use another token."));
    }
    if is_past(token.expires_at.as_deref(), now, 0) {
        return Err(ScimError::unauthorized("The bearer token has expired; renew it in Provisio."));
    }
    Ok(())
}

/// Whether `at` (a stored timestamp) lies more than `slack_secs` before `now`.
fn is_past(at: Option<&str>, now: DateTime<Utc>, slack_secs: i64) -> bool {
    at.and_then(|at| DateTime::parse_from_rfc3339(at).ok()).is_some_and(|at| (now - at.with_timezone(&Utc)).num_seconds() >= slack_secs)
}
