//! Server functions: thin. Each checks the admin session, then calls the domain and the store.

pub mod auth;
pub mod configurations;
pub mod directory;
pub mod error;
pub mod legacy;
pub mod portal;
pub mod settings;
pub mod tokens;
#[cfg(feature = "ssr")]
mod ssr;

pub use error::AppError;
