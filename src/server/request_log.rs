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
/// At most this many entries per transaction: one commit, and one trip to the writer, for all.
const BATCH: usize = 512;
/// How long a batch waits for more entries once one has come. The writer thread makes a commit
/// cheap to start, so without it a stream of reads became a stream of commits of one or two
/// entries each, which cost the reads a fifth of their rate (`cargo bench --bench scim_load`).
const GATHER: Duration = Duration::from_millis(10);
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
                gather(&mut entries, &mut batch).await;
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

/// Adds what else arrives within `GATHER`, up to a full batch.
async fn gather(entries: &mut mpsc::Receiver<NewScimRequest>, batch: &mut Vec<NewScimRequest>) {
    let deadline = tokio::time::Instant::now() + GATHER;
    while batch.len() < BATCH {
        match tokio::time::timeout_at(deadline, entries.recv_many(batch, BATCH - batch.len())).await {
            Ok(received) if received > 0 => {}
            // Time is up, or the queue has closed.
            _ => break,
        }
    }
}

async fn write(db: &Db, batch: &mut Vec<NewScimRequest>) {
    let entries = batch.len();
    if let Err(err) = request_log::insert_all(db, std::mem::take(batch)).await {
        tracing::error!(error = %err, entries, "could not write request log entries");
    }
}
