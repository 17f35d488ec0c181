//! The server: startup, configuration, admin auth, the SCIM endpoint.

pub mod auth;
pub mod cli;
pub mod config;
pub mod csrf;
pub mod invitations;
pub mod language;
pub mod mailer;
pub mod passwords;
pub mod request_log;
pub mod scim;
pub mod security_headers;
pub mod server_fn_status;
pub mod shutdown;
pub mod sign_in_throttle;
pub mod site;
pub mod startup;
pub mod state;
pub mod telemetry;
