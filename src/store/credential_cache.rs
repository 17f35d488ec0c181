//! The SCIM tokens as bearer authentication last read them, so a request need not read them
//! again: that read was a transaction of its own on every request. A token change made in this
//! process (the portal) forgets them at once; one made from another process on the same file
//! (the CLI) is seen within `FRESH_FOR`.

use super::tokens::Credential;
use crate::domain::idp::Idp;
use crate::sync::lock;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long tokens read from the database are trusted without reading them again.
pub const FRESH_FOR: Duration = Duration::from_secs(1);

#[derive(Clone, Debug, Default)]
pub struct CredentialCache(Arc<Mutex<Cached>>);

#[derive(Debug, Default)]
struct Cached {
    /// Counts the changes forgotten, so a read that began before a change cannot keep what it
    /// read after the change was forgotten.
    generation: u64,
    by_idp: HashMap<Idp, (Instant, Arc<[Credential]>)>,
}

/// Taken before reading the tokens, handed back with what was read (`CredentialCache::keep`).
#[derive(Debug, Clone, Copy)]
pub struct ReadTicket {
    generation: u64,
    started: Instant,
}

impl CredentialCache {
    /// `idp`'s tokens, if read less than `FRESH_FOR` ago.
    pub fn fresh(&self, idp: Idp) -> Option<Arc<[Credential]>> {
        let cached = lock(&self.0);
        let (read_at, credentials) = cached.by_idp.get(&idp)?;
        (read_at.elapsed() < FRESH_FOR).then(|| credentials.clone())
    }

    /// To take just before reading the tokens from the database.
    pub fn ticket(&self) -> ReadTicket {
        ReadTicket { generation: lock(&self.0).generation, started: Instant::now() }
    }

    /// Keeps what a read found, unless a change was forgotten since its ticket was taken.
    pub fn keep(&self, idp: Idp, ticket: ReadTicket, credentials: Arc<[Credential]>) {
        let mut cached = lock(&self.0);
        if cached.generation == ticket.generation {
            cached.by_idp.insert(idp, (ticket.started, credentials));
        }
    }

    /// `idp`'s tokens have changed: the next request reads them.
    pub fn forget(&self, idp: Idp) {
        let mut cached = lock(&self.0);
        cached.generation += 1;
        cached.by_idp.remove(&idp);
    }

    /// Forgets `idp`'s tokens when dropped. Made just before a token change commits, it forgets
    /// the change even when the request that made it is cancelled while the commit completes.
    pub fn forget_when_done(&self, idp: Idp) -> ForgetOnDrop<'_> {
        ForgetOnDrop { cache: self, idp }
    }
}

#[must_use = "it forgets the tokens when dropped"]
pub struct ForgetOnDrop<'a> {
    cache: &'a CredentialCache,
    idp: Idp,
}

impl Drop for ForgetOnDrop<'_> {
    fn drop(&mut self) {
        self.cache.forget(self.idp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(id: &str) -> Arc<[Credential]> {
        Arc::new([Credential { id: id.into(), secret_hash: "h".into(), active: true, last_used_at: None, expires_at: None }])
    }

    #[test]
    fn kept_tokens_are_served_until_forgotten_and_only_for_their_idp() {
        let cache = CredentialCache::default();
        assert!(cache.fresh(Idp::Okta).is_none());
        cache.keep(Idp::Okta, cache.ticket(), token("a"));
        assert_eq!(cache.fresh(Idp::Okta).unwrap()[0].id, "a");
        assert!(cache.fresh(Idp::Entra).is_none());
        cache.forget(Idp::Okta);
        assert!(cache.fresh(Idp::Okta).is_none());
    }

    #[test]
    fn a_read_that_began_before_a_change_is_not_kept() {
        let cache = CredentialCache::default();
        let ticket = cache.ticket();
        cache.forget(Idp::Entra);
        cache.keep(Idp::Entra, ticket, token("revoked"));
        assert!(cache.fresh(Idp::Entra).is_none());
    }

    #[test]
    fn tokens_read_longer_ago_than_fresh_for_are_read_again() {
        let cache = CredentialCache::default();
        let stale = ReadTicket { started: Instant::now().checked_sub(FRESH_FOR).unwrap(), ..cache.ticket() };
        cache.keep(Idp::Okta, stale, token("a"));
        assert!(cache.fresh(Idp::Okta).is_none());
    }
}
