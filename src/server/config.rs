//! The `provisio` command line. Every flag has a `PROVISIO_*` environment variable twin.

use crate::server::auth::SessionPolicy;
use crate::server::scim::rate_limit::{Rate, ScimRateLimits};
use crate::store::request_log::Retention;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::time::Duration;
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
    Serve(Box<ServeArgs>),
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

    /// Serve the portal's assets from this directory (development: scripts/build writes them to
    /// target/site). Default: the assets compiled into the binary, or target/site if it has none.
    #[arg(long, env = "PROVISIO_SITE_ROOT")]
    pub site_root: Option<PathBuf>,

    /// Days the SCIM request log keeps an entry.
    #[arg(long, env = "PROVISIO_REQUEST_LOG_DAYS", default_value_t = Retention::default().days)]
    pub request_log_days: u32,

    /// The most entries the SCIM request log keeps; the oldest go first.
    #[arg(long, env = "PROVISIO_REQUEST_LOG_MAX_ENTRIES", default_value_t = Retention::default().max_entries)]
    pub request_log_max_entries: u64,

    #[command(flatten)]
    pub smtp: SmtpArgs,

    #[command(flatten)]
    pub scim_rate: ScimRateArgs,

    /// Minutes without a request after which a portal session ends.
    #[arg(long, env = "PROVISIO_SESSION_IDLE_MINUTES", default_value_t = SessionPolicy::default().idle.as_secs() / 60)]
    pub session_idle_minutes: u64,

    /// Hours after sign-in after which a portal session ends, however active.
    #[arg(long, env = "PROVISIO_SESSION_MAX_HOURS", default_value_t = SessionPolicy::default().lifetime.as_secs() / 3600)]
    pub session_max_hours: u64,
}

/// SCIM rate limits (token buckets). Requests per second and burst; a rate of 0 turns that
/// limit off. The defaults never slow a real IdP or the 100k benchmark (README: Rate limits).
#[derive(Debug, Clone, Args)]
pub struct ScimRateArgs {
    /// Sustained SCIM requests per second one bearer token may make.
    #[arg(long, env = "PROVISIO_SCIM_RATE_PER_TOKEN", default_value_t = ScimRateLimits::default().per_token.per_second)]
    pub scim_rate_per_token: u32,

    /// Requests one token may make at once when it has been quiet (its bucket's size).
    #[arg(long, env = "PROVISIO_SCIM_BURST_PER_TOKEN", default_value_t = ScimRateLimits::default().per_token.burst)]
    pub scim_burst_per_token: u32,

    /// Sustained SCIM requests per second for all of one IdP's tokens together.
    #[arg(long, env = "PROVISIO_SCIM_RATE_PER_IDP", default_value_t = ScimRateLimits::default().per_idp.per_second)]
    pub scim_rate_per_idp: u32,

    /// The per-IdP bucket's size.
    #[arg(long, env = "PROVISIO_SCIM_BURST_PER_IDP", default_value_t = ScimRateLimits::default().per_idp.burst)]
    pub scim_burst_per_idp: u32,
}

impl ScimRateArgs {
    pub fn limits(&self) -> ScimRateLimits {
        ScimRateLimits {
            per_token: Rate { per_second: self.scim_rate_per_token, burst: self.scim_burst_per_token },
            per_idp: Rate { per_second: self.scim_rate_per_idp, burst: self.scim_burst_per_idp },
        }
    }
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

/// What the portal's token panel does, from the shell: same rules, same audit events (the
/// audit trail names the actor "command line").
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Generate a SCIM token and print it once, with the SCIM base URL.
    Create {
        #[arg(long, value_enum)]
        idp: IdpArg,
        /// When the token stops working: never, 90d, 1y, or a date (YYYY-MM-DD, from its start, UTC).
        #[arg(long, default_value = "never")]
        expires: String,
        /// The URL IdPs reach this server at (as for `serve`).
        #[arg(long, env = "PROVISIO_PUBLIC_URL", default_value = "http://127.0.0.1:3000")]
        public_url: url::Url,
    },
    /// List an IdP's tokens: id, last characters, status, dates.
    List {
        #[arg(long, value_enum)]
        idp: IdpArg,
    },
    /// Let a token authenticate again.
    SetActive(TokenId),
    /// Stop a token from authenticating, without deleting it.
    SetInactive(TokenId),
    /// Replace a token's secret (printed once); the new secret works at once, and a running
    /// server refuses the old one within a second.
    Renew {
        #[command(flatten)]
        token: TokenId,
        /// The new secret's lifetime: never, 90d, 1y, or a date (YYYY-MM-DD).
        #[arg(long, default_value = "never")]
        expires: String,
        #[arg(long, env = "PROVISIO_PUBLIC_URL", default_value = "http://127.0.0.1:3000")]
        public_url: url::Url,
    },
    /// Delete a token.
    Delete(TokenId),
}

/// A token, as `provisio token list` shows it.
#[derive(Debug, Args)]
pub struct TokenId {
    #[arg(long, value_enum)]
    pub idp: IdpArg,
    /// The token's id (the first column of `provisio token list`).
    #[arg(long)]
    pub id: String,
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
    /// `None`: the assets compiled into the binary, or target/site (see `site::Site::locate`).
    pub site_root: Option<PathBuf>,
    pub request_log: Retention,
    /// `None`: invitations wait in the outbox.
    pub smtp: Option<SmtpConfig>,
    /// `None`: the public URL.
    pub registration_url: Option<url::Url>,
    pub scim_rate_limits: ScimRateLimits,
    pub session: SessionPolicy,
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
            scim_rate_limits: args.scim_rate.limits(),
            session: SessionPolicy {
                idle: Duration::from_secs(args.session_idle_minutes.max(1) * 60),
                lifetime: Duration::from_secs(args.session_max_hours.max(1) * 3600),
            },
        })
    }

    /// A server on a free local port with every default, for tests and benches.
    pub fn local(database: String, site_root: PathBuf) -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            database,
            public_url: None,
            site_root: Some(site_root),
            request_log: Default::default(),
            smtp: None,
            registration_url: None,
            scim_rate_limits: ScimRateLimits::default(),
            session: SessionPolicy::default(),
        }
    }
}

/// The SCIM base URL an admin pastes into the IdP: `{public_url}/scim/v2/{idp}`.
pub fn scim_base_url(public_url: &url::Url, idp: crate::domain::idp::Idp) -> String {
    format!("{}/scim/v2/{}", public_url.as_str().trim_end_matches('/'), idp.slug())
}
