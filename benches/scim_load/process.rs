//! What this process costs the machine, from /proc (Linux): bytes written to storage and
//! memory. The server runs inside the bench process, so these are the server's figures plus a
//! small client.

use std::path::Path;

fn field(file: &str, name: &str) -> Option<u64> {
    let text = std::fs::read_to_string(file).ok()?;
    let line = text.lines().find(|line| line.starts_with(name))?;
    line[name.len()..].split_whitespace().next()?.parse().ok()
}

/// Bytes this process caused to be written to storage so far (`write_bytes`).
pub fn bytes_written() -> u64 {
    field("/proc/self/io", "write_bytes:").unwrap_or(0)
}

/// Resident memory now and at its peak, in MiB.
pub fn memory_mib() -> (f64, f64) {
    let kib = |name| field("/proc/self/status", name).unwrap_or(0) as f64 / 1024.0;
    (kib("VmRSS:"), kib("VmHWM:"))
}

/// The size of a SQLite database with its WAL, in bytes.
pub fn database_bytes(path: &str) -> u64 {
    let size = |path: &str| std::fs::metadata(Path::new(path)).map(|m| m.len()).unwrap_or(0);
    size(path) + size(&format!("{path}-wal"))
}
