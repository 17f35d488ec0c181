//! Connections on threads of their own: the writer, which writes users, groups and the request
//! log, and the readers, which serve the SCIM reads. A transaction is a closure that runs on one
//! of those threads whole, so it costs one round trip between threads however many statements it
//! runs.
//!
//! Why not sqlx for these: sqlx-sqlite runs each statement as a round trip to its connection's
//! thread, plus a ping when a connection goes back to its pool, and on a 2-core VM a round trip
//! is ~80 µs (a wake-up on the other core). A SCIM create was eight of them, one after another on
//! the single writer, which capped creates near 1,500/s while SQLite itself needed a tenth of
//! that time (`cargo bench --bench scim_load`). The portal, the CLI and migrations stay on sqlx;
//! the portal's rare writes meet the writer's through SQLite's lock, as the CLI's do.

mod checkpoint;
mod writer;

pub use writer::Writer;

use rusqlite::{Connection, OpenFlags};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

type Job = Box<dyn FnOnce(&Connection) + Send>;

/// Read-only connections for the SCIM reads: a thread each, and a few more that a point lookup
/// uses right where it is asked for (see `Readers::lookup`).
#[derive(Clone, Debug)]
pub struct Readers {
    threads: Threads,
    at_hand: Arc<[Mutex<Connection>]>,
}

/// A thread could not run a transaction at all.
#[derive(Debug, thiserror::Error)]
pub enum ThreadError {
    #[error("the database threads have stopped")]
    Stopped,
    #[error("a transaction panicked and was rolled back")]
    Panicked,
    /// The transaction this work was part of did not commit.
    #[error("the write was not committed: {0}")]
    NotCommitted(String),
}

impl Readers {
    /// `threads` connections on threads of their own, and `at_hand` for lookups.
    pub fn open(path: &Path, threads: usize, at_hand: usize) -> rusqlite::Result<Readers> {
        let open = |count| (0..count).map(|_| connect(path, OpenFlags::SQLITE_OPEN_READ_ONLY)).collect::<rusqlite::Result<Vec<_>>>();
        let threads = Threads::spawn("provisio-reader", open(threads)?)?;
        let at_hand = open(at_hand)?.into_iter().map(Mutex::new).collect();
        Ok(Readers { threads, at_hand })
    }

    /// Runs `work`, a lookup by key that takes microseconds, on the caller's own thread when a
    /// connection is free, else as `read` does. Two hops to a reader thread cost more than the
    /// lookup itself: a GET by id was two of them (the token, then the user).
    pub async fn lookup<T, E>(&self, work: impl FnOnce(&Connection) -> Result<T, E> + Send + 'static) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<rusqlite::Error> + From<ThreadError> + Send + 'static,
    {
        for conn in self.at_hand.iter() {
            if let Ok(conn) = conn.try_lock() {
                return in_read_transaction(&conn, work);
            }
        }
        self.read(work).await
    }

    /// Runs `work` in one read transaction, so everything it reads is one snapshot (a page and
    /// its total agree).
    pub async fn read<T, E>(&self, work: impl FnOnce(&Connection) -> Result<T, E> + Send + 'static) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<rusqlite::Error> + From<ThreadError> + Send + 'static,
    {
        self.threads.run(work).await
    }
}

fn connect(path: &Path, flags: OpenFlags) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_handler(Some(super::busy::wait_and_retry))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Each write's savepoint journals the pages it changes; on disk (the default) that journal
    // spilled to a temporary file, opened and closed for every group commit.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.set_prepared_statement_cache_capacity(64);
    super::fold::register_on(&conn)?;
    Ok(conn)
}

/// Threads that each own a connection and take jobs from one queue.
#[derive(Clone, Debug)]
struct Threads {
    jobs: flume::Sender<Job>,
}

impl Threads {
    fn spawn(name: &str, connections: Vec<Connection>) -> rusqlite::Result<Threads> {
        let (jobs, queue) = flume::unbounded::<Job>();
        for conn in connections {
            let queue = queue.clone();
            spawn(name, move || {
                for job in queue.iter() {
                    job(&conn);
                }
            })?;
        }
        Ok(Threads { jobs })
    }

    async fn run<T, E>(&self, work: impl FnOnce(&Connection) -> Result<T, E> + Send + 'static) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<rusqlite::Error> + From<ThreadError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            let _ = reply.send(in_read_transaction(conn, work));
        });
        self.jobs.send(job).map_err(|_| ThreadError::Stopped)?;
        answer.await.map_err(|_| ThreadError::Stopped)?
    }
}

/// Runs `work` in one read transaction: one snapshot however many statements it runs.
fn in_read_transaction<T, E>(conn: &Connection, work: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E>
where
    E: From<rusqlite::Error> + From<ThreadError>,
{
    run(conn, "BEGIN")?;
    let outcome = match catch_unwind(AssertUnwindSafe(|| work(conn))) {
        Ok(outcome) => outcome,
        Err(_) => Err(ThreadError::Panicked.into()),
    };
    // It wrote nothing: ending it only lets go of the snapshot.
    let end = run(conn, "COMMIT");
    if end.is_err() && !conn.is_autocommit() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    let value = outcome?;
    end?;
    Ok(value)
}

/// Starts a named thread, its failure to start reported as the connection's error.
fn spawn(name: &str, body: impl FnOnce() + Send + 'static) -> rusqlite::Result<()> {
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(body)
        .map(drop)
        .map_err(|err| rusqlite::Error::ToSqlConversionFailure(err.into()))
}

/// Runs a statement without rows, prepared once per connection: `execute_batch` parses its SQL
/// every time, and BEGIN and COMMIT run for every request.
fn run(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([]).map(drop)
}

#[cfg(test)]
mod tests;
