//! Audit Trail: who changed what, newest first (T5), filtered by kind of event and by text.
//! The filters live in the URL, so paging keeps them.

use crate::api::portal::{list_audit_events, PAGE_SIZE};
use crate::app::components::pager::{current_page, query_text, Pager};
use crate::app::components::status::{ErrorMessage, Loading};
use crate::app::components::time::Time;
use crate::app::i18n::use_locale;
use crate::domain::audit::Action;
use crate::models::AuditFilter;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditPage() -> impl IntoView {
    let page = current_page();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let query = query.read();
        AuditFilter { action: query_text(&query, "action"), text: query_text(&query, "q") }
    });
    let events = Resource::new(move || (filter.get(), page.get()), |(filter, page)| list_audit_events(filter, (page - 1) * PAGE_SIZE));
    // Every kind of event, by its name in the page's language; the value is the stored label.
    let mut actions: Vec<(String, &'static str)> = Action::all().map(|action| (tr!(action.key()), action.label())).collect();
    actions.sort();
    let value = move |key: &'static str| query.read().get(key).unwrap_or_default();

    view! {
        <Title text=tr!("nav.audit")/>
        <h1>{tr!("nav.audit")}</h1>
        <Form method="GET" action="/audit" attr:class="filters" attr:aria-label=tr!("audit.filter")>
            <label>{tr!("audit.event")}
                <select name="action" prop:value=move || value("action")>
                    <option value="">{tr!("audit.all_events")}</option>
                    {actions.into_iter().map(|(name, label)| {
                        view! { <option value=label selected=move || value("action") == label>{name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>{tr!("audit.text")}
                <input name="q" type="search" prop:value=move || value("q")/>
            </label>
            <button type="submit" class="button">{tr!("common.show")}</button>
            <a href="/audit">{tr!("common.clear")}</a>
        </Form>
        <Transition fallback=Loading>
            {move || events.get().map(|result| match result {
                Err(error) => view! { <ErrorMessage error/> }.into_any(),
                Ok(list) if list.items.is_empty() => view! { <p class="empty">{tr!("audit.empty")}</p> }.into_any(),
                Ok(list) => view! {
                    <table class="data">
                        <thead><tr>
                            <th scope="col">{tr!("audit.time")}</th>
                            <th scope="col">{tr!("audit.event")}</th>
                            <th scope="col">{tr!("audit.administrator")}</th>
                            <th scope="col">{tr!("audit.details")}</th>
                        </tr></thead>
                        <tbody>
                            {list.items.into_iter().map(|event| {
                                let details = event.details_in(use_locale().code());
                                view! {
                                <tr>
                                    <td><Time at=event.occurred_at/></td>
                                    <td>{event_name(&event.action)}</td>
                                    <td>{event.actor}</td>
                                    <td>{details}</td>
                                </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    <Pager base="/audit" page=page.get_untracked() total=list.total page_size=PAGE_SIZE/>
                }.into_any(),
            })}
        </Transition>
    }
}

/// A stored event label in the page's language (an unknown one as it is).
fn event_name(label: &str) -> String {
    Action::from_label(label).map_or_else(|| label.to_owned(), |action| tr!(action.key()))
}
