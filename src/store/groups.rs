//! Groups and their direct members.

use super::Db;
use crate::domain::idp::Idp;
use crate::models::{GroupSummary, Paged};

pub async fn list(db: &Db, offset: i64, limit: i64) -> Result<Paged<GroupSummary>, sqlx::Error> {
    let total = sqlx::query_scalar("SELECT COUNT(*) FROM groups").fetch_one(&db.read).await?;
    let items = sqlx::query_as(
        "SELECT g.id, g.display_name, g.source,
                (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id) AS member_count
         FROM groups g ORDER BY g.source = 'builtin' DESC, g.display_name_key LIMIT ? OFFSET ?",
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(&db.read)
    .await?;
    Ok(Paged { items, total, offset, limit })
}

/// How many groups an IdP has provisioned (C2).
pub async fn count_from(db: &Db, idp: Idp) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM groups WHERE source = ?")
        .bind(idp.source().as_str())
        .fetch_one(&db.read)
        .await
}
