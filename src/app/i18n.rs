//! The portal's language: English, Japanese or French. The server picks it per request (the
//! `lang` cookie the switcher sets, else the browser's Accept-Language) and writes it into
//! `<html lang>`; the browser reads it back from there, so hydration renders the same text.
//! Strings live in `locales/*.yml`; `tr!("key")` looks one up in the page's language.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    En,
    Ja,
    Fr,
}

/// The cookie the language switcher sets.
pub const COOKIE: &str = "lang";

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::En, Locale::Ja, Locale::Fr];

    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ja => "ja",
            Locale::Fr => "fr",
        }
    }

    /// The language's own name, as the switcher lists it.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Ja => "日本語",
            Locale::Fr => "Français",
        }
    }

    /// `ja`, `ja-JP`, `fr-CA`... (any case).
    pub fn from_code(code: &str) -> Option<Locale> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Locale::ALL.into_iter().find(|locale| locale.code() == primary)
    }

    /// The first language of an Accept-Language header we speak, by the browser's weights.
    pub fn negotiate(accept_language: &str) -> Option<Locale> {
        let mut ranges: Vec<(f32, &str)> = accept_language
            .split(',')
            .filter_map(|range| {
                let mut parts = range.split(';');
                let tag = parts.next()?.trim();
                let quality = parts.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.parse().ok()).unwrap_or(1.0);
                Some((quality, tag))
            })
            .collect();
        ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranges.into_iter().filter(|(quality, _)| *quality > 0.0).find_map(|(_, tag)| Locale::from_code(tag))
    }
}

/// The language of the request being rendered (server) or of the page (browser).
pub fn current_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>().map(|parts| request_locale(&parts.headers)).unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .map(|html| html.get_attribute("lang").unwrap_or_default())
            .and_then(|lang| Locale::from_code(&lang))
            .unwrap_or_default()
    }
}

/// The `lang` cookie, else Accept-Language, else English.
#[cfg(feature = "ssr")]
pub fn request_locale(headers: &axum::http::HeaderMap) -> Locale {
    let cookie = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(COOKIE).and_then(|rest| rest.strip_prefix('=')))
        .and_then(Locale::from_code);
    cookie
        .or_else(|| headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Locale::negotiate))
        .unwrap_or_default()
}

/// Makes the page's language available to `tr!`; called once by `App`.
pub fn provide_locale() -> Locale {
    let locale = current_locale();
    provide_context(locale);
    locale
}

/// The page's language (English outside the app, e.g. in a test).
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// `tr!("users.title")` or `tr!("user.status_deleted_in_idp", time = t)`: the text in the page's language.
#[macro_export]
macro_rules! tr {
    ($key:expr) => {
        rust_i18n::t!($key, locale = $crate::app::i18n::use_locale().code()).into_owned()
    };
    ($key:expr, $($name:ident = $value:expr),+ $(,)?) => {
        rust_i18n::t!($key, locale = $crate::app::i18n::use_locale().code(), $($name = $value),+).into_owned()
    };
}

/// Where the switcher's links go: `/language/ja?to=/users` sets the cookie and comes back.
pub const SWITCH_PATH: &str = "/language";

/// The switcher: one link per language, to the server route that sets the cookie and returns
/// to this page. (Links, not a `<select>` that reloads on change: arrow keys through a select
/// would switch at every step, and links work before the WASM has loaded.)
#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    let locale = use_locale();
    let location = leptos_router::hooks::use_location();
    let link = move |option: Locale| {
        let search = location.search.get();
        let here = if search.is_empty() { location.pathname.get() } else { format!("{}?{search}", location.pathname.get()) };
        let mut query = leptos_router::params::ParamsMap::new();
        query.insert("to", here);
        format!("{SWITCH_PATH}/{}{}", option.code(), query.to_query_string())
    };
    view! {
        <nav class="language" aria-label=crate::tr!("language.label")>
            <ul>
                {Locale::ALL.into_iter().map(|option| view! {
                    <li><a href=move || link(option) rel="external" lang=option.code() hreflang=option.code()
                        aria-current=(option == locale).then_some("true")>{option.native_name()}</a></li>
                }).collect_view()}
            </ul>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browsers_preferred_language_we_speak_wins() {
        assert_eq!(Locale::negotiate("ja-JP,ja;q=0.9,en;q=0.8"), Some(Locale::Ja));
        assert_eq!(Locale::negotiate("de-DE, fr;q=0.7, en;q=0.9"), Some(Locale::En));
        assert_eq!(Locale::negotiate("de, fr-CA;q=0.5"), Some(Locale::Fr));
        assert_eq!(Locale::negotiate("de"), None);
        assert_eq!(Locale::negotiate("ja;q=0, fr"), Some(Locale::Fr));
    }

    /// Each key of every `locales/*.yml` (format version 2) has all three languages.
    #[test]
    fn every_key_has_all_three_languages() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/locales");
        let mut keys = 0;
        let mut prefixes = std::collections::BTreeSet::new();
        for file in std::fs::read_dir(dir).unwrap() {
            let path = file.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let mut current: Option<(String, Vec<String>)> = None;
            let mut check = |entry: Option<(String, Vec<String>)>| {
                if let Some((key, mut codes)) = entry {
                    codes.sort();
                    assert_eq!(codes, ["en", "fr", "ja"], "{} in {}", key, path.display());
                    keys += 1;
                }
            };
            for line in text.lines().filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#')) {
                if !line.starts_with(' ') {
                    if line.starts_with("_version") {
                        continue;
                    }
                    check(current.take());
                    let key = line.trim_end_matches(':').to_owned();
                    prefixes.insert(format!("{}.", key.split('.').next().unwrap()));
                    current = Some((key, Vec::new()));
                } else if let Some((_, codes)) = current.as_mut() {
                    codes.push(line.trim().split(':').next().unwrap().to_owned());
                }
            }
            check(current.take());
        }
        assert!(keys > 0);
        // And every key the code names as a literal (`tr!("…")`, `msg!("…")`, field terms) exists.
        let mut named = 0;
        let mut sources = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
        while let Some(path) = sources.pop() {
            if path.is_dir() {
                sources.extend(std::fs::read_dir(&path).unwrap().map(|entry| entry.unwrap().path()));
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for quoted in text.split('"').skip(1).step_by(2) {
                let is_key = prefixes.iter().any(|prefix| quoted.starts_with(prefix.as_str()))
                    && quoted.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
                if is_key && !quoted.ends_with('.') {
                    assert!(crate::_rust_i18n_try_translate("en", quoted).is_some(), "{quoted} in {} has no text", path.display());
                    named += 1;
                }
            }
        }
        assert!(named > 100, "found {named} keys named in the code");
        for key in ["nav.users", "language.label"] {
            assert_eq!(rust_i18n::t!(key, locale = "ja"), rust_i18n::t!(key, locale = "ja"));
            assert_ne!(rust_i18n::t!(key, locale = "ja"), rust_i18n::t!(key, locale = "en"));
        }
    }
}
