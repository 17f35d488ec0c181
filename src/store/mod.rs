//! Persistence: SQLite through sqlx, one module per aggregate.
//!
//! Writes go through a single connection (SQLite has one writer anyway; queueing in the pool is
//! cheaper than retrying on `SQLITE_BUSY`), reads through a small read-only pool. Write
//! transactions start with `Db::begin_write`, so another process on the same file (the CLI) makes
//! them wait rather than fail.

pub mod admins;
pub mod audit;
pub mod configurations;
mod fold;
pub mod groups;
pub mod invitations;
pub mod legacy;
pub mod request_log;
pub mod scim;
pub mod scim_filter;
pub mod settings;
pub mod tokens;
pub mod users;

use crate::domain::message::Message;
use chrono::{SecondsFormat, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::{path::Path, str::FromStr, time::Duration};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The database: one writer, several readers.
#[derive(Clone, Debug)]
pub struct Db {
    pub read: SqlitePool,
    pub write: SqlitePool,
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
        .busy_timeout(Duration::from_secs(10))
        .foreign_keys(true);

        // No ping before handing out a connection: a local file cannot have dropped it, and with
        // sqlx each statement is a round trip to the connection's thread (the ping was one more
        // per request, a tenth of a create's time).
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(|conn, _| Box::pin(fold::register(conn)))
            .connect_with(options.clone())
            .await?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .test_before_acquire(false)
            .after_connect(|conn, _| Box::pin(fold::register(conn)))
            .connect_with(options.read_only(true))
            .await?;
        Ok(Db { read, write })
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

/// Now, in the one timestamp format the database holds.
pub fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A moment `wait` from now, in the same format.
pub fn time_after(wait: std::time::Duration) -> String {
    let wait = chrono::Duration::from_std(wait).unwrap_or_else(|_| chrono::Duration::days(1));
    (Utc::now() + wait).to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Turns a unique-constraint violation into a readable conflict; passes other errors on.
pub(crate) fn conflict_on_unique(err: sqlx::Error, message: impl FnOnce() -> Message) -> StoreError {
    match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(message()),
        _ => StoreError::Database(err),
    }
}
