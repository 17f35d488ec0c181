//! How fast the portal's Users and User Groups lists answer at 100k users: the store queries
//! behind each page, on a real SQLite file. Users are written straight into the tables (the
//! SCIM path is `scim_load`'s job). Prints figures; asserts nothing about time.
//!
//!     cargo bench --bench portal_lists
//!     PROVISIO_BENCH_USERS=20000 cargo bench --bench portal_lists

use provisio::domain::idp::Source;
use provisio::models::{UserFilter, UserSort, UserStatus};
use provisio::store::{self, Db};
use std::time::{Duration, Instant};

const RUNS: usize = 20;
const PAGE: i64 = 50;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let users: usize = std::env::var("PROVISIO_BENCH_USERS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let db = Db::open(&dir.path().join("bench.db").to_string_lossy()).await?;
    db.migrate().await?;
    fill(&db, users).await?;
    println!("portal lists over {users} users (median and worst of {RUNS} runs)");

    let filter = |text: Option<&str>, source: Option<Source>, status: Option<UserStatus>, sort: UserSort| UserFilter {
        text: text.map(str::to_owned),
        source,
        status,
        sort,
    };
    let cases = [
        ("first page, by user name", filter(None, None, None, UserSort::UserName), 0),
        ("last page, by user name", filter(None, None, None, UserSort::UserName), users as i64 - PAGE),
        ("first page, newest first", filter(None, None, None, UserSort::Newest), 0),
        ("first page, by display name", filter(None, None, None, UserSort::DisplayName), 0),
        ("source SCIM Okta", filter(None, Some(Source::ScimOkta), None, UserSort::UserName), 0),
        ("status Suspended", filter(None, None, Some(UserStatus::Suspended), UserSort::UserName), 0),
        ("search \"user4242\"", filter(Some("user4242"), None, None, UserSort::UserName), 0),
        ("search \"example\" (every user)", filter(Some("example"), None, None, UserSort::UserName), 0),
    ];
    for (name, filter, offset) in cases {
        let times = time(|| async { store::users::list(&db, &filter, offset, PAGE).await.map(|_| ()) }).await?;
        report(name, &times);
    }
    let times = time(|| async { store::groups::list(&db, None, 0, PAGE).await.map(|_| ()) }).await?;
    report("groups, first page with member counts", &times);
    let times = time(|| async { store::groups::members(&db, "big", 0, PAGE).await.map(|_| ()) }).await?;
    report("a 50k-member group's first page of members", &times);
    Ok(())
}

/// `users` users (every tenth suspended, sources in turn) and a group holding half of them.
async fn fill(db: &Db, users: usize) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let sources = ["scim_entra", "scim_okta", "local", "legacy_entra"];
    for n in 0..users {
        let name = format!("user{n}@example.com");
        sqlx::query(
            "INSERT INTO users (id, user_name, user_name_key, display_name, display_name_key, email, active, source, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
        )
        .bind(format!("u{n}"))
        .bind(&name)
        .bind(&name)
        .bind(format!("User {n}"))
        .bind(format!("user {n}"))
        .bind(&name)
        .bind(n % 10 != 0)
        .bind(sources[n % sources.len()])
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("INSERT INTO groups (id, display_name, display_name_key, source, created_at, updated_at) VALUES ('big', 'Big', 'big', 'scim_entra', '', '')")
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO group_members (group_id, user_id, added_at) SELECT 'big', id, '' FROM users WHERE rowid % 2 = 0")
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

async fn time<F, Fut>(run: F) -> Result<Vec<Duration>, sqlx::Error>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<(), sqlx::Error>>,
{
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        run().await?;
        times.push(start.elapsed());
    }
    times.sort();
    Ok(times)
}

fn report(name: &str, times: &[Duration]) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("  {name:<45} median {:>7.2} ms   worst {:>7.2} ms", ms(times[times.len() / 2]), ms(times[times.len() - 1]));
}
