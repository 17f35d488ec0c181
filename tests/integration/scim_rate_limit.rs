//! SCIM rate limits: 429 with a SCIM error and an integer Retry-After once a bucket is empty,
//! requests again once it has refilled, a bucket per token and per IdP, and 429s in the log.

use crate::common::{assert_scim_error, Scim, TestApp};
use provisio::domain::idp::Idp;
use provisio::models::{RequestOutcome, ScimRequestFilter};
use provisio::server::scim::rate_limit::{Rate, ScimRateLimits};
use reqwest::header;
use std::time::Duration;

async fn limited(limits: ScimRateLimits) -> Scim {
    Scim::on(TestApp::spawn_with(|config| config.scim_rate_limits = limits).await).await
}

#[tokio::test]
async fn an_emptied_token_bucket_answers_429_with_retry_after_then_refills() {
    let scim = limited(ScimRateLimits { per_token: Rate { per_second: 1, burst: 3 }, per_idp: Rate::OFF }).await;
    for _ in 0..3 {
        assert_eq!(scim.get(Idp::Okta, "/Users?count=1").await.status(), 200);
    }
    let refused = scim.get(Idp::Okta, "/Users?count=1").await;
    let retry_after: u64 = refused.headers()[header::RETRY_AFTER].to_str().unwrap().parse().expect("an integer number of seconds");
    assert!((1..=2).contains(&retry_after), "{retry_after}");
    let body = assert_scim_error(refused, 429).await;
    assert!(body["detail"].as_str().unwrap().contains("retry after"), "{body}");

    // The other IdP's token has a bucket of its own.
    assert_eq!(scim.get(Idp::Entra, "/Users?count=1").await.status(), 200);

    tokio::time::sleep(Duration::from_secs(retry_after) + Duration::from_millis(100)).await;
    assert_eq!(scim.get(Idp::Okta, "/Users?count=1").await.status(), 200, "the bucket has refilled");

    let throttled = ScimRequestFilter { idp: Some(Idp::Okta), outcome: Some(RequestOutcome::Failed), ..Default::default() };
    let entries = scim.logged(&throttled, 1).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].status, 429);
    assert!(entries[0].token_id.is_some(), "the log names the token that was throttled");
}

#[tokio::test]
async fn an_idps_tokens_share_its_bucket() {
    let scim = limited(ScimRateLimits { per_token: Rate::OFF, per_idp: Rate { per_second: 1, burst: 2 } }).await;
    let second = format!("Bearer {}", scim.app.create_token(Idp::Okta).await);
    assert_eq!(scim.get(Idp::Okta, "/Users?count=1").await.status(), 200);
    assert_eq!(scim.app.scim_get(Idp::Okta, "/Users?count=1", Some(&second)).await.status(), 200);
    let refused = scim.app.scim_get(Idp::Okta, "/Users?count=1", Some(&second)).await;
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key(header::RETRY_AFTER));
    assert_eq!(scim.get(Idp::Entra, "/Users?count=1").await.status(), 200, "Entra is not held up by Okta");
}

#[tokio::test]
async fn an_unknown_token_is_refused_before_it_can_use_a_bucket() {
    let scim = limited(ScimRateLimits { per_token: Rate { per_second: 1, burst: 1 }, per_idp: Rate { per_second: 1, burst: 1 } }).await;
    for _ in 0..3 {
        assert_eq!(scim.app.scim_get(Idp::Okta, "/Users", Some("Bearer prv_wrong")).await.status(), 401);
    }
    assert_eq!(scim.get(Idp::Okta, "/Users?count=1").await.status(), 200, "guessing cannot starve the real client");
}
