//! User Groups, with member counts and sources; "All Users" is built in and listed first.

use crate::api::directory::{list_groups, PAGE_SIZE};
use crate::app::components::pager::{current_page, query_text, Pager};
use crate::app::components::status::{ErrorMessage, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

#[component]
pub fn GroupsPage() -> impl IntoView {
    let page = current_page();
    let query = use_query_map();
    let text = Memo::new(move |_| query_text(&query.read(), "q"));
    let groups = Resource::new(move || (text.get(), page.get()), |(text, page)| list_groups(text, (page - 1) * PAGE_SIZE));

    view! {
        <Title text="User Groups"/>
        <h1>"User Groups"</h1>
        <Form method="GET" action="/groups" attr:class="filters" attr:aria-label="Filter groups">
            <label>"Name contains"
                <input name="q" type="search" prop:value=move || query.read().get("q").unwrap_or_default()/>
            </label>
            <button type="submit" class="button">"Show"</button>
            <a href="/groups">"Clear"</a>
        </Form>
        <Transition fallback=Loading>
            {move || groups.get().map(|result| match result {
                Err(error) => view! { <ErrorMessage error/> }.into_any(),
                Ok(list) if list.items.is_empty() => view! { <p class="empty">"No group matches."</p> }.into_any(),
                Ok(list) => view! {
                    <table class="data">
                        <thead><tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Source"</th>
                            <th scope="col" class="num">"Members"</th>
                        </tr></thead>
                        <tbody>
                            {list.items.into_iter().map(|group| view! {
                                <tr>
                                    <td><A href=format!("/groups/{}", group.id)>{group.display_name}</A></td>
                                    <td>{group.source.label()}</td>
                                    <td class="num">{group.member_count}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <Pager base="/groups" page=page.get_untracked() total=list.total page_size=PAGE_SIZE/>
                }.into_any(),
            })}
        </Transition>
    }
}
