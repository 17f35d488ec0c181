//! `GET /language/{code}?to=/path`: the language switcher's links. Remembers the choice in the
//! `lang` cookie for a year and goes back to the page the admin was on.

use crate::app::i18n::{Locale, COOKIE};
use crate::domain::return_to;
use axum::extract::{Path, Query};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Back {
    to: Option<String>,
}

pub async fn choose(Path(code): Path<String>, Query(back): Query<Back>) -> Response {
    let Some(locale) = Locale::from_code(&code) else {
        return (StatusCode::NOT_FOUND, "No such language.").into_response();
    };
    let cookie = format!("{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", locale.code());
    ([(header::SET_COOKIE, cookie)], Redirect::to(&local_path(back.to))).into_response()
}

/// Only a path on this site: `//evil.example` or `https://…` would make this an open redirect.
fn local_path(to: Option<String>) -> String {
    to.filter(|to| return_to::local_path(to).is_some()).unwrap_or_else(|| "/".to_owned())
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_paths_on_this_site_are_returned_to() {
        assert_eq!(local_path(Some("/users?q=ann".into())), "/users?q=ann");
        assert_eq!(local_path(Some("//evil.example/x".into())), "/");
        assert_eq!(local_path(Some("/\\evil.example".into())), "/");
        assert_eq!(local_path(Some("https://evil.example".into())), "/");
        assert_eq!(local_path(None), "/");
    }
}
