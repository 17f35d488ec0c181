//! The physical limits on this machine, for the ratios: the same user rows inserted by the
//! writer thread in 1000-row transactions (the storage ceiling, through the same code), and an
//! axum handler answering a fixed user document (the HTTP ceiling, with the same client).
//! Beside them, SQLite's own ceiling: the same users rows in multi-row INSERTs, one statement
//! per 100 rows, so the driver's per-statement cost all but vanishes.

use crate::client::{user, Figures, Scim};
use crate::{process, workload};
use axum::routing::get;
use provisio::domain::idp::Source;
use provisio::domain::scim::schema::fold;
use provisio::domain::scim::user as scim_user;
use provisio::store::{scim as scim_store, Db};
use sqlx::QueryBuilder;
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
        let chunk = chunk.to_vec();
        db.writer
            .transaction(move |conn| {
                for (i, input) in chunk.iter().enumerate() {
                    scim_store::insert_user(conn, &format!("limit{batch}x{i}"), Source::ScimEntra, input)?;
                }
                Ok::<_, provisio::store::RunError>(())
            })
            .await?;
    }
    let elapsed = started.elapsed();
    db.close().await;
    let per_user = (process::bytes_written() - written) as f64 / count as f64;
    Ok((Figures { operations: count, elapsed, latencies: Vec::new() }, per_user))
}

/// The users rows of `count` creates, 100 to a statement and 1000 to a transaction: what SQLite
/// itself does on this machine, nearly free of the driver's round trips.
pub async fn engine_write(dir: &std::path::Path, count: usize) -> anyhow::Result<Figures> {
    let db = Db::open(&dir.join("engine.db").to_string_lossy()).await?;
    db.migrate().await?;
    let inputs: Vec<_> = (0..count).map(|i| scim_user::read(&user(i)).expect("a valid user")).collect();
    let now = provisio::store::now();
    let started = Instant::now();
    for (batch, transaction) in inputs.chunks(1000).enumerate() {
        let mut tx = db.begin_write().await?;
        for (statement, rows) in transaction.chunks(100).enumerate() {
            let mut insert = QueryBuilder::new(
                "INSERT INTO users (id, user_name, user_name_key, external_id, display_name, display_name_key, given_name,
                                    family_name, email, active, source, resource, version, created_at, updated_at) ",
            );
            insert.push_values(rows.iter().enumerate(), |mut row, (i, input)| {
                row.push_bind(format!("engine{batch}x{statement}x{i}"))
                    .push_bind(&input.user_name)
                    .push_bind(fold(&input.user_name))
                    .push_bind(&input.external_id)
                    .push_bind(&input.display_name)
                    .push_bind(input.display_name.as_deref().map(fold))
                    .push_bind(&input.given_name)
                    .push_bind(&input.family_name)
                    .push_bind(input.primary_email())
                    .push_bind(true)
                    .push_bind(Source::ScimEntra.as_str())
                    .push_bind(serde_json::Value::Object(input.document.clone()).to_string())
                    .push_bind(1)
                    .push_bind(&now)
                    .push_bind(&now);
            });
            insert.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
    }
    let elapsed = started.elapsed();
    db.close().await;
    Ok(Figures { operations: count, elapsed, latencies: Vec::new() })
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
