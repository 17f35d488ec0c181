//! The page to come back to after sign-in: carried as `/login?next=<path>` when a session has
//! ended, and followed only when it is a path on this site (never an open redirect).

/// `to` when it is a path on this site, otherwise `None`: `//evil.example` and `https://…`
/// leave the site, and browsers read a backslash as a slash.
pub fn local_path(to: &str) -> Option<&str> {
    (to.starts_with('/') && !to.starts_with("//") && !to.contains('\\')).then_some(to)
}

/// The sign-in page, asked to come back to `back` afterwards.
pub fn sign_in_url(back: &str) -> String {
    match local_path(back).filter(|back| !matches!(*back, "/" | "/login" | "/setup")) {
        Some(back) => format!("/login?next={}", encode(back)),
        None => "/login".to_owned(),
    }
}

/// Percent-encodes all but the characters a query value may hold as they are.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => (byte as char).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site_are_returned_to() {
        assert_eq!(local_path("/users?q=ann"), Some("/users?q=ann"));
        assert_eq!(local_path("//evil.example/x"), None);
        assert_eq!(local_path("/\\evil.example"), None);
        assert_eq!(local_path("https://evil.example"), None);
        assert_eq!(local_path(""), None);
    }

    #[test]
    fn the_sign_in_url_carries_the_page_encoded() {
        assert_eq!(sign_in_url("/groups"), "/login?next=/groups");
        assert_eq!(sign_in_url("/users?q=ann b&x=1"), "/login?next=/users%3Fq%3Dann%20b%26x%3D1");
        assert_eq!(sign_in_url("/"), "/login");
        assert_eq!(sign_in_url("/login"), "/login");
        assert_eq!(sign_in_url("https://evil.example"), "/login");
    }
}
