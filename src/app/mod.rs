//! The admin portal: rendered on the server, hydrated in the browser.

mod components;
pub mod i18n;
mod layout;
mod pages;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

/// The HTML document around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The stylesheet is named like the bundle, hash included (server/site.rs).
    let stylesheet = format!("/{}/{}.css", options.site_pkg_dir, options.output_name);
    view! {
        <!DOCTYPE html>
        <html lang=i18n::current_locale().code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="stylesheet" href=stylesheet/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Every route of the portal as a path pattern (`/users/{id}`): what tests walk to cover every
/// page. (Built here, where the app's view type is already compiled.)
#[cfg(feature = "ssr")]
pub fn route_paths() -> Vec<String> {
    leptos_axum::generate_route_list(App).into_iter().map(|route| route.path().to_owned()).collect()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    i18n::provide_locale();
    // Marks the page as interactive, so browser tests know when clicks will be handled.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Title formatter=|title: String| format!("{title} · Provisio")/>
        <Router>
            <Routes fallback=pages::not_found::NotFoundPage>
                <Route path=path!("/login") view=pages::login::LoginPage/>
                <Route path=path!("/setup") view=pages::setup::SetupPage/>
                <ParentRoute path=path!("") view=layout::Layout>
                    <Route path=path!("/users") view=pages::users::UsersPage/>
                    <Route path=path!("/users/:id") view=pages::user::UserPage/>
                    <Route path=path!("/groups") view=pages::groups::GroupsPage/>
                    <Route path=path!("/groups/:id") view=pages::group::GroupPage/>
                    <Route path=path!("/admin/identity/provisioning/:idp") view=pages::provisioning::ProvisioningPage/>
                    <Route path=path!("/admin/identity/legacy-entra") view=pages::legacy::LegacySourcePage/>
                    <Route path=path!("/admin/identity/provisioning-log") view=pages::provisioning_log::ProvisioningLogPage/>
                    <Route path=path!("/admin/system/attributes") view=pages::attributes::AttributesPage/>
                    <Route path=path!("/configurations") view=pages::configurations::ConfigurationsPage/>
                    <Route path=path!("/configurations/new") view=pages::configurations::ConfigurationPage/>
                    <Route path=path!("/configurations/:id") view=pages::configurations::ConfigurationPage/>
                    <Route path=path!("/audit") view=pages::audit::AuditPage/>
                    <Route path=path!("/account") view=pages::account::AccountPage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
