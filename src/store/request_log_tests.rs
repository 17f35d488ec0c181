//! The request log's queries by resource go through the partial resource index, and its SQL
//! condition is the Rust rule for what the index leaves out.

use super::{list_query, CHANGE_OR_REFUSAL, CONFLICT_RESOLVED};
use crate::domain::request_outcome::is_successful_read;
use crate::models::ScimRequestFilter;
use crate::store::test_support::migrated;
use rusqlite::Connection;

/// The plan's lines, every parameter NULL (values do not change a plan without statistics).
fn plan(conn: &Connection, sql: &str) -> String {
    let mut statement = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    let nulls = vec![rusqlite::types::Null; statement.parameter_count()];
    let rows = statement.query_map(rusqlite::params_from_iter(nulls), |row| row.get::<_, String>(3)).unwrap();
    rows.map(Result::unwrap).collect::<Vec<_>>().join("; ")
}

#[tokio::test]
async fn the_entries_about_a_resource_are_found_through_the_resource_index() {
    let (_dir, conn) = migrated("request-log.db").await;
    let about = ScimRequestFilter { resource_id: Some("some-id".into()), ..Default::default() };
    let page = plan(&conn, list_query(&about, None, 50).sql());
    // Without the partial index's condition word for word, this reads the whole log.
    assert!(page.starts_with("SEARCH r USING INDEX scim_requests_resource"), "{page}");
    // Every page names deleted resources from what the log saw of them.
    let names = plan(&conn, list_query(&ScimRequestFilter::default(), None, 50).sql());
    assert!(names.contains("SEARCH p USING INDEX scim_requests_resource"), "{names}");
    let conflict = plan(&conn, CONFLICT_RESOLVED);
    assert!(conflict.contains("USING INDEX scim_requests_resource"), "{conflict}");
}

#[tokio::test]
async fn the_index_condition_leaves_out_exactly_the_successful_reads() {
    let (_dir, conn) = migrated("request-log.db").await;
    let sql = format!("SELECT {CHANGE_OR_REFUSAL} FROM (SELECT ?1 AS method, ?2 AS status)");
    for method in ["GET", "POST", "PUT", "PATCH", "DELETE", "get"] {
        for status in [200, 201, 204, 304, 399, 400, 401, 404, 409, 429, 500] {
            let indexed: bool = conn.query_row(&sql, rusqlite::params![method, status], |row| row.get(0)).unwrap();
            assert_eq!(indexed, !is_successful_read(method, status), "{method} {status}");
        }
    }
}
