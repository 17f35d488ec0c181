//! Pure rules: no I/O, no axum, no sqlx. Shared by the server and, where marked, the browser.

pub mod apple_id;
pub mod audit;
pub mod idp;
#[cfg(feature = "ssr")]
pub mod invitation;
#[cfg(feature = "ssr")]
pub mod legacy_csv;
pub mod lifecycle;
pub mod message;
pub mod redact;
pub mod request_outcome;
pub mod return_to;
pub mod scim;
#[cfg(feature = "ssr")]
pub mod tokens;
#[cfg(feature = "ssr")]
pub mod user_attributes;
pub mod validate;
pub mod variables;
