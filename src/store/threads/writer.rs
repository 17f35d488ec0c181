//! The one connection that writes, on its thread, committing in groups: the writes that queued
//! while the last commit ran, and those that come while the group runs, share one transaction,
//! each inside a savepoint of its own, and each caller is answered once that commit is done. A
//! commit writes every page it dirtied to the WAL in full, so eight creates in one commit write
//! the shared pages (the table's last leaf, the request log's) once instead of eight times.

use super::checkpoint::{self, Checkpoints};
use super::{connect, run, spawn, ThreadError};
use rusqlite::{Connection, OpenFlags};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use tokio::sync::oneshot;

/// At most this many writes share a commit, so none waits long for the others.
const MAX_GROUP: usize = 64;

/// Where write transactions are sent. Cheap to clone; the thread ends with the last clone.
#[derive(Clone, Debug)]
pub struct Writer {
    jobs: flume::Sender<Box<dyn Job>>,
}

impl Writer {
    /// Opens the writer's connection to the database file at `path` (which must exist: sqlx
    /// creates it), with the settings every connection has (see `Db::open`).
    pub fn open(path: &Path) -> rusqlite::Result<Writer> {
        let conn = connect(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "journal_size_limit", checkpoint::KEPT_WAL_BYTES)?;
        let checkpoints = Checkpoints::start(&conn, connect(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?)?;
        let (jobs, queue) = flume::unbounded();
        spawn("provisio-writer", move || {
            write_until_closed(&conn, &queue);
            // The hook points into `checkpoints`: the connection goes first.
            drop(conn);
            drop(checkpoints);
        })?;
        Ok(Writer { jobs })
    }

    /// Runs `work` in a `BEGIN IMMEDIATE` transaction on the writer's thread, inside a savepoint
    /// of its own: kept when it returns `Ok` and answered once committed; undone when it returns
    /// `Err` or panics, without touching the other writes of its group. The work runs to its end
    /// even if the caller stops waiting, so an acknowledged write and its log entry are never
    /// half done.
    pub async fn transaction<T, E>(&self, work: impl FnOnce(&Connection) -> Result<T, E> + Send + 'static) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<rusqlite::Error> + From<ThreadError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job = Pending { work: Some(work), done: None, reply: Some(reply) };
        self.jobs.send(Box::new(job)).map_err(|_| ThreadError::Stopped)?;
        answer.await.map_err(|_| ThreadError::Stopped)?
    }
}

/// One write of a group.
trait Job: Send {
    /// Runs the write in its savepoint. `true`: it is kept and waits for the commit; `false`: it
    /// was undone and its caller answered.
    fn run(&mut self, conn: &Connection) -> bool;
    /// Answers the caller of a kept write once the group's commit is done, or has failed.
    fn finish(self: Box<Self>, committed: Result<(), String>);
}

struct Pending<F, T, E> {
    work: Option<F>,
    done: Option<T>,
    reply: Option<oneshot::Sender<Result<T, E>>>,
}

impl<F, T, E> Job for Pending<F, T, E>
where
    F: FnOnce(&Connection) -> Result<T, E> + Send,
    T: Send,
    E: From<rusqlite::Error> + From<ThreadError> + Send,
{
    fn run(&mut self, conn: &Connection) -> bool {
        let work = self.work.take().expect("a write runs once");
        let outcome = run(conn, "SAVEPOINT provisio_write")
            .map_err(E::from)
            .and_then(|()| catch_unwind(AssertUnwindSafe(|| work(conn))).unwrap_or_else(|_| Err(ThreadError::Panicked.into())));
        match outcome.and_then(|value| run(conn, "RELEASE provisio_write").map(|()| value).map_err(E::from)) {
            Ok(value) => {
                self.done = Some(value);
                true
            }
            Err(err) => {
                // Undo this write alone. If SQLite already rolled the whole transaction back
                // (a full disk), there is no savepoint left: `write_group` sees that. If the
                // undo itself fails, the whole transaction goes, lest this write commit.
                if conn.execute_batch("ROLLBACK TO provisio_write; RELEASE provisio_write").is_err() {
                    let _ = conn.execute_batch("ROLLBACK");
                }
                self.answer(Err(err));
                false
            }
        }
    }

    fn finish(mut self: Box<Self>, committed: Result<(), String>) {
        let answer = match committed {
            Ok(()) => Ok(self.done.take().expect("a kept write has its value")),
            Err(why) => Err(ThreadError::NotCommitted(why).into()),
        };
        self.answer(answer);
    }
}

impl<F, T, E> Pending<F, T, E> {
    fn answer(&mut self, answer: Result<T, E>) {
        if let Some(reply) = self.reply.take() {
            // The caller may have stopped waiting; the write stands all the same.
            let _ = reply.send(answer);
        }
    }
}

fn write_until_closed(conn: &Connection, queue: &flume::Receiver<Box<dyn Job>>) {
    while let Ok(first) = queue.recv() {
        write_group(conn, first, queue);
    }
}

/// Runs `first`, and the writes that queue up while this group runs, in one transaction, then
/// answers each. Taking the late-comers into the open transaction rather than the next one
/// costs them no wait and the commit fewer pages: a commit writes each page it changed whole,
/// and the last pages of every table and index are changed by every write of a group.
fn write_group(conn: &Connection, first: Box<dyn Job>, queue: &flume::Receiver<Box<dyn Job>>) {
    if !conn.is_autocommit() {
        // A transaction a failed COMMIT and ROLLBACK left open would refuse every BEGIN.
        let _ = conn.execute_batch("ROLLBACK");
    }
    if let Err(err) = run(conn, "BEGIN IMMEDIATE") {
        // The writes queued behind it would each wait out the same lock: refuse them with it.
        fail(std::iter::once(first).chain(queue.try_iter().take(MAX_GROUP - 1)), &err.to_string());
        return;
    }
    let mut kept = Vec::new();
    let mut taken = 0;
    let mut next = Some(first);
    while let Some(mut job) = next {
        taken += 1;
        let keep = job.run(conn);
        if conn.is_autocommit() {
            // SQLite ended the transaction itself (a full disk): nothing of this group stands.
            // The writes still queued get a transaction of their own.
            let why = "SQLite rolled the transaction back";
            if keep {
                job.finish(Err(why.into()));
            }
            fail(kept.into_iter(), why);
            return;
        }
        if keep {
            kept.push(job);
        }
        next = if taken < MAX_GROUP { queue.try_recv().ok() } else { None };
    }
    match run(conn, "COMMIT") {
        Ok(()) => kept.into_iter().for_each(|job| job.finish(Ok(()))),
        Err(err) => {
            let _ = conn.execute_batch("ROLLBACK");
            fail(kept.into_iter(), &err.to_string());
        }
    }
}

fn fail(jobs: impl Iterator<Item = Box<dyn Job>>, why: &str) {
    jobs.for_each(|job| job.finish(Err(why.to_owned())));
}
