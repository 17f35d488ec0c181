//! Sends email over SMTP with lettre, configured from the command line (`--smtp-*`).

use crate::server::config::{SmtpConfig, SmtpTls};
use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;
use std::time::Duration;

/// A connection-pooled SMTP client. Cheap to clone.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

/// Why a message did not go out; a permanent failure (bad address, 5xx) is not worth retrying.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    pub message: String,
    pub permanent: bool,
}

impl Mailer {
    pub fn new(config: &SmtpConfig) -> anyhow::Result<Mailer> {
        let builder = match config.tls {
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host),
            SmtpTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.host)?,
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&config.host)?,
        };
        let mut builder = builder.port(config.port).timeout(Some(Duration::from_secs(20)));
        if let Some((username, password)) = &config.credentials {
            builder = builder.credentials(Credentials::new(username.clone(), password.expose_secret().to_owned()));
        }
        let from = config.from.parse().map_err(|err| anyhow::anyhow!("--smtp-from `{}` is not an address: {err}", config.from))?;
        Ok(Mailer { transport: builder.build(), from })
    }

    pub async fn send(&self, to: &str, to_name: Option<&str>, subject: &str, body: String) -> Result<(), SendError> {
        let address = to.parse().map_err(|err| SendError { message: format!("{to} is not an email address: {err}"), permanent: true })?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(to_name.map(str::to_owned), address))
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|err| SendError { message: err.to_string(), permanent: true })?;
        self.transport.send(message).await.map(|_| ()).map_err(|err| SendError { permanent: err.is_permanent(), message: err.to_string() })
    }
}
