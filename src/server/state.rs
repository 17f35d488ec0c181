//! What every handler and server function can reach.

use crate::server::auth::SessionPolicy;
use crate::server::request_log::RequestLog;
use crate::server::scim::rate_limit::RateLimiter;
use crate::server::sign_in_throttle::SignInThrottle;
use crate::server::site::Site;
use crate::store::Db;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use secrecy::{ExposeSecret, SecretString};
use std::sync::{Arc, Mutex};

/// Shared by every request: a clone is one reference count (cloning the fields themselves,
/// `LeptosOptions` above all, was 4% of a GET's time, since axum clones the state per request).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub db: Db,
    pub public_url: url::Url,
    pub setup: SetupGate,
    pub leptos_options: LeptosOptions,
    pub request_log: RequestLog,
    /// Whether invitations can go out (`--smtp-host` is set).
    pub mail_configured: bool,
    pub sign_in_throttle: Arc<SignInThrottle>,
    pub scim_rate_limiter: RateLimiter,
    pub session_policy: SessionPolicy,
    /// The portal's static files.
    pub site: Site,
}

impl AppState {
    pub fn new(shared: Shared) -> AppState {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl AppState {
    /// Whether cookies must be `Secure`: when people reach us over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }
}

/// The one-time code that guards the first-run setup page. It exists only while there is no
/// administrator, is printed to the server log at start, and is spent by the first setup.
#[derive(Clone, Default)]
pub struct SetupGate(Arc<Mutex<Option<SecretString>>>);

impl SetupGate {
    /// A fresh code, e.g. `K7QM-2XRP-9HTD` (no 0/O or 1/I to misread from a log).
    pub fn open() -> (SetupGate, String) {
        use rand::{rngs::OsRng, Rng};
        const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let chars: Vec<char> = (0..12).map(|_| ALPHABET[OsRng.gen_range(0..ALPHABET.len())] as char).collect();
        let code = chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-");
        (SetupGate(Arc::new(Mutex::new(Some(code.clone().into())))), code)
    }

    pub fn closed() -> SetupGate {
        SetupGate::default()
    }

    pub fn is_open(&self) -> bool {
        self.0.lock().map(|code| code.is_some()).unwrap_or(false)
    }

    /// Whether `attempt` is the code (constant time, case and dash insensitive).
    pub fn check(&self, attempt: &str) -> bool {
        use subtle::ConstantTimeEq;
        let Ok(code) = self.0.lock() else { return false };
        let Some(code) = code.as_ref() else { return false };
        let normalise = |s: &str| s.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_uppercase();
        normalise(attempt).as_bytes().ct_eq(normalise(code.expose_secret()).as_bytes()).into()
    }

    /// Spends the code: setup is over.
    pub fn close(&self) {
        if let Ok(mut code) = self.0.lock() {
            *code = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setup_code_is_checked_leniently_and_spent_once() {
        let (gate, code) = SetupGate::open();
        assert_eq!(code.len(), 14);
        assert!(gate.check(&code));
        assert!(gate.check(&code.to_lowercase().replace('-', " ")));
        assert!(!gate.check("AAAA-BBBB-CCCC"));
        assert!(!gate.check(""));
        gate.close();
        assert!(!gate.is_open());
        assert!(!gate.check(&code));
    }
}
