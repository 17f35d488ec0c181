//! Checkpoints on a thread of their own. SQLite's automatic checkpoint runs inside the COMMIT
//! that crosses its threshold, on the writer's thread: every write queued behind that commit,
//! and every caller of its group, waited for the copy into the database file and its fsync (a
//! sixth of the writer's time under a create storm, `perf`). Here the writer only nudges the
//! checkpointer, whose passive checkpoint runs beside the next commits.

use libsqlite3_sys as ffi;
use rusqlite::Connection;
use std::ffi::{c_char, c_int, c_void};

/// WAL frames (pages) after which a checkpoint is due: 8 MiB with 2 KiB pages. SQLite's
/// default is 1000: the further apart checkpoints are, the more often a page the creates keep
/// changing (a table's or an index's last page) is copied once for many commits.
const DUE: c_int = 4000;
/// The WAL file is cut back to this after a checkpoint lets it start over, so a burst of writes
/// does not leave it at its largest for good. About what a create storm writes between two
/// checkpoints (`OVERDUE` frames: 32 MiB with 2 KiB pages, 63 MiB with 4 KiB ones): a WAL cut
/// shorter is grown again block by block, and at 8 MiB the file system's block and page-cache
/// allocations took a fifth of the writer's time (creates 5.7k -> 6.5k/s, `wrk -c8` on a file
/// with 4 KiB pages; 6.6k -> 7.1k/s in the benchmark's 2 KiB). The cost: the WAL file may stay
/// at up to 64 MiB on disk after a burst.
pub const KEPT_WAL_BYTES: i64 = 64 << 20;
/// WAL frames after which the writer checkpoints itself, should the checkpointer fall behind
/// (a passive checkpoint cannot reset the WAL while commits keep coming): the WAL stays bounded.
const OVERDUE: c_int = 4 * DUE;

/// Installed on the writer's connection; replaces SQLite's automatic checkpoint.
pub struct Checkpoints {
    _nudge: Box<flume::Sender<()>>,
}

impl Checkpoints {
    /// Starts the checkpointer on `conn` (a connection of its own to the same file) and hooks
    /// `writer` to nudge it. Keep the result alive as long as `writer`.
    pub fn start(writer: &Connection, conn: Connection) -> rusqlite::Result<Checkpoints> {
        let (nudge, nudged) = flume::bounded::<()>(1);
        super::spawn("provisio-checkpoint", move || {
            for () in nudged.iter() {
                // A failed checkpoint is retried at the next nudge; the WAL holds the data.
                let _ = checkpoint(&conn);
            }
        })?;
        let nudge = Box::new(nudge);
        // SAFETY: the hook's argument points into `nudge`'s box, which lives as long as the
        // returned value, and the caller keeps that as long as the writer's connection.
        unsafe {
            ffi::sqlite3_wal_hook(writer.handle(), Some(on_commit), std::ptr::from_ref(&*nudge).cast_mut().cast());
        }
        Ok(Checkpoints { _nudge: nudge })
    }
}

fn checkpoint(conn: &Connection) -> rusqlite::Result<()> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
}

/// SQLite's WAL hook: runs on the writer's thread after each commit, with the WAL's length.
unsafe extern "C" fn on_commit(nudge: *mut c_void, db: *mut ffi::sqlite3, name: *const c_char, frames: c_int) -> c_int {
    if frames >= OVERDUE {
        // SAFETY: `db` and `name` are what SQLite passed for this commit.
        unsafe { ffi::sqlite3_wal_checkpoint_v2(db, name, ffi::SQLITE_CHECKPOINT_PASSIVE, std::ptr::null_mut(), std::ptr::null_mut()) };
    } else if frames >= DUE {
        // SAFETY: see `Checkpoints::start`. A nudge already waiting is enough.
        let nudge = unsafe { &*nudge.cast::<flume::Sender<()>>() };
        let _ = nudge.try_send(());
    }
    ffi::SQLITE_OK
}
