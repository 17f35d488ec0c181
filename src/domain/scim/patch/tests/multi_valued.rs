//! Multi-valued attributes: append, replace, filtered writes, upserts and removals.

use super::*;

#[test]
fn multi_valued_add_appends_dedupes_and_settles_primary() {
    let doc = patch_user(
        alice(),
        ops(json!([{"op": "add", "path": "emails", "value": [
            {"value": "alice@contoso.com", "type": "work", "primary": true},
            {"value": "a@home.example", "type": "home", "primary": "True"}
        ]}])),
    );
    assert_eq!(
        doc["emails"],
        json!([
            {"value": "alice@contoso.com", "type": "work", "primary": false},
            {"value": "a@home.example", "type": "home", "primary": true}
        ])
    );
    // A non-array value is wrapped; an exact duplicate is skipped.
    let doc = patch_user(
        doc,
        ops(json!([
            {"op": "add", "path": "phoneNumbers", "value": {"value": "555", "type": "work"}},
            {"op": "add", "path": "phoneNumbers", "value": {"value": "555", "type": "work"}}
        ])),
    );
    assert_eq!(doc["phoneNumbers"], json!([{"value": "555", "type": "work"}]));
    // Path-less add appends too.
    let doc = patch_user(doc, ops(json!([{"op": "add", "value": {"phoneNumbers": [{"value": "556", "type": "mobile"}]}}])));
    assert_eq!(doc["phoneNumbers"].as_array().map(Vec::len), Some(2));
}

#[test]
fn multi_valued_replace_replaces_whole_array() {
    let doc = patch_user(
        alice(),
        ops(json!([{"op": "replace", "path": "emails", "value": [{"value": "x@y.z", "type": "other", "Primary": "false"}]}])),
    );
    assert_eq!(doc["emails"], json!([{"value": "x@y.z", "type": "other", "primary": false}]));
    let doc = patch_user(doc, ops(json!([{"op": "replace", "path": "emails", "value": {"value": "only@y.z"}}])));
    assert_eq!(doc["emails"], json!([{"value": "only@y.z"}]));
    let doc = patch_user(doc, ops(json!([{"op": "replace", "path": "emails", "value": []}])));
    assert!(doc.get("emails").is_none());
}

#[test]
fn filtered_writes_on_matching_elements() {
    let mut start = alice();
    start["emails"] = json!([
        {"value": "w1@x", "type": "work"},
        {"value": "h1@x", "type": "home", "primary": true},
        {"value": "w2@x", "type": "WORK"}
    ]);
    // Every matching element is updated.
    let doc = patch_user(start, ops(json!([{"op": "replace", "path": "emails[type eq \"work\"].display", "value": "Work"}])));
    assert_eq!(doc["emails"][0]["display"], "Work");
    assert_eq!(doc["emails"][2]["display"], "Work");
    assert!(doc["emails"][1].get("display").is_none());
    // An object value without a sub-attribute merges into the match.
    let doc = patch_user(
        doc,
        ops(json!([{"op": "replace", "path": "emails[value eq \"w1@x\"]", "value": {"primary": "true", "display": null}}])),
    );
    assert_eq!(doc["emails"][0], json!({"value": "w1@x", "type": "work", "primary": true}));
    assert_eq!(doc["emails"][1]["primary"], json!(false), "only one primary");
    // ... and upserts when nothing matches.
    let doc = patch_user(doc, ops(json!([{"op": "add", "path": "emails[type eq \"other\"]", "value": {"value": "o@x"}}])));
    assert_eq!(doc["emails"][3], json!({"type": "other", "value": "o@x"}));
    // A scalar value for a sub-attribute-less filtered path is rejected.
    let err = user_error(doc, ops(json!([{"op": "replace", "path": "emails[type eq \"work\"]", "value": "x"}])));
    assert_error(&err, ScimType::InvalidValue, "object value");
}

