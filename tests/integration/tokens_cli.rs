//! `provisio token create` and `provisio admin create`, through the code the commands run.

use crate::common::TestApp;
use provisio::domain::idp::Idp;
use provisio::server::cli;

#[tokio::test]
async fn the_cli_prints_the_secret_once_with_the_scim_base_url() {
    let app = TestApp::spawn().await;
    let url = url::Url::parse("https://provisio.example.com/").unwrap();
    let created = cli::create_token(&app.database, Idp::Entra, &url).await.unwrap();
    let printed = created.to_string();
    assert_eq!(created.scim_base_url, "https://provisio.example.com/scim/v2/entra");
    assert!(printed.contains("https://provisio.example.com/scim/v2/entra"));
    let secret = printed.lines().nth(1).unwrap().trim();
    assert!(secret.starts_with("prv_"));
    assert!(secret.ends_with(&created.token.secret_hint));

    // At rest there is only a hash: the secret appears nowhere in the database file.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", app.database)).await.unwrap();
    let stored: Vec<(String, String)> = sqlx::query_as("SELECT secret_hash, secret_hint FROM scim_tokens").fetch_all(&pool).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0].0, secret);
    assert_eq!(stored[0].0, provisio::domain::tokens::hash(secret));
    pool.close().await;
    let raw = std::fs::read(&app.database).unwrap();
    let wal = std::fs::read(format!("{}-wal", app.database)).unwrap_or_default();
    let needle = secret.as_bytes();
    assert!(!raw.windows(needle.len()).any(|w| w == needle) && !wal.windows(needle.len()).any(|w| w == needle));
}

#[tokio::test]
async fn a_third_token_for_one_idp_is_refused_and_each_creation_is_audited() {
    let app = TestApp::spawn().await;
    let url = url::Url::parse(&app.address).unwrap();
    cli::create_token(&app.database, Idp::Okta, &url).await.unwrap();
    cli::create_token(&app.database, Idp::Okta, &url).await.unwrap();
    let err = cli::create_token(&app.database, Idp::Okta, &url).await.err().expect("a third token is refused");
    assert!(err.to_string().contains("Okta already has 2 tokens"), "{err}");
    // The other IdP has its own two.
    cli::create_token(&app.database, Idp::Entra, &url).await.unwrap();

    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", app.database)).await.unwrap();
    let events: Vec<(String, String, String)> =
        sqlx::query_as("SELECT action, actor, details FROM audit_events ORDER BY id").fetch_all(&pool).await.unwrap();
    let created =
        |vendor: &str| events.iter().filter(|(a, who, d)| a == "SCIM token created" && who == cli::CLI_ACTOR && d == vendor).count();
    assert_eq!(created("Okta"), 2);
    assert_eq!(created("Entra ID/Azure"), 1);
}

#[tokio::test]
async fn a_new_token_works_at_once_at_the_scim_endpoint() {
    let app = TestApp::spawn().await;
    let token = app.create_token(Idp::Entra).await;
    let response = app.scim_get(Idp::Entra, "/Users?startIndex=1&count=2", Some(&format!("Bearer {token}"))).await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn admin_create_validates_its_input() {
    let app = TestApp::spawn().await;
    assert!(cli::create_admin(&app.database, "ann admin", "long enough password").await.is_err());
    assert!(cli::create_admin(&app.database, "ann", "short").await.is_err());
    cli::create_admin(&app.database, "ann", "long enough password").await.unwrap();
    let err = cli::create_admin(&app.database, "ANN", "another long password").await.unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
}

/// `provisio token create` writes to the file the running server uses. A write transaction that
/// reads first must hold the write lock from its start: the other process's write then waits for
/// it, and neither fails with "database is locked".
#[tokio::test]
async fn a_write_transaction_in_one_process_makes_another_wait_instead_of_failing() {
    let app = TestApp::spawn().await;
    let cli = provisio::store::Db::open(&app.database).await.unwrap();
    let server = provisio::store::Db::open(&app.database).await.unwrap();

    let mut tx = cli.begin_write().await.unwrap();
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM scim_tokens").fetch_one(&mut *tx).await.unwrap();
    let other_write = tokio::spawn(async move {
        let secret = provisio::domain::tokens::generate();
        provisio::store::tokens::create(&server, Idp::Entra, &secret, None, "server").await.map(|_| ())
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!other_write.is_finished(), "the other process's write waits for the open transaction");

    provisio::store::audit::record(&mut tx, "cli", provisio::domain::audit::Action::TokenCreated, None, "Okta").await.unwrap();
    tx.commit().await.unwrap();
    other_write.await.unwrap().expect("the waiting write goes through after the commit");
    assert_eq!(before, 0);
    let tokens: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM scim_tokens").fetch_one(&cli.read).await.unwrap();
    assert_eq!(tokens, 1);
    cli.close().await;
}
