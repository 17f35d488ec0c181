//! First run: create the first administrator with the one-time code from the server log.

use crate::api::auth::CompleteSetup;
use crate::app::components::status::ErrorMessage;
use crate::domain::validate::PASSWORD_MIN;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SetupPage() -> impl IntoView {
    let setup = ServerAction::<CompleteSetup>::new();
    let error = move || setup.value().get().and_then(Result::err);

    view! {
        <Title text="Set up Provisio"/>
        <main class="auth-card" id="main">
            <h1>"Set up Provisio"</h1>
            <p>
                "Create the first administrator. The one-time setup code is printed in the server log \
                 when Provisio starts without an administrator."
            </p>
            <ActionForm action=setup attr:aria-label="Create the first administrator">
                <label for="code">"Setup code"</label>
                <input id="code" name="code" autocomplete="one-time-code" required placeholder="XXXX-XXXX-XXXX"/>
                <label for="username">"Username"</label>
                <input id="username" name="username" autocomplete="username" required/>
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="new-password" required minlength=PASSWORD_MIN/>
                <label for="confirm">"Password again"</label>
                <input id="confirm" name="confirm" type="password" autocomplete="new-password" required minlength=PASSWORD_MIN/>
                <p class="hint">{format!("At least {PASSWORD_MIN} characters.")}</p>
                {move || error().map(|error| view! { <ErrorMessage error/> })}
                <button type="submit" class="button" disabled=move || setup.pending().get()>"Create administrator"</button>
            </ActionForm>
        </main>
    }
}