#[test]
fn upsert_template_from_and_of_equalities() {
    let doc = patch_user(
        alice(),
        ops(json!([{"op": "replace", "path": "phoneNumbers[type eq \"work\" and primary eq true].value", "value": "555"}])),
    );
    assert_eq!(doc["phoneNumbers"], json!([{"type": "work", "primary": true, "value": "555"}]));
    for path in [
        "emails[type ne \"work\"].value",
        "emails[type eq \"a\" or type eq \"b\"].value",
        "emails[value co \"@\"].display",
        "emails[type eq \"a\" and type eq \"b\"].value",
        "emails[type eq null].value",
    ] {
        let mut start = alice();
        object_mut(&mut start).shift_remove("emails");
        let err = user_error(start, ops(json!([{"op": "replace", "path": path, "value": "v"}])));
        assert_error(&err, ScimType::NoTarget, "none can be created");
    }
}

#[test]
fn filtered_and_plain_removes() {
    let mut start = alice();
    start["emails"] = json!([
        {"value": "w@x", "type": "work", "primary": true},
        {"value": "h@x", "type": "home"},
        {"value": "o@x", "type": "other"}
    ]);
    let doc = patch_user(start.clone(), ops(json!([{"op": "remove", "path": "emails[type eq \"home\"]"}])));
    assert_eq!(doc["emails"].as_array().map(Vec::len), Some(2));
    let doc = patch_user(doc, ops(json!([{"op": "Remove", "path": "emails[type eq \"work\"].value"}])));
    assert_eq!(doc["emails"][0], json!({"type": "work", "primary": true}));
    // No match: no-op, not an error.
    let same = patch_user(
        doc.clone(),
        ops(json!([
            {"op": "remove", "path": "emails[type eq \"fax\"]"},
            {"op": "remove", "path": "addresses[type eq \"work\"].formatted"},
            {"op": "remove", "path": "nickName"},
            {"op": "remove", "path": "name.middleName"},
            {"op": "remove", "path": format!("{ENTERPRISE}:department")}
        ])),
    );
    assert_eq!(same, doc);
    // Plain path removes the attribute; sub-attribute removes just it.
    let doc = patch_user(
        start,
        ops(json!([
            {"op": "remove", "path": "emails"},
            {"op": "remove", "path": "name.formatted"},
            {"op": "remove", "path": "displayName"}
        ])),
    );
    assert!(doc.get("emails").is_none());
    assert!(doc.get("displayName").is_none());
    assert_eq!(doc["name"], json!({"givenName": "Alice", "familyName": "Smith"}));
    // Removing the last sub-attribute removes the complex attribute.
    let doc = patch_user(doc, ops(json!([{"op": "remove", "path": "name.givenName"}, {"op": "remove", "path": "name.familyName"}])));
    assert!(doc.get("name").is_none());
}

#[test]
fn remove_with_value_list_on_user_attribute_removes_only_listed() {
    let mut start = alice();
    start["roles"] = json!([{"value": "Admin", "type": "t"}, {"value": "Reader", "type": "t"}]);
    let doc = patch_user(start.clone(), ops(json!([{"op": "Remove", "path": "roles", "value": [{"value": "Admin", "$ref": null}]}])));
    assert_eq!(doc["roles"], json!([{"value": "Reader", "type": "t"}]));
    // A listed object with only nulls names nothing.
    let doc = patch_user(start.clone(), ops(json!([{"op": "Remove", "path": "roles", "value": [{"value": null}]}])));
    assert_eq!(doc, start);
}

#[test]
fn emails_value_without_filter_addresses_every_element() {
    let mut start = alice();
    start["emails"] = json!([{"value": "a@x", "type": "work"}, {"value": "b@x", "type": "home"}]);
    let doc = patch_user(start, ops(json!([{"op": "replace", "path": "emails.display", "value": "Mail"}])));
    assert_eq!(doc["emails"][0]["display"], "Mail");
    assert_eq!(doc["emails"][1]["display"], "Mail");
    let doc = patch_user(doc, ops(json!([{"op": "remove", "path": "emails.display"}])));
    assert!(doc["emails"][0].get("display").is_none());
    let mut bare = alice();
    object_mut(&mut bare).shift_remove("emails");
    let doc = patch_user(bare, ops(json!([{"op": "add", "path": "emails.value", "value": "n@x"}])));
    assert_eq!(doc["emails"], json!([{"value": "n@x"}]));
}
