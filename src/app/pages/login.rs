//! Sign-in.

use crate::api::auth::SignIn;
use crate::app::components::status::ErrorMessage;
use crate::app::i18n::LanguageSwitcher;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LoginPage() -> impl IntoView {
    let sign_in = ServerAction::<SignIn>::new();
    let error = move || sign_in.value().get().and_then(Result::err);
    // Where a lapsed session was sent from (`/login?next=…`): sign-in goes back there.
    let next = leptos_router::hooks::use_query_map().get_untracked().get("next");

    view! {
        <Title text=tr!("common.sign_in")/>
        <main class="auth-card" id="main">
            <LanguageSwitcher/>
            <h1>{tr!("login.title")}</h1>
            <ActionForm action=sign_in attr:aria-label=tr!("common.sign_in")>
                <label for="username">{tr!("login.username")}</label>
                <input id="username" name="username" autocomplete="username" required autofocus/>
                <label for="password">{tr!("login.password")}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required/>
                {next.map(|next| view! { <input type="hidden" name="next" value=next/> })}
                {move || error().map(|error| view! { <ErrorMessage error/> })}
                <button type="submit" class="button" disabled=move || sign_in.pending().get()>{tr!("common.sign_in")}</button>
            </ActionForm>
        </main>
    }
}
