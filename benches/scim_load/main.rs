//! Load benchmark of the SCIM endpoint over real HTTP against the real app (release build,
//! SQLite file in a temp dir), side by side with a peer (scim2-server from PyPI, in memory) and
//! the physical limits of this machine. Prints figures; asserts nothing about time.
//!
//!     cargo bench --bench scim_load                              # 100k users, 50k-member group
//!     PROVISIO_BENCH_USERS=20000 cargo bench --bench scim_load
//!     PROVISIO_BENCH_PEER_USERS=0 cargo bench --bench scim_load  # without the peer
//!     PROVISIO_BENCH_RATE_LIMIT=1 cargo bench --bench scim_load     # under the default SCIM rate limits
//!     PROVISIO_BENCH_WAL_BREAKDOWN=1 cargo bench --bench scim_load  # the sync's WAL by table and index, then stop
//!     PROVISIO_BENCH_SHUFFLED=1 cargo bench --bench scim_load       # userNames in no order, as IdPs send them
//!
//! The client runs in this process on the same cores as the server (and as the peer), so
//! every figure pays for its client the same way.

mod client;
mod limits;
mod peer;
mod process;
mod wal;
mod workload;

use client::{ms, Figures, Scim};
use provisio::domain::idp::Idp;
use provisio::server::scim::rate_limit::{Rate, ScimRateLimits};
use provisio::server::{cli, config::ServeConfig, startup::Application};
use secrecy::ExposeSecret;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// One line of the comparison: the operation, Provisio's figures, the peer's and the limit's.
struct Row {
    operation: &'static str,
    provisio: f64,
    peer: Option<f64>,
    limit: Option<f64>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let users = setting("PROVISIO_BENCH_USERS", 100_000);
    let peer_users = setting("PROVISIO_BENCH_PEER_USERS", 5_000.min(users));
    let lookups = 20_000.min(users * 2);
    let dir = tempfile::tempdir()?;
    let database = dir.path().join("bench.db").to_string_lossy().into_owned();
    let mut config = ServeConfig::local(database.clone(), dir.path().join("site"));
    // It measures what the server can do: one token at 8 connections reads past the default
    // per-token brake (10,000/s), which no real IdP comes near.
    if std::env::var("PROVISIO_BENCH_RATE_LIMIT").as_deref() != Ok("1") {
        config.scim_rate_limits = ScimRateLimits { per_token: Rate::OFF, per_idp: Rate::OFF };
    }
    let app = Application::build(config).await?;
    let public_url = url::Url::parse(&format!("http://{}", app.local_addr()))?;
    let base = format!("{public_url}scim/v2/entra");
    tokio::spawn(app.run_until_stopped());
    let token = cli::create_token(&database, Idp::Entra, &public_url).await?;
    let scim = Scim::new(base, format!("Bearer {}", token.secret.expose_secret()));
    println!("Provisio: {users} users, {} connections, SQLite at {database}", client::CONNECTIONS);

    let breakdown = std::env::var("PROVISIO_BENCH_WAL_BREAKDOWN").as_deref() == Ok("1");
    let held = if breakdown { Some(wal::HeldSnapshot::hold(&database)?) } else { None };
    let written = process::bytes_written();
    let (sync, mut ids) = workload::sync(&scim, 0, users).await;
    if held.is_some() {
        // With no checkpoint, what follows would measure a WAL that only grows.
        let row_bytes = row_bytes_per_user(&database, users).await?;
        println!(
            "  initial sync, with the WAL kept whole: {:.0} users/s; row data per create: {:.2} KiB",
            sync.per_second(),
            row_bytes / 1024.0
        );
        return wal::print_breakdown(&database, users);
    }
    let per_create = (process::bytes_written() - written) as f64 / users as f64;
    let (rss, peak) = process::memory_mib();
    println!(
        "  initial sync (GET filter + POST per user): {:.0} users/s, {:.1} s; its POSTs {}",
        sync.per_second(),
        sync.elapsed.as_secs_f64(),
        sync.summary()
    );
    println!(
        "  written to storage per create (request log included): {:.1} KiB; memory after the sync: {rss:.0} MiB (peak {peak:.0} MiB)",
        per_create / 1024.0
    );
    let row_bytes = row_bytes_per_user(&database, users).await?;
    println!(
        "  row data per create (users, user_emails and scim_requests rows): {:.2} KiB; written / row data = {:.1}x",
        row_bytes / 1024.0,
        per_create / row_bytes
    );
    let creates = workload::creates(&scim, users, (users / 5).max(1)).await;
    println!("  POST /Users: {}", creates.summary());
    let reads = workload::reads(&scim, &ids, lookups).await;
    println!("  GET /Users/{{id}}: {}", reads.summary());
    let found = workload::lookups(&scim, users, lookups).await;
    println!("  GET /Users?filter=userName eq: {}", found.summary());
    let import = workload::import(&scim, users).await;
    println!(
        "  Okta-style import, GET /Users by startIndex, 100 a page: {:.1} s for all; {}",
        import.elapsed.as_secs_f64(),
        import.summary()
    );
    ids.truncate(users / 2 + 200);
    let (add, remove) = workload::group_members(&scim, &ids).await;
    println!(
        "  group member add at {} members: p50 {} p99 {}; remove: p50 {} p99 {}",
        ids.len() - 200,
        ms(add.percentile(50.0)),
        ms(add.percentile(99.0)),
        ms(remove.percentile(50.0)),
        ms(remove.percentile(99.0))
    );
    println!(
        "  database with its WAL: {:.1} MiB ({:.1} MiB per 100k users, request log included)",
        process::database_bytes(&database) as f64 / 1048576.0,
        process::database_bytes(&database) as f64 / 1048576.0 * 100_000.0 / (users + users / 5) as f64
    );
    let sample = scim.get(&format!("/Users/{}", ids[0])).await;

