//! Stopping within a bounded time. A stop signal gives requests in flight [`GRACE`] to finish;
//! after that the server closes what is left. The signals are heard on an OS thread of their
//! own, so a stop still happens when every runtime worker is stuck: that thread ends the
//! process if the graceful stop has not finished shortly after the grace period, or at once
//! on a second signal.

use std::future::Future;
use std::time::Duration;
use tokio::sync::oneshot;

/// How long requests in flight get to finish once a stop was asked for.
pub const GRACE: Duration = Duration::from_secs(10);

/// How long after [`GRACE`] the signal thread waits for the orderly stop (closing the request
/// log, the mail sender and the database) before it ends the process itself.
const LAST_CHANCE: Duration = Duration::from_secs(5);

/// Resolves at the first SIGTERM or Ctrl-C, heard on a dedicated thread.
pub fn stop_signal() -> impl Future<Output = ()> + Send + 'static {
    let (first, heard) = oneshot::channel();
    let thread = std::thread::Builder::new().name("provisio-signals".into()).spawn(move || watch_signals(first));
    if let Err(err) = thread {
        tracing::error!(error = %err, "could not start the signal thread: the server will only stop when killed");
    }
    async move {
        // A thread that could not listen drops its sender: that is no reason to stop.
        if heard.await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

#[cfg(unix)]
fn watch_signals(first: oneshot::Sender<()>) {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = match signal_hook::iterator::Signals::new([SIGTERM, SIGINT]) {
        Ok(signals) => signals,
        Err(err) => {
            tracing::error!(error = %err, "could not listen for SIGTERM and SIGINT");
            return;
        }
    };
    let mut received = signals.forever();
    if received.next().is_none() {
        return;
    }
    tracing::info!(grace_seconds = GRACE.as_secs(), "shutting down: finishing requests in flight");
    let _ = first.send(());
    let _ = std::thread::Builder::new().name("provisio-stop-deadline".into()).spawn(|| {
        std::thread::sleep(GRACE + LAST_CHANCE);
        tracing::error!("the server did not stop in time after the signal: exiting now");
        std::process::exit(1);
    });
    if received.next().is_some() {
        tracing::warn!("second stop signal: exiting now");
        std::process::exit(130);
    }
}

#[cfg(not(unix))]
fn watch_signals(first: oneshot::Sender<()>) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
    if let Ok(runtime) = runtime {
        if runtime.block_on(tokio::signal::ctrl_c()).is_ok() {
            let _ = first.send(());
        }
    }
}
