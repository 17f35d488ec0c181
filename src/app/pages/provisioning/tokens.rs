//! The token part of the User Provisioning page: Generate (T1, T2), the status table (T3) and
//! each token's Select menu (T4). A secret is shown once, right after Generate or Renew.

use crate::api::tokens::{delete_token, generate_token, renew_token, set_token_active};
use crate::api::AppError;
use crate::app::components::dialog::ConfirmDialog;
use crate::app::components::status::{ErrorMessage, Loading};
use crate::app::components::time::readable_time;
use crate::domain::idp::{Idp, MAX_TOKENS_PER_IDP as MAX_PER_IDP};
use crate::models::{NewToken, TokenInfo};
use crate::tr;
use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq)]
enum Command {
    Generate,
    SetActive(String, bool),
    Renew(String),
    Delete(String),
}

/// What the confirmation dialog asks about.
#[derive(Debug, Clone, PartialEq)]
enum Confirm {
    Generate,
    Renew(TokenInfo),
    Delete(TokenInfo),
}

/// `tokens` comes from the page's overview, which `on_change` re-reads after each action; only
/// the table is redrawn then, so the secret just shown stays.
#[component]
pub fn TokenPanel(idp: Idp, tokens: Signal<Option<Vec<TokenInfo>>>, on_change: Callback<()>) -> impl IntoView {
    let shown = RwSignal::new(None::<NewToken>);
    let confirm = RwSignal::new(None::<Confirm>);
    // The lifetime Generate and Renew give a new secret: never, 90d, 1y, or "date" with `until`.
    let lifetime = RwSignal::new("never".to_owned());
    let until = RwSignal::new(String::new());
    let run = Action::new(move |command: &Command| {
        let command = command.clone();
        let chosen = Some(if lifetime.get_untracked() == "date" { until.get_untracked() } else { lifetime.get_untracked() });
        async move {
            match command {
                Command::Generate => generate_token(idp, chosen).await.map(Some),
                Command::SetActive(id, active) => set_token_active(idp, id, active).await.map(|_| None),
                Command::Renew(id) => renew_token(idp, id, chosen).await.map(Some),
                Command::Delete(id) => delete_token(idp, id).await.map(|_| None),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(new_token)) = run.value().get() {
            shown.set(new_token);
            on_change.run(());
        }
    });
    let dispatch = move |command: Command| {
        confirm.set(None);
        shown.set(None);
        run.dispatch(command);
    };
    let error = move || run.value().get().and_then(Result::err);
    // T2: at the limit, Generate is off and says why, rather than refusing after the confirmation.
    let at_limit = move || tokens.get().is_some_and(|tokens| tokens.len() >= MAX_PER_IDP);

    view! {
        <section aria-labelledby="tokens-heading">
            <h2 id="tokens-heading">{tr!("provisioning.token.heading")}</h2>
            // In a Transition: the limit comes from the overview, read the same on the server and
            // in the browser.
            <div class="toolbar">
                <Transition fallback=|| ()>
                    <button type="button" class="button" aria-describedby="generate-hint" disabled=move || run.pending().get() || at_limit()
                        on:click=move |_| confirm.set(Some(Confirm::Generate))>
                        {tr!("provisioning.token.generate")}
                    </button>
                    <span class="hint" id="generate-hint">
                        {move || if at_limit() {
                            tr!("provisioning.token.at_limit", idp = idp.display_name(), max = MAX_PER_IDP)
                        } else {
                            tr!("provisioning.token.two_tokens_hint")
                        }}
                    </span>
                </Transition>
                <label for=format!("lifetime-{}", idp.slug())>{tr!("provisioning.token.lifetime")}</label>
                <select id=format!("lifetime-{}", idp.slug()) on:change=move |event| lifetime.set(event_target_value(&event))>
                    <option value="never">{tr!("provisioning.token.lifetime_never")}</option>
                    <option value="90d">{tr!("provisioning.token.lifetime_90d")}</option>
                    <option value="1y">{tr!("provisioning.token.lifetime_1y")}</option>
                    <option value="date">{tr!("provisioning.token.lifetime_date")}</option>
                </select>
                {move || (lifetime.get() == "date").then(|| view! {
                    <input type="date" aria-label=tr!("provisioning.token.expiry_date") on:input=move |event| until.set(event_target_value(&event))/>
                })}
            </div>
            {move || tokens.get().map(|tokens| expiry_warnings(idp, &tokens))}
            {move || error().map(|error: AppError| view! { <ErrorMessage error/> })}
            {move || shown.get().map(|new_token| view! { <ShownOnce new_token on_done=Callback::new(move |_| shown.set(None))/> })}
            <Transition fallback=Loading>
                {move || tokens.get().map(|tokens| if tokens.is_empty() {
                    view! { <p class="empty">{tr!("provisioning.token.none")}</p> }.into_any()
                } else {
                    view! { <TokenTable tokens confirm dispatch=Callback::new(dispatch)/> }.into_any()
                })}
            </Transition>
            {move || confirm.get().map(|asked| {
                let (title, message, label, danger, command) = match asked {
                    Confirm::Generate => (
                        tr!("provisioning.token.confirm_generate_title", idp = idp.display_name()),
                        tr!("provisioning.token.confirm_generate_message"),
                        tr!("provisioning.token.generate"),
                        false,
                        Command::Generate,
                    ),
                    Confirm::Renew(token) => (
                        tr!("provisioning.token.confirm_renew_title", token = label(&token)),
                        tr!("provisioning.token.confirm_renew_message"),
                        tr!("provisioning.token.renew"),
                        true,
                        Command::Renew(token.id),
                    ),
                    Confirm::Delete(token) => (
                        tr!("provisioning.token.confirm_delete_title", token = label(&token)),
                        tr!("provisioning.token.confirm_delete_message"),
                        tr!("common.delete"),
                        true,
                        Command::Delete(token.id),
                    ),
                };
                view! {
                    <ConfirmDialog
                        title message confirm_label=label danger
                        on_confirm=Callback::new(move |_| dispatch(command.clone()))
                        on_cancel=Callback::new(move |_| confirm.set(None))
                    />
                }
            })}
        </section>
    }
}

#[component]
fn TokenTable(tokens: Vec<TokenInfo>, confirm: RwSignal<Option<Confirm>>, dispatch: Callback<Command>) -> impl IntoView {
    view! {
        <table class="data">
            <thead><tr>
                <th scope="col">{tr!("provisioning.token.token")}</th>
                <th scope="col">{tr!("provisioning.token.col_status")}</th>
                <th scope="col">{tr!("provisioning.token.col_created")}</th>
                <th scope="col">{tr!("provisioning.token.col_renewed")}</th>
                <th scope="col">{tr!("provisioning.token.col_last_used")}</th>
                <th scope="col">{tr!("provisioning.token.col_expires")}</th>
                <th scope="col">{tr!("provisioning.token.col_action")}</th>
            </tr></thead>
            <tbody>
                {tokens.into_iter().map(|token| {
                    let on_select = {
                        let token = token.clone();
                        move |event: leptos::ev::Event| {
                            let choice = event_target_value(&event);
                            // Back to "Select", so the same action can be chosen again after a Cancel.
                            event_target::<leptos::web_sys::HtmlSelectElement>(&event).set_value("");
                            match choice.as_str() {
                                "activate" => dispatch.run(Command::SetActive(token.id.clone(), true)),
                                "deactivate" => dispatch.run(Command::SetActive(token.id.clone(), false)),
                                "renew" => confirm.set(Some(Confirm::Renew(token.clone()))),
                                "delete" => confirm.set(Some(Confirm::Delete(token.clone()))),
                                _ => {}
                            }
                        }
                    };
                    view! {
                        <tr>
                            <td><code>{label(&token)}</code></td>
                            <td>{match (token.active, is_expired(&token)) {
                                (_, true) => tr!("provisioning.token.expired"),
                                (true, false) => tr!("status.active"),
                                (false, false) => tr!("provisioning.token.inactive"),
                            }}</td>
                            <td>{readable_time(&token.created_at)}</td>
                            <td>{token.renewed_at.as_deref().map_or_else(|| "—".into(), readable_time)}</td>
                            <td>{token.last_used_at.as_deref().map_or_else(|| tr!("provisioning.token.never_used"), readable_time)}</td>
                            <td>{token.expires_at.as_deref().map_or_else(|| tr!("provisioning.token.never_expires"), readable_time)}</td>
                            <td>
                                <select aria-label=tr!("provisioning.token.action_for", token = label(&token)) on:change=on_select prop:value="">
                                    <option value="">{tr!("provisioning.token.select")}</option>
                                    <option value="activate" disabled=token.active>{tr!("provisioning.token.set_active")}</option>
                                    <option value="deactivate" disabled=!token.active>{tr!("provisioning.token.set_inactive")}</option>
                                    <option value="renew">{tr!("provisioning.token.renew")}</option>
                                    <option value="delete">{tr!("common.delete")}</option>
                                </select>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// T1: the secret and the SCIM URL, each with a Copy button, and the warning to save them now.
#[component]
fn ShownOnce(new_token: NewToken, on_done: Callback<()>) -> impl IntoView {
    let NewToken { token, secret, scim_base_url } = new_token;
    view! {
        <div class="new-token" role="region" aria-label=tr!("provisioning.token.new_token")>
            <p class="warning" role="alert">
                {tr!("provisioning.token.copy_now", token = label(&token))}
            </p>
            <dl>
                <dt>{tr!("provisioning.token.token")}</dt>
                <dd><code data-testid="new-token-secret">{secret.clone()}</code></dd>
                <dd><CopyButton text=secret aria_label=tr!("provisioning.token.copy_token")/></dd>
                <dt>{tr!("provisioning.scim_url")}</dt>
                <dd><code data-testid="new-token-url">{scim_base_url.clone()}</code></dd>
                <dd><CopyButton text=scim_base_url aria_label=tr!("provisioning.token.copy_url")/></dd>
            </dl>
            <button type="button" class="button secondary" on:click=move |_| on_done.run(())>{tr!("provisioning.token.saved_it")}</button>
        </div>
    }
}

#[component]
fn CopyButton(text: String, aria_label: String) -> impl IntoView {
    // None until clicked; then whether the browser took it (it refuses without https, say).
    let copied = RwSignal::new(None::<bool>);
    let on_click = move |_| {
        let text = text.clone();
        leptos::task::spawn_local(async move { copied.set(Some(copy_to_clipboard(&text).await)) });
    };
    view! {
        <button type="button" class="button secondary" aria-label=aria_label on:click=on_click>
            {move || if copied.get() == Some(true) { tr!("provisioning.token.copied") } else { tr!("provisioning.token.copy") }}
        </button>
        <span role="status" class:visually-hidden=move || copied.get() != Some(false)>
            {move || copied.get().map(|done| if done { tr!("provisioning.token.copied") } else { tr!("provisioning.token.copy_failed") })}
        </span>
    }
}

#[cfg(feature = "hydrate")]
async fn copy_to_clipboard(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    wasm_bindgen_futures::JsFuture::from(window.navigator().clipboard().write_text(text)).await.is_ok()
}

#[cfg(not(feature = "hydrate"))]
async fn copy_to_clipboard(_: &str) -> bool {
    false
}

/// Warn this long before a token expires: time to renew it and update the IdP.
const WARN_BEFORE_SECONDS: i64 = 14 * 24 * 3600;

fn is_expired(token: &TokenInfo) -> bool {
    token.expires_in_seconds.is_some_and(|left| left <= 0)
}

/// A warning for each token that has expired or expires within 14 days.
fn expiry_warnings(idp: Idp, tokens: &[TokenInfo]) -> impl IntoView {
    tokens
        .iter()
        .filter(|token| token.expires_in_seconds.is_some_and(|left| left <= WARN_BEFORE_SECONDS))
        .map(|token| {
            let date = token.expires_at.as_deref().map(readable_time).unwrap_or_default();
            let (token_label, idp) = (label(token), idp.display_name());
            let text = if is_expired(token) {
                tr!("provisioning.token.expired_warning", token = token_label, date = date, idp = idp)
            } else {
                tr!("provisioning.token.expiry_warning", token = token_label, date = date, idp = idp)
            };
            view! { <p class="warning" role="alert">{text}</p> }
        })
        .collect_view()
}

/// How a token is named on the page: its prefix and last four characters.
fn label(token: &TokenInfo) -> String {
    format!("prv_…{}", token.secret_hint)
}
