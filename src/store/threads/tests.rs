use super::{ThreadError, Writer};
use rusqlite::Connection;
use std::time::Duration;

#[derive(Debug)]
enum Failure {
    Sqlite(rusqlite::Error),
    Writer(ThreadError),
    Refused,
}

impl From<rusqlite::Error> for Failure {
    fn from(err: rusqlite::Error) -> Self {
        Failure::Sqlite(err)
    }
}

impl From<ThreadError> for Failure {
    fn from(err: ThreadError) -> Self {
        Failure::Writer(err)
    }
}

/// A database file with one table, the writer on it, and a second connection to look with.
fn setup() -> (tempfile::TempDir, Writer, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let reader = Connection::open(&path).unwrap();
    reader.execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (v INTEGER)").unwrap();
    let writer = Writer::open(&path).unwrap();
    (dir, writer, reader)
}

fn values(conn: &Connection) -> Vec<i64> {
    conn.prepare("SELECT v FROM t ORDER BY v").unwrap().query_map([], |row| row.get(0)).unwrap().map(Result::unwrap).collect()
}

fn insert(conn: &Connection, v: i64) -> rusqlite::Result<()> {
    conn.execute("INSERT INTO t (v) VALUES (?)", [v]).map(|_| ())
}

/// Sends `work` to the writer from a task of its own, so the test can go on while it waits.
fn spawn_write<T: Send + 'static>(
    writer: &Writer,
    work: impl FnOnce(&Connection) -> Result<T, Failure> + Send + 'static,
) -> tokio::task::JoinHandle<Result<T, Failure>> {
    let writer = writer.clone();
    tokio::spawn(async move { writer.transaction(work).await })
}

#[tokio::test]
async fn a_transaction_that_returns_ok_is_committed_and_its_value_returned() {
    let (_dir, writer, reader) = setup();
    let answer = writer
        .transaction(|conn| {
            insert(conn, 1)?;
            insert(conn, 2)?;
            Ok::<_, Failure>("done")
        })
        .await
        .unwrap();
    assert_eq!(answer, "done");
    assert_eq!(values(&reader), [1, 2]);
}

#[tokio::test]
async fn a_transaction_that_returns_an_error_leaves_nothing_behind() {
    let (_dir, writer, reader) = setup();
    let result = writer
        .transaction(|conn| {
            insert(conn, 1)?;
            Err::<(), _>(Failure::Refused)
        })
        .await;
    assert!(matches!(result, Err(Failure::Refused)));
    assert_eq!(values(&reader), Vec::<i64>::new());
}

#[tokio::test]
async fn a_panic_is_rolled_back_and_the_writer_goes_on() {
    let (_dir, writer, reader) = setup();
    let result = writer
        .transaction(|conn| -> Result<(), Failure> {
            insert(conn, 1)?;
            panic!("a bug in a write");
        })
        .await;
    assert!(matches!(result, Err(Failure::Writer(ThreadError::Panicked))), "{result:?}");
    writer.transaction(|conn| insert(conn, 2).map_err(Failure::from)).await.unwrap();
    assert_eq!(values(&reader), [2]);
}

#[tokio::test]
async fn a_write_whose_caller_stops_waiting_still_lands_whole() {
    let (_dir, writer, reader) = setup();
    let write = writer.transaction(|conn| {
        insert(conn, 1)?;
        std::thread::sleep(Duration::from_millis(50));
        insert(conn, 2).map_err(Failure::from)
    });
    // The caller gives up at once (a client that hung up); the work was already sent.
    let _ = tokio::time::timeout(Duration::from_millis(1), write).await;
    writer.transaction(|conn| insert(conn, 3).map_err(Failure::from)).await.unwrap();
    assert_eq!(values(&reader), [1, 2, 3]);
}

#[tokio::test]
async fn a_bad_statement_is_an_error_not_a_panic() {
    let (_dir, writer, reader) = setup();
    let result = writer.transaction(|conn| conn.execute("INSERT INTO missing VALUES (1)", []).map_err(Failure::from)).await;
    assert!(matches!(&result, Err(Failure::Sqlite(err)) if err.to_string().contains("no such table")), "{result:?}");
    writer.transaction(|conn| insert(conn, 4).map_err(Failure::from)).await.unwrap();
    assert_eq!(values(&reader), [4]);
}

