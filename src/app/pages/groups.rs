//! User Groups, with member counts and sources; "All Users" is built in and listed first.

use super::group::group_name;
use crate::api::directory::{list_groups, PAGE_SIZE};
use crate::app::components::pager::{current_page, query_text, Pager};
use crate::app::components::status::{ErrorMessage, Loading};
use crate::tr;
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
        <Title text=tr!("groups.title")/>
        <h1>{tr!("groups.title")}</h1>
        <Form method="GET" action="/groups" attr:class="filters" attr:aria-label=tr!("groups.filter_label")>
            <label>{tr!("groups.name_contains")}
                <input name="q" type="search" prop:value=move || query.read().get("q").unwrap_or_default()/>
            </label>
            <button type="submit" class="button">{tr!("common.show")}</button>
            <a href="/groups">{tr!("common.clear")}</a>
        </Form>
        <Transition fallback=Loading>
            {move || groups.get().map(|result| match result {
                Err(error) => view! { <ErrorMessage error/> }.into_any(),
                Ok(list) if list.items.is_empty() => view! { <p class="empty">{tr!("groups.no_match")}</p> }.into_any(),
                Ok(list) => view! {
                    <table class="data">
                        <thead><tr>
                            <th scope="col">{tr!("groups.name")}</th>
                            <th scope="col">{tr!("users.source")}</th>
                            <th scope="col" class="num">{tr!("groups.members")}</th>
                        </tr></thead>
                        <tbody>
                            {list.items.into_iter().map(|group| view! {
                                <tr>
                                    <td><A href=format!("/groups/{}", group.id)>{group_name(&group.display_name, group.source)}</A></td>
                                    <td>{tr!(format!("source.{}", group.source.as_str()))}</td>
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
