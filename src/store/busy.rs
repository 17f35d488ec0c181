//! How every connection waits for SQLite's write lock. SQLite's own wait sleeps 1, 2, 5 … up to
//! 100 ms between tries, while the writer thread, when busy, frees the lock only for the
//! microseconds between one group commit and the next: a portal write (or the CLI's) could miss
//! every gap and fail after the whole timeout. Trying every 200 µs finds them.

use libsqlite3_sys as ffi;
use sqlx::SqliteConnection;
use std::ffi::{c_int, c_void};
use std::time::Duration;

/// How long a connection waits for the lock before it gives up with `SQLITE_BUSY` (at least).
pub const TIMEOUT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_micros(200);

/// SQLite's busy callback: after `attempts` tries, wait a moment and try again, or give up.
pub fn wait_and_retry(attempts: i32) -> bool {
    if POLL * attempts.max(0) as u32 >= TIMEOUT {
        return false;
    }
    std::thread::sleep(POLL);
    true
}

/// Installs `wait_and_retry` on a new sqlx connection (replacing sqlx's `busy_timeout`).
pub async fn install(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    // SAFETY: the handle is this connection's, open and held locked for the call; `retry` has
    // the signature SQLite expects and uses no argument.
    let code = unsafe { ffi::sqlite3_busy_handler(handle.as_raw_handle().as_ptr(), Some(retry), std::ptr::null_mut()) };
    if code != ffi::SQLITE_OK {
        return Err(sqlx::Error::Protocol(format!("could not install the busy handler: SQLite error {code}")));
    }
    Ok(())
}

unsafe extern "C" fn retry(_: *mut c_void, attempts: c_int) -> c_int {
    c_int::from(wait_and_retry(attempts))
}
