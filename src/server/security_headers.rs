//! Browser defenses on every response, from one layer: a Content-Security-Policy whose inline
//! scripts need this response's nonce, framing refused, no MIME sniffing, no referrer leaving the
//! site, HSTS behind https, and `no-store` on everything but static assets.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use leptos::prelude::{provide_context, use_context};
use rand::RngCore;

/// The nonce this response's inline scripts carry (Leptos' hydration script and its resource
/// data). The layer makes one per request; the page renderer reads it from the request.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

impl CspNonce {
    fn new() -> Self {
        let mut bytes = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        CspNonce(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }
}

/// Hands the layer's nonce to Leptos, whose hydration and resource scripts then carry it. Runs
/// in the render's context, where the request's parts are.
pub fn provide_nonce() {
    let nonce = use_context::<axum::http::request::Parts>().and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(nonce)) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(nonce));
    }
}

/// What the layer needs to know once, at startup.
#[derive(Clone, Copy, Debug)]
pub struct SecurityHeaders {
    /// Whether people reach the server over https: then browsers are told to never use http.
    pub https: bool,
}

/// The policy for one response. Scripts: our own files, inline ones only with the nonce, and
/// WebAssembly compilation (the hydrated portal is WASM). Styles and images: our own files
/// (the favicon is an SVG file; `data:` covers images a stylesheet inlines). Nothing may frame us.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// A year, the value browsers' preload lists ask for.
const HSTS: &str = "max-age=31536000";

pub async fn apply(State(config): State<SecurityHeaders>, mut request: Request, next: Next) -> Response {
    let nonce = CspNonce::new();
    let is_asset = is_static_asset(request.uri().path());
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    set(response.headers_mut(), config, &nonce, is_asset);
    response
}

fn set(headers: &mut HeaderMap, config: SecurityHeaders, nonce: &CspNonce, is_asset: bool) {
    let fixed = |value: &'static str| HeaderValue::from_static(value);
    if let Ok(policy) = HeaderValue::from_str(&content_security_policy(&nonce.0)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, fixed("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, fixed("DENY"));
    // The full URL to ourselves (the CSRF check may read it), only the origin elsewhere: page
    // paths such as /users/{id} name people.
    headers.insert(header::REFERRER_POLICY, fixed("same-origin"));
    if config.https {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, fixed(HSTS));
    }
    // Pages show personal data and server functions return it: no copy in any cache, and the
    // back button after sign-out does not show it again. Assets are public and keep the caching
    // the site gives them (a year for the hashed bundle, minutes for the rest: server/site.rs).
    if !is_asset {
        headers.insert(header::CACHE_CONTROL, fixed("no-store"));
    }
}

/// The built bundle and the icons: the same for everyone, signed in or not.
fn is_static_asset(path: &str) -> bool {
    path.starts_with("/pkg/") || matches!(path, "/favicon.ico" | "/favicon.svg")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_inline_scripts_only_with_the_nonce() {
        let policy = content_security_policy("abc");
        assert!(policy.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval';"), "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
    }

    #[test]
    fn nonces_differ_and_carry_128_bits() {
        let (a, b) = (CspNonce::new(), CspNonce::new());
        assert_ne!(a.0, b.0);
        assert_eq!(a.0.len(), 22);
    }

    #[test]
    fn assets_keep_their_caching_and_pages_are_never_stored() {
        let mut page = HeaderMap::new();
        set(&mut page, SecurityHeaders { https: false }, &CspNonce("n".into()), false);
        assert_eq!(page[header::CACHE_CONTROL], "no-store");
        assert!(!page.contains_key(header::STRICT_TRANSPORT_SECURITY));
        let mut asset = HeaderMap::new();
        set(&mut asset, SecurityHeaders { https: true }, &CspNonce("n".into()), true);
        assert!(!asset.contains_key(header::CACHE_CONTROL));
        assert_eq!(asset[header::STRICT_TRANSPORT_SECURITY], HSTS);
        assert_eq!(asset[header::X_FRAME_OPTIONS], "DENY");
    }
}
