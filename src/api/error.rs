//! The error every server function returns. A refusal carries a [`Message`] the portal shows in
//! the page's language; its `Display` (for logs and tests) is English.

use crate::domain::message::Message;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Your session has ended. Sign in again.")]
    Unauthorized,
    /// Input the user can correct; the text says how.
    #[error("{0}")]
    Invalid(Message),
    #[error("{0}")]
    Conflict(Message),
    #[error("{0}")]
    NotFound(Message),
    #[error("Something went wrong on the server. Try again; if it persists, the server log has the details.")]
    Internal,
    #[error("The server could not be reached ({0}). Check your connection and try again.")]
    Transport(String),
}

impl AppError {
    /// The HTTP status a server function answers with (server/server_fn_status.rs). On the
    /// server, `Transport` only ever means the request could not be read (a missing or
    /// malformed argument): the client's mistake.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::Invalid(_) | AppError::Transport(_) => 400,
            AppError::NotFound(_) => 404,
            AppError::Conflict(_) => 409,
            AppError::Internal => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}
