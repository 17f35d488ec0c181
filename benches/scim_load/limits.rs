//! The physical limits on this machine, for the ratios: the same user rows inserted with sqlx
//! directly in 1000-row transactions (the storage ceiling, through the same driver), and an
//! axum handler answering a fixed user document (the HTTP ceiling, with the same client).

use crate::client::{user, Figures, Scim};
use crate::{process, workload};
use axum::routing::get;
use provisio::domain::idp::Source;
use provisio::domain::scim::user as scim_user;
use provisio::store::{scim as scim_store, Db};
use std::time::Instant;

/// Inserts `count` users as a SCIM create stores them (the users row and its emails); returns
/// the figures and the bytes written per user.
pub async fn write(dir: &std::path::Path, count: usize) -> anyhow::Result<(Figures, f64)> {
    let database = dir.join("limit.db").to_string_lossy().into_owned();
    let db = Db::open(&database).await?;
    db.migrate().await?;
    let inputs: Vec<_> = (0..count).map(|i| scim_user::read(&user(i)).expect("a valid user")).collect();
    let written = process::bytes_written();
    let started = Instant::now();
    for (batch, chunk) in inputs.chunks(1000).enumerate() {
        let mut tx = db.begin_write().await?;
        for (i, input) in chunk.iter().enumerate() {
            scim_store::insert_user(&mut tx, &format!("limit{batch}x{i}"), Source::ScimEntra, input).await?;
        }
        tx.commit().await?;
    }
    let elapsed = started.elapsed();
    db.close().await;
    let per_user = (process::bytes_written() - written) as f64 / count as f64;
    Ok((Figures { operations: count, elapsed, latencies: Vec::new() }, per_user))
}

/// `GET /Users/{id}` answered with `document`, whatever the id.
pub async fn read(document: serde_json::Value, count: usize) -> anyhow::Result<Figures> {
    let body = document.to_string();
    let app = axum::Router::new().route(
        "/Users/{id}",
        get(move || {
            let body = body.clone();
            async move { ([(axum::http::header::CONTENT_TYPE, "application/scim+json")], body) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    let scim = Scim::new(base, "Bearer none".into());
    let id = document["id"].as_str().unwrap_or_default().to_owned();
    Ok(workload::reads(&scim, &[id], count).await)
}
