//! How a page says "loading" and "that failed".

use crate::api::AppError;
use crate::app::i18n::use_locale;
use crate::tr;
use leptos::prelude::*;

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">{tr!("common.loading")}</p> }
}

/// A readable error; a lapsed session links to sign-in.
#[component]
pub fn ErrorMessage(error: AppError) -> impl IntoView {
    let unauthorized = error == AppError::Unauthorized;
    // A lapsed session: on to sign-in, and back to this page afterwards.
    if unauthorized {
        Effect::new(|_| {
            let location = window().location();
            let back = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
            let _ = location.assign(&crate::domain::return_to::sign_in_url(&back));
        });
    }
    let message = match &error {
        AppError::Unauthorized => tr!("error.unauthorized"),
        AppError::Internal => tr!("error.internal"),
        AppError::Transport(detail) => tr!("error.transport", detail = detail),
        AppError::Invalid(message) | AppError::Conflict(message) | AppError::NotFound(message) => message.text(use_locale().code()),
    };
    view! {
        <p class="error" role="alert">
            {message}
            {unauthorized.then(|| view! { " " <a href="/login">{tr!("common.sign_in")}</a> })}
        </p>
    }
}
