//! Slows down password guessing at the sign-in form. After a few wrong passwords for one
//! username from one address, that pair must wait before trying again, twice as long after
//! each further failure. Argon2 already makes each guess cost; this bounds how many there are.
//!
//! The key is (peer address, username) so that someone guessing from elsewhere cannot lock the
//! admin out. Behind a reverse proxy every peer is the proxy, and the key degrades to the
//! username: still safe, only easier to lock. (`X-Forwarded-For` is not trusted: anyone can
//! send it.)

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Wrong passwords allowed before the first wait.
const FREE_FAILURES: u32 = 5;
const FIRST_WAIT: Duration = Duration::from_secs(30);
const LONGEST_WAIT: Duration = Duration::from_secs(15 * 60);
/// A pair that has not failed for this long starts afresh.
const FORGET_AFTER: Duration = Duration::from_secs(60 * 60);
/// Beyond this many pairs, forgotten ones are swept out, so guessing cannot fill memory.
const SWEEP_ABOVE: usize = 10_000;

type Key = (Option<IpAddr>, String);

#[derive(Default)]
pub struct SignInThrottle {
    failures: Mutex<HashMap<Key, Failures>>,
}

struct Failures {
    count: u32,
    last: Instant,
    wait_until: Option<Instant>,
}

impl SignInThrottle {
    /// `Err(wait)` while this pair must wait before its next attempt.
    pub fn check(&self, peer: Option<IpAddr>, username: &str) -> Result<(), Duration> {
        self.check_at(Instant::now(), peer, username)
    }

    pub fn failed(&self, peer: Option<IpAddr>, username: &str) {
        self.failed_at(Instant::now(), peer, username)
    }

    pub fn succeeded(&self, peer: Option<IpAddr>, username: &str) {
        self.lock().remove(&key(peer, username));
    }

    fn check_at(&self, now: Instant, peer: Option<IpAddr>, username: &str) -> Result<(), Duration> {
        match self.lock().get(&key(peer, username)).and_then(|failures| failures.wait_until) {
            Some(until) if until > now => Err(until - now),
            _ => Ok(()),
        }
    }

    fn failed_at(&self, now: Instant, peer: Option<IpAddr>, username: &str) {
        let mut map = self.lock();
        if map.len() > SWEEP_ABOVE {
            map.retain(|_, failures| now.duration_since(failures.last) < FORGET_AFTER);
        }
        let failures = map.entry(key(peer, username)).or_insert(Failures { count: 0, last: now, wait_until: None });
        if now.duration_since(failures.last) >= FORGET_AFTER {
            failures.count = 0;
        }
        failures.count += 1;
        failures.last = now;
        if let Some(over) = failures.count.checked_sub(FREE_FAILURES) {
            let wait = FIRST_WAIT.saturating_mul(1 << over.min(10)).min(LONGEST_WAIT);
            failures.wait_until = Some(now + wait);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Failures>> {
        crate::sync::lock(&self.failures)
    }
}

/// Usernames compare without case, as sign-in does.
fn key(peer: Option<IpAddr>, username: &str) -> Key {
    (peer, username.trim().to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HERE: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));

    #[test]
    fn a_few_mistakes_are_free_then_each_failure_doubles_the_wait() {
        let throttle = SignInThrottle::default();
        let start = Instant::now();
        for _ in 0..FREE_FAILURES - 1 {
            throttle.failed_at(start, HERE, "ann");
        }
        assert_eq!(throttle.check_at(start, HERE, "ann"), Ok(()));
        throttle.failed_at(start, HERE, "ANN");
        assert_eq!(throttle.check_at(start, HERE, "ann"), Err(FIRST_WAIT), "any case is the same admin");
        assert_eq!(throttle.check_at(start, None, "ann"), Ok(()), "another address is not held up");
        assert_eq!(throttle.check_at(start, HERE, "bob"), Ok(()));

        let later = start + FIRST_WAIT;
        assert_eq!(throttle.check_at(later, HERE, "ann"), Ok(()));
        throttle.failed_at(later, HERE, "ann");
        assert_eq!(throttle.check_at(later, HERE, "ann"), Err(FIRST_WAIT * 2));
        for _ in 0..20 {
            throttle.failed_at(later, HERE, "ann");
        }
        assert_eq!(throttle.check_at(later, HERE, "ann"), Err(LONGEST_WAIT));
    }

    #[test]
    fn success_or_an_hour_without_failures_starts_afresh() {
        let throttle = SignInThrottle::default();
        let start = Instant::now();
        for _ in 0..FREE_FAILURES {
            throttle.failed_at(start, HERE, "ann");
        }
        throttle.succeeded(HERE, "ann");
        assert_eq!(throttle.check_at(start, HERE, "ann"), Ok(()));

        for _ in 0..FREE_FAILURES {
            throttle.failed_at(start, HERE, "bob");
        }
        throttle.failed_at(start + FORGET_AFTER, HERE, "bob");
        assert_eq!(throttle.check_at(start + FORGET_AFTER, HERE, "bob"), Ok(()), "one failure after an hour is the first");
    }
}
