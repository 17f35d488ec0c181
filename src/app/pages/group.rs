//! A group's page: its direct members (P3), paged, and delete with the P7 warning.

use super::users::StatusBadge;
use crate::api::directory::{delete_group, get_group, list_group_members, PAGE_SIZE};
use crate::app::components::dialog::DeleteButton;
use crate::app::components::pager::{current_page, Pager};
use crate::app::components::status::{ErrorMessage, Loading};
use crate::app::components::time::Time;
use crate::domain::idp::Source;
use crate::models::GroupDetail;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn GroupPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let group = Resource::new(move || id.get(), get_group);

    view! {
        <Transition fallback=Loading>
            {move || group.get().map(|result| match result {
                Err(error) => view! { <Title text=tr!("group.title")/> <h1>{tr!("group.title")}</h1> <ErrorMessage error/> }.into_any(),
                Ok(detail) => view! { <GroupView detail/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn GroupView(detail: GroupDetail) -> impl IntoView {
    let page = current_page();
    let id = detail.id.clone();
    let members = Resource::new(move || (id.clone(), page.get()), |(id, page)| list_group_members(id, (page - 1) * PAGE_SIZE));
    let base = format!("/groups/{}", detail.id);
    let log_link = format!("/admin/identity/provisioning-log?resource={}", detail.id);

    let builtin = detail.source == Source::Builtin;
    let name = group_name(&detail.display_name, detail.source);

    view! {
        <Title text=name.clone()/>
        <p class="breadcrumb"><A href="/groups">{tr!("groups.title")}</A></p>
        <div class="page-head">
            <h1>{name}</h1>
            {(detail.source != Source::Builtin).then(|| view! { <DeleteGroup detail=detail.clone()/> })}
        </div>
        {builtin.then(|| view! { <p class="lead">{tr!("group.all_users_lead", count = detail.member_count)}</p> })}
        <dl class="details">
            <dt>{tr!("users.source")}</dt><dd>{tr!(format!("source.{}", detail.source.as_str()))}</dd>
            {detail.external_id.clone().map(|external_id| view! { <dt>{tr!("user.external_id")}</dt><dd>{external_id}</dd> })}
            <dt>{tr!("groups.members")}</dt><dd>{detail.member_count}</dd>
            <dt>{tr!("user.last_changed")}</dt><dd><Time at=detail.updated_at.clone()/></dd>
        </dl>
        {detail.source.idp().map(|_| view! { <p><a href=log_link>{tr!("group.provisioning_log")}</a></p> })}
        <h2>{tr!("groups.members")}</h2>
        <Transition fallback=Loading>
            {move || members.get().map(|result| match result {
                Err(error) => view! { <ErrorMessage error/> }.into_any(),
                Ok(list) if list.items.is_empty() => view! { <p class="empty">{tr!("group.no_members")}</p> }.into_any(),
                Ok(list) => {
                    let base = base.clone();
                    view! {
                        <table class="data">
                            <thead><tr>
                                <th scope="col">{tr!("users.user_name")}</th>
                                <th scope="col">{tr!("users.display_name")}</th>
                                <th scope="col">{tr!("users.source")}</th>
                                <th scope="col">{tr!("users.status")}</th>
                            </tr></thead>
                            <tbody>
                                {list.items.into_iter().map(|user| view! {
                                    <tr>
                                        <td><A href=format!("/users/{}", user.id)>{user.user_name}</A></td>
                                        <td>{user.display_name.unwrap_or_default()}</td>
                                        <td>{tr!(format!("source.{}", user.source.as_str()))}</td>
                                        <td><StatusBadge active=user.active/></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <Pager base=base page=page.get_untracked() total=list.total page_size=PAGE_SIZE/>
                    }.into_any()
                }
            })}
        </Transition>
    }
}

/// A group's name as the portal shows it: the built-in "All Users" in the page's language.
pub fn group_name(display_name: &str, source: Source) -> String {
    if source == Source::Builtin {
        tr!("group.all_users")
    } else {
        display_name.to_owned()
    }
}

#[component]
fn DeleteGroup(detail: GroupDetail) -> impl IntoView {
    let message = match detail.source.idp() {
        Some(idp) => tr!("group.delete_message_idp", name = detail.display_name, idp = idp.display_name()),
        None => tr!("group.delete_message", name = detail.display_name),
    };
    let id = detail.id;
    view! {
        <DeleteButton
            label=tr!("group.delete")
            title=tr!("group.delete_title")
            message
            delete=move || delete_group(id.clone())
            then="/groups"
        />
    }
}
