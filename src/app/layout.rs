//! The signed-in frame: top bar with the admin and Sign out, navigation, and the page.

use crate::api::auth::{current_admin, SignOut};
use crate::app::components::status::ErrorMessage;
use crate::app::i18n::LanguageSwitcher;
use crate::tr;
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};

#[component]
pub fn Layout() -> impl IntoView {
    let admin = Resource::new(|| (), |_| current_admin());
    let sign_out = ServerAction::<SignOut>::new();
    // On a phone the navigation folds behind the Menu button; it folds again on each navigation.
    let menu_open = RwSignal::new(false);
    let location = leptos_router::hooks::use_location();
    Effect::new(move |_| {
        location.pathname.track();
        menu_open.set(false);
    });

    view! {
        <a class="skip-link" href="#main">{tr!("layout.skip")}</a>
        <header class="topbar">
            <button type="button" class="menu-toggle button secondary" aria-controls="main-nav"
                aria-expanded=move || menu_open.get().to_string() on:click=move |_| menu_open.update(|open| *open = !*open)>
                {tr!("nav.menu")}
            </button>
            <a class="brand" href="/users">"Provisio"</a>
            <div class="session">
                <LanguageSwitcher/>
                <Suspense fallback=|| ()>
                    {move || {
                        admin.get().and_then(Result::ok).flatten().map(|admin| {
                            view! { <span class="who"><span class="visually-hidden">{tr!("layout.signed_in_as")}" "</span>{admin.username}</span> }
                        })
                    }}
                </Suspense>
                <a class="button secondary" href="/account">{tr!("account.title")}</a>
                <ActionForm action=sign_out>
                    <button type="submit" class="button secondary">{tr!("layout.sign_out")}</button>
                </ActionForm>
                {move || sign_out.value().get().and_then(Result::err).map(|error| view! { <ErrorMessage error/> })}
            </div>
        </header>
        <div class="frame">
            <nav id="main-nav" class="sidebar" class:open=move || menu_open.get() aria-label=tr!("nav.main")>
                <ul>
                    <li><A href="/users">{tr!("nav.users")}</A></li>
                    <li><A href="/groups">{tr!("nav.groups")}</A></li>
                    <li><A href="/configurations">{tr!("nav.configurations")}</A></li>
                </ul>
                <p class="nav-heading">{tr!("nav.admin")}</p>
                <ul>
                    <li><span class="nav-sub">{tr!("nav.identity")}</span>
                        <ul>
                            <li><A href="/admin/identity/provisioning/entra">{tr!("nav.provisioning")}</A></li>
                            <li><A href="/admin/identity/provisioning-log">{tr!("nav.provisioning_log")}</A></li>
                            <li><A href="/admin/identity/legacy-entra">{tr!("nav.legacy")}</A></li>
                        </ul>
                    </li>
                    <li><span class="nav-sub">{tr!("nav.system")}</span>
                        <ul><li><A href="/admin/system/attributes">{tr!("nav.attributes")}</A></li></ul>
                    </li>
                </ul>
                <ul>
                    <li><A href="/audit">{tr!("nav.audit")}</A></li>
                </ul>
            </nav>
            <main id="main" class="content">
                <Outlet/>
            </main>
        </div>
    }
}
