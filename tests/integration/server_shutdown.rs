//! The real `provisio` binary stops within a bounded time after SIGTERM, even while a client
//! holds a request open that will never finish arriving (a slow or stuck client must not keep
//! a deploy or a restart waiting forever).

use crate::common::process;
use provisio::server::shutdown::GRACE;
use std::io::Write;
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn sigterm_stops_the_server_in_bounded_time_even_with_a_request_stuck_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("provisio.db");
    // A token, so the request below passes the door and waits inside its handler.
    let token = process::cli_token(&database, "okta");
    let (mut server, address) = process::serve(&database, dir.path());

    // Headers announce a body that never comes: the request stays in flight.
    let mut stuck = TcpStream::connect(&address).unwrap();
    let head = format!("POST /scim/v2/okta/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/scim+json\r\nContent-Length: 1000\r\n\r\n{{\"userName\":");
    stuck.write_all(head.as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(300));

    let asked = Instant::now();
    assert!(Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap().success());
    let limit = GRACE + Duration::from_secs(4);
    let exit = loop {
        if let Some(exit) = server.try_wait().unwrap() {
            break exit;
        }
        if asked.elapsed() > limit {
            let _ = server.kill();
            panic!("still running {limit:?} after SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let took = asked.elapsed();
    assert!(exit.success(), "an orderly stop, not the last-resort exit: {exit}");
    assert!(took >= GRACE - Duration::from_secs(1), "the stuck request got its grace period ({took:?})");
    drop(stuck);
}
