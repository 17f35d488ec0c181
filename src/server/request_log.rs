//! The request log's background writer. A change's entry is written in the change's own
//! transaction (see `scim::journal`); reads and refused requests change nothing, so their
//! entries are queued here and written in batches, off the request path. The same task keeps
//! the log within its retention limit.

use crate::store::request_log::{self, NewScimRequest, Retention};
use crate::store::Db;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// Entries waiting to be written; when full, requests wait rather than lose an entry.
const QUEUE: usize = 8192;
/// At most this many entries per transaction, written in one statement (13 binds each, well
/// under SQLite's limit of 32,766).
const BATCH: usize = 512;
const PRUNE_EVERY: Duration = Duration::from_secs(600);

/// Where handlers send entries. Cheap to clone.
#[derive(Clone, Debug)]
pub struct RequestLog {
    queue: mpsc::Sender<NewScimRequest>,
}

/// The running writer; `stop` writes what is queued and ends it.
pub struct RequestLogWriter {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl RequestLog {
    pub fn start(db: Db, retention: Retention) -> (RequestLog, RequestLogWriter) {
        let (queue, entries) = mpsc::channel(QUEUE);
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(write_until_stopped(db, retention, entries, stopped));
        (RequestLog { queue }, RequestLogWriter { stop, task })
    }

    pub async fn record(&self, entry: NewScimRequest) {
        if self.queue.send(entry).await.is_err() {
            tracing::warn!("the request log writer has stopped; an entry was not recorded");
        }
    }
}

impl RequestLogWriter {
    pub async fn stop(self) {
        let _ = self.stop.send(());
        if let Err(err) = self.task.await {
            tracing::error!(error = %err, "the request log writer failed");
        }
    }
}

async fn write_until_stopped(
    db: Db,
    retention: Retention,
    mut entries: mpsc::Receiver<NewScimRequest>,
    mut stopped: oneshot::Receiver<()>,
) {
    let mut prune = tokio::time::interval(PRUNE_EVERY);
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            received = entries.recv_many(&mut batch, BATCH) => {
                if received == 0 {
                    break;
                }
                write(&db, &mut batch).await;
            }
            _ = prune.tick() => match request_log::prune(&db, retention, chrono::Utc::now()).await {
                Ok(0) => {}
                Ok(pruned) => tracing::info!(pruned, "request log pruned"),
                Err(err) => tracing::error!(error = %err, "could not prune the request log"),
            },
        }
    }
    entries.close();
    while entries.recv_many(&mut batch, BATCH).await > 0 {
        write(&db, &mut batch).await;
    }
}

async fn write(db: &Db, batch: &mut Vec<NewScimRequest>) {
    if let Err(err) = request_log::insert_all(db, batch).await {
        tracing::error!(error = %err, entries = batch.len(), "could not write request log entries");
    }
    batch.clear();
}
