//! Every portal page, loaded again and again, one after another and side by side, while SCIM
//! keeps answering. A page whose server rendering can wedge the runtime (a reactive lock held
//! across an await, a resource that never resolves) fails here within a deadline instead of
//! freezing every IdP's endpoint in production. The routes come from the app's own route list,
//! so a new page is covered without editing this test.

use crate::common::{okta_user, Scim, TestApp, GROUP_SCHEMA};
use provisio::api::configurations::SaveConfiguration;
use provisio::domain::idp::Idp;
use reqwest::Client;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// Longer than any healthy answer on a loaded 2-core machine, far shorter than a hang.
const DEADLINE: Duration = Duration::from_secs(10);
const SERIAL_ROUNDS: usize = 12;
const BROWSERS: usize = 6;
const CONCURRENT_ROUNDS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_portal_page_loads_again_and_again_while_scim_keeps_answering() {
    let scim = Scim::on(TestApp::spawn_isolated().await).await;
    scim.app.set_up_admin("ann", "correct horse battery staple").await;
    let pages = portal_pages(&scim).await;

    let started = Instant::now();
    let mut slowest = Duration::ZERO;
    for _ in 0..SERIAL_ROUNDS {
        for page in &pages {
            slowest = slowest.max(load(&scim.app.client, &scim.app.url(page), page).await);
        }
    }
    let serial = (SERIAL_ROUNDS * pages.len(), started.elapsed(), slowest);

    // Several signed-in browsers at once, with an IdP polling SCIM beside them.
    let started = Instant::now();
    let browsers = (0..BROWSERS).map(|browser| {
        let (client, pages, app) = (scim.app.client.clone(), pages.clone(), scim.app.address.clone());
        tokio::spawn(async move {
            let mut slowest = Duration::ZERO;
            for round in 0..CONCURRENT_ROUNDS {
                // Each browser walks the pages from a different place, so different pages overlap.
                for page in pages.iter().cycle().skip(browser + round).take(pages.len()) {
                    slowest = slowest.max(load(&client, &format!("{app}{page}"), page).await);
                }
            }
            slowest
        })
    });
    let browsers = futures_join_all(browsers);
    let idp = async {
        let mut answered = 0;
        let mut slowest = Duration::ZERO;
        while started.elapsed() < Duration::from_secs(2) || answered < 20 {
            let asked = Instant::now();
            let response = tokio::time::timeout(DEADLINE, scim.get(Idp::Entra, "/Users?filter=userName%20eq%20%22soak0%40example.com%22"))
                .await
                .expect("SCIM answered within the deadline while portal pages were rendering");
            assert_eq!(response.status(), 200);
            slowest = slowest.max(asked.elapsed());
            answered += 1;
        }
        (answered, slowest)
    };
    let (slowest_pages, (scim_answers, scim_slowest)) = tokio::join!(browsers, idp);
    let concurrent_slowest = slowest_pages.into_iter().map(|slowest| slowest.expect("a browser task finished")).max().unwrap();
    println!(
        "soak: {} pages; serial: {} loads in {:?} (slowest {:?}); concurrent: {} loads by {BROWSERS} browsers in {:?} \
         (slowest {:?}) while SCIM answered {scim_answers} lookups (slowest {:?})",
        pages.len(),
        serial.0,
        serial.1,
        serial.2,
        BROWSERS * CONCURRENT_ROUNDS * pages.len(),
        started.elapsed(),
        concurrent_slowest,
        scim_slowest,
    );
    let health = tokio::time::timeout(DEADLINE, scim.app.client.get(scim.app.url("/healthz")).send()).await;
    assert_eq!(health.expect("healthz answered").unwrap().status(), 200);
    tokio::time::timeout(DEADLINE, scim.app.stop()).await.expect("the server stopped in time").unwrap();
}

/// GETs a page as a signed-in browser and checks the whole document arrived in time.
async fn load(client: &Client, url: &str, page: &str) -> Duration {
    let asked = Instant::now();
    let body = tokio::time::timeout(DEADLINE, async {
        let response = client.get(url).send().await.unwrap_or_else(|err| panic!("{page}: {err}"));
        assert_eq!(response.status(), 200, "{page}");
        response.text().await.unwrap_or_else(|err| panic!("{page}: {err}"))
    })
    .await
    .unwrap_or_else(|_| panic!("{page} did not answer within {DEADLINE:?}: the server is stuck"));
    // Out-of-order streaming appends resolved chunks after `</html>`; a whole answer has the
    // document and, if it streamed, no chunk left pending.
    let whole = body.contains("</html>") && (!body.contains("__PENDING_RESOURCES") || body.contains("__INCOMPLETE_CHUNKS=[];"));
    assert!(whole, "{page}: the document stopped early");
    asked.elapsed()
}

/// Every route of the portal with its parameters filled in from real data.
async fn portal_pages(scim: &Scim) -> Vec<String> {
    let user = scim.created(Idp::Okta, &okta_user("soak0@example.com")).await;
    let group =
        scim.send(Idp::Okta, reqwest::Method::POST, "/Groups", Some(&json!({"schemas": [GROUP_SCHEMA], "displayName": "Soakers"}))).await;
    assert_eq!(group.status(), 201);
    let group: Value = group.json().await.unwrap();
    let profile = json!({"email_address": "${email}", "display_name": "${displayName}", "account_user_name": "${userName}",
        "incoming_server": "imap.example.com", "outgoing_server": "smtp.example.com"});
    let saved = scim.app.call_json::<SaveConfiguration>(&json!({"id": null, "name": "Mail", "profile": profile})).await;
    assert!(saved.status().is_success(), "{}", saved.text().await.unwrap());
    let configuration: i64 = saved.json().await.unwrap();

    let mut pages = Vec::new();
    for path in provisio::app::route_paths() {
        // Sign-in and setup send a signed-in admin elsewhere: not pages to soak.
        if matches!(path.as_str(), "/login" | "/setup") {
            continue;
        }
        let filled: Vec<String> = match path.as_str() {
            "/users/{id}" | "/users/:id" => vec![format!("/users/{}", user["id"].as_str().unwrap())],
            "/groups/{id}" | "/groups/:id" => vec![format!("/groups/{}", group["id"].as_str().unwrap())],
            "/configurations/{id}" | "/configurations/:id" => vec![format!("/configurations/{configuration}")],
            "/admin/identity/provisioning/{idp}" | "/admin/identity/provisioning/:idp" => {
                Idp::ALL.iter().map(|idp| format!("/admin/identity/provisioning/{}", idp.slug())).collect()
            }
            _ if path.contains(['{', ':', '*']) => panic!("{path}: a new route with a parameter; fill it in here"),
            _ => vec![path],
        };
        pages.extend(filled);
    }
    pages.sort();
    pages.dedup();
    assert!(pages.len() >= 12, "the route list looks short: {pages:?}");
    pages
}

async fn futures_join_all<T>(handles: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<Result<T, tokio::task::JoinError>> {
    let mut results = Vec::new();
    for handle in handles.collect::<Vec<_>>() {
        results.push(handle.await);
    }
    results
}
