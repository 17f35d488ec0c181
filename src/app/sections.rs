//! The portal's pages in four sections whose code the browser fetches when a page of the
//! section is first shown (leptos' lazy routes; `scripts/build` splits the wasm, and the server
//! names a page's section files in `<link rel="preload">`). The bundle's main module keeps the
//! shell, the router and what every page shares.
//!
//! Sections rather than a split per page: with a split per page, most code sat in chunks shared
//! by some pages and not others, a page fetched up to 117 wasm files, and every page hydrated
//! slower than with the whole bundle (`scripts/measure-portal-load`). Four rather than three: the
//! IdP pages apart from the rest of administration made both lighter, and sign-in faster still.

use super::pages;
use leptos::prelude::*;
use leptos_router::LazyRoute;

/// Before signing in: sign-in, and the first administrator's setup.
#[derive(Clone, Copy)]
pub enum EntryPage {
    Login,
    Setup,
}

/// The directory: what the IdPs provisioned.
#[derive(Clone, Copy)]
pub enum DirectoryPage {
    Users,
    User,
    Groups,
    Group,
}

/// The identity providers: their settings, the legacy source, the provisioning log.
#[derive(Clone, Copy)]
pub enum IdentityPage {
    Provisioning,
    LegacySource,
    ProvisioningLog,
}

/// Administration: attributes, configurations, the audit trail, the account.
#[derive(Clone, Copy)]
pub enum AdminPage {
    Attributes,
    Configurations,
    Configuration,
    Audit,
    Account,
}

/// The section's code: fetched with the section, and called for each of its pages.
#[lazy]
fn entry_pages() -> fn(EntryPage) -> AnyView {
    show_entry_page
}

fn show_entry_page(page: EntryPage) -> AnyView {
    match page {
        EntryPage::Login => pages::login::LoginPage().into_any(),
        EntryPage::Setup => pages::setup::SetupPage().into_any(),
    }
}

/// The section's code: fetched with the section, and called for each of its pages.
#[lazy]
fn directory_pages() -> fn(DirectoryPage) -> AnyView {
    show_directory_page
}

fn show_directory_page(page: DirectoryPage) -> AnyView {
    match page {
        DirectoryPage::Users => pages::users::UsersPage().into_any(),
        DirectoryPage::User => pages::user::UserPage().into_any(),
        DirectoryPage::Groups => pages::groups::GroupsPage().into_any(),
        DirectoryPage::Group => pages::group::GroupPage().into_any(),
    }
}

/// The section's code: fetched with the section, and called for each of its pages.
#[lazy]
fn identity_pages() -> fn(IdentityPage) -> AnyView {
    show_identity_page
}

fn show_identity_page(page: IdentityPage) -> AnyView {
    match page {
        IdentityPage::Provisioning => pages::provisioning::ProvisioningPage().into_any(),
        IdentityPage::LegacySource => pages::legacy::LegacySourcePage().into_any(),
        IdentityPage::ProvisioningLog => pages::provisioning_log::ProvisioningLogPage().into_any(),
    }
}

/// The section's code: fetched with the section, and called for each of its pages.
#[lazy]
fn admin_pages() -> fn(AdminPage) -> AnyView {
    show_admin_page
}

fn show_admin_page(page: AdminPage) -> AnyView {
    match page {
        AdminPage::Attributes => pages::attributes::AttributesPage().into_any(),
        AdminPage::Configurations => pages::configurations::ConfigurationsPage().into_any(),
        AdminPage::Configuration => pages::configurations::ConfigurationPage().into_any(),
        AdminPage::Audit => pages::audit::AuditPage().into_any(),
        AdminPage::Account => pages::account::AccountPage().into_any(),
    }
}

/// A route type per page (what `Lazy::<…>` names in the router), each showing its page from
/// its section.
macro_rules! lazy_routes {
    ($($route:ident => $section:ident / $preload:ident($page:expr)),* $(,)?) => {$(
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            // The router loads the section before it hydrates the page. Without this, hydration
            // went on before the section arrived and failed ("expected a marker node").
            async fn preload() {
                #[cfg(target_arch = "wasm32")]
                $preload().await;
            }

            async fn view(route: Self) -> AnyView {
                let $route = route;
                let show = $section().await;
                show($page)
            }
        }
    )*};
}

lazy_routes! {
    LoginRoute => entry_pages / __preload_entry_pages(EntryPage::Login),
    SetupRoute => entry_pages / __preload_entry_pages(EntryPage::Setup),
    UsersRoute => directory_pages / __preload_directory_pages(DirectoryPage::Users),
    UserRoute => directory_pages / __preload_directory_pages(DirectoryPage::User),
    GroupsRoute => directory_pages / __preload_directory_pages(DirectoryPage::Groups),
    GroupRoute => directory_pages / __preload_directory_pages(DirectoryPage::Group),
    ProvisioningRoute => identity_pages / __preload_identity_pages(IdentityPage::Provisioning),
    LegacySourceRoute => identity_pages / __preload_identity_pages(IdentityPage::LegacySource),
    ProvisioningLogRoute => identity_pages / __preload_identity_pages(IdentityPage::ProvisioningLog),
    AttributesRoute => admin_pages / __preload_admin_pages(AdminPage::Attributes),
    ConfigurationsRoute => admin_pages / __preload_admin_pages(AdminPage::Configurations),
    ConfigurationRoute => admin_pages / __preload_admin_pages(AdminPage::Configuration),
    AuditRoute => admin_pages / __preload_admin_pages(AdminPage::Audit),
    AccountRoute => admin_pages / __preload_admin_pages(AdminPage::Account),
}
