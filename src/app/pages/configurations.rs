//! Configurations (A7): an email account profile whose fields may use `${variables}`, each
//! filled in per user. Unknown variables are flagged as the admin types; a preview shows the
//! result for any user.

use crate::api::configurations::{
    delete_configuration, get_configuration, list_configurations, list_variables, preview_configuration, save_configuration,
};
use crate::api::AppError;
use crate::app::components::dialog::DeleteButton;
use crate::app::components::status::{ErrorMessage, Loading};
use crate::app::components::time::readable_time;
use crate::domain::variables;
use crate::models::{Configuration, EmailAccountProfile};
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn ConfigurationsPage() -> impl IntoView {
    let configurations = Resource::new(|| (), |_| list_configurations());
    view! {
        <Title text=tr!("nav.configurations")/>
        <div class="page-head">
            <h1>{tr!("nav.configurations")}</h1>
            <A href="/configurations/new" attr:class="button">{tr!("configurations.new")}</A>
        </div>
        <p class="lead">{tr!("configurations.lead")}</p>
        <Transition fallback=Loading>
            {move || configurations.get().map(|result| match result {
                Err(error) => view! { <ErrorMessage error/> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="empty">{tr!("configurations.empty")}</p> }.into_any(),
                Ok(list) => view! {
                    <table class="data">
                        <thead><tr>
                            <th scope="col">{tr!("configurations.name")}</th>
                            <th scope="col">{tr!("configurations.email_address")}</th>
                            <th scope="col">{tr!("configurations.last_changed")}</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|configuration| view! {
                                <tr>
                                    <td><A href=format!("/configurations/{}", configuration.id)>{configuration.name}</A></td>
                                    <td><code>{configuration.profile.email_address}</code></td>
                                    <td>{tr!("configurations.changed_by", time = readable_time(&configuration.updated_at), admin = configuration.updated_by)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            })}
        </Transition>
    }
}

/// `/configurations/new` and `/configurations/:id`.
#[component]
pub fn ConfigurationPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|id| id.parse::<i64>().ok()));
    // Both resources live here, at the page's top, and are awaited together below. A resource
    // created inside the <Transition>'s children is created anew each time server rendering
    // walks them again: that hung the render and, with it, the server's workers, and it
    // resolved differently on the server and in the browser (a hydration panic on direct loads).
    let configuration = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_configuration(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let known = Resource::new(|| (), |_| list_variables());
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                let known = known.await;
                match configuration.await {
                    Err(error) => view! { <Title text=tr!("configurations.title")/> <h1>{tr!("configurations.title")}</h1> <ErrorMessage error/> }.into_any(),
                    Ok(existing) => view! { <ConfigurationEditor existing known/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `known` is the list of variable names a field may use (or why it could not be read).
#[component]
fn ConfigurationEditor(existing: Option<Configuration>, known: Result<Vec<String>, AppError>) -> impl IntoView {
    let id = existing.as_ref().map(|c| c.id);
    let title = existing.as_ref().map(|c| c.name.clone()).unwrap_or_else(|| tr!("configurations.new"));
    let name = RwSignal::new(existing.as_ref().map(|c| c.name.clone()).unwrap_or_default());
    let profile = RwSignal::new(existing.map(|c| c.profile).unwrap_or_else(|| EmailAccountProfile {
        email_address: "${email}".into(),
        display_name: "${displayName}".into(),
        account_user_name: "${userName}".into(),
        ..Default::default()
    }));
    let known_error = known.as_ref().err().cloned();
    let known_names = StoredValue::new(known.unwrap_or_default());

    let save = Action::new(move |(name, profile): &(String, EmailAccountProfile)| save_configuration(id, name.clone(), profile.clone()));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let (Some(Ok(saved)), None) = (save.value().get(), id) {
            navigate(&format!("/configurations/{saved}"), Default::default());
        }
    });
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        save.dispatch((name.get_untracked(), profile.get_untracked()));
    };

    let field = move |label: &'static str, get: fn(&EmailAccountProfile) -> &String, set: fn(&mut EmailAccountProfile, String)| {
        let unknown = move || {
            known_names.with_value(|known| {
                if known.is_empty() {
                    return Vec::new();
                }
                profile.with(|p| variables::unknown(get(p), known).into_iter().map(str::to_owned).collect::<Vec<_>>())
            })
        };
        // One polite live region per field, there from the start: read out when it changes,
        // not as a new alert on every keystroke.
        let warning_id = format!("warning-{}", label.replace('.', "-"));
        view! {
            <label>{tr!(label)}
                <input type="text" maxlength="1024" prop:value=move || profile.with(|p| get(p).clone())
                    aria-describedby=warning_id.clone() aria-invalid=move || (!unknown().is_empty()).to_string()
                    on:input=move |e| profile.update(|p| set(p, event_target_value(&e)))/>
            </label>
            <p class="field-warning" id=warning_id aria-live="polite">
                {move || {
                    let unknown = unknown();
                    (!unknown.is_empty()).then(|| {
                        tr!("configurations.unknown_variable", names = unknown.iter().map(|n| format!("${{{n}}}")).collect::<Vec<_>>().join(", "))
                    })
                }}
            </p>
        }
    };

    view! {
        <Title text=title.clone()/>
        <p class="breadcrumb"><A href="/configurations">{tr!("nav.configurations")}</A></p>
        <div class="page-head">
            <h1>{title}</h1>
            {id.map(|id| view! { <DeleteConfiguration id/> })}
        </div>
        <form class="stack config-form" on:submit=on_submit aria-label=tr!("configurations.form")>
            <label>{tr!("configurations.name")}
                <input type="text" required maxlength="128" prop:value=name on:input=move |e| name.set(event_target_value(&e))/>
            </label>
            {field("configurations.email_address", |p| &p.email_address, |p, v| p.email_address = v)}
            {field("configurations.display_name", |p| &p.display_name, |p, v| p.display_name = v)}
            {field("configurations.account_user_name", |p| &p.account_user_name, |p, v| p.account_user_name = v)}
            {field("configurations.incoming_server", |p| &p.incoming_server, |p, v| p.incoming_server = v)}
            {field("configurations.outgoing_server", |p| &p.outgoing_server, |p, v| p.outgoing_server = v)}
            <p class="hint">
                {tr!("configurations.variables")}
                {known_names.get_value().into_iter().map(|name| view! { <code>{format!("${{{name}}}")}</code>" " }).collect_view()}
            </p>
            {known_error.map(|error| view! { <ErrorMessage error/> })}
            <div>
                <button type="submit" class="button" disabled=move || save.pending().get()>{tr!("common.save")}</button>
            </div>
            {move || save.value().get().map(|result| match result {
                Ok(_) => view! { <p class="ok" role="status">{tr!("configurations.saved")}</p> }.into_any(),
                Err(error) => view! { <ErrorMessage error/> }.into_any(),
            })}
        </form>
        <Preview profile/>
    }
}

