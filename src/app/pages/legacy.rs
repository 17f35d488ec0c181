//! Admin > Identity > Entra ID user source (legacy): import its users from CSV (M1), move to
//! SCIM (the page turns read-only), then delete what the IdP did not send (M2).

use crate::api::legacy::{delete_leftovers, finish_migration, get_legacy_overview, import_legacy_csv, list_leftover_groups, list_leftover_users, start_migration};
use crate::api::AppError;
use crate::app::components::dialog::ConfirmDialog;
use crate::app::components::request_log::readable_time;
use crate::app::components::status::{ErrorMessage, Loading};
use crate::models::{ImportReport, LegacyOverview, MigrationState};
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
    // Outlives the refetch an import causes, so the report stays on screen.
    let report = RwSignal::new(None::<ImportReport>);
    view! {
        <Title text="Entra ID user source"/>
        <h1>"Entra ID user source (legacy)"</h1>
        <p class="lead">
            "Users imported by the older Entra ID user source. Entra ID provisioning (SCIM) takes each of them over "
            "when it sends the same user name; what it never sends can be deleted here afterwards."
        </p>
        <Transition fallback=Loading>
            {move || overview.get().map(|result| match result {
                Err(error) => view! { <ErrorMessage error/> }.into_any(),
                Ok(overview) => view! { <Legacy overview report on_change/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Legacy(overview: LegacyOverview, report: RwSignal<Option<ImportReport>>, on_change: Callback<()>) -> impl IntoView {
    let LegacyOverview { migration, users, groups } = overview;
    let counts = format!("The legacy source holds {users} users and {groups} groups.");
    match migration {
        MigrationState::NotStarted => view! {
            <p>{counts}</p>
            <CsvImport report on_change/>
            <StartMigration on_change/>
        }
        .into_any(),
        MigrationState::UnderWay { since, by } => view! {
            <p class="banner" role="status">
                {format!("Migration to SCIM under way since {} (started by {by}). The legacy source is read-only.", readable_time(&since))}
            </p>
            <p>{counts}</p>
            <FinishMigration on_change/>
            <Leftovers on_change/>
        }
        .into_any(),
        MigrationState::Finished { at } => view! {
            <p class="banner" role="status">{format!("The legacy source was retired on {}. It is read-only.", readable_time(&at))}</p>
            <p>{counts}</p>
            <Leftovers on_change/>
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
            <h2 id="import-heading">"Import users from CSV"</h2>
            <p class="hint">
                "The first line names the columns: " <code>"userName, givenName, familyName, email"</code>
                ", and optionally " <code>"displayName"</code> " and " <code>"groups"</code> " (separated by ;). "
                "User names already in Provisio are skipped."
            </p>
            <form class="inline-form" on:submit=on_submit aria-label="Import users from CSV">
                <label>"CSV file" <input type="file" accept=".csv,text/csv" required node_ref=file/></label>
                <button type="submit" class="button" disabled=move || import.pending().get()>"Import"</button>
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
            <p class="ok">{format!("Imported {} users and {} groups.", report.imported, report.groups_created)}</p>
            {(!report.skipped.is_empty()).then(|| view! {
                <p class="warning">{format!("{} rows were not imported:", report.skipped.len())}</p>
                <ul class="skipped">
                    {report.skipped.into_iter().map(|(line, reason)| view! { <li>{format!("Line {line}: {reason}")}</li> }).collect_view()}
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
        let file = file.ok_or_else(|| AppError::Invalid("Choose a CSV file.".into()))?;
        if file.size() > MAX_FILE_BYTES {
            return Err(AppError::Invalid("The file is larger than 1 MB; split it into smaller files.".into()));
        }
        let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
        text.ok()
            .and_then(|text| text.as_string())
            .ok_or_else(|| AppError::Invalid("The file could not be read as text.".into()))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (input, MAX_FILE_BYTES);
        Err(AppError::Invalid("Files are read in the browser.".into()))
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
            <h2 id="migrate-heading">"Migrate to SCIM"</h2>
            <p class="hint">"Connect Entra ID provisioning first (Admin › Identity › User Provisioning), then start the migration."</p>
            <button type="button" class="button" on:click=move |_| confirming.set(true)>"Start migration"</button>
            {move || start.value().get().and_then(Result::err).map(|error| view! { <ErrorMessage error/> })}
            <Show when=move || confirming.get()>
                <ConfirmDialog
                    title="Start the migration to SCIM?".to_owned()
                    message="The legacy source becomes read-only. Entra ID provisioning takes over each legacy user and group it sends with the same name.".to_owned()
                    confirm_label="Start migration"
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
        <button type="button" class="button secondary" on:click=move |_| { finish.dispatch(()); }>"Finish migration"</button>
        {move || finish.value().get().and_then(Result::err).map(|error| view! { <ErrorMessage error/> })}
    }
}

/// M2: what is still from the legacy source, with a bulk delete.
#[component]
fn Leftovers(on_change: Callback<()>) -> impl IntoView {
    let users = Resource::new(|| (), |_| list_leftover_users(0));
    let groups = Resource::new(|| (), |_| list_leftover_groups());
    let chosen_users = RwSignal::new(BTreeSet::<String>::new());
    let chosen_groups = RwSignal::new(BTreeSet::<String>::new());
    let delete = Action::new(move |all: &bool| {
        let (users, groups) = (chosen_users.get_untracked().into_iter().collect(), chosen_groups.get_untracked().into_iter().collect());
        delete_leftovers(*all, users, groups)
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = delete.value().get() {
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
            <h2 id="leftovers-heading">"Not sent by the identity provider"</h2>
            <p class="hint">"Once Entra ID has finished its first full sync, these legacy users and groups were not provisioned. Deleting them cannot be undone."</p>
            <Transition fallback=Loading>
                {move || users.get().map(|result| match result {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(page) if page.items.is_empty() => view! { <p class="empty">"No legacy users are left."</p> }.into_any(),
                    Ok(page) => {
                        let shown = page.items.len();
                        view! {
                        <table class="data" aria-label="Legacy users left">
                            <thead><tr>
                                <th scope="col"><span class="visually-hidden">"Select"</span></th>
                                <th scope="col">"User name"</th>
                                <th scope="col">"Display name"</th>
                                <th scope="col">"Email"</th>
                            </tr></thead>
                            <tbody>
                                {page.items.into_iter().map(|user| view! {
                                    <tr>
                                        <td><input type="checkbox" aria-label=format!("Select {}", user.user_name) on:change=toggle(chosen_users, user.id.clone())/></td>
                                        <td><A href=format!("/users/{}", user.id)>{user.user_name}</A></td>
                                        <td>{user.display_name.unwrap_or_default()}</td>
                                        <td>{user.email.unwrap_or_default()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        {(page.total > shown as i64).then(|| view! {
                            <p class="hint">{format!("Showing the first {shown} of {} users; Delete all leftovers removes every one.", page.total)}</p>
                        })}
                    }.into_any()
                    }
                })}
            </Transition>
            <Transition fallback=Loading>
                {move || groups.get().map(|result| match result {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="empty">"No legacy groups are left."</p> }.into_any(),
                    Ok(list) => view! {
                        <table class="data" aria-label="Legacy groups left">
                            <thead><tr>
                                <th scope="col"><span class="visually-hidden">"Select"</span></th>
                                <th scope="col">"Group"</th>
                                <th scope="col" class="num">"Members"</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|group| view! {
                                    <tr>
                                        <td><input type="checkbox" aria-label=format!("Select group {}", group.display_name) on:change=toggle(chosen_groups, group.id.clone())/></td>
                                        <td><A href=format!("/groups/{}", group.id)>{group.display_name}</A></td>
                                        <td class="num">{group.member_count}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                })}
            </Transition>
            <div class="actions start">
                <button type="button" class="button danger" disabled=move || chosen_users.with(BTreeSet::is_empty) && chosen_groups.with(BTreeSet::is_empty)
                    on:click=move |_| confirming.set(Some(false))>"Delete selected"</button>
                <button type="button" class="button secondary" on:click=move |_| confirming.set(Some(true))>"Delete all leftovers"</button>
            </div>
            {move || delete.value().get().map(|result| match result {
                Ok((users, groups)) => view! { <p class="ok" role="status">{format!("Deleted {users} users and {groups} groups.")}</p> }.into_any(),
                Err(error) => view! { <ErrorMessage error/> }.into_any(),
            })}
            {move || confirming.get().map(|all| {
                let message = if all {
                    "Every user and group still from the legacy source is deleted.".to_owned()
                } else {
                    format!("{} users and {} groups are deleted.", chosen_users.with(BTreeSet::len), chosen_groups.with(BTreeSet::len))
                };
                view! {
                    <ConfirmDialog
                        title="Delete legacy leftovers?".to_owned()
                        message
                        confirm_label="Delete"
                        danger=true
                        on_confirm=Callback::new(move |_| { confirming.set(None); delete.dispatch(all); })
                        on_cancel=Callback::new(move |_| confirming.set(None))
                    />
                }
            })}
        </section>
    }
}
