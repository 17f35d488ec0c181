//! The SCIM body reader: any bytes give a JSON object or a 400, never a panic, and the form the
//! request log keeps never holds a value found under a password key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provisio::domain::scim::body;
use serde_json::Value;

/// Whether a key names the password attribute: `password` in any case, alone or after a schema
/// URN (`urn:…:User:password`). A key that merely contains the word is another attribute.
fn is_password_key(key: &str) -> bool {
    key.rsplit(':').next().is_some_and(|name| name.trim().eq_ignore_ascii_case("password"))
}

/// Strings under keys naming a password, long enough not to occur by chance elsewhere.
fn passwords(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                match value {
                    Value::String(secret) if is_password_key(key) && secret.len() >= 12 => out.push(secret.clone()),
                    other => passwords(other, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| passwords(item, out)),
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let (value, logged) = body::read(data);
    match value {
        Ok(value) => {
            let logged = logged.expect("a JSON body is logged");
            let mut secrets = Vec::new();
            passwords(&value, &mut secrets);
            let escaped: Vec<String> = secrets.iter().map(|s| Value::String(s.clone()).to_string()).collect();
            for secret in escaped {
                assert!(!logged.text.contains(&secret), "{secret} logged");
            }
        }
        Err(err) => assert_eq!(err.status, 400),
    }
});
