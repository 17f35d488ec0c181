use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=tr!("not_found.title")/>
        <main class="auth-card" id="main">
            <h1>{tr!("not_found.heading")}</h1>
            <p><a href="/users">{tr!("not_found.back")}</a></p>
        </main>
    }
}
