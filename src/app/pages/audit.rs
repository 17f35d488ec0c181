//! Audit Trail: who changed what, newest first (T5).

use crate::api::portal::{list_audit_events, PAGE_SIZE};
use crate::app::components::pager::{current_page, Pager};
use crate::app::components::status::{ErrorMessage, Loading};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AuditPage() -> impl IntoView {
    let page = current_page();
    let events = Resource::new(move || page.get(), |page| list_audit_events((page - 1) * PAGE_SIZE));

    view! {
        <Title text="Audit Trail"/>
        <h1>"Audit Trail"</h1>
        <Transition fallback=Loading>
            {move || events.get().map(|result| match result {
                Err(error) => view! { <ErrorMessage error/> }.into_any(),
                Ok(list) if list.items.is_empty() => view! { <p class="empty">"Nothing has been recorded yet."</p> }.into_any(),
                Ok(list) => view! {
                    <table class="data">
                        <thead><tr>
                            <th scope="col">"Time (UTC)"</th>
                            <th scope="col">"Event"</th>
                            <th scope="col">"Administrator"</th>
                            <th scope="col">"Details"</th>
                        </tr></thead>
                        <tbody>
                            {list.items.into_iter().map(|event| view! {
                                <tr>
                                    <td><time datetime=event.occurred_at.clone()>{event.occurred_at.replace('T', " ").trim_end_matches('Z').to_owned()}</time></td>
                                    <td>{event.action}</td>
                                    <td>{event.actor}</td>
                                    <td>{event.details}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <Pager base="/audit" page=page.get_untracked() total=list.total page_size=PAGE_SIZE/>
                }.into_any(),
            })}
        </Transition>
    }
}
