//! Previous / next links for server-paged lists (`?page=N`, 1-based).

use crate::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

/// The current page number from the URL.
pub fn current_page() -> Memo<i64> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get("page").and_then(|p| p.parse::<i64>().ok()).filter(|p| *p >= 1).unwrap_or(1))
}

/// A filter's value from the URL: trimmed, `None` when empty.
pub fn query_text(query: &ParamsMap, key: &str) -> Option<String> {
    query.get(key).map(|value| value.trim().to_owned()).filter(|value| !value.is_empty())
}

/// `base` with the current query, some parameters set anew: the page's filters are kept.
pub fn link_with(base: &str, query: &ParamsMap, changes: &[(&'static str, String)]) -> String {
    let mut params = query.clone();
    for (key, value) in changes {
        params.replace(*key, value.clone());
    }
    format!("{base}{}", params.to_query_string())
}

/// Links keep the page's other query parameters (its filters).
#[component]
pub fn Pager(#[prop(into)] base: String, page: i64, total: i64, page_size: i64) -> impl IntoView {
    let query = use_query_map().get_untracked();
    let link = move |to: i64| link_with(&base, &query, &[("page", to.to_string())]);
    let pages = ((total + page_size - 1) / page_size).max(1);
    let first = if total == 0 { 0 } else { (page - 1) * page_size + 1 };
    let last = (page * page_size).min(total);
    view! {
        <nav class="pager" aria-label=tr!("common.pages")>
            <span>{tr!("common.range", first = first, last = last, total = total)}</span>
            {(page > 1).then(|| view! { <a href=link(page - 1) rel="prev">{tr!("common.previous")}</a> })}
            {(page < pages).then(|| view! { <a href=link(page + 1) rel="next">{tr!("common.next")}</a> })}
        </nav>
    }
}
