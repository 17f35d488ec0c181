//! The signed-in admin's own account: change the password, sign out everywhere.

use crate::api::auth::{ChangePassword, SignOutEverywhere};
use crate::app::components::status::ErrorMessage;
use crate::domain::validate::PASSWORD_MIN;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountPage() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    let changed = move || matches!(change.value().get(), Some(Ok(())));
    let change_error = move || change.value().get().and_then(Result::err);
    let everywhere_error = move || everywhere.value().get().and_then(Result::err);

    view! {
        <Title text=tr!("account.title")/>
        <h1>{tr!("account.title")}</h1>
        <section aria-labelledby="password-heading">
            <h2 id="password-heading">{tr!("account.change_password")}</h2>
            <ActionForm action=change attr:aria-label=tr!("account.change_password")>
                <label for="current">{tr!("account.current_password")}</label>
                <input id="current" name="current" type="password" autocomplete="current-password" required/>
                <label for="password">{tr!("account.new_password")}</label>
                <input id="password" name="password" type="password" autocomplete="new-password" required minlength=PASSWORD_MIN/>
                <label for="confirm">{tr!("account.new_password_again")}</label>
                <input id="confirm" name="confirm" type="password" autocomplete="new-password" required minlength=PASSWORD_MIN/>
                <p class="hint">{tr!("setup.password_min", count = PASSWORD_MIN)}</p>
                {move || change_error().map(|error| view! { <ErrorMessage error/> })}
                {move || changed().then(|| view! { <p role="status">{tr!("account.password_changed")}</p> })}
                <button type="submit" class="button" disabled=move || change.pending().get()>{tr!("account.change_password")}</button>
            </ActionForm>
        </section>
        <section aria-labelledby="everywhere-heading">
            <h2 id="everywhere-heading">{tr!("account.sign_out_everywhere")}</h2>
            <p>{tr!("account.sign_out_everywhere_hint")}</p>
            <ActionForm action=everywhere>
                <button type="submit" class="button secondary">{tr!("account.sign_out_everywhere")}</button>
            </ActionForm>
            {move || everywhere_error().map(|error| view! { <ErrorMessage error/> })}
        </section>
    }
}
