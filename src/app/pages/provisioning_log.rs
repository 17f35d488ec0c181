//! Admin > Identity > Provisioning log: every SCIM request, newest first, filtered by IdP,
//! outcome, method, resource and time. The filters live in the URL, so a view can be linked
//! to (a user's page links to the changes and errors about that user).

use crate::api::portal::list_scim_requests;
use crate::app::components::pager::{link_with, query_text};
use crate::app::components::request_log::RequestList;
use crate::app::components::status::{ErrorMessage, Loading};
use crate::domain::idp::Idp;
use crate::models::{RequestOutcome, ScimRequestCursor, ScimRequestFilter};
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

const PATH: &str = "/admin/identity/provisioning-log";

#[component]
pub fn ProvisioningLogPage() -> impl IntoView {
    let query = use_query_map();
    let asked = Memo::new(move |_| {
        let query = query.read();
        (filter_from(&query), cursor_from(&query))
    });
    let page = Resource::new(move || asked.get(), |(filter, after)| list_scim_requests(filter, after));
    let value = move |key: &'static str| query.read().get(key).unwrap_or_default();

    view! {
        <Title text=tr!("log.title")/>
        <h1>{tr!("log.title")}</h1>
        <p class="lead">{tr!("log.lead")}</p>
        <Form method="GET" action=PATH attr:class="filters" attr:aria-label=tr!("log.filter")>
            <label>{tr!("log.idp")}
                <select name="idp" prop:value=move || value("idp")>
                    <option value="">{tr!("log.all")}</option>
                    {Idp::ALL.into_iter().map(|idp| view! { <option value=idp.slug() selected=move || value("idp") == idp.slug()>{idp.display_name()}</option> }).collect_view()}
                </select>
            </label>
            <label>{tr!("log.outcome")}
                <select name="outcome" prop:value=move || value("outcome")>
                    <option value="">{tr!("log.all")}</option>
                    <option value="succeeded" selected=move || value("outcome") == "succeeded">{tr!("log.succeeded")}</option>
                    <option value="failed" selected=move || value("outcome") == "failed">{tr!("log.failed")}</option>
                </select>
            </label>
            <label>{tr!("log.method")}
                <select name="method" prop:value=move || value("method")>
                    <option value="">{tr!("log.all")}</option>
                    {["GET", "POST", "PUT", "PATCH", "DELETE"].into_iter().map(|m| view! { <option value=m selected=move || value("method") == m>{m}</option> }).collect_view()}
                </select>
            </label>
            <label>{tr!("log.resource_id")}
                <input name="resource" type="text" prop:value=move || value("resource")/>
            </label>
            <label>{tr!("log.from")}
                <input name="since" type="datetime-local" prop:value=move || value("since")/>
            </label>
            <label>{tr!("log.until")}
                <input name="until" type="datetime-local" prop:value=move || value("until")/>
            </label>
            <button type="submit" class="button">{tr!("common.show")}</button>
            <a href=PATH>{tr!("common.clear")}</a>
        </Form>
        {move || (!value("resource").is_empty()).then(|| view! { <p class="hint">{tr!("log.by_resource_hint")}</p> })}
        <Transition fallback=Loading>
            {move || page.get().map(|result| match result {
                Err(error) => view! { <ErrorMessage error/> }.into_any(),
                Ok(page) if page.items.is_empty() => view! { <p class="empty">{tr!("log.empty")}</p> }.into_any(),
                Ok(page) => {
                    let older = page.next.map(|next| {
                        link_with(PATH, &query.get_untracked(), &[("after_at", next.occurred_at), ("after_id", next.id.to_string())])
                    });
                    view! {
                        <RequestList entries=page.items/>
                        {older.map(|href| view! { <nav class="pager" aria-label=tr!("common.pages")><a href=href rel="next">{tr!("log.older")}</a></nav> })}
                    }.into_any()
                }
            })}
        </Transition>
    }
}

fn filter_from(query: &ParamsMap) -> ScimRequestFilter {
    let text = |key: &str| query_text(query, key);
    ScimRequestFilter {
        idp: text("idp").and_then(|idp| idp.parse().ok()),
        outcome: text("outcome").and_then(|outcome| match outcome.as_str() {
            "succeeded" => Some(RequestOutcome::Succeeded),
            "failed" => Some(RequestOutcome::Failed),
            status => status.parse().ok().map(RequestOutcome::Status),
        }),
        method: text("method"),
        resource_type: text("type"),
        resource_id: text("resource"),
        since: text("since").map(|at| utc(&at)),
        until: text("until").map(|at| utc(&at)),
    }
}

fn cursor_from(query: &ParamsMap) -> Option<ScimRequestCursor> {
    Some(ScimRequestCursor { occurred_at: query.get("after_at")?, id: query.get("after_id")?.parse().ok()? })
}

/// A `datetime-local` value (`2026-11-22T10:00`) as the log's UTC timestamps are written.
fn utc(at: &str) -> String {
    match at.len() {
        16 => format!("{at}:00Z"),
        19 => format!("{at}Z"),
        _ => at.to_owned(),
    }
}
