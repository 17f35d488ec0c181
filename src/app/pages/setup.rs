//! First run: create the first administrator with the one-time code from the server log.

use crate::api::auth::CompleteSetup;
use crate::app::components::status::ErrorMessage;
use crate::app::i18n::LanguageSwitcher;
use crate::domain::validate::PASSWORD_MIN;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SetupPage() -> impl IntoView {
    let setup = ServerAction::<CompleteSetup>::new();
    let error = move || setup.value().get().and_then(Result::err);

    view! {
        <Title text=tr!("setup.title")/>
        <main class="auth-card" id="main">
            <LanguageSwitcher/>
            <h1>{tr!("setup.title")}</h1>
            <p>{tr!("setup.intro")}</p>
            <ActionForm action=setup attr:aria-label=tr!("setup.form")>
                <label for="code">{tr!("setup.code")}</label>
                <input id="code" name="code" autocomplete="one-time-code" required placeholder="XXXX-XXXX-XXXX"/>
                <label for="username">{tr!("setup.username")}</label>
                <input id="username" name="username" autocomplete="username" required/>
                <label for="password">{tr!("setup.password")}</label>
                <input id="password" name="password" type="password" autocomplete="new-password" required minlength=PASSWORD_MIN/>
                <label for="confirm">{tr!("setup.password_again")}</label>
                <input id="confirm" name="confirm" type="password" autocomplete="new-password" required minlength=PASSWORD_MIN/>
                <p class="hint">{tr!("setup.password_min", count = PASSWORD_MIN)}</p>
                {move || error().map(|error| view! { <ErrorMessage error/> })}
                <button type="submit" class="button" disabled=move || setup.pending().get()>{tr!("setup.create")}</button>
            </ActionForm>
        </main>
    }
}
