//! Where the bytes of a create go: `PROVISIO_BENCH_WAL_BREAKDOWN=1` holds a read snapshot open
//! through the initial sync, so no checkpoint can let the WAL start over and it keeps every
//! frame the commits wrote; then it counts those frames by the table or index their page
//! belongs to (SQLite's `dbstat`). The checkpoints' own copies are not in it.

use rusqlite::Connection;
use std::collections::HashMap;

/// A read transaction on the database that stays open while this lives.
pub struct HeldSnapshot {
    _snapshot: Connection,
}

impl HeldSnapshot {
    pub fn hold(database: &str) -> rusqlite::Result<HeldSnapshot> {
        let conn = Connection::open(database)?;
        conn.execute_batch("BEGIN")?;
        conn.query_row("SELECT COUNT(*) FROM sqlite_schema", [], |_| Ok(()))?;
        Ok(HeldSnapshot { _snapshot: conn })
    }
}

/// The WAL's frames: each one's page number, and how many commits they make up.
struct Frames {
    page_size: usize,
    pages: Vec<u32>,
    commits: usize,
}

fn be32(bytes: &[u8], at: usize) -> u32 {
    u32::from_be_bytes(bytes[at..at + 4].try_into().expect("four bytes"))
}

/// Reads the WAL file: a 32-byte header, then frames of a 24-byte header and a page each; a
/// frame whose header holds the database size ends a commit.
fn frames(wal: &[u8]) -> Frames {
    let page_size = be32(wal, 8) as usize;
    let (mut pages, mut commits) = (Vec::new(), 0);
    let mut at = 32;
    while at + 24 + page_size <= wal.len() {
        pages.push(be32(wal, at));
        commits += usize::from(be32(wal, at + 4) != 0);
        at += 24 + page_size;
    }
    Frames { page_size, pages, commits }
}

/// Prints the WAL's frames per create, by table and index, largest first.
pub fn print_breakdown(database: &str, creates: usize) -> anyhow::Result<()> {
    let wal = frames(&std::fs::read(format!("{database}-wal"))?);
    let conn = Connection::open(database)?;
    let owners: HashMap<u32, String> =
        conn.prepare("SELECT pageno, name FROM dbstat")?.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<Result<_, _>>()?;
    let mut by_owner: HashMap<&str, usize> = HashMap::new();
    for page in &wal.pages {
        *by_owner.entry(owners.get(page).map_or("(free)", String::as_str)).or_default() += 1;
    }
    let mut rows: Vec<_> = by_owner.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let per_create = |frames: usize| frames as f64 / creates as f64;
    let kib = |frames: usize| per_create(frames) * (wal.page_size + 24) as f64 / 1024.0;
    println!(
        "  WAL written by the sync: {:.1} KiB per create; {:.2} commits per create, {:.1} pages ({} bytes) each",
        kib(wal.pages.len()),
        per_create(wal.commits),
        wal.pages.len() as f64 / wal.commits.max(1) as f64,
        wal.page_size
    );
    println!("  {:<36} {:>16} {:>14}", "table or index", "pages per create", "KiB per create");
    // Tables the sync does not write to show a frame or two from setting up.
    for (owner, frames) in rows.into_iter().filter(|&(_, frames)| per_create(frames) >= 0.005) {
        println!("  {owner:<36} {:>16.2} {:>14.2}", per_create(frames), kib(frames));
    }
    Ok(())
}
