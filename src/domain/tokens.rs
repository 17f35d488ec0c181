//! SCIM bearer tokens: their format, how they are hashed (T6) and the two-per-IdP rule (T2).

use crate::domain::message::Message;
use crate::msg;
use chrono::{DateTime, NaiveDate, Utc};
use rand::{distributions::Alphanumeric, rngs::OsRng, Rng};
use secrecy::SecretString;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Every secret starts with this, so a leaked one is easy to recognise and scan for.
pub const PREFIX: &str = "prv_";
/// 40 alphanumeric characters: about 238 bits of entropy.
const RANDOM_LEN: usize = 40;
/// Two tokens per IdP let an admin rotate without downtime (T2).
pub const MAX_PER_IDP: usize = super::idp::MAX_TOKENS_PER_IDP;

/// A freshly generated secret. Only `hash` and `hint` are ever stored.
pub struct NewSecret {
    pub secret: SecretString,
    pub hash: String,
    /// The last four characters, so an admin can tell two tokens apart.
    pub hint: String,
}

pub fn generate() -> NewSecret {
    let random: String = OsRng.sample_iter(&Alphanumeric).take(RANDOM_LEN).map(char::from).collect();
    let secret = format!("{PREFIX}{random}");
    NewSecret { hash: hash(&secret), hint: secret[secret.len() - 4..].to_owned(), secret: secret.into() }
}

/// SHA-256, hex encoded. Secrets are long and random, so a fast hash is the right one.
pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Constant-time comparison of two hashes (T6).
pub fn hashes_match(presented: &str, stored: &str) -> bool {
    presented.as_bytes().ct_eq(stored.as_bytes()).into()
}

/// The secret in an `Authorization` header. Entra sends `Bearer <token>`; Okta's header-auth
/// templates send whatever the admin typed, with or without the prefix.
pub fn from_authorization(value: &str) -> Option<&str> {
    let value = value.trim();
    let secret = match value.split_once(char::is_whitespace) {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim_start(),
        _ if value.eq_ignore_ascii_case("bearer") => "",
        _ => value,
    };
    (!secret.is_empty()).then_some(secret)
}

/// The lifetimes Generate and Renew offer, as the portal's select and the CLI's `--expires`
/// spell them; a date (`YYYY-MM-DD`) is the fourth choice.
pub const NEVER: &str = "never";
pub const DAYS_90: &str = "90d";
pub const ONE_YEAR: &str = "1y";

/// When a secret made `now` with `lifetime` stops working: `None` for never. A date means
/// the start of that day, UTC, and must lie ahead.
pub fn expiry(lifetime: &str, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, Message> {
    match lifetime.trim() {
        "" | NEVER => Ok(None),
        DAYS_90 => Ok(Some(now + chrono::Duration::days(90))),
        ONE_YEAR => Ok(Some(now + chrono::Duration::days(365))),
        date => {
            let day = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| msg!("messages.token_lifetime_invalid", value = date))?;
            let at = day.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc();
            if at <= now {
                return Err(msg!("messages.token_expiry_past", date = date));
            }
            Ok(Some(at))
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{idp} already has {MAX_PER_IDP} tokens, the most it can have. Delete one before you generate another.")]
pub struct TooManyTokens {
    pub idp: &'static str,
}

/// T2: refuse a third token for one IdP.
pub fn check_room(idp: super::idp::Idp, existing: usize) -> Result<(), TooManyTokens> {
    if existing >= MAX_PER_IDP {
        Err(TooManyTokens { idp: idp.display_name() })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::idp::Idp;
    use secrecy::ExposeSecret;

    #[test]
    fn generated_secrets_are_prefixed_random_and_hashed() {
        let a = generate();
        let b = generate();
        let secret = a.secret.expose_secret();
        assert!(secret.starts_with(PREFIX));
        assert_eq!(secret.len(), PREFIX.len() + RANDOM_LEN);
        assert_ne!(secret, b.secret.expose_secret());
        assert_eq!(a.hash, hash(secret));
        assert_eq!(a.hash.len(), 64);
        assert!(secret.ends_with(&a.hint));
        assert!(!a.hash.contains(&secret[PREFIX.len()..]));
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let new = generate();
        let printed = format!("{:?}", new.secret);
        assert!(!printed.contains(PREFIX), "{printed}");
    }

    #[test]
    fn hashes_compare_exactly() {
        assert!(hashes_match(&hash("prv_a"), &hash("prv_a")));
        assert!(!hashes_match(&hash("prv_a"), &hash("prv_b")));
        assert!(!hashes_match("", &hash("prv_b")));
    }

    #[test]
    fn authorization_header_with_or_without_bearer() {
        assert_eq!(from_authorization("Bearer prv_x"), Some("prv_x"));
        assert_eq!(from_authorization("bearer   prv_x "), Some("prv_x"));
        assert_eq!(from_authorization("prv_x"), Some("prv_x"));
        assert_eq!(from_authorization("Bearer "), None);
        assert_eq!(from_authorization(""), None);
    }

    #[test]
    fn lifetimes_are_never_90_days_a_year_or_a_date_ahead() {
        let now = DateTime::parse_from_rfc3339("2026-11-28T10:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(expiry("never", now), Ok(None));
        assert_eq!(expiry("", now), Ok(None));
        assert_eq!(expiry("90d", now).unwrap().unwrap().to_rfc3339(), "2027-02-26T10:00:00+00:00");
        assert_eq!(expiry("1y", now).unwrap().unwrap().to_rfc3339(), "2027-11-28T10:00:00+00:00");
        assert_eq!(expiry("2027-01-31", now).unwrap().unwrap().to_rfc3339(), "2027-01-31T00:00:00+00:00");
        assert!(expiry("2026-11-28", now).unwrap_err().to_string().contains("2026-11-28"), "today has begun");
        assert!(expiry("soon", now).is_err());
        assert!(expiry("2027-02-30", now).is_err());
    }

    #[test]
    fn a_third_token_is_refused() {
        assert!(check_room(Idp::Okta, 0).is_ok());
        assert!(check_room(Idp::Okta, 1).is_ok());
        let err = check_room(Idp::Okta, 2).unwrap_err();
        assert!(err.to_string().contains("Okta already has 2 tokens"));
    }
}
