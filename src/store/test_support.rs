//! What the store's unit tests share.

use super::Db;
use rusqlite::Connection;

/// A database file with every migration applied, and a plain connection to it (for query plans).
pub async fn migrated(name: &str) -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    Db::open(path.to_str().unwrap()).await.unwrap().migrate().await.unwrap();
    let conn = Connection::open(&path).unwrap();
    (dir, conn)
}
