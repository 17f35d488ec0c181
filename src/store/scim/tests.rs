//! The SCIM reads' query plans: the scope must never drive a plan (nearly every row passes it).

use super::{ListQuery, Listing, USER_COLUMNS, USER_SCOPE};
use crate::domain::idp::Idp;
use crate::domain::scim::{list::Page, schema::ResourceKind};
use crate::store::test_support::migrated;
use rusqlite::{params_from_iter, Connection};

fn plan(conn: &Connection, sql: &str, params: &[rusqlite::types::Value]) -> String {
    let mut statement = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    let rows = statement.query_map(params_from_iter(params), |row| row.get::<_, String>(3)).unwrap();
    rows.map(Result::unwrap).collect::<Vec<_>>().join("; ")
}

fn opcodes(conn: &Connection, sql: &str, params: &[rusqlite::types::Value]) -> Vec<String> {
    let mut statement = conn.prepare(&format!("EXPLAIN {sql}")).unwrap();
    let rows = statement.query_map(params_from_iter(params), |row| row.get::<_, String>(1)).unwrap();
    rows.map(Result::unwrap).collect()
}

#[tokio::test]
async fn an_unfiltered_page_walks_creation_order_and_its_count_reads_the_covering_index() {
    let (_dir, conn) = migrated("plans.db").await;
    let listing = Listing { filter: None, sort: None, page: Page { start_index: 1, count: 100 }, after: None };
    let query = ListQuery::compile(ResourceKind::User, Idp::Entra, listing).unwrap();
    let (select, params) = query.select.as_ref().unwrap();
    let page_plan = plan(&conn, select, params);
    // Through the source index, every page sorted all of an IdP's users (134 ms at 49k).
    assert!(page_plan.contains("users_created") && !page_plan.contains("TEMP B-TREE"), "{page_plan}");
    let (count, params) = &query.count;
    let count_plan = plan(&conn, count, params);
    assert!(count_plan.contains("COVERING INDEX users_source"), "{count_plan}");
}

#[tokio::test]
async fn a_lookup_by_id_builds_no_temporary_table_for_the_scope() {
    let (_dir, conn) = migrated("plans.db").await;
    let sql = format!("SELECT {USER_COLUMNS} FROM users r WHERE r.id = ? AND {USER_SCOPE}");
    let params = ["some-id", "scim_entra"].map(|text| rusqlite::types::Value::Text(text.into()));
    assert!(plan(&conn, &sql, &params).contains("(id=?)"));
    assert!(!opcodes(&conn, &sql, &params).iter().any(|op| op == "OpenEphemeral"), "the scope's IN list built a table");
}
