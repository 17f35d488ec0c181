//! What the `admin`, `token` and `migrate` commands do, callable from tests.

use crate::domain::{idp::Idp, tokens, validate};
use crate::models::TokenInfo;
use crate::server::{config::scim_base_url, passwords};
use crate::store::{self, Db};
use anyhow::Context;
use chrono::Utc;
use secrecy::{ExposeSecret, SecretString};
use std::io::{BufRead, IsTerminal};

/// Who the audit trail names for changes made from the command line.
pub const CLI_ACTOR: &str = "command line";

pub async fn open(database: &str) -> anyhow::Result<Db> {
    let db = Db::open(database).await.with_context(|| format!("could not open the database `{database}`"))?;
    db.migrate().await.context("could not migrate the database")?;
    Ok(db)
}

pub async fn migrate(database: &str) -> anyhow::Result<()> {
    let db = open(database).await?;
    db.close().await;
    tracing::info!(database, "database is up to date");
    Ok(())
}

/// The password from a prompt when stdin is a terminal, otherwise its first line.
pub fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let password = rpassword::prompt_password("Password: ")?;
        let again = rpassword::prompt_password("Password again: ")?;
        anyhow::ensure!(password == again, "the two passwords differ");
        Ok(password)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

pub async fn create_admin(database: &str, username: &str, password: &str) -> anyhow::Result<()> {
    let username = validate::admin_username(username).map_err(anyhow::Error::msg)?;
    validate::new_password(password).map_err(anyhow::Error::msg)?;
    let db = open(database).await?;
    let hash = passwords::hash(password.to_owned()).await?;
    let admin = store::admins::create(&db, &username, &hash, CLI_ACTOR).await?;
    db.close().await;
    tracing::info!(username = %admin.username, "administrator created");
    Ok(())
}

/// A token just made: the only moment its secret exists outside the IdP.
pub struct CreatedToken {
    pub token: TokenInfo,
    pub secret: SecretString,
    pub scim_base_url: String,
}

impl std::fmt::Display for CreatedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "SCIM token for {} (shown only now: store it in the IdP):", self.token.idp.display_name())?;
        writeln!(f, "  {}", self.secret.expose_secret())?;
        writeln!(f, "SCIM base URL:")?;
        write!(f, "  {}", self.scim_base_url)
    }
}

/// `provisio token create`: same two-per-IdP rule and audit entry as the portal.
pub async fn create_token(database: &str, idp: Idp, public_url: &url::Url) -> anyhow::Result<CreatedToken> {
    create_token_expiring(database, idp, public_url, tokens::NEVER).await
}

/// `provisio token create --expires 90d|1y|never|YYYY-MM-DD`.
pub async fn create_token_expiring(database: &str, idp: Idp, public_url: &url::Url, lifetime: &str) -> anyhow::Result<CreatedToken> {
    let expires_at = tokens::expiry(lifetime, Utc::now()).map_err(anyhow::Error::msg)?;
    let db = open(database).await?;
    let secret = tokens::generate();
    let created = store::tokens::create(&db, idp, &secret, expires_at, CLI_ACTOR).await;
    db.close().await;
    Ok(CreatedToken { token: created?, secret: secret.secret, scim_base_url: scim_base_url(public_url, idp) })
}

/// `provisio token list`: what the portal's token table shows.
pub async fn list_tokens(database: &str, idp: Idp) -> anyhow::Result<Vec<TokenInfo>> {
    let db = open(database).await?;
    let listed = store::tokens::list(&db, idp).await;
    db.close().await;
    Ok(listed?)
}

/// The token table for a terminal: one line per token, its id first (the other commands take it).
pub fn token_table(tokens: &[TokenInfo]) -> String {
    if tokens.is_empty() {
        return "No tokens.".to_owned();
    }
    let mut lines = vec![format!("{:<36}  {:<10}  {:<8}  {:<24}  {:<24}  {}", "ID", "TOKEN", "STATUS", "CREATED", "LAST USED", "EXPIRES")];
    for token in tokens {
        let status = match (token.active, token.expires_in_seconds) {
            (_, Some(left)) if left <= 0 => "expired",
            (true, _) => "active",
            (false, _) => "inactive",
        };
        lines.push(format!(
            "{:<36}  prv_…{:<5}  {:<8}  {:<24}  {:<24}  {}",
            token.id,
            token.secret_hint,
            status,
            token.created_at,
            token.last_used_at.as_deref().unwrap_or("never"),
            token.expires_at.as_deref().unwrap_or("never"),
        ));
    }
    lines.join("\n")
}

/// `provisio token set-active|set-inactive`: in force at the SCIM endpoint with the next request.
pub async fn set_token_active(database: &str, idp: Idp, id: &str, active: bool) -> anyhow::Result<TokenInfo> {
    let db = open(database).await?;
    let changed = store::tokens::set_active(&db, idp, id, active, CLI_ACTOR).await;
    db.close().await;
    Ok(changed?)
}

/// `provisio token renew`: a new secret (printed once) with its own lifetime; the old one stops working.
pub async fn renew_token(database: &str, idp: Idp, id: &str, lifetime: &str, public_url: &url::Url) -> anyhow::Result<CreatedToken> {
    let expires_at = tokens::expiry(lifetime, Utc::now()).map_err(anyhow::Error::msg)?;
    let db = open(database).await?;
    let secret = tokens::generate();
    let renewed = store::tokens::renew(&db, idp, id, &secret, expires_at, CLI_ACTOR).await;
    db.close().await;
    Ok(CreatedToken { token: renewed?, secret: secret.secret, scim_base_url: scim_base_url(public_url, idp) })
}

pub async fn delete_token(database: &str, idp: Idp, id: &str) -> anyhow::Result<()> {
    let db = open(database).await?;
    let deleted = store::tokens::delete(&db, idp, id, CLI_ACTOR).await;
    db.close().await;
    Ok(deleted?)
}
