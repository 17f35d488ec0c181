//! The `provisio` command line. Every flag has a `PROVISIO_*` environment variable twin.

use crate::store::request_log::Retention;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::{net::SocketAddr, path::PathBuf};

#[derive(Debug, Parser)]
#[command(name = "provisio", version, about = "SCIM 2.0 user provisioning for Entra ID and Okta")]
pub struct Cli {
    /// The database: a file path or a `sqlite:` URL.
    #[arg(long, global = true, env = "PROVISIO_DATABASE", default_value = "./data/provisio.db")]
    pub database: String,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// `serve`'s options, so that `provisio --listen ...` works without the word `serve`.
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the SCIM endpoint and the admin portal (the default).
    Serve(ServeArgs),
    /// Manage portal administrators.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Manage SCIM bearer tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Apply database migrations and exit.
    Migrate,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "PROVISIO_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// The URL people and IdPs reach this server at; SCIM base URLs are built from it.
    /// Defaults to http://<listen>.
    #[arg(long, env = "PROVISIO_PUBLIC_URL")]
    pub public_url: Option<url::Url>,

    /// The built portal assets (scripts/build writes them to target/site).
    #[arg(long, env = "PROVISIO_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Days the SCIM request log keeps an entry.
    #[arg(long, env = "PROVISIO_REQUEST_LOG_DAYS", default_value_t = Retention::default().days)]
    pub request_log_days: u32,

    /// The most entries the SCIM request log keeps; the oldest go first.
    #[arg(long, env = "PROVISIO_REQUEST_LOG_MAX_ENTRIES", default_value_t = Retention::default().max_entries)]
    pub request_log_max_entries: u64,

    #[command(flatten)]
    pub smtp: SmtpArgs,
}

/// The mail server invitations go out through (S1). Without `--smtp-host`, invitations wait in
/// the outbox until one is configured.
#[derive(Debug, Clone, Args)]
pub struct SmtpArgs {
    #[arg(long, env = "PROVISIO_SMTP_HOST")]
    pub smtp_host: Option<String>,

    /// Defaults to 587 for starttls, 465 for tls, 25 for none.
    #[arg(long, env = "PROVISIO_SMTP_PORT")]
    pub smtp_port: Option<u16>,

    #[arg(long, env = "PROVISIO_SMTP_TLS", value_enum, default_value_t = SmtpTls::Starttls)]
    pub smtp_tls: SmtpTls,

    #[arg(long, env = "PROVISIO_SMTP_USERNAME")]
    pub smtp_username: Option<String>,

    /// Better given through the environment than on the command line, where `ps` shows it.
    #[arg(long, env = "PROVISIO_SMTP_PASSWORD", hide_env_values = true)]
    pub smtp_password: Option<secrecy::SecretString>,

    /// The sender, e.g. `IT <it@example.com>`.
    #[arg(long, env = "PROVISIO_SMTP_FROM")]
    pub smtp_from: Option<String>,

    /// The page invited users open to register; defaults to the public URL.
    #[arg(long, env = "PROVISIO_REGISTRATION_URL")]
    pub registration_url: Option<url::Url>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SmtpTls {
    /// Plain SMTP (a relay on the same host or network).
    None,
    /// Upgrade with STARTTLS, required.
    Starttls,
    /// TLS from the first byte (SMTPS).
    Tls,
}

/// A mail server to send through.
#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub credentials: Option<(String, secrecy::SecretString)>,
    pub from: String,
}

impl SmtpArgs {
    /// `None` when no host is set; an error when a host is set without a sender.
    pub fn config(&self) -> anyhow::Result<Option<SmtpConfig>> {
        let Some(host) = self.smtp_host.clone() else { return Ok(None) };
        let from =
            self.smtp_from.clone().ok_or_else(|| anyhow::anyhow!("--smtp-from (PROVISIO_SMTP_FROM) is required with --smtp-host"))?;
        let port = self.smtp_port.unwrap_or(match self.smtp_tls {
            SmtpTls::None => 25,
            SmtpTls::Starttls => 587,
            SmtpTls::Tls => 465,
        });
        let credentials = match (&self.smtp_username, &self.smtp_password) {
            (Some(username), Some(password)) => Some((username.clone(), password.clone())),
            (None, None) => None,
            _ => anyhow::bail!("--smtp-username and --smtp-password go together"),
        };
        Ok(Some(SmtpConfig { host, port, tls: self.smtp_tls, credentials, from }))
    }
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an administrator; the password is read from standard input or a prompt.
    Create {
        #[arg(long)]
        username: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Generate a SCIM token and print it once, with the SCIM base URL.
    Create {
        #[arg(long, value_enum)]
        idp: IdpArg,
        /// The URL IdPs reach this server at (as for `serve`).
        #[arg(long, env = "PROVISIO_PUBLIC_URL", default_value = "http://127.0.0.1:3000")]
        public_url: url::Url,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum IdpArg {
    Entra,
    Okta,
}

impl From<IdpArg> for crate::domain::idp::Idp {
    fn from(arg: IdpArg) -> Self {
        match arg {
            IdpArg::Entra => Self::Entra,
            IdpArg::Okta => Self::Okta,
        }
    }
}

/// Everything `serve` needs.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub listen: SocketAddr,
    pub database: String,
    /// `None`: http://<the address actually bound> (which may have been port 0).
    pub public_url: Option<url::Url>,
    pub site_root: PathBuf,
    pub request_log: Retention,
    /// `None`: invitations wait in the outbox.
    pub smtp: Option<SmtpConfig>,
    /// `None`: the public URL.
    pub registration_url: Option<url::Url>,
}

impl ServeConfig {
    pub fn new(database: String, args: ServeArgs) -> anyhow::Result<Self> {
        Ok(Self {
            listen: args.listen,
            database,
            public_url: args.public_url,
            site_root: args.site_root,
            request_log: Retention { days: args.request_log_days, max_entries: args.request_log_max_entries },
            smtp: args.smtp.config()?,
            registration_url: args.smtp.registration_url,
        })
    }

    /// A server on a free local port with every default, for tests and benches.
    pub fn local(database: String, site_root: PathBuf) -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            database,
            public_url: None,
            site_root,
            request_log: Default::default(),
            smtp: None,
            registration_url: None,
        }
    }
}

/// The SCIM base URL an admin pastes into the IdP: `{public_url}/scim/v2/{idp}`.
pub fn scim_base_url(public_url: &url::Url, idp: crate::domain::idp::Idp) -> String {
    format!("{}/scim/v2/{}", public_url.as_str().trim_end_matches('/'), idp.slug())
}
