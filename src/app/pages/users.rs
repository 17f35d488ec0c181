//! Users: everything provisioned or created, server-paged.

use crate::api::portal::{list_users, PAGE_SIZE};
use crate::app::components::pager::{current_page, Pager};
use crate::app::components::status::{ErrorMessage, Loading};
use crate::domain::idp::Source;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn UsersPage() -> impl IntoView {
    let page = current_page();
    let users = Resource::new(move || page.get(), |page| list_users((page - 1) * PAGE_SIZE));

    view! {
        <Title text="Users"/>
        <h1>"Users"</h1>
        <Transition fallback=Loading>
            {move || users.get().map(|result| match result {
                Err(error) => view! { <ErrorMessage error/> }.into_any(),
                Ok(list) if list.items.is_empty() => view! {
                    <p class="empty">
                        "No users yet. Users appear here when Entra ID or Okta provisions them; "
                        "connect an identity provider under Admin › Identity › User Provisioning."
                    </p>
                }.into_any(),
                Ok(list) => view! {
                    <table class="data">
                        <thead><tr>
                            <th scope="col">"User name"</th>
                            <th scope="col">"Display name"</th>
                            <th scope="col">"Email"</th>
                            <th scope="col">"Source"</th>
                            <th scope="col">"Status"</th>
                        </tr></thead>
                        <tbody>
                            {list.items.into_iter().map(|user| view! {
                                <tr>
                                    <td>{user.user_name}</td>
                                    <td>{user.display_name.unwrap_or_default()}</td>
                                    <td>{user.email.unwrap_or_default()}</td>
                                    <td>{Source::parse(&user.source).map(Source::label).unwrap_or("Unknown")}</td>
                                    <td>{if user.active { "Active" } else { "Suspended" }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <Pager base="/users" page=page.get_untracked() total=list.total page_size=PAGE_SIZE/>
                }.into_any(),
            })}
        </Transition>
    }
}
