//! A user's page: Details and Attributes tabs (A6), local-user actions, and the hard delete of a
//! suspended user (L3) with the P7 warning when an IdP provisioned it.

use super::users::StatusBadge;
use crate::api::directory::{delete_user, get_user, set_user_suspended};
use crate::app::components::dialog::DeleteButton;
use crate::app::components::status::{ErrorMessage, Loading};
use crate::app::components::time::{readable_time, Time};
use crate::models::UserDetail;
use crate::tr;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn UserPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let user = Resource::new(move || id.get(), get_user);

    view! {
        <Transition fallback=Loading>
            {move || user.get().map(|result| match result {
                Err(error) => view! { <Title text=tr!("user.title")/> <h1>{tr!("user.title")}</h1> <ErrorMessage error/> }.into_any(),
                Ok(detail) => view! { <UserView detail on_change=Callback::new(move |_| user.refetch())/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn UserView(detail: UserDetail, on_change: Callback<()>) -> impl IntoView {
    let query = use_query_map();
    let attributes_tab = Memo::new(move |_| query.read().get("tab").as_deref() == Some("attributes"));
    let base = format!("/users/{}", detail.id);
    let title = detail.display_name.clone().unwrap_or_else(|| detail.user_name.clone());
    let log_link = format!("/admin/identity/provisioning-log?resource={}", detail.id);
    let details = detail.clone();
    let attributes = detail.attributes.clone();

    view! {
        <Title text=title.clone()/>
        <p class="breadcrumb"><A href="/users">{tr!("users.title")}</A></p>
        <div class="page-head">
            <h1>{title}" " <StatusBadge active=detail.active/></h1>
            <UserActions detail=detail.clone() on_change/>
        </div>
        <p><a href=log_link>{tr!("user.provisioning_log")}</a></p>
        <div class="tabs" role="tablist" aria-label=tr!("user.tabs_label")>
            <a role="tab" href=base.clone() aria-selected=move || (!attributes_tab.get()).to_string()>{tr!("user.details")}</a>
            <a role="tab" href=format!("{base}?tab=attributes") aria-selected=move || attributes_tab.get().to_string()>{tr!("user.attributes")}</a>
        </div>
        <div role="tabpanel">
            {move || if attributes_tab.get() {
                view! { <AttributesTab attributes=attributes.clone()/> }.into_any()
            } else {
                view! { <DetailsTab detail=details.clone()/> }.into_any()
            }}
        </div>
    }
}

#[component]
fn DetailsTab(detail: UserDetail) -> impl IntoView {
    let status = match (&detail.deleted_in_idp_at, detail.active) {
        (Some(at), _) => tr!("user.status_deleted_in_idp", time = readable_time(at)),
        (None, true) => tr!("status.active"),
        (None, false) => tr!("status.suspended"),
    };
    view! {
        <dl class="details">
            <dt>{tr!("users.user_name")}</dt><dd>{detail.user_name}</dd>
            <dt>{tr!("users.display_name")}</dt><dd>{detail.display_name.unwrap_or_default()}</dd>
            <dt>{tr!("users.first_name")}</dt><dd>{detail.given_name.unwrap_or_default()}</dd>
            <dt>{tr!("users.last_name")}</dt><dd>{detail.family_name.unwrap_or_default()}</dd>
            <dt>{tr!("user.emails")}</dt><dd>{detail.emails.join(", ")}</dd>
            <dt>{tr!("users.status")}</dt><dd>{status}</dd>
            <dt>{tr!("users.source")}</dt><dd>{tr!(format!("source.{}", detail.source.as_str()))}</dd>
            {detail.external_id.map(|external_id| view! { <dt>{tr!("user.external_id")}</dt><dd>{external_id}</dd> })}
            {detail.managed_apple_id.map(|apple_id| view! { <dt>{tr!("user.managed_apple_id")}</dt><dd>{apple_id}</dd> })}
            <dt>{tr!("user.groups")}</dt>
            <dd>
                {if detail.groups.is_empty() {
                    view! { <span class="muted">{tr!("common.none")}</span> }.into_any()
                } else {
                    let more = detail.group_count - detail.groups.len() as i64;
                    view! {
                        <ul class="inline">
                            {detail.groups.into_iter().map(|group| view! {
                                <li><A href=format!("/groups/{}", group.id)>{group.display_name}</A></li>
                            }).collect_view()}
                        </ul>
                        {(more > 0).then(|| view! { <span class="muted">{tr!("user.more_groups", count = more)}</span> })}
                    }.into_any()
                }}
            </dd>
            <dt>{tr!("user.created")}</dt><dd><Time at=detail.created_at.clone()/></dd>
            <dt>{tr!("user.last_changed")}</dt><dd><Time at=detail.updated_at.clone()/></dd>
        </dl>
    }
}

#[component]
fn AttributesTab(attributes: Vec<crate::models::AttributeValue>) -> impl IntoView {
    view! {
        <table class="data">
            <thead><tr>
                <th scope="col">{tr!("user.schema")}</th>
                <th scope="col">{tr!("user.attribute")}</th>
                <th scope="col">{tr!("user.value")}</th>
            </tr></thead>
            <tbody>
                {attributes.into_iter().map(|attribute| view! {
                    <tr>
                        <td>{attribute.schema}</td>
                        <td><code>{attribute.name}</code></td>
                        <td>{match attribute.value {
                            Some(value) => view! { <span>{value}</span> }.into_any(),
                            None => view! { <span class="muted">{tr!("user.not_sent")}</span> }.into_any(),
                        }}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// What an admin may do to this user: suspend or restore a local one; delete a suspended one.
#[component]
fn UserActions(detail: UserDetail, on_change: Callback<()>) -> impl IntoView {
    let id = detail.id.clone();
    let suspend = Action::new(move |suspended: &bool| set_user_suspended(id.clone(), *suspended));
    Effect::new(move |_| {
        if let Some(Ok(())) = suspend.value().get() {
            on_change.run(());
        }
    });
    let can_suspend = detail.source.idp().is_none();
    let provisioned_by = detail.source.idp();
    let message = match provisioned_by {
        Some(idp) => tr!("user.delete_message_idp", name = detail.user_name, idp = idp.display_name()),
        None => tr!("user.delete_message", name = detail.user_name),
    };

    view! {
        <div class="actions">
            {(can_suspend && detail.active).then(|| view! {
                <button type="button" class="button secondary" on:click=move |_| { suspend.dispatch(true); }>{tr!("user.suspend")}</button>
            })}
            {(can_suspend && !detail.active).then(|| view! {
                <button type="button" class="button secondary" on:click=move |_| { suspend.dispatch(false); }>{tr!("user.restore")}</button>
            })}
            {(!detail.active).then(|| {
                let id = detail.id.clone();
                view! {
                    <DeleteButton
                        label=tr!("common.delete")
                        title=tr!("user.delete_title")
                        message
                        delete=move || delete_user(id.clone())
                        then="/users"
                    />
                }
            })}
        </div>
        {move || suspend.value().get().and_then(Result::err).map(|error| view! { <ErrorMessage error/> })}
    }
}
