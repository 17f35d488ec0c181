//! A7: configurations with `${variables}`, and their preview for one user.

use super::AppError;
use crate::models::{Configuration, EmailAccountProfile, PreviewField};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::ssr::{internal, require_admin},
    crate::domain::variables,
    crate::msg,
    crate::store,
};

#[server]
pub async fn list_configurations() -> Result<Vec<Configuration>, AppError> {
    let (state, _) = require_admin().await?;
    store::configurations::list(&state.db).await.map_err(internal)
}

#[server]
pub async fn get_configuration(id: i64) -> Result<Configuration, AppError> {
    let (state, _) = require_admin().await?;
    store::configurations::get(&state.db, id)
        .await
        .map_err(internal)?
        .ok_or_else(|| AppError::NotFound(msg!("messages.configuration_gone")))
}

/// The variable names a field may use: the user attributes, then every custom attribute.
#[server]
pub async fn list_variables() -> Result<Vec<String>, AppError> {
    let (state, _) = require_admin().await?;
    known_variables(&state.db).await
}

#[cfg(feature = "ssr")]
async fn known_variables(db: &store::Db) -> Result<Vec<String>, AppError> {
    let mut known: Vec<String> = variables::USER_VARIABLES.iter().map(|name| name.to_string()).collect();
    for attribute in store::settings::custom_attributes(db).await.map_err(internal)? {
        if !known.iter().any(|k| k.eq_ignore_ascii_case(&attribute.name)) {
            known.push(attribute.name);
        }
    }
    Ok(known)
}

/// Saves a configuration; one with a variable nobody defined is refused, naming it and where.
#[server(input = leptos::server_fn::codec::Json)]
pub async fn save_configuration(id: Option<i64>, name: String, profile: EmailAccountProfile) -> Result<i64, AppError> {
    let (state, admin) = require_admin().await?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 128 {
        return Err(AppError::Invalid(msg!("messages.configuration_name", max = 128)));
    }
    let known = known_variables(&state.db).await?;
    for (label, text) in profile.fields() {
        if let Some(unknown) = variables::unknown(text, &known).first() {
            return Err(AppError::Invalid(msg!("messages.unknown_variable", name = unknown).with_term("field", label)));
        }
        if text.chars().count() > 1024 {
            return Err(AppError::Invalid(msg!("messages.profile_field_too_long", max = 1024).with_term("field", label)));
        }
    }
    Ok(store::configurations::save(&state.db, id, name, &profile, &admin.username).await?)
}

#[server]
pub async fn delete_configuration(id: i64) -> Result<(), AppError> {
    let (state, admin) = require_admin().await?;
    Ok(store::configurations::delete(&state.db, id, &admin.username).await?)
}

/// Each field as the user with `user_name` would receive it.
#[server(input = leptos::server_fn::codec::Json)]
pub async fn preview_configuration(profile: EmailAccountProfile, user_name: String) -> Result<Vec<PreviewField>, AppError> {
    let (state, _) = require_admin().await?;
    let values = store::users::variable_values(&state.db, &user_name)
        .await
        .map_err(internal)?
        .ok_or_else(|| AppError::NotFound(msg!("messages.no_user_named", name = user_name.trim())))?;
    Ok(profile
        .fields()
        .into_iter()
        .map(|(label, text)| {
            let filled = variables::substitute(text, &values);
            PreviewField { label: label.to_owned(), text: filled.text, missing: filled.missing }
        })
        .collect())
}
