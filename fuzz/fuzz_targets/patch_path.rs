//! The PATCH path parser and the schema lookup: any text gives a path or a SCIM error, never a
//! panic, and a parsed path prints back to something that parses again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provisio::domain::scim::patch;
use provisio::domain::scim::schema::{self, ResourceKind};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = schema::lookup(ResourceKind::User, text);
    let _ = schema::lookup(ResourceKind::Group, text);
    if let Ok(path) = patch::parse_path(text) {
        let printed = path.attr.to_string();
        assert!(patch::parse_path(&printed).is_ok(), "{text:?} parsed, but its attribute {printed:?} does not");
    } else if let Err(err) = patch::parse_path(text) {
        assert_eq!(err.status, 400);
    }
});
