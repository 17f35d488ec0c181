//! Checkpoints on a thread of their own. SQLite's automatic checkpoint runs inside the COMMIT
//! that crosses its threshold, on the writer's thread: every write queued behind that commit,
//! and every caller of its group, waited for the copy into the database file and its fsync (a
//! sixth of the writer's time under a create storm, `perf`). Here the writer only nudges the
//! checkpointer, whose passive checkpoint runs beside the next commits.

use libsqlite3_sys as ffi;
use rusqlite::Connection;
use std::ffi::{c_char, c_int, c_void};

/// WAL bytes after which a checkpoint is due. SQLite's default is 1000 pages: the further apart
/// checkpoints are, the more often a page the creates keep changing (a table's or an index's
/// last pages) is copied once for many commits. And while the WAL cannot start over, every
/// commit past this point nudges the checkpointer again, each copying those same pages (the
/// checkpointer wrote 5.9 KiB per create at 8 MiB, 4.3 KiB at 32 MiB: `cargo bench --bench
/// scim_load`, 100k users).
const DUE_BYTES: i64 = 32 << 20;
/// The WAL file is cut back to this after a checkpoint lets it start over, so a burst of writes
/// does not leave it at its largest for good. About what a create storm writes between two
/// checkpoints: a WAL cut shorter is grown again block by block, and at 8 MiB the file
/// system's block and page-cache allocations took a fifth of the writer's time (creates 5.7k ->
/// 6.5k/s, `wrk -c8` on a file with 4 KiB pages; 6.6k -> 7.1k/s in the benchmark's 2 KiB). The
/// cost: the WAL file may stay at up to 64 MiB on disk after a burst.
pub const KEPT_WAL_BYTES: i64 = 2 * DUE_BYTES;
/// WAL bytes after which the writer checkpoints itself, should the checkpointer fall behind
/// (a passive checkpoint cannot reset the WAL while commits keep coming): the WAL stays bounded.
const OVERDUE_BYTES: i64 = 2 * DUE_BYTES;

/// Installed on the writer's connection; replaces SQLite's automatic checkpoint.
pub struct Checkpoints {
    _hook: Box<Hook>,
}

/// What the WAL hook knows: the file's thresholds in frames (pages), and whom to nudge.
struct Hook {
    due: c_int,
    overdue: c_int,
    nudge: flume::Sender<()>,
}

impl Checkpoints {
    /// Starts the checkpointer on `conn` (a connection of its own to the same file) and hooks
    /// `writer` to nudge it. Keep the result alive as long as `writer`.
    pub fn start(writer: &Connection, conn: Connection) -> rusqlite::Result<Checkpoints> {
        let page: i64 = writer.query_row("PRAGMA page_size", [], |row| row.get(0))?;
        let frames = |bytes: i64| c_int::try_from(bytes / page.max(512)).unwrap_or(c_int::MAX);
        let (nudge, nudged) = flume::bounded::<()>(1);
        super::spawn("provisio-checkpoint", move || {
            for () in nudged.iter() {
                // A failed checkpoint is retried at the next nudge; the WAL holds the data.
                let _ = checkpoint(&conn);
            }
        })?;
        let hook = Box::new(Hook { due: frames(DUE_BYTES), overdue: frames(OVERDUE_BYTES), nudge });
        // SAFETY: the hook's argument points into `hook`'s box, which lives as long as the
        // returned value, and the caller keeps that as long as the writer's connection.
        unsafe {
            ffi::sqlite3_wal_hook(writer.handle(), Some(on_commit), std::ptr::from_ref(&*hook).cast_mut().cast());
        }
        Ok(Checkpoints { _hook: hook })
    }
}

fn checkpoint(conn: &Connection) -> rusqlite::Result<()> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
}

/// SQLite's WAL hook: runs on the writer's thread after each commit, with the WAL's length.
unsafe extern "C" fn on_commit(hook: *mut c_void, db: *mut ffi::sqlite3, name: *const c_char, frames: c_int) -> c_int {
    // SAFETY: see `Checkpoints::start`.
    let hook = unsafe { &*hook.cast::<Hook>() };
    if frames >= hook.overdue {
        // SAFETY: `db` and `name` are what SQLite passed for this commit.
        unsafe { ffi::sqlite3_wal_checkpoint_v2(db, name, ffi::SQLITE_CHECKPOINT_PASSIVE, std::ptr::null_mut(), std::ptr::null_mut()) };
    } else if frames >= hook.due {
        // A nudge already waiting is enough.
        let _ = hook.nudge.try_send(());
    }
    ffi::SQLITE_OK
}
