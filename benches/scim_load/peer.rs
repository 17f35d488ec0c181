//! The peer: scim2-server from PyPI (the python-scim project's in-memory SCIM server), installed
//! into target/bench-peer on first use and started on a free port.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PACKAGE: &str = "scim2-server==0.8.3";
pub const TOKEN: &str = "bench-peer-token";

pub struct Peer {
    child: Child,
    pub base: String,
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Installs (once) and starts the peer; `None`, with the reason printed, when that fails (no
/// python3, no network to PyPI).
pub fn start() -> Option<Peer> {
    match try_start() {
        Ok(peer) => Some(peer),
        Err(err) => {
            println!("  peer not run: {err:#}");
            None
        }
    }
}

fn try_start() -> anyhow::Result<Peer> {
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-peer");
    let server = venv.join("bin/scim2-server");
    if !server.exists() {
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
        run(Command::new(venv.join("bin/pip")).args(["install", "-q", PACKAGE]))?;
    }
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let child = Command::new(&server)
        .args(["--port", &port.to_string(), "--bearer-token", TOKEN])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let peer = Peer { child, base: format!("http://127.0.0.1:{port}") };
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        anyhow::ensure!(Instant::now() < deadline, "scim2-server did not start listening within 30 s");
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(peer)
}

fn run(command: &mut Command) -> anyhow::Result<()> {
    let status = command.status()?;
    anyhow::ensure!(status.success(), "{command:?} failed: {status}");
    Ok(())
}
