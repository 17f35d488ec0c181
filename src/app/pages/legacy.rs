//! Admin > Identity > Entra ID user source (legacy): import its users from CSV (M1), move to
//! SCIM (the page turns read-only), then delete what the IdP did not send (M2).

use crate::api::legacy::{
    delete_leftovers, finish_migration, get_legacy_overview, import_legacy_csv, list_leftover_groups, list_leftover_users, start_migration,
};
use crate::api::AppError;
use crate::app::components::dialog::ConfirmDialog;
use crate::app::components::status::{ErrorMessage, Loading};
use crate::app::components::time::readable_time;
use crate::app::i18n::use_locale;
use crate::models::{ImportReport, LegacyOverview, MigrationState};
use crate::msg;
use crate::tr;
use leptos::html;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use std::collections::BTreeSet;

/// The portal refuses bodies above 1 MiB; say so before uploading.
const MAX_FILE_BYTES: f64 = 1_000_000.0;

#[component]
pub fn LegacySourcePage() -> impl IntoView {
    let changed = RwSignal::new(0u32);
    let overview = Resource::new(move || changed.get(), |_| get_legacy_overview());
    let on_change = Callback::new(move |_| changed.update(|n| *n += 1));
    // Outlive the refetch an import or a bulk delete causes, so their results stay on screen.
    let report = RwSignal::new(None::<ImportReport>);
    let deleted = RwSignal::new(None::<(u64, u64)>);
    view! {
        <Title text=tr!("legacy.title")/>
        <h1>{tr!("legacy.heading")}</h1>
        <p class="lead">{tr!("legacy.lead")}</p>
        <Transition fallback=Loading>
            {move || overview.get().map(|result| match result {
                Err(error) => view! { <ErrorMessage error/> }.into_any(),
                Ok(overview) => view! { <Legacy overview report deleted on_change/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Legacy(
    overview: LegacyOverview,
    report: RwSignal<Option<ImportReport>>,
    deleted: RwSignal<Option<(u64, u64)>>,
    on_change: Callback<()>,
) -> impl IntoView {
    let LegacyOverview { migration, users, groups } = overview;
    let counts = tr!("legacy.counts", users = users, groups = groups);
    match migration {
        MigrationState::NotStarted => view! {
            <p>{counts}</p>
            <CsvImport report on_change/>
            <StartMigration on_change/>
        }
        .into_any(),
        MigrationState::UnderWay { since, by } => view! {
            <p class="banner" role="status">
                {tr!("legacy.under_way", since = readable_time(&since), by = by)}
            </p>
            <p>{counts}</p>
            <FinishMigration on_change/>
            <Leftovers deleted on_change/>
        }
        .into_any(),
        MigrationState::Finished { at } => view! {
            <p class="banner" role="status">{tr!("legacy.retired", at = readable_time(&at))}</p>
            <p>{counts}</p>
            <Leftovers deleted on_change/>
        }
        .into_any(),
    }
}

#[component]
fn CsvImport(report: RwSignal<Option<ImportReport>>, on_change: Callback<()>) -> impl IntoView {
    let file = NodeRef::<html::Input>::new();
    let import = Action::new_local(move |_: &()| {
        let input = file.get_untracked();
        async move {
            let text = read_file(input).await?;
            import_legacy_csv(text).await
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(imported)) = import.value().get() {
            report.set(Some(imported));
            on_change.run(());
        }
    });
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        import.dispatch(());
    };
    view! {
        <section aria-labelledby="import-heading">
            <h2 id="import-heading">{tr!("legacy.import_heading")}</h2>
            <p class="hint">
                {tr!("legacy.csv_columns")} <code>"userName, givenName, familyName, email"</code>
                {tr!("legacy.csv_optionally")} <code>"displayName"</code> {tr!("legacy.csv_and")} <code>"groups"</code> {tr!("legacy.csv_separated")}
            </p>
            <form class="inline-form" on:submit=on_submit aria-label=tr!("legacy.import_heading")>
                <label>{tr!("legacy.csv_file")} <input type="file" accept=".csv,text/csv" required node_ref=file/></label>
                <button type="submit" class="button" disabled=move || import.pending().get()>{tr!("legacy.import")}</button>
            </form>
            {move || import.value().get().and_then(Result::err).map(|error| view! { <ErrorMessage error/> })}
            {move || report.get().map(|report| view! { <ImportResult report/> })}
        </section>
    }
}

#[component]
fn ImportResult(report: ImportReport) -> impl IntoView {
    view! {
        <div class="import-report" role="status">
            <p class="ok">{tr!("legacy.imported", users = report.imported, groups = report.groups_created)}</p>
            {(!report.skipped.is_empty()).then(|| view! {
                <p class="warning">{tr!("legacy.skipped", count = report.skipped.len())}</p>
                <ul class="skipped">
                    {report.skipped.into_iter().map(|(line, reason)| view! { <li>{tr!("legacy.skipped_line", line = line, reason = reason.text(use_locale().code()))}</li> }).collect_view()}
                </ul>
            })}
        </div>
    }
}

/// The chosen file's text (in the browser; the server never renders this into a file read).
async fn read_file(input: Option<leptos::web_sys::HtmlInputElement>) -> Result<String, AppError> {
    #[cfg(feature = "hydrate")]
    {
        let file = input.and_then(|input| input.files()).and_then(|files| files.get(0));
        let file = file.ok_or_else(|| AppError::Invalid(msg!("legacy.choose_file")))?;
        if file.size() > MAX_FILE_BYTES {
            return Err(AppError::Invalid(msg!("legacy.file_too_large")));
        }
        let read = wasm_bindgen_futures::JsFuture::from(file.text()).await;
        read.ok().and_then(|read| read.as_string()).ok_or_else(|| AppError::Invalid(msg!("legacy.file_unreadable")))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (input, MAX_FILE_BYTES);
        Err(AppError::Invalid(msg!("legacy.read_in_browser")))
    }
}

#[component]
fn StartMigration(on_change: Callback<()>) -> impl IntoView {
    let start = Action::new(|_: &()| start_migration());
    Effect::new(move |_| {
        if let Some(Ok(())) = start.value().get() {
            on_change.run(());
        }
    });
    let confirming = RwSignal::new(false);
    view! {
        <section aria-labelledby="migrate-heading">
            <h2 id="migrate-heading">{tr!("legacy.migrate_heading")}</h2>
            <p class="hint">{tr!("legacy.migrate_hint")}</p>
            <button type="button" class="button" on:click=move |_| confirming.set(true)>{tr!("legacy.start")}</button>
            {move || start.value().get().and_then(Result::err).map(|error| view! { <ErrorMessage error/> })}
            <Show when=move || confirming.get()>
                <ConfirmDialog
                    title=tr!("legacy.start_title")
                    message=tr!("legacy.start_message")
                    confirm_label=tr!("legacy.start")
                    on_confirm=Callback::new(move |_| { confirming.set(false); start.dispatch(()); })
                    on_cancel=Callback::new(move |_| confirming.set(false))
                />
            </Show>
        </section>
    }
}

#[component]
fn FinishMigration(on_change: Callback<()>) -> impl IntoView {
    let finish = Action::new(|_: &()| finish_migration());
    Effect::new(move |_| {
        if let Some(Ok(())) = finish.value().get() {
            on_change.run(());
        }
    });
    view! {
        <button type="button" class="button secondary" on:click=move |_| { finish.dispatch(()); }>{tr!("legacy.finish")}</button>
        {move || finish.value().get().and_then(Result::err).map(|error| view! { <ErrorMessage error/> })}
    }
}

/// M2: what is still from the legacy source, with a bulk delete.
#[component]
fn Leftovers(deleted: RwSignal<Option<(u64, u64)>>, on_change: Callback<()>) -> impl IntoView {
    let users = Resource::new(|| (), |_| list_leftover_users(0));
    let groups = Resource::new(|| (), |_| list_leftover_groups(0));
    let chosen_users = RwSignal::new(BTreeSet::<String>::new());
    let chosen_groups = RwSignal::new(BTreeSet::<String>::new());
    let delete = Action::new(move |all: &bool| {
        let (users, groups) = (chosen_users.get_untracked().into_iter().collect(), chosen_groups.get_untracked().into_iter().collect());
        delete_leftovers(*all, users, groups)
    });
    Effect::new(move |_| {
        if let Some(Ok(counts)) = delete.value().get() {
            deleted.set(Some(counts));
            on_change.run(());
        }
    });
    let confirming = RwSignal::new(None::<bool>);
    let toggle = |set: RwSignal<BTreeSet<String>>, id: String| {
        move |event: leptos::ev::Event| {
            let checked = event_target_checked(&event);
            set.update(|set| {
                if checked {
                    set.insert(id.clone());
                } else {
                    set.remove(&id);
                }
            });
        }
    };

    view! {
        <section aria-labelledby="leftovers-heading">
            <h2 id="leftovers-heading">{tr!("legacy.leftovers_heading")}</h2>
            <p class="hint">{tr!("legacy.leftovers_hint")}</p>
            <Transition fallback=Loading>
                {move || users.get().map(|result| match result {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) if page.items.is_empty() => view! { <p class="empty">{tr!("legacy.no_users")}</p> }.into_any(),
                    Ok(page) => {
                        let shown = page.items.len();
                        view! {
                        <table class="data" aria-label=tr!("legacy.users_table")>
                            <thead><tr>
                                <th scope="col"><span class="visually-hidden">{tr!("legacy.select")}</span></th>
                                <th scope="col">{tr!("legacy.user_name")}</th>
                                <th scope="col">{tr!("legacy.display_name")}</th>
                                <th scope="col">{tr!("legacy.email")}</th>
                            </tr></thead>
                            <tbody>
                                {page.items.into_iter().map(|user| view! {
                                    <tr>
                                        <td><input type="checkbox" aria-label=tr!("legacy.select_user", name = user.user_name) on:change=toggle(chosen_users, user.id.clone())/></td>
                                        <td><A href=format!("/users/{}", user.id)>{user.user_name}</A></td>
                                        <td>{user.display_name.unwrap_or_default()}</td>
                                        <td>{user.email.unwrap_or_default()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        {(page.total > shown as i64).then(|| view! {
                            <p class="hint">{tr!("legacy.showing_first", shown = shown, total = page.total)}</p>
                        })}
                    }.into_any()
                    }
                })}
            </Transition>
            <Transition fallback=Loading>
                {move || groups.get().map(|result| match result {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) if page.items.is_empty() => view! { <p class="empty">{tr!("legacy.no_groups")}</p> }.into_any(),
                    Ok(page) => {
                        let shown = page.items.len();
                        view! {
                        <table class="data" aria-label=tr!("legacy.groups_table")>
                            <thead><tr>
                                <th scope="col"><span class="visually-hidden">{tr!("legacy.select")}</span></th>
                                <th scope="col">{tr!("legacy.group")}</th>
                                <th scope="col" class="num">{tr!("legacy.members")}</th>
                            </tr></thead>
                            <tbody>
                                {page.items.into_iter().map(|group| view! {
                                    <tr>
                                        <td><input type="checkbox" aria-label=tr!("legacy.select_group", name = group.display_name) on:change=toggle(chosen_groups, group.id.clone())/></td>
                                        <td><A href=format!("/groups/{}", group.id)>{group.display_name}</A></td>
                                        <td class="num">{group.member_count}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        {(page.total > shown as i64).then(|| view! {
                            <p class="hint">{tr!("legacy.showing_first_groups", shown = shown, total = page.total)}</p>
                        })}
                    }.into_any()
                    }
                })}
            </Transition>
            <div class="actions start">
                <button type="button" class="button secondary" disabled=move || chosen_users.with(BTreeSet::is_empty) && chosen_groups.with(BTreeSet::is_empty)
                    on:click=move |_| confirming.set(Some(false))>{tr!("legacy.delete_selected")}</button>
                <button type="button" class="button danger" on:click=move |_| confirming.set(Some(true))>{tr!("legacy.delete_all")}</button>
            </div>
            {move || deleted.get().map(|(users, groups)| view! { <p class="ok" role="status">{tr!("legacy.deleted", users = users, groups = groups)}</p> })}
            {move || delete.value().get().and_then(Result::err).map(|error| view! { <ErrorMessage error/> })}
            {move || confirming.get().map(|all| {
                let message = if all {
                    tr!("legacy.delete_all_message")
                } else {
                    tr!("legacy.delete_some_message", users = chosen_users.with(BTreeSet::len), groups = chosen_groups.with(BTreeSet::len))
                };
                view! {
                    <ConfirmDialog
                        title=tr!("legacy.delete_title")
                        message
                        confirm_label=tr!("common.delete")
                        danger=true
                        on_confirm=Callback::new(move |_| { confirming.set(None); delete.dispatch(all); })
                        on_cancel=Callback::new(move |_| confirming.set(None))
                    />
                }
            })}
        </section>
    }
}
