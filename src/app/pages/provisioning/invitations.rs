//! S1's registration invitations for one IdP: sent, waiting and failed, with the last error
//! and a way to send one again.

use crate::api::directory::PAGE_SIZE;
use crate::api::settings::{list_invitations, send_invitation_again};
use crate::app::components::pager::{current_page, Pager};
use crate::app::components::status::{ErrorMessage, Loading};
use crate::app::components::time::readable_time;
use crate::domain::idp::Idp;
use crate::models::{InvitationInfo, InvitationStatus};
use crate::tr;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn InvitationsPanel(idp: Idp) -> impl IntoView {
    let send_again = Action::new(move |id: &i64| send_invitation_again(idp, *id));
    let refreshed = RwSignal::new(0u32);
    let page = current_page();
    let invitations = Resource::new(
        move || (send_again.version().get(), refreshed.get(), page.get()),
        move |(_, _, page)| list_invitations(idp, (page - 1) * PAGE_SIZE),
    );

    view! {
        <section aria-labelledby="invitations-heading">
            <h2 id="invitations-heading">{tr!("provisioning.invitations.heading")}</h2>
            <Transition fallback=Loading>
                {move || invitations.get().map(|result| match result {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(overview) => view! {
                        {(!overview.mail_configured).then(|| view! {
                            <p class="warning" role="note">
                                {tr!("provisioning.invitations.no_mail")}
                            </p>
                        })}
                        <p class="hint" data-testid="invitation-counts">
                            {tr!("provisioning.invitations.counts", sent = overview.sent, pending = overview.pending, failed = overview.failed)}
                            " "
                            <button type="button" class="button secondary small" on:click=move |_| refreshed.update(|n| *n += 1)>{tr!("provisioning.invitations.refresh")}</button>
                        </p>
                        {if overview.latest.items.is_empty() {
                            view! { <p class="empty">{tr!("provisioning.invitations.none")}</p> }.into_any()
                        } else {
                            view! {
                                <InvitationTable invitations=overview.latest.items send_again/>
                                <Pager base=format!("/admin/identity/provisioning/{}", idp.slug()) page=page.get_untracked() total=overview.latest.total page_size=PAGE_SIZE/>
                            }.into_any()
                        }}
                    }.into_any(),
                })}
            </Transition>
            {move || send_again.value().get().and_then(Result::err).map(|error| view! { <ErrorMessage error/> })}
        </section>
    }
}

#[component]
fn InvitationTable(invitations: Vec<InvitationInfo>, send_again: Action<i64, Result<(), crate::api::AppError>>) -> impl IntoView {
    view! {
        <table class="data">
            <thead><tr>
                <th scope="col">{tr!("provisioning.invitations.col_user")}</th>
                <th scope="col">{tr!("provisioning.invitations.col_email")}</th>
                <th scope="col">{tr!("provisioning.invitations.col_status")}</th>
                <th scope="col">{tr!("provisioning.invitations.col_when")}</th>
                <th scope="col">{tr!("provisioning.invitations.col_last_error")}</th>
                <th scope="col"><span class="visually-hidden">{tr!("common.actions")}</span></th>
            </tr></thead>
            <tbody>
                {invitations.into_iter().map(|invitation| {
                    let id = invitation.id;
                    let when = match (&invitation.status, &invitation.sent_at) {
                        (InvitationStatus::Sent, Some(at)) => readable_time(at),
                        (InvitationStatus::Pending, _) if invitation.attempts > 0 => tr!("provisioning.invitations.retry_at", at = readable_time(&invitation.next_attempt_at)),
                        _ => readable_time(&invitation.created_at),
                    };
                    view! {
                        <tr>
                            <td><A href=format!("/users/{}", invitation.user_id)>{invitation.user_name.clone()}</A></td>
                            <td>{invitation.email.clone()}</td>
                            <td>{status_label(invitation.status)}{(invitation.attempts > 1).then(|| tr!("provisioning.invitations.attempts", count = invitation.attempts))}</td>
                            <td>{when}</td>
                            <td>{invitation.last_error.clone().unwrap_or_default()}</td>
                            <td>
                                {(invitation.status != InvitationStatus::Sent).then(|| view! {
                                    <button type="button" class="button secondary small" aria-label=tr!("provisioning.invitations.send_again", email = invitation.email)
                                        on:click=move |_| { send_again.dispatch(id); }>{tr!("provisioning.invitations.send_now")}</button>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// An invitation's status in the page's language.
fn status_label(status: InvitationStatus) -> String {
    match status {
        InvitationStatus::Pending => tr!("provisioning.invitations.status_pending"),
        InvitationStatus::Sent => tr!("provisioning.invitations.status_sent"),
        InvitationStatus::Failed => tr!("provisioning.invitations.status_failed"),
    }
}
