//! The signed-in frame: top bar with the admin and Sign out, navigation, and the page.

use crate::api::auth::{current_admin, SignOut};
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};

#[component]
pub fn Layout() -> impl IntoView {
    let admin = Resource::new(|| (), |_| current_admin());
    let sign_out = ServerAction::<SignOut>::new();

    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="topbar">
            <a class="brand" href="/users">"Provisio"</a>
            <div class="session">
                <Suspense fallback=|| ()>
                    {move || {
                        admin.get().and_then(Result::ok).flatten().map(|admin| {
                            view! { <span class="who" aria-label="Signed in as">{admin.username}</span> }
                        })
                    }}
                </Suspense>
                <ActionForm action=sign_out>
                    <button type="submit" class="button secondary">"Sign out"</button>
                </ActionForm>
            </div>
        </header>
        <div class="frame">
            <nav class="sidebar" aria-label="Main">
                <ul>
                    <li><A href="/users">"Users"</A></li>
                    <li><A href="/groups">"User Groups"</A></li>
                    <li><A href="/configurations">"Configurations"</A></li>
                </ul>
                <p class="nav-heading">"Admin"</p>
                <ul>
                    <li><span class="nav-sub">"Identity"</span>
                        <ul>
                            <li><A href="/admin/identity/provisioning/entra">"User Provisioning"</A></li>
                            <li><A href="/admin/identity/provisioning-log">"Provisioning Log"</A></li>
                            <li><A href="/admin/identity/legacy-entra">"Entra ID User Source"</A></li>
                        </ul>
                    </li>
                    <li><span class="nav-sub">"System"</span>
                        <ul><li><A href="/admin/system/attributes">"Attributes"</A></li></ul>
                    </li>
                </ul>
                <ul>
                    <li><A href="/audit">"Audit Trail"</A></li>
                </ul>
            </nav>
            <main id="main" class="content">
                <Outlet/>
            </main>
        </div>
    }
}
