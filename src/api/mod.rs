//! Server functions: thin. Each checks the admin session, then calls the domain and the store.

pub mod auth;
pub mod configurations;
pub mod directory;
pub mod error;
pub mod legacy;
pub mod portal;
pub mod settings;
#[cfg(feature = "ssr")]
mod ssr;
pub mod tokens;

pub use error::AppError;
