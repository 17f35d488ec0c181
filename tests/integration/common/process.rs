//! The real `provisio` binary as a process of its own: for what only a process shows (signals,
//! a kill in the middle of a write).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A SCIM token for `idp`, made by `provisio token create` on `database`.
pub fn cli_token(database: &Path, idp: &str) -> String {
    let created = Command::new(env!("CARGO_BIN_EXE_provisio"))
        .arg("--database")
        .arg(database)
        .args(["token", "create", "--idp", idp])
        .output()
        .unwrap();
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    String::from_utf8(created.stdout)
        .unwrap()
        .lines()
        .find_map(|line| line.trim().starts_with("prv_").then(|| line.trim().to_owned()))
        .expect("the token is printed")
}

/// `provisio serve` on `database` and a free port; returns the process and its address.
pub fn serve(database: &Path, site_root: &Path) -> (Child, String) {
    let mut server = Command::new(env!("CARGO_BIN_EXE_provisio"))
        .args(["serve", "--listen", "127.0.0.1:0", "--database"])
        .arg(database)
        .arg("--site-root")
        .arg(site_root)
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
    (server, address)
}
