//! Admin > Identity > User Provisioning: one page per IdP (I1) with its SCIM URL, workflow stage
//! (C2), token status table (T3) and settings (S1-S3).

use crate::api::portal::provisioning_overview;
use crate::app::components::request_log::RequestList;
use crate::app::components::status::{ErrorMessage, Loading};
use crate::app::components::time::readable_time;
use crate::domain::idp::Idp;
use crate::models::IdpOverview;
use crate::tr;
use invitations::InvitationsPanel;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};
use settings::SettingsPanel;
use tokens::TokenPanel;

mod invitations;
mod settings;
mod tokens;

#[component]
pub fn ProvisioningPage() -> impl IntoView {
    let params = use_params_map();
    let idp = Memo::new(move |_| params.read().get("idp").and_then(|s| s.parse::<Idp>().ok()));
    let overview_resource = Resource::new(
        move || idp.get(),
        |idp| async move {
            match idp {
                Some(idp) => Some(provisioning_overview(idp).await),
                None => None,
            }
        },
    );
    // The token table's rows, redrawn from each re-read of the overview.
    let tokens = Signal::derive(move || match overview_resource.get() {
        Some(Some(Ok(overview))) => Some(overview.tokens),
        _ => None,
    });
    // Worked out here, where the page's language is known: the title is also read outside it.
    let title = Memo::new(move |_| idp.get().map(page_title).unwrap_or_else(|| tr!("nav.provisioning")));
    let navigate = use_navigate();
    let on_select = move |event: leptos::ev::Event| {
        navigate(&format!("/admin/identity/provisioning/{}", event_target_value(&event)), Default::default());
    };

    view! {
        <Title text=move || title.get()/>
        <h1>{move || title.get()}</h1>
        <label for="idp-select">{tr!("provisioning.select_idp")}</label>
        <select id="idp-select" on:change=on_select prop:value=move || idp.get().map(Idp::slug).unwrap_or_default()>
            {Idp::ALL.into_iter().map(|option| view! {
                <option value=option.slug() selected=move || idp.get() == Some(option)>{option.display_name()}</option>
            }).collect_view()}
        </select>
        <Transition fallback=Loading>
            {move || overview_resource.get().map(|result| match result {
                None => view! { <p class="error" role="alert">{tr!("provisioning.unknown_idp")}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorMessage error/> }.into_any(),
                Some(Ok(overview)) => view! { <Overview overview/> }.into_any(),
            })}
        </Transition>
        // Built once per IdP, outside the overview: re-reading it after a token action then keeps
        // the secret just shown, the focus and any unsaved settings.
        {move || idp.get().map(|idp| view! {
            <TokenPanel idp tokens on_change=Callback::new(move |_| overview_resource.refetch())/>
            <SettingsPanel idp/>
            <InvitationsPanel idp/>
        })}
    }
}

fn page_title(idp: Idp) -> String {
    match idp {
        Idp::Entra => tr!("provisioning.title_entra"),
        Idp::Okta => tr!("provisioning.title_okta"),
    }
}

#[component]
fn Overview(overview: IdpOverview) -> impl IntoView {
    let IdpOverview { idp, scim_base_url, tokens, connected_at, users, groups, last_activity, last_errors } = overview;
    let has_tokens = !tokens.is_empty();
    let connected = connected_at.is_some();
    view! {
        <section aria-labelledby="stage-heading">
            <h2 id="stage-heading">{tr!("provisioning.stage.heading")}</h2>
            <ol class="stages">
                <li class:done=has_tokens>{tr!("provisioning.stage.token_generated")}</li>
                <li class:done=connected>
                    {match connected_at {
                        Some(at) => tr!("provisioning.stage.connected", idp = idp.display_name(), at = readable_time(&at)),
                        None => tr!("provisioning.stage.not_connected", idp = idp.display_name()),
                    }}
                </li>
                <li class:done=(users + groups > 0)>{tr!("provisioning.stage.received", users = users, groups = groups)}</li>
            </ol>
            <p class="hint">
                {match last_activity {
                    Some(at) => tr!("provisioning.last_activity", at = readable_time(&at)),
                    None => tr!("provisioning.no_request"),
                }}
                " "
                <a href=format!("/admin/identity/provisioning-log?idp={}", idp.slug())>{tr!("provisioning.see_requests", idp = idp.display_name())}</a>
            </p>
            {(!last_errors.is_empty()).then(|| view! {
                <h3>{tr!("provisioning.last_errors")}</h3>
                <RequestList entries=last_errors/>
            })}
        </section>
        <section aria-labelledby="url-heading">
            <h2 id="url-heading">{tr!("provisioning.scim_url")}</h2>
            <p><code class="scim-url">{scim_base_url}</code></p>
        </section>
    }
}
