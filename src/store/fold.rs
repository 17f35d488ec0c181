//! `scim_fold(text)`: SQLite's own `lower()` folds ASCII only, so a filter on a value kept in the
//! stored document (`title eq "ÉCOLE"`) would miss what Rust's Unicode folding, used for the
//! indexed `*_key` columns and by the in-memory evaluator, finds. Every connection gets this
//! function, which folds exactly as [`crate::store::scim_filter::fold`] does.

use libsqlite3_sys as ffi;
use sqlx::SqliteConnection;
use std::ffi::{c_char, c_int};

/// The SQL name of the function.
pub const FOLD: &str = "scim_fold";

/// Registers `scim_fold` on a new sqlx connection.
pub async fn register(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    // SAFETY: the handle is this connection's, open and held locked for the call.
    let code = unsafe { register_raw(handle.as_raw_handle().as_ptr()) };
    if code != ffi::SQLITE_OK {
        return Err(sqlx::Error::Protocol(format!("could not register {FOLD}: SQLite error {code}")));
    }
    Ok(())
}

/// Registers `scim_fold` on the writer's connection.
pub fn register_on(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    // SAFETY: the handle is `conn`'s, open for as long as `conn` is borrowed here.
    let code = unsafe { register_raw(conn.handle()) };
    if code != ffi::SQLITE_OK {
        return Err(rusqlite::Error::SqliteFailure(ffi::Error::new(code), Some(format!("could not register {FOLD}"))));
    }
    Ok(())
}

/// # Safety
/// `db` must be an open connection handle that no other thread uses during the call.
unsafe fn register_raw(db: *mut ffi::sqlite3) -> c_int {
    // SAFETY (per the caller): `db` is open; the name is a NUL-terminated literal and `fold`
    // matches SQLite's scalar function signature.
    unsafe {
        ffi::sqlite3_create_function_v2(
            db,
            c"scim_fold".as_ptr(),
            1,
            ffi::SQLITE_UTF8 | ffi::SQLITE_DETERMINISTIC | ffi::SQLITE_INNOCUOUS,
            std::ptr::null_mut(),
            Some(fold),
            None,
            None,
            None,
        )
    }
}

/// Text comes back folded; any other value (NULL, numbers, blobs) comes back unchanged.
unsafe extern "C" fn fold(ctx: *mut ffi::sqlite3_context, argc: c_int, argv: *mut *mut ffi::sqlite3_value) {
    // SAFETY: SQLite passes `argc` (1, as registered) valid values for the duration of the call;
    // the text pointer is valid for `sqlite3_value_bytes` bytes, and SQLITE_TRANSIENT makes
    // SQLite copy the result before `folded` is dropped.
    unsafe {
        if argc != 1 {
            ffi::sqlite3_result_null(ctx);
            return;
        }
        let value = *argv;
        if ffi::sqlite3_value_type(value) != ffi::SQLITE_TEXT {
            ffi::sqlite3_result_value(ctx, value);
            return;
        }
        let text = ffi::sqlite3_value_text(value);
        let len = ffi::sqlite3_value_bytes(value);
        let bytes = if text.is_null() { &[][..] } else { std::slice::from_raw_parts(text, len as usize) };
        let folded = String::from_utf8_lossy(bytes).to_lowercase();
        ffi::sqlite3_result_text(ctx, folded.as_ptr().cast::<c_char>(), folded.len() as c_int, ffi::SQLITE_TRANSIENT());
    }
}
