//! User Groups, with member counts; "All Users" is built in.

use crate::api::portal::{list_groups, PAGE_SIZE};
use crate::app::components::pager::{current_page, Pager};
use crate::app::components::status::{ErrorMessage, Loading};
use crate::domain::idp::Source;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn GroupsPage() -> impl IntoView {
    let page = current_page();
    let groups = Resource::new(move || page.get(), |page| list_groups((page - 1) * PAGE_SIZE));

    view! {
        <Title text="User Groups"/>
        <h1>"User Groups"</h1>
        <Transition fallback=Loading>
            {move || groups.get().map(|result| match result {
                Err(error) => view! { <ErrorMessage error/> }.into_any(),
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
                                    <td>{group.display_name}</td>
                                    <td>{Source::parse(&group.source).map(Source::label).unwrap_or("Unknown")}</td>
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
