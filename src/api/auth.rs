//! Sign-in, sign-out and first-run setup.

use super::AppError;
use crate::models::AdminInfo;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::ssr::{internal, require_admin, session, state},
    crate::domain::{return_to, validate},
    crate::msg,
    crate::server::{auth, passwords},
    crate::store,
    axum::extract::ConnectInfo,
    std::net::SocketAddr,
};

/// The signed-in admin, if any.
#[server]
pub async fn current_admin() -> Result<Option<AdminInfo>, AppError> {
    let state = state()?;
    let session = session().await?;
    auth::signed_in_admin(&session, &state).await.map_err(internal)
}

/// Signs in. A wrong username and a wrong password get the same answer, in the same time.
#[server]
pub async fn sign_in(
    username: String,
    password: String,
    // The page to go back to (`/login?next=…`); the Users page when absent.
    #[server(default)] next: Option<String>,
) -> Result<(), AppError> {
    let state = state()?;
    let session = session().await?;
    let username = username.trim().to_owned();
    // No admin has a longer name or password (validate.rs): refused without hashing, so the
    // throttle's memory and the log only ever hold names of a bounded length.
    if username.chars().count() > validate::USERNAME_MAX || password.chars().count() > validate::PASSWORD_MAX {
        return Err(AppError::Invalid(msg!("messages.sign_in_refused")));
    }
    let peer = leptos_axum::extract::<ConnectInfo<SocketAddr>>().await.ok().map(|ConnectInfo(address)| address.ip());
    if let Err(wait) = state.sign_in_throttle.check(peer, &username) {
        tracing::warn!(%username, ?peer, "sign-in throttled after repeated failures");
        return Err(AppError::Invalid(msg!("messages.sign_in_throttled", seconds = wait.as_secs_f64().ceil())));
    }
    let credentials = store::admins::credentials(&state.db, &username).await.map_err(internal)?;
    let verified = passwords::verify(password, credentials.as_ref().map(|c| c.password_hash.clone())).await;
    let Some(credentials) = credentials.filter(|_| verified) else {
        tracing::info!(%username, "sign-in refused");
        state.sign_in_throttle.failed(peer, &username);
        return Err(AppError::Invalid(msg!("messages.sign_in_refused")));
    };
    state.sign_in_throttle.succeeded(peer, &username);
    let admin = AdminInfo { id: credentials.id, username: credentials.username };
    auth::start(&session, &admin).await.map_err(internal)?;
    store::admins::record_sign_in(&state.db, admin.id).await.map_err(internal)?;
    tracing::info!(username = %admin.username, "signed in");
    leptos_axum::redirect(next.as_deref().and_then(return_to::local_path).unwrap_or("/users"));
    Ok(())
}

#[server]
pub async fn sign_out() -> Result<(), AppError> {
    let session = session().await?;
    auth::end(&session).await.map_err(internal)?;
    leptos_axum::redirect("/login");
    Ok(())
}

/// Ends every session of the signed-in admin, this one included: for a lost laptop or a
/// browser left signed in elsewhere.
#[server]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    let (state, admin) = require_admin().await?;
    let ended = auth::end_all(&auth::session_store(&state.db), &state.db, admin.id, None).await.map_err(internal)?;
    auth::end(&session().await?).await.map_err(internal)?;
    tracing::info!(username = %admin.username, sessions = ended, "signed out everywhere");
    leptos_axum::redirect("/login");
    Ok(())
}

/// The signed-in admin's new password, given the current one. Other sessions end (whoever
/// knew the old password is out); this one stays.
#[server]
pub async fn change_password(current: String, password: String, confirm: String) -> Result<(), AppError> {
    let (state, admin) = require_admin().await?;
    let credentials = store::admins::credentials(&state.db, &admin.username).await.map_err(internal)?;
    if !passwords::verify(current, credentials.map(|c| c.password_hash)).await {
        return Err(AppError::Invalid(msg!("messages.current_password_wrong")));
    }
    validate::new_password(&password).map_err(AppError::Invalid)?;
    if password != confirm {
        return Err(AppError::Invalid(msg!("messages.passwords_differ")));
    }
    let hash = passwords::hash(password).await.map_err(internal)?;
    store::admins::set_password(&state.db, admin.id, &hash).await.map_err(internal)?;
    let session = session().await?;
    auth::end_all(&auth::session_store(&state.db), &state.db, admin.id, session.id()).await.map_err(internal)?;
    // A fresh session id too, as after any sign-in.
    auth::start(&session, &admin).await.map_err(internal)?;
    tracing::info!(username = %admin.username, "password changed; other sessions ended");
    Ok(())
}

/// First run: creates the first administrator, given the one-time code from the server log.
#[server]
pub async fn complete_setup(code: String, username: String, password: String, confirm: String) -> Result<(), AppError> {
    let state = state()?;
    if !auth::setup_pending(&state).await {
        return Err(AppError::Invalid(msg!("messages.setup_done")));
    }
    if !state.setup.check(&code) {
        tracing::warn!("setup refused: wrong setup code");
        return Err(AppError::Invalid(msg!("messages.setup_code_wrong")));
    }
    let username = validate::admin_username(&username).map_err(AppError::Invalid)?;
    validate::new_password(&password).map_err(AppError::Invalid)?;
    if password != confirm {
        return Err(AppError::Invalid(msg!("messages.passwords_differ")));
    }
    let hash = passwords::hash(password).await.map_err(internal)?;
    let Some(admin) = store::admins::create_first(&state.db, &username, &hash).await.map_err(internal)? else {
        state.setup.close();
        return Err(AppError::Invalid(msg!("messages.setup_admin_exists")));
    };
    state.setup.close();
    auth::start(&session().await?, &admin).await.map_err(internal)?;
    tracing::info!(username = %admin.username, "first administrator created");
    leptos_axum::redirect("/users");
    Ok(())
}