/// The profile as one user would receive it.
#[component]
fn Preview(profile: RwSignal<EmailAccountProfile>) -> impl IntoView {
    let user_name = RwSignal::new(String::new());
    let preview = Action::new(move |user_name: &String| preview_configuration(profile.get_untracked(), user_name.clone()));
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        preview.dispatch(user_name.get_untracked());
    };
    view! {
        <section aria-labelledby="preview-heading">
            <h2 id="preview-heading">{tr!("configurations.preview_heading")}</h2>
            <form class="inline-form" on:submit=on_submit aria-label=tr!("configurations.preview_heading")>
                <label>{tr!("configurations.user_name")}
                    <input type="text" required prop:value=user_name on:input=move |e| user_name.set(event_target_value(&e))/>
                </label>
                <button type="submit" class="button secondary" disabled=move || preview.pending().get()>{tr!("configurations.preview")}</button>
            </form>
            {move || preview.value().get().map(|result| match result {
                Err(error) => view! { <ErrorMessage error/> }.into_any(),
                Ok(fields) => view! {
                    <table class="data preview">
                        <thead><tr><th scope="col">{tr!("configurations.field")}</th><th scope="col">{tr!("configurations.value_for_user")}</th></tr></thead>
                        <tbody>
                            {fields.into_iter().map(|field| view! {
                                <tr>
                                    <td>{tr!(&field.label)}</td>
                                    <td>
                                        {field.text}
                                        {(!field.missing.is_empty()).then(|| view! {
                                            <span class="field-warning">
                                                {tr!("configurations.no_value_for", names = field.missing.join(", "))}
                                            </span>
                                        })}
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            })}
        </section>
    }
}

#[component]
fn DeleteConfiguration(id: i64) -> impl IntoView {
    view! {
        <DeleteButton
            label=tr!("common.delete")
            title=tr!("configurations.delete_title")
            message=tr!("configurations.delete_message")
            delete=move || delete_configuration(id)
            then="/configurations"
        />
    }
}
