//! Persistence: SQLite through sqlx, one module per aggregate.
//!
//! The SCIM path runs on connections with threads of their own (`threads`): the writer, which
//! writes users, groups and the request log, and the readers. Each runs a whole transaction in
//! one round trip. The portal, the CLI and migrations use sqlx: a small read-only pool and one
//! write connection for their rare writes. Every write transaction starts with `BEGIN
//! IMMEDIATE`, so writers queue for SQLite's lock rather than fail.

pub mod admins;
pub mod audit;
mod busy;
pub mod configurations;
pub mod credential_cache;
mod fold;
pub mod groups;
pub mod invitations;
pub mod legacy;
pub mod request_log;
pub mod scim;
pub mod scim_filter;
pub mod settings;
pub mod threads;
pub mod tokens;
pub mod users;

use crate::domain::message::Message;
use chrono::{SecondsFormat, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::{path::Path, str::FromStr, time::Duration};

/// Reader threads: SCIM reads take microseconds, but a filter that scans every document takes
/// longer, and the others go on meanwhile.
const READERS: usize = 4;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The database: the SCIM path's writer and readers, and sqlx's pools for everything else.
#[derive(Clone, Debug)]
pub struct Db {
    pub read: SqlitePool,
    pub write: SqlitePool,
    pub writer: threads::Writer,
    pub readers: threads::Readers,
    /// The SCIM tokens bearer authentication last read; token changes here forget them.
    pub token_cache: credential_cache::CredentialCache,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Conflict(Message),
    /// What was asked for is not there (any more).
    #[error("{0}")]
    NotFound(Message),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// A failure on a connection thread (see `threads`).
    #[error(transparent)]
    Write(#[from] RunError),
}

/// What can go wrong on a connection thread: SQLite, or the thread itself.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Thread(#[from] threads::ThreadError),
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> StoreError {
        StoreError::Write(err.into())
    }
}

impl From<threads::ThreadError> for StoreError {
    fn from(err: threads::ThreadError) -> StoreError {
        StoreError::Write(err.into())
    }
}

impl Db {
    /// Opens (creating if needed) the database at `location`: a file path, or a `sqlite:` URL.
    pub async fn open(location: &str) -> Result<Db, sqlx::Error> {
        let options = if location.starts_with("sqlite:") {
            SqliteConnectOptions::from_str(location)?
        } else {
            if let Some(parent) = Path::new(location).parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent)?;
                }
            }
            SqliteConnectOptions::new().filename(location)
        }
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // NORMAL in WAL mode never corrupts the file; a power cut may lose the last commits,
        // which the IdPs re-send on their next cycle. FULL would cost an fsync per SCIM write.
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(busy::TIMEOUT)
        .foreign_keys(true)
        // A new file gets 2 KiB pages (an existing one keeps its own). A commit writes each page
        // it changed whole, and a create changes a page at a random spot of each index on a
        // random key (userName, externalId, an email): half the bytes per page, half the bytes
        // written, while a user's row (about 1 KiB) still fits in one page.
        .page_size(2048);

        // No ping before handing out a connection: a local file cannot have dropped it, and with
        // sqlx each statement is a round trip to the connection's thread (the ping was one more
        // per request, a tenth of a create's time).
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(|conn, _| Box::pin(prepare(conn)))
            .connect_with(options.clone())
            .await?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .test_before_acquire(false)
            .after_connect(|conn, _| Box::pin(prepare(conn)))
            .connect_with(options.clone().read_only(true))
            .await?;
        let file = options.get_filename();
        if file == Path::new(":memory:") {
            return Err(sqlx::Error::Configuration("the database must be a file: the connection threads open it too".into()));
        }
        let threads_failed = |err: rusqlite::Error| sqlx::Error::Configuration(err.into());
        let writer = threads::Writer::open(file).map_err(threads_failed)?;
        let at_hand = std::thread::available_parallelism().map_or(2, |cores| cores.get().min(8));
        let readers = threads::Readers::open(file, READERS, at_hand).map_err(threads_failed)?;
        Ok(Db { read, write, writer, readers, token_cache: Default::default() })
    }

    /// Starts a write transaction that takes SQLite's write lock at once (`BEGIN IMMEDIATE`).
    ///
    /// A deferred transaction that reads before it writes fails at its first write with
    /// `SQLITE_BUSY`, without waiting out the busy timeout, when another connection committed in
    /// between: the `provisio` CLI writing to the file the server is using, for one.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.write.begin_with("BEGIN IMMEDIATE").await
    }

    /// Applies the migrations in `migrations/` that this database has not seen yet.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        MIGRATOR.run(&self.write).await
    }

    /// A cheap query that proves the database answers (for `/healthz`).
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.read).await.map(|_| ())
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

/// What every sqlx connection gets: `scim_fold`, and the busy handler the writer thread's
/// connections have too.
async fn prepare(conn: &mut sqlx::SqliteConnection) -> Result<(), sqlx::Error> {
    fold::register(conn).await?;
    busy::install(conn).await
}

/// Now, in the one timestamp format the database holds.
pub fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A moment `wait` from now, in the same format.
pub fn time_after(wait: std::time::Duration) -> String {
    let wait = chrono::Duration::from_std(wait).unwrap_or_else(|_| chrono::Duration::days(1));
    (Utc::now() + wait).to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Whether a write failed on a unique constraint.
pub(crate) fn is_unique_violation(err: &rusqlite::Error) -> bool {
    err.sqlite_error().is_some_and(|e| e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}

/// Turns a unique-constraint violation into a readable conflict; passes other errors on.
pub(crate) fn conflict_on_unique(err: sqlx::Error, message: impl FnOnce() -> Message) -> StoreError {
    match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(message()),
        _ => StoreError::Database(err),
    }
}

#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod tests;
