//! SCIM requests as the portal lists them, scannable like Entra's provisioning logs: one line
//! each naming the user or group, what needs the admin set apart from expected answers, the
//! reason in the page's language; opened, the English detail as sent and the bodies, indented.
//! Everything an IdP sent is rendered as text, never as markup.

use crate::app::components::pager::link_with;
use crate::app::components::time::Time;
use crate::domain::request_outcome::{keeps_response_body, pretty_body, reason_key, Outcome};
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
    let outcome = entry.outcome();
    let reason = reason_key(entry.status, entry.scim_type.as_deref()).map(|key| tr!(key));
    let as_sent = match (&entry.scim_type, &entry.detail) {
        (Some(scim_type), Some(detail)) => Some(format!("{scim_type}: {detail}")),
        (None, Some(detail)) => Some(detail.clone()),
        (Some(scim_type), None) => Some(scim_type.clone()),
        (None, None) => None,
    };
    let (badge, note) = match outcome {
        Outcome::Succeeded => (None, None),
        Outcome::Expected if entry.status == 409 => (Some(tr!("log.expected")), Some(tr!("log.expected_resolved"))),
        Outcome::Expected => (Some(tr!("log.expected")), Some(tr!("log.expected_gone"))),
        Outcome::NeedsAttention => (Some(tr!("log.needs_attention")), None),
    };
    // A successful read's response is the stored resource; the log does not keep a copy of it.
    let no_response =
        if keeps_response_body(&entry.method, &entry.path, entry.status) { tr!("log.no_body") } else { tr!("log.read_body_not_kept") };
    let kind = entry.resource_type.clone().map(|kind| if kind == "Group" { tr!("log.group") } else { tr!("log.user") });
    view! {
        <li class="request" class:failed={outcome == Outcome::NeedsAttention} class:expected={outcome == Outcome::Expected}>
            <details>
                <summary>
                    <Time at=entry.occurred_at.clone()/>
                    <span class="idp">{entry.idp.display_name()}</span>
                    <span class="status">{entry.status}</span>
                    {badge.map(|badge| view! { <span class="badge" class:off={outcome == Outcome::NeedsAttention} class:neutral={outcome == Outcome::Expected}>{badge}</span> })}
                    {entry.resource_name.clone().map(|name| view! { <strong class="resource-name">{name}</strong> })}
                    <code>{format!("{} {}", entry.method, entry.path)}</code>
                    <span class="duration">{format!("{:.1} ms", entry.duration_ms)}</span>
                    {reason.map(|reason| view! { <span class="problem">{reason}</span> })}
                </summary>
                <dl>
                    {note.map(|note| view! { <dt>{tr!("log.outcome")}</dt><dd>{note}</dd> })}
                    {entry.resource_id.map(|id| view! {
                        <dt>{tr!("log.resource")}</dt>
                        <dd>
                            {format!("{} {} ", kind.unwrap_or_default(), entry.resource_name.unwrap_or_default())}
                            <code>{id.clone()}</code>" "
                            <a href=link_with("/admin/identity/provisioning-log", &Default::default(), &[("resource", id.clone())])>{tr!("log.all_about_it")}</a>
                        </dd>
                    })}
                    {as_sent.map(|as_sent| view! { <dt>{tr!("log.as_sent")}</dt><dd><code>{as_sent}</code></dd> })}
                    <dt>{tr!("log.request")}</dt>
                    <dd><pre>{entry.request_body.as_deref().map_or_else(|| tr!("log.no_body"), pretty_body)}</pre></dd>
                    <dt>{tr!("log.response")}</dt>
                    <dd><pre>{entry.response_body.as_deref().map_or(no_response, pretty_body)}</pre></dd>
                </dl>
            </details>
        </li>
    }
}
