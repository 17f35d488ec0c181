//! SCIM requests as the portal lists them: one line each, opening to the redacted bodies.
//! Everything an IdP sent is rendered as text, never as markup.

use crate::app::components::pager::link_with;
use crate::app::components::time::Time;
use crate::models::ScimRequestEntry;
use crate::tr;
use leptos::prelude::*;

#[component]
pub fn RequestList(entries: Vec<ScimRequestEntry>) -> impl IntoView {
    view! {
        <ul class="requests">
            {entries.into_iter().map(|entry| view! { <RequestItem entry/> }).collect_view()}
        </ul>
    }
}

#[component]
fn RequestItem(entry: ScimRequestEntry) -> impl IntoView {
    let failed = entry.status >= 400;
    let problem = match (&entry.scim_type, &entry.detail) {
        (Some(scim_type), Some(detail)) => Some(format!("{scim_type}: {detail}")),
        (None, Some(detail)) => Some(detail.clone()),
        (Some(scim_type), None) => Some(scim_type.clone()),
        (None, None) => None,
    };
    view! {
        <li class="request" class:failed=failed>
            <details>
                <summary>
                    <Time at=entry.occurred_at.clone()/>
                    <span class="idp">{entry.idp.display_name()}</span>
                    <span class="status">{entry.status}</span>
                    <code>{format!("{} {}", entry.method, entry.path)}</code>
                    <span class="duration">{format!("{:.1} ms", entry.duration_ms)}</span>
                    {problem.map(|problem| view! { <span class="problem">{problem}</span> })}
                </summary>
                <dl>
                    {entry.resource_id.map(|id| view! {
                        <dt>{tr!("log.resource")}</dt>
                        <dd>
                            {format!("{} {id} ", entry.resource_type.unwrap_or_default())}
                            <a href=link_with("/admin/identity/provisioning-log", &Default::default(), &[("resource", id.clone())])>{tr!("log.all_about_it")}</a>
                        </dd>
                    })}
                    <dt>{tr!("log.request")}</dt>
                    <dd><pre>{entry.request_body.unwrap_or_else(|| tr!("log.no_body"))}</pre></dd>
                    <dt>{tr!("log.response")}</dt>
                    <dd><pre>{entry.response_body.unwrap_or_else(|| tr!("log.no_body"))}</pre></dd>
                </dl>
            </details>
        </li>
    }
}