#[tokio::test]
async fn writes_that_share_a_commit_stand_or_fall_alone() {
    let (_dir, writer, reader) = setup();
    // A slow write first, so the others queue behind it and share the next commit.
    let slow = spawn_write(&writer, |conn| {
        std::thread::sleep(Duration::from_millis(100));
        insert(conn, 0).map_err(Failure::from)
    });
    tokio::time::sleep(Duration::from_millis(20)).await;
    let others: Vec<_> = (1..=20)
        .map(|v| {
            spawn_write(&writer, move |conn| {
                insert(conn, v)?;
                match v % 4 {
                    1 => Err(Failure::Refused),
                    2 => panic!("a bug in write {v}"),
                    _ => Ok(v),
                }
            })
        })
        .collect();
    slow.await.unwrap().unwrap();
    for (v, outcome) in (1..=20).zip(others) {
        let outcome = outcome.await.unwrap();
        match v % 4 {
            1 => assert!(matches!(outcome, Err(Failure::Refused)), "{v}: {outcome:?}"),
            2 => assert!(matches!(outcome, Err(Failure::Writer(ThreadError::Panicked))), "{v}: {outcome:?}"),
            _ => assert_eq!(outcome.unwrap(), v),
        }
    }
    let kept: Vec<i64> = (0..=20).filter(|v| v % 4 == 0 || v % 4 == 3).collect();
    assert_eq!(values(&reader), kept);
}

/// A write sent while a group runs joins that group's transaction instead of waiting for the
/// next commit: another connection does not see the first write yet when the second one runs.
#[tokio::test]
async fn a_write_that_comes_while_a_group_runs_joins_its_commit() {
    let (dir, writer, reader) = setup();
    let path = dir.path().join("w.db");
    let (started, running) = tokio::sync::oneshot::channel();
    let (go_on, wait) = std::sync::mpsc::channel::<()>();
    let first = spawn_write(&writer, move |conn| {
        insert(conn, 1)?;
        started.send(()).unwrap();
        wait.recv_timeout(Duration::from_secs(5)).unwrap();
        Ok(())
    });
    running.await.unwrap();
    let second = spawn_write(&writer, move |conn| {
        insert(conn, 2)?;
        let elsewhere = Connection::open(&path)?;
        Ok(values(&elsewhere))
    });
    // The second write is queued (sent on its task's first poll) before the first one ends.
    tokio::time::sleep(Duration::from_millis(50)).await;
    go_on.send(()).unwrap();
    first.await.unwrap().unwrap();
    let seen_elsewhere = second.await.unwrap().unwrap();
    assert_eq!(seen_elsewhere, Vec::<i64>::new(), "the first write was committed on its own");
    assert_eq!(values(&reader), [1, 2]);
}

/// A portal write (sqlx) during a storm of SCIM writes (the writer thread) gets SQLite's lock in
/// one of the short gaps between group commits, rather than failing after the busy timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portal_write_gets_in_during_a_storm_of_scim_writes() {
    let dir = tempfile::tempdir().unwrap();
    let db = crate::store::Db::open(dir.path().join("storm.db").to_str().unwrap()).await.unwrap();
    sqlx::query("CREATE TABLE t (v INTEGER)").execute(&db.write).await.unwrap();
    let storming = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let storm: Vec<_> = (0..8)
        .map(|_| {
            let (writer, storming) = (db.writer.clone(), storming.clone());
            tokio::spawn(async move {
                while storming.load(std::sync::atomic::Ordering::Relaxed) {
                    // Each write holds the lock a while: the writer is never idle.
                    writer
                        .transaction(|conn| {
                            std::thread::sleep(Duration::from_millis(1));
                            insert(conn, 1).map_err(Failure::from)
                        })
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = std::time::Instant::now();
    for v in 0..5 {
        let mut tx = db.begin_write().await.unwrap();
        sqlx::query("INSERT INTO t (v) VALUES (?)").bind(1000 + v).execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
    }
    // A liveness bound, not a speed target: with SQLite's own busy wait these five took 11.6 s
    // (it sleeps up to 100 ms between tries and misses the gaps); here they take milliseconds.
    let waited = started.elapsed();
    storming.store(false, std::sync::atomic::Ordering::Relaxed);
    assert!(waited < Duration::from_secs(4), "five portal writes waited {waited:?} for the lock");
    for writer in storm {
        writer.await.unwrap();
    }
    let portal: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM t WHERE v >= 1000").fetch_one(&db.read).await.unwrap();
    assert_eq!(portal, 5);
}

#[tokio::test]
async fn the_checkpointer_copies_the_wal_into_the_database_file() {
    let (dir, writer, reader) = setup();
    reader.execute_batch("CREATE TABLE b (x BLOB)").unwrap();
    let file = dir.path().join("w.db");
    let size = || std::fs::metadata(&file).unwrap().len();
    let before = size();
    // About 44 MB through the WAL: past the point where a checkpoint is due (32 MiB).
    for _ in 0..220 {
        writer
            .transaction(|conn| conn.execute_batch("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) INSERT INTO b SELECT randomblob(4000) FROM n").map_err(Failure::from))
            .await
            .unwrap();
    }
    // The writer's connection no longer checkpoints itself; only the checkpointer can grow the
    // file, and it runs beside the writer, so give it a moment.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while size() < before + 4_000_000 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(size() >= before + 4_000_000, "the database file stayed at {} bytes", size());
}
