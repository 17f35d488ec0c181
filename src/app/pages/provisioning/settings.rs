//! An IdP's settings on its User Provisioning page: auto-invite (S1), Managed Apple ID with the
//! "appleid" subdomain (S2, Entra ID only) and custom attributes (S3).

use crate::api::settings::{add_custom_attribute, delete_custom_attribute, get_idp_settings, list_custom_attributes, save_idp_settings};
use crate::app::components::status::{ErrorMessage, Loading};
use crate::domain::idp::Idp;
use crate::domain::scim::CUSTOM_USER_SCHEMA;
use crate::models::IdpSettings;
use crate::tr;
use leptos::prelude::*;

#[component]
pub fn SettingsPanel(idp: Idp) -> impl IntoView {
    let settings = Resource::new(move || idp, get_idp_settings);
    // The help pages open the settings with "Edit Settings" (設定の編集, Modifier les paramètres).
    let editing = RwSignal::new(false);
    view! {
        <section aria-labelledby="settings-heading">
            <div class="page-head">
                <h2 id="settings-heading">{tr!("provisioning.settings.heading", idp = idp.display_name())}</h2>
                <button type="button" class="button secondary" aria-expanded=move || editing.get().to_string() aria-controls="settings-editor"
                    on:click=move |_| editing.update(|open| *open = !*open)>{tr!("provisioning.settings.edit")}</button>
            </div>
            <div id="settings-editor" hidden=move || !editing.get()>
                <Transition fallback=Loading>
                    {move || settings.get().map(|result| match result {
                        Err(error) => view! { <ErrorMessage error/> }.into_any(),
                        Ok(saved) => view! { <SettingsForm idp saved/> }.into_any(),
                    })}
                </Transition>
                <CustomAttributes idp/>
            </div>
        </section>
    }
}

#[component]
fn SettingsForm(idp: Idp, saved: IdpSettings) -> impl IntoView {
    let auto_invite = RwSignal::new(saved.auto_invite);
    let managed_apple_id = RwSignal::new(saved.managed_apple_id);
    let appleid_subdomain = RwSignal::new(saved.appleid_subdomain);
    let save = Action::new(move |settings: &IdpSettings| save_idp_settings(idp, *settings));
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        save.dispatch(IdpSettings {
            auto_invite: auto_invite.get_untracked(),
            managed_apple_id: managed_apple_id.get_untracked(),
            appleid_subdomain: appleid_subdomain.get_untracked(),
        });
    };
    view! {
        <form class="settings" on:submit=on_submit aria-label=tr!("provisioning.settings.form")>
            <label class="check">
                <input type="checkbox" prop:checked=auto_invite on:change=move |e| auto_invite.set(event_target_checked(&e))/>
                {tr!("provisioning.settings.auto_invite", idp = idp.display_name())}
            </label>
            {(idp == Idp::Entra).then(|| view! {
                <fieldset>
                    <legend>{tr!("provisioning.settings.managed_apple_id")}</legend>
                    <label class="check">
                        <input type="checkbox" prop:checked=managed_apple_id on:change=move |e| managed_apple_id.set(event_target_checked(&e))/>
                        {tr!("provisioning.settings.derive")}
                    </label>
                    <label class="check nested">
                        <input type="checkbox" prop:checked=appleid_subdomain disabled=move || !managed_apple_id.get()
                            on:change=move |e| appleid_subdomain.set(event_target_checked(&e))/>
                        {tr!("provisioning.settings.appleid_subdomain")}
                    </label>
                </fieldset>
            })}
            <button type="submit" class="button" disabled=move || save.pending().get()>{tr!("provisioning.settings.save")}</button>
            {move || save.value().get().map(|result| match result {
                Ok(_) => view! { <p class="ok" role="status">{tr!("provisioning.settings.saved")}</p> }.into_any(),
                Err(error) => view! { <ErrorMessage error/> }.into_any(),
            })}
        </form>
    }
}

/// S3: the names an IdP can map into the custom extension; each also appears on
/// Admin > System > Attributes (A5).
#[component]
fn CustomAttributes(idp: Idp) -> impl IntoView {
    let add = Action::new(move |name: &String| add_custom_attribute(idp, name.clone()));
    let remove = Action::new(move |name: &String| delete_custom_attribute(idp, name.clone()));
    let attributes = Resource::new(
        move || (add.version().get(), remove.version().get()),
        move |_| async move { list_custom_attributes().await.map(|all| all.into_iter().filter(|a| a.idp == idp).collect::<Vec<_>>()) },
    );
    let name = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value().get() {
            name.set(String::new());
        }
    });
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        add.dispatch(name.get_untracked());
    };
    view! {
        <h3 id="custom-attributes-heading">{tr!("provisioning.settings.custom_attributes")}</h3>
        <p class="hint">
            {tr!("provisioning.settings.map_prefix", idp = idp.display_name())}
            <code>{format!("{CUSTOM_USER_SCHEMA}:<name>")}</code>
            {tr!("provisioning.settings.map_suffix")}
        </p>
        <Transition fallback=Loading>
            {move || attributes.get().map(|result| match result {
                Err(error) => view! { <ErrorMessage error/> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="empty">{tr!("provisioning.settings.no_attributes")}</p> }.into_any(),
                Ok(list) => view! {
                    <ul class="attribute-list" aria-labelledby="custom-attributes-heading">
                        {list.into_iter().map(|attribute| {
                            let name = attribute.name.clone();
                            view! {
                                <li>
                                    <code>{attribute.name.clone()}</code>
                                    <button type="button" class="button secondary small" aria-label=tr!("provisioning.settings.remove_named", name = attribute.name)
                                        on:click=move |_| { remove.dispatch(name.clone()); }>{tr!("provisioning.settings.remove")}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Transition>
        <form class="inline-form" on:submit=on_submit aria-label=tr!("provisioning.settings.add_form")>
            <label>{tr!("provisioning.settings.attribute_name")}
                <input type="text" required maxlength="64" placeholder=tr!("provisioning.settings.attribute_placeholder") prop:value=name on:input=move |e| name.set(event_target_value(&e))/>
            </label>
            <button type="submit" class="button" disabled=move || add.pending().get()>{tr!("provisioning.settings.add")}</button>
        </form>
        {move || add.value().get().and_then(Result::err).map(|error| view! { <ErrorMessage error/> })}
        {move || remove.value().get().and_then(Result::err).map(|error| view! { <ErrorMessage error/> })}
    }
}
