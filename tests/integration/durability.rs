//! Every write the server acknowledged survives a kill -9 of the real binary in the middle of
//! a create storm: the answer goes out only after the commit (in groups or alone), and a
//! commit in WAL mode outlives the process.

use crate::common::{okta_user, process};
use provisio::store::Db;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_create_survives_a_kill_in_the_middle_of_a_storm() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("provisio.db");
    let token = process::cli_token(&database, "okta");
    let (mut server, address) = process::serve(&database, dir.path());

    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let client = reqwest::Client::new();
    let writers: Vec<_> = (0..8)
        .map(|writer| {
            let (client, token, address, acknowledged) = (client.clone(), token.clone(), address.clone(), acknowledged.clone());
            tokio::spawn(async move {
                for i in 0.. {
                    let user_name = format!("storm{writer}x{i}@example.com");
                    let sent = client
                        .post(format!("http://{address}/scim/v2/okta/Users"))
                        .bearer_auth(&token)
                        .header("content-type", "application/scim+json")
                        .json(&okta_user(&user_name))
                        .send()
                        .await;
                    match sent {
                        Ok(response) if response.status() == 201 => acknowledged.lock().unwrap().push(user_name),
                        Ok(response) => panic!("a create was refused: {} {}", response.status(), response.text().await.unwrap_or_default()),
                        // The server is gone.
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.kill().unwrap(); // SIGKILL: no shutdown, no flush
    server.wait().unwrap();
    for writer in writers {
        writer.await.unwrap();
    }

    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() > 100, "the storm made only {} users", acknowledged.len());
    let db = Db::open(database.to_str().unwrap()).await.unwrap();
    let stored: Vec<String> = sqlx::query_scalar("SELECT user_name FROM users").fetch_all(&db.read).await.unwrap();
    let stored: std::collections::HashSet<String> = stored.into_iter().collect();
    let lost: Vec<&String> = acknowledged.iter().filter(|name| !stored.contains(*name)).collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged creates were lost, e.g. {:?}",
        lost.len(),
        acknowledged.len(),
        &lost[..lost.len().min(5)]
    );
    // Each acknowledged create's log entry landed with it.
    let logged: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM scim_requests WHERE method = 'POST' AND status = 201").fetch_one(&db.read).await.unwrap();
    assert!(logged >= acknowledged.len() as i64, "{logged} log entries for {} creates", acknowledged.len());
}
