//! Structured logs with `tracing`. Logs go to stderr so that stdout carries only what a
//! command prints for people (a new token, for instance).

use tracing_subscriber::{fmt, EnvFilter};

/// Reads `RUST_LOG` (default: info for Provisio, warnings for the libraries).
pub fn init() {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn,leptos_axum=warn"));
    let _ = fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}
