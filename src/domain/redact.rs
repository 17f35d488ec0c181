//! What the request log may keep of a body: no secrets, and not too much of it.

use serde_json::Value;

/// Bodies longer than this are cut: a log row stays small even for a 1 MiB request.
pub const MAX_LOGGED_BODY_BYTES: usize = 8 * 1024;

const REDACTED: &str = "[redacted]";

/// A JSON body as the log keeps it: secret-bearing values replaced, then capped.
pub fn json_for_log(body: &Value) -> String {
    let mut body = body.clone();
    redact(&mut body);
    cap(body.to_string())
}

/// A response body: written by this server, which never returns a secret, so only capped.
pub fn response_for_log(bytes: &[u8]) -> String {
    cap(String::from_utf8_lossy(bytes).into_owned())
}

/// Raw bytes that are not JSON (a malformed request): kept as text, capped. A secret inside
/// cannot be found without parsing, so only a short prefix is kept.
pub fn text_for_log(bytes: &[u8]) -> String {
    const MAX_UNPARSED: usize = 512;
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_UNPARSED)]).into_owned();
    if bytes.len() > MAX_UNPARSED {
        format!("{text}… [{} bytes in all]", bytes.len())
    } else {
        text
    }
}

/// Whether a JSON key names a secret: Okta sends `password`; nothing else should carry one,
/// but tokens and secrets are removed wherever they appear.
fn is_secret(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["password", "token", "secret"].iter().any(|word| key.contains(word))
}

fn redact(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if is_secret(key) {
                    *value = Value::String(REDACTED.into());
                } else {
                    redact(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
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
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn passwords_and_tokens_are_replaced_wherever_they_are() {
        let body = json!({
            "userName": "ada",
            "password": "hunter2",
            "Operations": [{"op": "replace", "value": {"Password": "s3cret", "nickName": "A"}}],
            "extension": {"apiToken": "abc", "clientSecret": "def"}
        });
        let logged = json_for_log(&body);
        for secret in ["hunter2", "s3cret", "abc", "def"] {
            assert!(!logged.contains(secret), "{secret} leaked into {logged}");
        }
        assert!(logged.contains("\"userName\":\"ada\""));
        assert!(logged.contains("\"nickName\":\"A\""));
        assert_eq!(logged.matches(REDACTED).count(), 4);
    }

    #[test]
    fn long_bodies_are_cut_on_a_character_boundary() {
        let body = json!({"displayName": "é".repeat(MAX_LOGGED_BODY_BYTES)});
        let logged = json_for_log(&body);
        assert!(logged.len() < MAX_LOGGED_BODY_BYTES + 64);
        assert!(logged.ends_with("bytes in all]"));
        assert_eq!(json_for_log(&json!({"a": 1})), "{\"a\":1}");
    }

    #[test]
    fn unparsed_bodies_keep_only_a_prefix() {
        assert_eq!(text_for_log(b"{not json"), "{not json");
        let long = vec![b'x'; 2000];
        let logged = text_for_log(&long);
        assert!(logged.starts_with(&"x".repeat(512)));
        assert!(logged.ends_with("[2000 bytes in all]"));
    }
}
