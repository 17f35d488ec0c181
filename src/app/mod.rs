//! The admin portal: rendered on the server, hydrated in the browser.

mod components;
pub mod i18n;
mod layout;
mod pages;
mod sections;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;
use leptos_router::Lazy;
use sections::*;

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

    view! {
        <Title formatter=|title: String| format!("{title} · Provisio")/>
        <Router>
            <Routes fallback=pages::not_found::NotFoundPage>
                <Route path=path!("/login") view={Lazy::<LoginRoute>::new()}/>
                <Route path=path!("/setup") view={Lazy::<SetupRoute>::new()}/>
                <ParentRoute path=path!("") view=layout::Layout>
                    <Route path=path!("/users") view={Lazy::<UsersRoute>::new()}/>
                    <Route path=path!("/users/:id") view={Lazy::<UserRoute>::new()}/>
                    <Route path=path!("/groups") view={Lazy::<GroupsRoute>::new()}/>
                    <Route path=path!("/groups/:id") view={Lazy::<GroupRoute>::new()}/>
                    <Route path=path!("/admin/identity/provisioning/:idp") view={Lazy::<ProvisioningRoute>::new()}/>
                    <Route path=path!("/admin/identity/legacy-entra") view={Lazy::<LegacySourceRoute>::new()}/>
                    <Route path=path!("/admin/identity/provisioning-log") view={Lazy::<ProvisioningLogRoute>::new()}/>
                    <Route path=path!("/admin/system/attributes") view={Lazy::<AttributesRoute>::new()}/>
                    <Route path=path!("/configurations") view={Lazy::<ConfigurationsRoute>::new()}/>
                    <Route path=path!("/configurations/new") view={Lazy::<ConfigurationRoute>::new()}/>
                    <Route path=path!("/configurations/:id") view={Lazy::<ConfigurationRoute>::new()}/>
                    <Route path=path!("/audit") view={Lazy::<AuditRoute>::new()}/>
                    <Route path=path!("/account") view={Lazy::<AccountRoute>::new()}/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
