//! Admin password hashing with argon2 (PHC strings, random salts). Hashing is slow on purpose,
//! so it runs on the blocking pool, away from the async workers.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// A hash of a password nobody has, verified when the username is unknown so that a wrong
/// username takes as long as a wrong password and gives nothing away.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$5pJ1Zc3Yq8+0ZlRjuwHB+sHE7G4pGrWn5NtPyNtgTxo";

pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| anyhow::anyhow!("could not hash the password: {e}"))
    })
    .await?
}

/// Checks `password` against `stored` (or against a dummy hash when there is no such admin).
pub async fn verify(password: String, stored: Option<String>) -> bool {
    let matched = tokio::task::spawn_blocking(move || {
        let stored_hash = stored.as_deref().unwrap_or(DUMMY_HASH);
        let Ok(parsed) = PasswordHash::new(stored_hash) else {
            return false;
        };
        Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok() && stored.is_some()
    })
    .await;
    matched.unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_password() {
        let hashed = hash("correct horse battery".into()).await.unwrap();
        assert!(hashed.starts_with("$argon2id$"));
        assert!(verify("correct horse battery".into(), Some(hashed.clone())).await);
        assert!(!verify("wrong horse battery".into(), Some(hashed)).await);
    }

    #[tokio::test]
    async fn an_unknown_admin_never_verifies() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok(), "the dummy hash must parse to cost real work");
        assert!(!verify("anything".into(), None).await);
    }
}
