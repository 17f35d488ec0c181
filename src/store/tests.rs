use super::Db;

async fn page_size(db: &Db) -> i64 {
    sqlx::query_scalar("PRAGMA page_size").fetch_one(&db.read).await.unwrap()
}

#[tokio::test]
async fn a_new_database_gets_small_pages_and_an_existing_one_keeps_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("fresh.db");
    let db = Db::open(fresh.to_str().unwrap()).await.unwrap();
    db.migrate().await.unwrap();
    assert_eq!(page_size(&db).await, 2048);

    // A file made before, with SQLite's default pages, opens and migrates as it is.
    let older = dir.path().join("older.db");
    rusqlite::Connection::open(&older).unwrap().execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (v)").unwrap();
    let db = Db::open(older.to_str().unwrap()).await.unwrap();
    db.migrate().await.unwrap();
    assert_eq!(page_size(&db).await, 4096);
}
