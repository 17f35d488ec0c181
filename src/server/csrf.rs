//! Cross-site request forgery: a state-changing portal request (every server function, so
//! sign-in, sign-out and setup too) is refused with 403 unless the browser says it comes from
//! the portal's own origin, the public URL's. The session cookie's SameSite=Strict is the
//! second line, not the only one (a sibling subdomain is "same-site", and old browsers ignore it).

use crate::api::AppError;
use crate::msg;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::sync::Arc;

/// The one origin state-changing requests may come from, e.g. `https://provisio.example.com`.
#[derive(Clone, Debug)]
pub struct PublicOrigin(Arc<str>);

impl PublicOrigin {
    pub fn of(public_url: &url::Url) -> Self {
        PublicOrigin(public_url.origin().ascii_serialization().into())
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Why, for the server log.
    CrossSite(String),
}

/// Decides from what browsers send on their own, which a page on another site cannot forge:
/// 1. reading methods (GET, HEAD, OPTIONS) change nothing and pass;
/// 2. `Origin`, sent by every current browser on every POST, must be ours;
/// 3. without it, `Sec-Fetch-Site` must say `same-origin`;
/// 4. without both, a `Referer` must be on our origin;
/// 5. with none of the three the request did not come from a browser (curl, a script with its
///    own cookie), which cannot be forged from a page: it passes.
pub fn judge(method: &Method, headers: &HeaderMap, ours: &PublicOrigin) -> Verdict {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Verdict::Allowed;
    }
    let text = |name| headers.get(name).map(|value: &header::HeaderValue| value.to_str().unwrap_or("<not text>").trim());
    if let Some(origin) = text(header::ORIGIN) {
        return if *origin == *ours.0 { Verdict::Allowed } else { Verdict::CrossSite(format!("Origin {origin}")) };
    }
    if let Some(site) = text(header::HeaderName::from_static("sec-fetch-site")) {
        return if site == "same-origin" { Verdict::Allowed } else { Verdict::CrossSite(format!("Sec-Fetch-Site {site}")) };
    }
    if let Some(referer) = text(header::REFERER) {
        let origin = url::Url::parse(referer).map(|url| url.origin().ascii_serialization()).unwrap_or_default();
        return if *origin == *ours.0 { Verdict::Allowed } else { Verdict::CrossSite(format!("Referer {referer}")) };
    }
    Verdict::Allowed
}

pub async fn same_origin_only(State(ours): State<PublicOrigin>, request: Request, next: Next) -> Response {
    match judge(request.method(), request.headers(), &ours) {
        Verdict::Allowed => next.run(request).await,
        Verdict::CrossSite(why) => {
            tracing::warn!(method = %request.method(), path = %request.uri().path(), from = %why, "cross-site request refused");
            // The portal reads a server function's error as an AppError, shown in its language.
            let refusal = AppError::Invalid(msg!("messages.cross_site_refused", url = &*ours.0));
            (StatusCode::FORBIDDEN, Json(refusal)).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs.iter().map(|(name, value)| (header::HeaderName::from_static(name), HeaderValue::from_static(value))).collect()
    }

    fn ours() -> PublicOrigin {
        PublicOrigin::of(&url::Url::parse("https://provisio.example.com/").unwrap())
    }

    #[test]
    fn the_public_url_gives_the_origin_browsers_send() {
        assert_eq!(&*ours().0, "https://provisio.example.com");
        assert_eq!(&*PublicOrigin::of(&url::Url::parse("http://127.0.0.1:3000").unwrap()).0, "http://127.0.0.1:3000");
    }

    #[test]
    fn origin_decides_when_present() {
        let post = Method::POST;
        assert_eq!(judge(&post, &headers(&[("origin", "https://provisio.example.com")]), &ours()), Verdict::Allowed);
        for evil in ["https://evil.example", "https://sub.provisio.example.com", "http://provisio.example.com", "null"] {
            let mut h = headers(&[("sec-fetch-site", "same-origin")]);
            h.insert(header::ORIGIN, HeaderValue::from_static(evil));
            assert!(matches!(judge(&post, &h, &ours()), Verdict::CrossSite(_)), "{evil}");
        }
    }

    #[test]
    fn without_origin_fetch_metadata_then_the_referer_decide() {
        let post = Method::POST;
        assert_eq!(judge(&post, &headers(&[("sec-fetch-site", "same-origin")]), &ours()), Verdict::Allowed);
        assert!(matches!(judge(&post, &headers(&[("sec-fetch-site", "same-site")]), &ours()), Verdict::CrossSite(_)));
        assert!(matches!(judge(&post, &headers(&[("sec-fetch-site", "cross-site")]), &ours()), Verdict::CrossSite(_)));
        assert_eq!(judge(&post, &headers(&[("referer", "https://provisio.example.com/users")]), &ours()), Verdict::Allowed);
        assert!(matches!(judge(&post, &headers(&[("referer", "https://evil.example/x")]), &ours()), Verdict::CrossSite(_)));
        assert!(matches!(judge(&post, &headers(&[("referer", "not a url")]), &ours()), Verdict::CrossSite(_)));
    }

    #[test]
    fn reads_pass_and_so_do_clients_that_are_not_browsers() {
        assert_eq!(judge(&Method::GET, &headers(&[("origin", "https://evil.example")]), &ours()), Verdict::Allowed);
        assert_eq!(judge(&Method::POST, &HeaderMap::new(), &ours()), Verdict::Allowed);
        assert!(matches!(judge(&Method::DELETE, &headers(&[("origin", "https://evil.example")]), &ours()), Verdict::CrossSite(_)));
    }
}
