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
}

impl ServeConfig {
    pub fn new(database: String, args: ServeArgs) -> Self {
        Self {
            listen: args.listen,
            database,
            public_url: args.public_url,
            site_root: args.site_root,
            request_log: Retention { days: args.request_log_days, max_entries: args.request_log_max_entries },
        }
    }
}

/// The SCIM base URL an admin pastes into the IdP: `{public_url}/scim/v2/{idp}`.
pub fn scim_base_url(public_url: &url::Url, idp: crate::domain::idp::Idp) -> String {
    format!("{}/scim/v2/{}", public_url.as_str().trim_end_matches('/'), idp.slug())
}
