//! How a page says "loading" and "that failed".

use crate::api::AppError;
use leptos::prelude::*;

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">"Loading…"</p> }
}

/// A readable error; a lapsed session links to sign-in.
#[component]
pub fn ErrorMessage(error: AppError) -> impl IntoView {
    let unauthorized = error == AppError::Unauthorized;
    view! {
        <p class="error" role="alert">
            {error.to_string()}
            {unauthorized.then(|| view! { " " <a href="/login">"Sign in"</a> })}
        </p>
    }
}
