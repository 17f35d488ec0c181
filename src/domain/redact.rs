//! What the request log may keep of a body: no secrets, and not too much of it.
//!
//! A secret can reach a body three ways, and each is covered: as a key (`"password": …`, in any
//! case, URN-qualified, nested in a value object or in Bulk `data`), as the `value` of a PATCH
//! operation whose `path` names it (`{"op":"replace","path":"PASSWORD","value":…}`), and inside
//! a PATCH path's filter (`password[value eq "…"]`). The values found are also returned, so the
//! caller can scrub them from anything else it logs (an error detail that echoes a path).

use serde_json::Value;
use std::sync::LazyLock;

/// Bodies longer than this are cut: a log row stays small even for a 1 MiB request.
pub const MAX_LOGGED_BODY_BYTES: usize = 8 * 1024;

pub const REDACTED: &str = "[redacted]";

/// Secrets shorter than this are not scrubbed from other text: replacing every `a` in a
/// response would destroy the log, and no IdP sends a password that short.
const MIN_SCRUBBED_CHARS: usize = 4;

/// A body as the log keeps it, and the secret values that were taken out of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Redacted {
    pub text: String,
    pub secrets: Vec<String>,
}

/// A JSON body as the log keeps it: secret-bearing values replaced, then capped.
pub fn json_for_log(body: &Value) -> String {
    redact_json(body).text
}

/// [`json_for_log`], with the secret values it removed.
pub fn redact_json(body: &Value) -> Redacted {
    // Most bodies (every response, most requests) hold no secret: no copy to redact then.
    if !holds_secret(body) {
        return Redacted { text: cap(body.to_string()), secrets: Vec::new() };
    }
    let mut body = body.clone();
    let mut secrets = Vec::new();
    redact(&mut body, &mut secrets);
    secrets.sort();
    secrets.dedup();
    Redacted { text: cap(body.to_string()), secrets }
}

/// A response body: written by this server, which never returns a secret, so only capped.
pub fn response_for_log(bytes: &[u8]) -> String {
    cap(String::from_utf8_lossy(bytes).into_owned())
}

/// Raw bytes that are not JSON (a malformed request). A secret inside cannot be found without
/// parsing (it may sit behind an escape, or be the very text that broke the parse), so none of
/// it is kept: only its size and why it was refused.
pub fn text_for_log(bytes: &[u8], error: &dyn std::fmt::Display) -> String {
    format!("[not JSON, {} bytes, not kept: {error}]", bytes.len())
}

/// `text` with every secret replaced, for text derived from a redacted request.
pub fn scrub(text: &str, secrets: &[String]) -> String {
    let scrubbed = secrets.iter().filter(|secret| secret.chars().count() >= MIN_SCRUBBED_CHARS);
    scrubbed.fold(text.to_owned(), |text, secret| text.replace(secret.as_str(), REDACTED))
}

/// Whether a JSON key or a PATCH path names a secret: the schema's sensitive attributes
/// (`password`, in any case and spelling: `PASSWORD`, `urn:…:User:password`, `password.x`),
/// and anything that looks like a token or a secret.
pub fn names_secret(text: &str) -> bool {
    static WORDS: LazyLock<Vec<String>> = LazyLock::new(|| {
        let sensitive = crate::domain::scim::schema::sensitive_names().map(str::to_ascii_lowercase);
        ["password", "token", "secret"].into_iter().map(str::to_owned).chain(sensitive).filter(|word| !word.is_empty()).collect()
    });
    // Every key of every body passes here: compare in place rather than lowercase a copy.
    let text = text.as_bytes();
    WORDS.iter().any(|word| text.windows(word.len()).any(|window| window.eq_ignore_ascii_case(word.as_bytes())))
}

/// Whether `redact` would take anything out of `value`: the same tests, without the copy.
fn holds_secret(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(key, inner)| names_secret(key) || names_secret_path(key, inner) || holds_secret(inner)),
        Value::Array(items) => items.iter().any(holds_secret),
        _ => false,
    }
}

/// A PATCH operation's `path` that names a secret: the operation's `value` is that secret.
fn names_secret_path(key: &str, path: &Value) -> bool {
    is_key(key, "path") && path.as_str().is_some_and(names_secret)
}

fn is_key(key: &str, name: &str) -> bool {
    key.trim().eq_ignore_ascii_case(name)
}

fn redact(value: &mut Value, secrets: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            // A PATCH operation whose path names a secret: its value is the secret.
            let secret_path = map.iter().any(|(key, path)| names_secret_path(key, path));
            for (key, value) in map.iter_mut() {
                if names_secret(key) || (secret_path && is_key(key, "value")) {
                    take(value, secrets);
                } else if secret_path && is_key(key, "path") {
                    take_filter_literals(value, secrets);
                } else {
                    redact(value, secrets);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| redact(item, secrets)),
        _ => {}
    }
}

/// Replaces a secret-bearing value, remembering every string inside it.
fn take(value: &mut Value, secrets: &mut Vec<String>) {
    collect_strings(value, secrets);
    *value = Value::String(REDACTED.into());
}

fn collect_strings(value: &Value, secrets: &mut Vec<String>) {
    match value {
        Value::String(text) => secrets.push(text.clone()),
        Value::Number(number) => secrets.push(number.to_string()),
        Value::Array(items) => items.iter().for_each(|item| collect_strings(item, secrets)),
        Value::Object(map) => {
            for (key, value) in map {
                secrets.push(key.clone());
                collect_strings(value, secrets);
            }
        }
        Value::Bool(_) | Value::Null => {}
    }
}

/// `password[value eq "…"]`: the path says which attribute, the filter carries a secret. The
/// path is kept when it has no filter, and replaced whole when it has one.
fn take_filter_literals(path: &mut Value, secrets: &mut Vec<String>) {
    let Value::String(text) = path else { return };
    if !text.contains(['[', '"']) {
        return;
    }
    secrets.extend(text.split('"').skip(1).step_by(2).map(str::to_owned));
    secrets.push(text.clone());
    *path = Value::String(REDACTED.into());
}

/// Cuts at a character boundary and says how long the whole was.
fn cap(text: String) -> String {
    if text.len() <= MAX_LOGGED_BODY_BYTES {
        return text;
    }
    let mut end = MAX_LOGGED_BODY_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… [truncated, {} bytes in all]", &text[..end], text.len())
}

#[cfg(test)]
mod tests;
