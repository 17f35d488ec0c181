use super::*;
use serde_json::json;

fn assert_hidden(body: &Value, secrets: &[&str]) -> Redacted {
    let redacted = redact_json(body);
    for secret in secrets {
        assert!(!redacted.text.contains(secret), "{secret} leaked into {}", redacted.text);
        assert!(redacted.secrets.iter().any(|s| s.contains(secret)), "{secret} not reported in {:?}", redacted.secrets);
    }
    redacted
}

#[test]
fn passwords_and_tokens_are_replaced_wherever_they_are() {
    let body = json!({
        "userName": "ada",
        "password": "hunter2",
        "Operations": [{"op": "replace", "value": {"Password": "s3cret", "nickName": "A"}}],
        "extension": {"apiToken": "abc1", "clientSecret": "def1"}
    });
    let logged = assert_hidden(&body, &["hunter2", "s3cret", "abc1", "def1"]).text;
    assert!(logged.contains("\"userName\":\"ada\""));
    assert!(logged.contains("\"nickName\":\"A\""));
    assert_eq!(logged.matches(REDACTED).count(), 4);
}

#[test]
fn a_patch_path_naming_the_password_hides_its_value_in_every_spelling() {
    for path in ["password", "PASSWORD", " Password ", "urn:ietf:params:scim:schemas:core:2.0:User:password", "password.x"] {
        for op in ["add", "replace", "remove", "Replace"] {
            let body = json!({"Operations": [{"op": op, "path": path, "value": "Tr0ub4dor&3"}]});
            let logged = assert_hidden(&body, &["Tr0ub4dor&3"]).text;
            assert!(logged.contains(path), "a path without a filter is kept: {logged}");
        }
    }
    let upper = json!({"OPERATIONS": [{"OP": "replace", "PATH": "password", "VALUE": {"nested": ["Tr0ub4dor&3"]}}]});
    assert_hidden(&upper, &["Tr0ub4dor&3"]);
}

#[test]
fn a_secret_in_a_path_filter_is_hidden_with_the_path() {
    let body = json!({"Operations": [{"op": "remove", "path": "password[value eq \"Tr0ub4dor&3\"]"}]});
    let redacted = assert_hidden(&body, &["Tr0ub4dor&3"]);
    assert!(redacted.text.contains(REDACTED));
}

#[test]
fn value_objects_and_bulk_data_are_searched() {
    let body = json!({"Operations": [
        {"method": "PATCH", "path": "/Users/1", "data": {"Operations": [{"op": "add", "path": "Password", "value": "bulkSecret1"}]}},
        {"method": "POST", "path": "/Users", "data": {"urn:ietf:params:scim:schemas:core:2.0:User:password": "bulkSecret2"}},
        {"method": "PATCH", "path": "/Users/2", "data": {"Operations": [{"op": "replace", "value": {"urn:ietf:params:scim:schemas:core:2.0:User": {"PASSWORD": "bulkSecret3"}}}]}}
    ]});
    let redacted = assert_hidden(&body, &["bulkSecret1", "bulkSecret2", "bulkSecret3"]);
    assert!(redacted.text.contains("/Users/1"), "other paths are kept: {}", redacted.text);
}

#[test]
fn scrubbing_replaces_the_secrets_found_elsewhere() {
    let secrets = vec!["Tr0ub4dor&3".to_owned()];
    assert_eq!(scrub("invalid path `password[value eq \"Tr0ub4dor&3\"]`", &secrets), "invalid path `password[value eq \"[redacted]\"]`");
    assert_eq!(scrub("a cab", &["abc".to_owned(), "a".to_owned()]), "a cab", "too short to scrub without ruining the log");
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
fn unparsed_bodies_are_never_kept() {
    let body = br#"{"Operations":[{"op":"replace","path":"password","value":"Tr0ub4dor&3"}"#;
    let error = serde_json::from_slice::<Value>(body).unwrap_err();
    let logged = text_for_log(body, &error);
    assert!(!logged.contains("Tr0ub4dor"), "{logged}");
    assert!(logged.starts_with(&format!("[not JSON, {} bytes, not kept: ", body.len())), "{logged}");
}

/// JSON bodies whose keys and PATCH paths now and then name a secret, in any case.
fn bodies() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    let key = prop::sample::select(vec!["userName", "path", "value", "Password", "op", "apiTOKEN", "emails", "x"]);
    let text = prop::sample::select(vec!["ada", "password", "PASSWORD[value eq \"hunter2\"]", "clientSecret", "members"]);
    let leaf =
        prop_oneof![Just(Value::Null), any::<bool>().prop_map(Value::from), any::<i32>().prop_map(Value::from), text.prop_map(Value::from)];
    leaf.prop_recursive(4, 40, 5, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..5)
                .prop_map(|pairs| Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    })
}

proptest::proptest! {
    /// The shortcut for bodies without secrets must answer what the full redaction would.
    #[test]
    fn the_shortcut_for_bodies_without_secrets_agrees_with_full_redaction(body in bodies()) {
        let mut redacted = body.clone();
        let mut secrets = Vec::new();
        redact(&mut redacted, &mut secrets);
        secrets.sort();
        secrets.dedup();
        proptest::prop_assert_eq!(redact_json(&body), Redacted { text: cap(redacted.to_string()), secrets });
    }
}
