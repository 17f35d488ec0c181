//! Timestamps as the pages show them. The database holds RFC 3339 in UTC; the portal shows
//! them to the second, and says UTC, rather than guess the admin's zone during SSR.

use leptos::prelude::*;

/// `2026-11-22T10:00:00.123456Z` as `2026-11-22 10:00:00 UTC`.
pub fn readable_time(at: &str) -> String {
    let trimmed = at.split('.').next().unwrap_or(at).trim_end_matches('Z');
    format!("{} UTC", trimmed.replace('T', " "))
}

/// A `<time>` element: readable text, the exact instant in `datetime`.
#[component]
pub fn Time(#[prop(into)] at: String) -> impl IntoView {
    let text = readable_time(&at);
    view! { <time datetime=at>{text}</time> }
}
