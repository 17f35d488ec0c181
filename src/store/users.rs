//! Users.

use super::Db;
use crate::domain::idp::Idp;
use crate::models::{Paged, UserSummary};

pub async fn list(db: &Db, offset: i64, limit: i64) -> Result<Paged<UserSummary>, sqlx::Error> {
    let total = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&db.read).await?;
    let items = sqlx::query_as(
        "SELECT id, user_name, display_name, email, active, source, updated_at FROM users
         ORDER BY user_name_key LIMIT ? OFFSET ?",
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.read)
    .await?;
    Ok(Paged { items, total, offset, limit })
}

/// How many users an IdP has provisioned (C2).
pub async fn count_from(db: &Db, idp: Idp) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE source = ?")
        .bind(idp.source().as_str())
        .fetch_one(&db.read)
        .await
}
