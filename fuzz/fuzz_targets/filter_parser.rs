//! The SCIM filter parser and the in-memory evaluator: any text gives a filter or an error,
//! never a panic; a parsed filter prints back to text that parses to the same filter (when the
//! print stays within the length limit); and
//! evaluating it against a document never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provisio::domain::scim::filter;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(parsed) = filter::parse(text) else { return };
    let printed = parsed.to_string();
    // Printing escapes quotes and backslashes, so a print may outgrow the length limit.
    if printed.len() <= filter::MAX_LENGTH {
        let reparsed = filter::parse(&printed).unwrap_or_else(|err| panic!("{text:?} parsed, but its print {printed:?} does not: {err}"));
        assert_eq!(parsed, reparsed, "{text:?} printed as {printed:?} parses to another filter");
    }
    let document = json!({
        "userName": "Alice@Example.com", "title": null, "active": true, "age": 3,
        "emails": [{"value": "a@x", "type": "work", "primary": true}, {"value": "b@x"}],
        "name": {"givenName": "Al"},
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "R&D"}
    });
    let _ = filter::matches(&parsed, &document);
});
