//! The invitation sender: works through the outbox, retrying with back-off while the mail
//! server is unreachable, so an outage delays invitations but loses none.

use crate::domain::invitation::{self, retry_after};
use crate::server::mailer::Mailer;
use crate::store::invitations::{self, Due};
use crate::store::Db;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How often the outbox is looked at; a new invitation waits at most this long.
const POLL: Duration = Duration::from_secs(1);
const BATCH: i64 = 50;

/// The running sender; `stop` lets the message in flight finish.
pub struct InvitationSender {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl InvitationSender {
    pub fn start(db: Db, mailer: Mailer, registration_url: String) -> InvitationSender {
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(send_until_stopped(db, mailer, registration_url, stopped));
        InvitationSender { stop, task }
    }

    pub async fn stop(self) {
        let _ = self.stop.send(());
        if let Err(err) = self.task.await {
            tracing::error!(error = %err, "the invitation sender failed");
        }
    }
}

async fn send_until_stopped(db: Db, mailer: Mailer, registration_url: String, mut stopped: oneshot::Receiver<()>) {
    let mut poll = tokio::time::interval(POLL);
    poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            _ = poll.tick() => {}
        }
        let due = match invitations::due(&db, BATCH).await {
            Ok(due) => due,
            Err(err) => {
                tracing::error!(error = %err, "could not read the invitation outbox");
                continue;
            }
        };
        for invitation in due {
            if let Err(err) = send(&db, &mailer, &registration_url, &invitation).await {
                tracing::error!(error = %err, invitation = invitation.id, "could not record an invitation's outcome");
            }
        }
    }
}

async fn send(db: &Db, mailer: &Mailer, registration_url: &str, invitation: &Due) -> Result<(), sqlx::Error> {
    let text = invitation::text(invitation.idp, &invitation.user_name, invitation.display_name.as_deref(), registration_url);
    match mailer.send(&invitation.email, invitation.display_name.as_deref(), &text.subject, text.body).await {
        Ok(()) => {
            tracing::info!(invitation = invitation.id, idp = %invitation.idp, "invitation sent");
            invitations::mark_sent(db, invitation.id).await
        }
        Err(err) => {
            let attempts = invitation.attempts as u32 + 1;
            let retry_at = (!err.permanent).then(|| retry_after(attempts)).flatten().map(crate::store::time_after);
            tracing::warn!(invitation = invitation.id, attempts, error = %err, retrying = retry_at.is_some(), "invitation not sent");
            invitations::mark_attempt_failed(db, invitation.id, &err.message, retry_at).await
        }
    }
}
