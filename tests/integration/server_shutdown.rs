//! The real `provisio` binary stops within a bounded time after SIGTERM, even while a client
//! holds a request open that will never finish arriving (a slow or stuck client must not keep
//! a deploy or a restart waiting forever).

use provisio::server::shutdown::GRACE;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn sigterm_stops_the_server_in_bounded_time_even_with_a_request_stuck_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("provisio.db");
    // A token, so the request below passes the door and waits inside its handler.
    let created = Command::new(env!("CARGO_BIN_EXE_provisio"))
        .arg("--database")
        .arg(&database)
        .args(["token", "create", "--idp", "okta"])
        .output()
        .unwrap();
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let token = String::from_utf8(created.stdout)
        .unwrap()
        .lines()
        .find_map(|line| line.trim().starts_with("prv_").then(|| line.trim().to_owned()))
        .expect("the token is printed");
    let mut server = Command::new(env!("CARGO_BIN_EXE_provisio"))
        .args(["serve", "--listen", "127.0.0.1:0", "--database"])
        .arg(&database)
        .arg("--site-root")
        .arg(dir.path())
        .env("RUST_LOG", "info")
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let mut log = BufReader::new(server.stderr.take().unwrap()).lines();
    let address = log
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| Some(line.split("Provisio is listening address=").nth(1)?.split_whitespace().next()?.to_owned()))
        .expect("the server listens");
    // Keep reading the log, so the server never blocks on a full pipe.
    std::thread::spawn(move || log.for_each(drop));

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
