//! Reading a SCIM request body: JSON whatever the Content-Type says, an object, with SCIM errors
//! for everything else, and the form the request log may keep of it (see [`redact`]).

use super::{ScimError, ScimType};
use crate::domain::redact::{self, Redacted};
use serde_json::Value;

/// The body as a JSON object, and what the request log keeps of it (`None` for an empty body).
pub fn read(bytes: &[u8]) -> (Result<Value, ScimError>, Option<Redacted>) {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return (Err(syntax("A JSON request body is required.".into())), None);
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(value) => {
            let logged = redact::redact_json(&value);
            let result = if value.is_object() { Ok(value) } else { Err(syntax("The request body must be a JSON object.".into())) };
            (result, Some(logged))
        }
        Err(error) => {
            let logged = Redacted { text: redact::text_for_log(bytes, &error), secrets: Vec::new() };
            (Err(syntax(format!("The request body is not valid JSON: {error}."))), Some(logged))
        }
    }
}

fn syntax(detail: String) -> ScimError {
    ScimError::bad_request(ScimType::InvalidSyntax, detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_json_objects_and_their_logged_form_keeps_no_secret() {
        let (value, logged) = read(br#"{"password": "Tr0ub4dor&3"}"#);
        assert!(value.is_ok());
        assert!(!logged.unwrap().text.contains("Tr0ub4dor"));
        for (bytes, detail) in [(&b"  "[..], "required"), (b"[1]", "object"), (b"{\"a\":", "not valid JSON")] {
            let err = read(bytes).0.unwrap_err();
            assert!(err.detail.contains(detail), "{}", err.detail);
            assert_eq!(err.scim_type, Some(ScimType::InvalidSyntax));
        }
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(read(deep.as_bytes()).0.is_err(), "nesting beyond serde_json's limit is refused, not a stack overflow");
    }
}
