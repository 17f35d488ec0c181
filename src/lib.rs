//! Provisio: a SCIM 2.0 service provider for Entra ID and Okta, with a Leptos admin portal.
//!
//! One crate, two targets: feature `ssr` builds the server (axum, sqlx), feature `hydrate`
//! the browser bundle. Data flows one way: HTTP -> domain decides -> store persists.

// Leptos view types nest deeply; the portal's larger pages need more than the default 128.
#![recursion_limit = "256"]

// Every portal string, in English, Japanese and French (locales/*.yml); English fills gaps.
rust_i18n::i18n!("locales", fallback = "en");

pub mod api;
pub mod app;
pub mod domain;
pub mod models;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod sync;

/// The server's allocator, set here so the server, its tests and its benchmark all run on it:
/// glibc's malloc and free took a tenth of the CPU under SCIM load (perf, scim_load bench).
#[cfg(feature = "ssr")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The browser entry point: hydrates the server-rendered portal. Hydration is asynchronous
/// because a page's code arrives with its section of pages (`app::sections`).
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    use leptos::prelude::document;

    console_error_panic_hook::set_once();
    // `hydrate_from_async` starts Leptos' executor; this outer future needs none of it.
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = document().body() else { return };
        leptos::mount::hydrate_from_async(body.clone(), app::App).await.forget();
        // Only now is the whole page interactive: browser tests wait for this mark.
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