    let peer = if peer_users > 0 { run_peer(peer_users).await } else { None };

    println!("Physical limits on this machine:");
    let (insert, limit_written) = limits::write(dir.path(), users).await?;
    println!(
        "  users inserted by the writer thread in 1000-row transactions: {:.0}/s; {:.1} KiB written per user",
        insert.per_second(),
        limit_written / 1024.0
    );
    let engine = limits::engine_write(dir.path(), users).await?;
    println!(
        "  SQLite itself (users rows, 100 per INSERT statement): {:.0}/s; a statement per user (and its emails) costs {:.1}x",
        engine.per_second(),
        engine.per_second() / insert.per_second()
    );
    let fixed = limits::read(sample, lookups).await?;
    println!("  axum answering a fixed user document: {}", fixed.summary());

    let rows = [
        Row {
            operation: "initial sync, users/s",
            provisio: sync.per_second(),
            peer: peer.as_ref().map(|p| p.0.per_second()),
            limit: Some(insert.per_second()),
        },
        Row {
            operation: "POST /Users, per s",
            provisio: creates.per_second(),
            peer: peer.as_ref().map(|p| p.1.per_second()),
            limit: Some(insert.per_second()),
        },
        Row {
            operation: "GET /Users/{id}, per s",
            provisio: reads.per_second(),
            peer: peer.as_ref().map(|p| p.2.per_second()),
            limit: Some(fixed.per_second()),
        },
        Row {
            operation: "filter userName eq, per s",
            provisio: found.per_second(),
            peer: peer.as_ref().map(|p| p.3.per_second()),
            limit: Some(fixed.per_second()),
        },
    ];
    println!("\n{:<28}{:>10}{:>10}{:>10}{:>12}{:>12}", "operation", "Provisio", "peer", "limit", "vs peer", "vs limit");
    for row in rows {
        let cell = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{v:.0}"));
        let ratio = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{:.2}x", row.provisio / v));
        println!(
            "{:<28}{:>10.0}{:>10}{:>10}{:>12}{:>12}",
            row.operation,
            row.provisio,
            cell(row.peer),
            cell(row.limit),
            ratio(row.peer),
            ratio(row.limit)
        );
    }
    Ok(())
}

/// The same workload against scim2-server: (sync, creates, reads, lookups).
async fn run_peer(users: usize) -> Option<(Figures, Figures, Figures, Figures)> {
    println!("Peer: scim2-server (PyPI, in memory, no durability), {users} users");
    let peer = peer::start()?;
    let scim = Scim::new(peer.base.clone(), format!("Bearer {}", peer::TOKEN));
    let (sync, ids) = workload::sync(&scim, 0, users).await;
    println!("  initial sync: {:.0} users/s; its POSTs {}", sync.per_second(), sync.summary());
    let creates = workload::creates(&scim, users, (users / 5).max(1)).await;
    println!("  POST /Users: {}", creates.summary());
    let reads = workload::reads(&scim, &ids, users).await;
    println!("  GET /Users/{{id}}: {}", reads.summary());
    let found = workload::lookups(&scim, users, users).await;
    println!("  GET /Users?filter=userName eq: {}", found.summary());
    Some((sync, creates, reads, found))
}

/// The bytes of the rows one create leaves: the users and user_emails rows and the two
/// request-log rows (lookup and POST), from the column lengths.
async fn row_bytes_per_user(database: &str, users: usize) -> anyhow::Result<f64> {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{database}?mode=ro")).await?;
    let mut total = 0i64;
    for table in ["users", "user_emails", "scim_requests"] {
        let columns: Vec<(String,)> = sqlx::query_as(&format!("SELECT name FROM pragma_table_info('{table}')")).fetch_all(&pool).await?;
        let lengths: Vec<String> = columns.iter().map(|(c,)| format!("ifnull(length(\"{c}\"), 0)")).collect();
        let sum: Option<i64> = sqlx::query_scalar(&format!("SELECT sum({}) FROM {table}", lengths.join(" + "))).fetch_one(&pool).await?;
        total += sum.unwrap_or(0);
    }
    pool.close().await;
    Ok(total as f64 / users as f64)
}
