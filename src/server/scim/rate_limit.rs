//! SCIM rate limits: a token bucket per bearer token and one per IdP (GCRA, from `governor`),
//! so one misbehaving client cannot take the whole write path. A refusal is 429 with a SCIM
//! error body and an integer `Retry-After`, the form Okta honours exactly (anything else makes
//! it wait five minutes) and Entra retries. It passes through the request log like any answer.

use super::auth::ScimCaller;
use crate::domain::scim::ScimError;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::num::NonZeroU32;
use std::sync::Arc;

/// A sustained rate and the burst above it that a full bucket allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Requests per second; 0 turns the limit off.
    pub per_second: u32,
    /// Requests a full bucket lets through at once; at least 1.
    pub burst: u32,
}

impl Rate {
    pub const OFF: Rate = Rate { per_second: 0, burst: 0 };

    fn quota(self) -> Option<Quota> {
        let per_second = NonZeroU32::new(self.per_second)?;
        Some(Quota::per_second(per_second).allow_burst(NonZeroU32::new(self.burst).unwrap_or(per_second)))
    }
}

/// The limits `serve` is given (`--scim-rate-per-token` and friends).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScimRateLimits {
    pub per_token: Rate,
    pub per_idp: Rate,
}

/// The defaults are a runaway-client brake, not a throttle on real IdPs: Entra asks a server to
/// take at least 25 requests/s per tenant, Okta's bursts are undocumented, and a 429 too many
/// can tip an Entra job into quarantine (a sync a day). One token may do 10,000 requests/s (the
/// write path itself peaks near 2,000 POSTs/s on two cores) with a full second of burst; an IdP's
/// two tokens together get twice that, so rotating tokens never halves a sync.
impl Default for ScimRateLimits {
    fn default() -> Self {
        ScimRateLimits { per_token: Rate { per_second: 10_000, burst: 10_000 }, per_idp: Rate { per_second: 20_000, burst: 20_000 } }
    }
}

/// The buckets, shared by every request. Cheap to clone.
#[derive(Clone)]
pub struct RateLimiter(Arc<Buckets>);

struct Buckets {
    per_token: Option<DefaultKeyedRateLimiter<String>>,
    per_idp: Option<DefaultKeyedRateLimiter<&'static str>>,
    clock: DefaultClock,
}

impl RateLimiter {
    pub fn new(limits: ScimRateLimits) -> Self {
        RateLimiter(Arc::new(Buckets {
            per_token: limits.per_token.quota().map(DefaultKeyedRateLimiter::keyed),
            per_idp: limits.per_idp.quota().map(DefaultKeyedRateLimiter::keyed),
            clock: DefaultClock::default(),
        }))
    }

    /// `Err(seconds to wait)` when the caller's token or its IdP is over its rate.
    pub fn check(&self, caller: &ScimCaller) -> Result<(), u64> {
        let buckets = &self.0;
        let wait = |not_until: governor::NotUntil<_>| not_until.wait_time_from(buckets.clock.now()).as_secs_f64().ceil().max(1.0) as u64;
        if let Some(limiter) = &buckets.per_token {
            limiter.check_key(&caller.token_id).map_err(wait)?;
        }
        if let Some(limiter) = &buckets.per_idp {
            limiter.check_key(&caller.idp.slug()).map_err(wait)?;
        }
        Ok(())
    }
}

/// Runs after authentication (it needs the token) and inside the journal (a 429 is logged).
pub async fn limit(State(limiter): State<RateLimiter>, request: Request, next: Next) -> Response {
    let Some(caller) = request.extensions().get::<ScimCaller>() else {
        return next.run(request).await;
    };
    match limiter.check(caller) {
        Ok(()) => next.run(request).await,
        Err(seconds) => {
            tracing::warn!(idp = %caller.idp.slug(), token = %caller.token_id, retry_after = seconds, "SCIM rate limit reached");
            let detail = format!(
                "Too many requests for this {} token: retry after {seconds} s. Provisio's limits are set with --scim-rate-per-token and --scim-rate-per-idp.",
                caller.idp.display_name()
            );
            let mut response = ScimError::new(429, None, detail).into_response();
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::idp::Idp;

    fn caller(idp: Idp, token: &str) -> ScimCaller {
        ScimCaller { idp, token_id: token.to_owned() }
    }

    #[test]
    fn a_token_gets_its_burst_then_waits_a_whole_number_of_seconds() {
        let limiter = RateLimiter::new(ScimRateLimits { per_token: Rate { per_second: 1, burst: 3 }, per_idp: Rate::OFF });
        let ann = caller(Idp::Entra, "a");
        for _ in 0..3 {
            assert_eq!(limiter.check(&ann), Ok(()));
        }
        assert_eq!(limiter.check(&ann), Err(1));
        // Another token has its own bucket.
        assert_eq!(limiter.check(&caller(Idp::Entra, "b")), Ok(()));
    }

    #[test]
    fn an_idp_bucket_is_shared_by_its_tokens_only() {
        let limiter = RateLimiter::new(ScimRateLimits { per_token: Rate::OFF, per_idp: Rate { per_second: 1, burst: 2 } });
        assert_eq!(limiter.check(&caller(Idp::Okta, "a")), Ok(()));
        assert_eq!(limiter.check(&caller(Idp::Okta, "b")), Ok(()));
        assert!(limiter.check(&caller(Idp::Okta, "a")).is_err());
        assert_eq!(limiter.check(&caller(Idp::Entra, "c")), Ok(()));
    }

    #[test]
    fn zero_turns_a_limit_off() {
        let limiter = RateLimiter::new(ScimRateLimits { per_token: Rate::OFF, per_idp: Rate::OFF });
        for _ in 0..10_000 {
            assert_eq!(limiter.check(&caller(Idp::Okta, "a")), Ok(()));
        }
    }
}
