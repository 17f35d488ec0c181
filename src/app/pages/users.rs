//! Users: everything provisioned or created, server-paged, searched, filtered and sorted in
//! the database. The filters live in the URL, so paging keeps them and a view can be linked.

use crate::api::directory::{create_local_user, list_users, PAGE_SIZE};
use crate::app::components::dialog::{modal_keys, return_focus_on_close};
use crate::app::components::pager::{current_page, query_text, Pager};
use crate::app::components::status::{ErrorMessage, Loading};
use crate::domain::idp::Source;
use crate::models::{NewLocalUser, UserFilter, UserSort, UserStatus};
use crate::tr;
use leptos::html;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn UsersPage() -> impl IntoView {
    let page = current_page();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let query = query.read();
        UserFilter {
            text: query_text(&query, "q"),
            source: query.get("source").as_deref().and_then(Source::parse),
            status: query.get("status").as_deref().and_then(UserStatus::parse),
            sort: query.get("sort").as_deref().and_then(UserSort::parse).unwrap_or_default(),
        }
    });
    let users = Resource::new(move || (filter.get(), page.get()), |(filter, page)| list_users(filter, (page - 1) * PAGE_SIZE));
    let value = move |key: &'static str| query.read().get(key).unwrap_or_default();
    let creating = RwSignal::new(false);

    view! {
        <Title text=tr!("users.title")/>
        <div class="page-head">
            <h1>{tr!("users.title")}</h1>
            <button type="button" class="button" on:click=move |_| creating.set(true)>{tr!("users.create_local")}</button>
        </div>
        <Show when=move || creating.get()>
            <CreateUserDialog on_close=Callback::new(move |_| creating.set(false))/>
        </Show>
        <Form method="GET" action="/users" attr:class="filters" attr:aria-label=tr!("users.filter_label")>
            <label>{tr!("users.search")}
                <input name="q" type="search" placeholder=tr!("users.search_placeholder") prop:value=move || value("q")/>
            </label>
            <label>{tr!("users.source")}
                <select name="source" prop:value=move || value("source")>
                    <option value="">{tr!("users.all_sources")}</option>
                    {Source::USERS.into_iter().map(|source| view! {
                        <option value=source.as_str() selected=move || value("source") == source.as_str()>{tr!(format!("source.{}", source.as_str()))}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{tr!("users.status")}
                <select name="status" prop:value=move || value("status")>
                    <option value="">{tr!("users.any_status")}</option>
                    {UserStatus::ALL.into_iter().map(|status| view! {
                        <option value=status.slug() selected=move || value("status") == status.slug()>{tr!(format!("status.{}", status.slug()))}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{tr!("users.sort_by")}
                // The order in effect is the one shown, the default included.
                <select name="sort" prop:value=move || filter.read().sort.slug()>
                    {UserSort::ALL.into_iter().map(|sort| view! {
                        <option value=sort.slug() selected=move || filter.read().sort == sort>{tr!(format!("users.sort.{}", sort.slug()))}</option>
                    }).collect_view()}
                </select>
            </label>
            <button type="submit" class="button">{tr!("common.show")}</button>
            <a href="/users">{tr!("common.clear")}</a>
        </Form>
        <Transition fallback=Loading>
            {move || users.get().map(|result| match result {
                Err(error) => view! { <ErrorMessage error/> }.into_any(),
                // A page past the end (a stale link, or a list that shrank): say so, and link back.
                Ok(list) if list.items.is_empty() && list.total > 0 => view! {
                    <p class="empty">{tr!("users.past_end", page = page.get_untracked(), total = list.total)}</p>
                    <Pager base="/users" page=page.get_untracked() total=list.total page_size=PAGE_SIZE/>
                }.into_any(),
                Ok(list) if list.items.is_empty() && filter.with_untracked(|f| f.text.is_none() && f.source.is_none() && f.status.is_none()) => view! {
                    <p class="empty">{tr!("users.empty")}</p>
                }.into_any(),
                Ok(list) if list.items.is_empty() => view! { <p class="empty">{tr!("users.no_match")}</p> }.into_any(),
                Ok(list) => view! {
                    <table class="data">
                        <thead><tr>
                            <th scope="col">{tr!("users.user_name")}</th>
                            <th scope="col">{tr!("users.display_name")}</th>
                            <th scope="col">{tr!("users.email")}</th>
                            <th scope="col">{tr!("users.source")}</th>
                            <th scope="col">{tr!("users.status")}</th>
                        </tr></thead>
                        <tbody>
                            {list.items.into_iter().map(|user| view! {
                                <tr>
                                    <td><A href=format!("/users/{}", user.id)>{user.user_name}</A></td>
                                    <td>{user.display_name.unwrap_or_default()}</td>
                                    <td>{user.email.unwrap_or_default()}</td>
                                    <td>{tr!(format!("source.{}", user.source.as_str()))}</td>
                                    <td><StatusBadge active=user.active/></td>
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

#[component]
pub fn StatusBadge(active: bool) -> impl IntoView {
    let status = UserStatus::of(active);
    view! { <span class="badge" class:off=!active>{tr!(format!("status.{}", status.slug()))}</span> }
}

/// The form for a local user; on success, goes to the new user's page.
#[component]
fn CreateUserDialog(on_close: Callback<()>) -> impl IntoView {
    let create = Action::new(move |new: &NewLocalUser| create_local_user(new.clone()));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            navigate(&format!("/users/{id}"), Default::default());
        }
    });
    let user_name = NodeRef::<html::Input>::new();
    let given_name = NodeRef::<html::Input>::new();
    let family_name = NodeRef::<html::Input>::new();
    let display_name = NodeRef::<html::Input>::new();
    let email = NodeRef::<html::Input>::new();
    return_focus_on_close();
    Effect::new(move |_| {
        if let Some(input) = user_name.get() {
            let _ = input.focus();
        }
    });
    let text = |field: NodeRef<html::Input>| field.get().map(|input| input.value()).unwrap_or_default();
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        create.dispatch(NewLocalUser {
            user_name: text(user_name),
            given_name: text(given_name),
            family_name: text(family_name),
            display_name: text(display_name),
            email: text(email),
        });
    };
    view! {
        <div class="backdrop">
            <form class="dialog" role="dialog" aria-modal="true" aria-labelledby="create-user-title" on:submit=on_submit on:keydown=modal_keys(on_close)>
                <h2 id="create-user-title">{tr!("users.create_local")}</h2>
                <label>{tr!("users.user_name")} <input name="user_name" required autocomplete="off" node_ref=user_name/></label>
                <label>{tr!("users.first_name")} <input name="given_name" node_ref=given_name required autocomplete="off"/></label>
                <label>{tr!("users.last_name")} <input name="family_name" node_ref=family_name required autocomplete="off"/></label>
                <label>{tr!("users.display_name_optional")} <input name="display_name" node_ref=display_name autocomplete="off"/></label>
                <label>{tr!("users.email")} <input name="email" type="email" node_ref=email required autocomplete="off"/></label>
                {move || create.value().get().and_then(Result::err).map(|error| view! { <ErrorMessage error/> })}
                <div class="actions">
                    <button type="button" class="button secondary" on:click=move |_| on_close.run(())>{tr!("common.cancel")}</button>
                    <button type="submit" class="button" disabled=move || create.pending().get()>{tr!("users.create")}</button>
                </div>
            </form>
        </div>
    }
}
