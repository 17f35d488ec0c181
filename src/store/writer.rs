//! The writer: the one connection that writes users, groups and the request log, on a thread of
//! its own. A write transaction is a closure that runs there whole, so it costs one round trip
//! between threads however many statements it runs.
//!
//! Why not sqlx for these: sqlx-sqlite runs each statement as a round trip to its connection's
//! thread, and on a 2-core VM a round trip is ~80 µs (a wake-up on the other core). A SCIM create
//! was eight of them, one after another on the single writer, which capped creates near 1,500/s
//! while SQLite itself needed a tenth of that time (`cargo bench --bench scim_load`). Here the
//! same transaction is one round trip. Reads, migrations and the portal's rare writes stay on
//! sqlx; the portal's writes meet this thread's through SQLite's lock, as the CLI's do.

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;
use tokio::sync::oneshot;

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// Where write transactions are sent. Cheap to clone; the thread ends when the last clone goes.
#[derive(Clone, Debug)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

/// The writer could not run a transaction at all.
#[derive(Debug, thiserror::Error)]
pub enum WriterError {
    #[error("the database writer has stopped")]
    Stopped,
    #[error("a write transaction panicked and was rolled back")]
    Panicked,
}

impl Writer {
    /// Opens the writer's connection to the database file at `path` (which must exist: sqlx
    /// creates it), with the settings every connection has (see `Db::open`).
    pub fn open(path: &Path, busy_timeout: Duration) -> rusqlite::Result<Writer> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(busy_timeout)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.set_prepared_statement_cache_capacity(64);
        super::fold::register_on(&conn)?;
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("provisio-writer".into())
            .spawn(move || {
                for job in queue {
                    job(&mut conn);
                }
            })
            .map_err(|err| rusqlite::Error::ToSqlConversionFailure(err.into()))?;
        Ok(Writer { jobs })
    }

    /// Runs `work` in one `BEGIN IMMEDIATE` transaction on the writer's thread: committed when it
    /// returns `Ok`, rolled back when it returns `Err` or panics. The work runs to its end even if
    /// the caller stops waiting, so an acknowledged write and its log entry are never half done.
    pub async fn transaction<T, E>(&self, work: impl FnOnce(&Connection) -> Result<T, E> + Send + 'static) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<rusqlite::Error> + From<WriterError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            let _ = reply.send(run(conn, work));
        });
        self.jobs.send(job).map_err(|_| WriterError::Stopped)?;
        answer.await.map_err(|_| WriterError::Stopped)?
    }
}

fn run<T, E>(conn: &mut Connection, work: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E>
where
    E: From<rusqlite::Error> + From<WriterError>,
{
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    match catch_unwind(AssertUnwindSafe(|| work(&tx))) {
        Ok(Ok(value)) => {
            tx.commit()?;
            Ok(value)
        }
        // Dropping the transaction rolls it back.
        Ok(Err(err)) => Err(err),
        Err(_) => Err(WriterError::Panicked.into()),
    }
}

#[cfg(test)]
#[path = "writer_tests.rs"]
mod tests;
