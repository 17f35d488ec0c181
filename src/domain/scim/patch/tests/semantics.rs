use super::*;

// -- semantics ---------------------------------------------------------------

#[test]
fn op_names_are_case_insensitive() {
    for (text, kind) in [
        ("Add", OpKind::Add),
        ("add", OpKind::Add),
        ("ADD", OpKind::Add),
        ("Replace", OpKind::Replace),
        ("REPLACE", OpKind::Replace),
        ("Remove", OpKind::Remove),
        ("rEmOvE", OpKind::Remove),
    ] {
        let parsed = parse_request(&ops(json!([{"op": text, "path": "title", "value": "x"}]))).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        assert_eq!(parsed[0].op, kind);
    }
    for bad in [json!("copy"), json!("move"), json!("test"), json!(""), json!(1), json!(null), json!(["add"])] {
        let err = parse_request(&ops(json!([{"op": bad, "path": "title", "value": "x"}]))).expect_err("bad op");
        assert_error(&err, ScimType::InvalidSyntax, "op");
    }
}

#[test]
fn request_envelope_validation() {
    let op = json!({"op": "add", "path": "title", "value": "x"});
    // Missing schemas is accepted; case-insensitive URN and key names.
    assert!(parse_request(&json!({"Operations": [op.clone()]})).is_ok());
    assert!(parse_request(&json!({"schemas": [PATCH_OP_SCHEMA.to_uppercase()], "operations": [op.clone()]})).is_ok());
    assert!(parse_request(&json!({"schemas": PATCH_OP_SCHEMA, "Operations": [op.clone()]})).is_ok());
    let err = parse_request(&json!({"schemas": [USER_SCHEMA], "Operations": [op.clone()]})).expect_err("schema");
    assert_error(&err, ScimType::InvalidSyntax, "PatchOp");
    let err = parse_request(&json!({"schemas": [PATCH_OP_SCHEMA]})).expect_err("no ops");
    assert_error(&err, ScimType::InvalidSyntax, "no `Operations`");
    let err = parse_request(&ops(json!([]))).expect_err("empty");
    assert_error(&err, ScimType::InvalidSyntax, "empty");
    let err = parse_request(&ops(json!({"op": "add"}))).expect_err("not array");
    assert_error(&err, ScimType::InvalidSyntax, "must be an array");
    let err = parse_request(&json!([op.clone()])).expect_err("array body");
    assert_error(&err, ScimType::InvalidSyntax, "JSON object");
    let err = parse_request(&ops(json!([op.clone(), "add"]))).expect_err("op not object");
    assert_error(&err, ScimType::InvalidSyntax, "Operations[1]: each operation");
}

#[test]
fn operation_count_limit() {
    let op = json!({"op": "add", "path": "members", "value": [{"value": "u"}]});
    let at_limit = ops(Json::Array(vec![op.clone(); MAX_OPERATIONS]));
    let (_, members) = patch_group(group(), at_limit);
    assert_eq!(members.len(), MAX_OPERATIONS);
    let over = ops(Json::Array(vec![op; MAX_OPERATIONS + 1]));
    let err = parse_request(&over).expect_err("too many");
    assert_error(&err, ScimType::InvalidValue, "at most 1000");
}

#[test]
fn value_is_required_for_add_and_replace_only() {
    for op in ["add", "replace"] {
        let err = parse_request(&ops(json!([{"op": op, "path": "title"}]))).expect_err("value");
        assert_error(&err, ScimType::InvalidSyntax, "needs a `value`");
    }
    let parsed = parse_request(&ops(json!([{"op": "remove", "path": "title"}]))).expect("remove");
    assert_eq!(parsed[0].value, None);
    let parsed = parse_request(&ops(json!([{"op": "add", "path": "title", "value": null}]))).expect("null");
    assert_eq!(parsed[0].value, Some(Json::Null));
    // `apply` checks too, for operations built by hand.
    let mut doc = object(alice());
    let err = apply(
        ResourceKind::User,
        &mut doc,
        &[Operation { op: OpKind::Replace, path: Some(parse_path("title").expect("path")), value: None }],
    )
    .expect_err("value");
    assert_error(&err, ScimType::InvalidSyntax, "needs a `value`");
}

#[test]
fn path_must_be_a_valid_string() {
    for path in [json!(1), json!({"a": 1}), json!(["title"]), json!(true)] {
        let err = parse_request(&ops(json!([{"op": "add", "path": path, "value": "x"}]))).expect_err("path");
        assert_error(&err, ScimType::InvalidPath, "`path` must be a string");
    }
    let err = parse_request(&ops(json!([{"op": "add", "path": "bad path", "value": "x"}]))).expect_err("path");
    assert_error(&err, ScimType::InvalidPath, "Operations[0]: invalid path `bad path`");
}

#[test]
fn parse_path_forms() {
    let attr = |schema: Option<&str>, name: &str, sub: Option<&str>| AttrPath {
        schema: schema.map(str::to_owned),
        name: name.to_owned(),
        sub_attr: sub.map(str::to_owned),
    };
    let parsed = parse_path("emails[type eq \"work\"].value").expect("path");
    assert_eq!(parsed.attr, attr(None, "emails", None));
    assert_eq!(parsed.filter, Some(filter("type eq \"work\"")));
    assert_eq!(parsed.sub_attr.as_deref(), Some("value"));

    assert_eq!(
        parse_path("name.givenName").expect("path"),
        PatchPath { attr: attr(None, "name", Some("givenName")), filter: None, sub_attr: None }
    );
    let enterprise_schema = Some(ENTERPRISE.rsplit_once(':').map_or(ENTERPRISE, |(s, _)| s));
    let department = parse_path(&format!("{ENTERPRISE}:department")).expect("path");
    assert_eq!(department.attr, attr(Some(ENTERPRISE), "department", None));
    let manager = parse_path(&format!("{ENTERPRISE}:manager.value")).expect("path");
    assert_eq!(manager.attr, attr(Some(ENTERPRISE), "manager", Some("value")));
    let whole = parse_path(ENTERPRISE).expect("path");
    assert_eq!(whole.attr, attr(enterprise_schema, "User", None));

    let member = parse_path("members[value eq \"id\"]").expect("path");
    assert_eq!(member.attr, attr(None, "members", None));
    assert_eq!(member.filter, Some(filter("value eq \"id\"")));
    assert_eq!(member.sub_attr, None);

    let address = parse_path("addresses[type eq \"work\"].formatted").expect("path");
    assert_eq!(address.sub_attr.as_deref(), Some("formatted"));

    let core = parse_path("urn:ietf:params:scim:schemas:core:2.0:User:name.familyName").expect("path");
    assert_eq!(core.attr, attr(Some(USER_SCHEMA), "name", Some("familyName")));

    let qualified_filter = parse_path(&format!("{USER_SCHEMA}:emails[type eq \"work\"].value")).expect("path");
    assert_eq!(qualified_filter.attr, attr(Some(USER_SCHEMA), "emails", None));

    // A `]` inside a quoted string does not close the filter.
    let tricky = parse_path("emails[value eq \"a]b\"].display").expect("path");
    assert_eq!(tricky.filter, Some(filter("value eq \"a]b\"")));
    assert_eq!(tricky.sub_attr.as_deref(), Some("display"));
    let escaped = parse_path(r#"emails[value eq "a\"]"].type"#).expect("path");
    assert_eq!(escaped.sub_attr.as_deref(), Some("type"));
}

#[test]
fn parse_path_errors() {
    for bad in [
        "",
        "   ",
        "[type eq \"x\"]",
        "emails[",
        "emails[type eq \"work\"",
        "emails[]",
        "emails[type eq]",
        "emails[type eq \"work\"]value",
        "emails[type eq \"work\"].",
        "emails[type eq \"work\"].value.x",
        "emails[type eq \"work\"]. value",
        "emails[type eq \"work\"][type eq \"x\"]",
        "emails[addresses[type eq \"x\"]]",
        "name.givenName[type eq \"x\"]",
        "a.b.c",
        "foo:bar",
        "urn:",
        "1abc",
        "na me",
    ] {
        let err = parse_path(bad).expect_err(bad);
        assert_error(&err, ScimType::InvalidPath, "invalid path");
    }
    let long = "a".repeat(10_000);
    let err = parse_path(&long).expect_err("long");
    assert!(err.detail.len() < 400, "detail is shortened");
}

#[test]
fn pathless_complex_values_merge_for_add_and_replace() {
    for op in ["add", "replace", "Replace"] {
        let doc = patch_user(alice(), ops(json!([{"op": op, "value": {"name": {"givenName": "Alicia", "MiddleName": "Q"}}}])));
        assert_eq!(
            doc["name"],
            json!({"givenName": "Alicia", "familyName": "Smith", "formatted": "Alice Smith", "middleName": "Q"}),
            "{op}"
        );
    }
    // With a path the same rule applies (RFC 7644 §3.5.2.3).
    let doc = patch_user(alice(), ops(json!([{"op": "replace", "path": "name", "value": {"familyName": "Jones"}}])));
    assert_eq!(doc["name"]["givenName"], "Alice");
    assert_eq!(doc["name"]["familyName"], "Jones");
}

#[test]
fn pathless_extension_object_merges() {
    let mut start = alice();
    start[ENTERPRISE] = json!({"department": "Sales", "costCenter": "42"});
    let doc = patch_user(
        start,
        ops(json!([{"op": "replace", "value": {
            ENTERPRISE: {"department": "Retail", "manager": "m1", "Division": "EMEA"},
            CUSTOM_USER_SCHEMA: {"badgeColour": "Blue"}
        }}])),
    );
    assert_eq!(doc[ENTERPRISE], json!({"department": "Retail", "costCenter": "42", "manager": {"value": "m1"}, "division": "EMEA"}));
    assert_eq!(doc[CUSTOM_USER_SCHEMA], json!({"badgeColour": "Blue"}));
    // The extension URN as a path works the same way; remove drops it.
    let doc = patch_user(
        doc,
        ops(json!([
            {"op": "add", "path": ENTERPRISE, "value": {"organization": "Contoso"}},
            {"op": "remove", "path": CUSTOM_USER_SCHEMA}
        ])),
    );
    assert_eq!(doc[ENTERPRISE]["organization"], "Contoso");
    assert_eq!(doc[ENTERPRISE]["costCenter"], "42");
    assert!(doc.get(CUSTOM_USER_SCHEMA).is_none());
}

#[test]
fn adding_an_extension_without_attributes_keeps_it_empty() {
    // scim2-tester adds the custom extension with only its `schemas`, then reads it back.
    for op in ["add", "replace"] {
        let value = json!({"schemas": [CUSTOM_USER_SCHEMA]});
        let doc = patch_user(alice(), ops(json!([{"op": op, "path": CUSTOM_USER_SCHEMA, "value": value}])));
        assert_eq!(doc[CUSTOM_USER_SCHEMA], json!({}), "{op}");
    }
    let doc = patch_user(alice(), ops(json!([{"op": "add", "path": ENTERPRISE, "value": {"department": "R&D"}}])));
    assert_eq!(doc[ENTERPRISE], json!({"department": "R&D"}));
}

#[test]
fn custom_extension_names_are_kept_as_written() {
    let doc = patch_user(
        alice(),
        ops(json!([
            {"op": "Add", "path": format!("{CUSTOM_USER_SCHEMA}:BadgeNumber"), "value": "B-7"},
            {"op": "Add", "path": format!("{CUSTOM_USER_SCHEMA}:Value"), "value": "kept"}
        ])),
    );
    assert_eq!(doc[CUSTOM_USER_SCHEMA], json!({"BadgeNumber": "B-7", "Value": "kept"}));
    // Later writes in another case update the same key.
    let doc = patch_user(doc, ops(json!([{"op": "Replace", "path": format!("{CUSTOM_USER_SCHEMA}:badgenumber"), "value": "B-8"}])));
    assert_eq!(doc[CUSTOM_USER_SCHEMA], json!({"BadgeNumber": "B-8", "Value": "kept"}));
}

#[test]
fn attribute_names_are_case_insensitive() {
    let mut start = alice();
    object_mut(&mut start).insert("NickName".into(), json!("old"));
    let doc = patch_user(
        start,
        ops(json!([
            {"op": "replace", "path": "nickname", "value": "new"},
            {"op": "add", "path": "TITLE", "value": "CEO"},
            {"op": "replace", "path": "NAME.GIVENNAME", "value": "Al"},
            {"op": "replace", "path": "Emails[TYPE eq \"WORK\"].VALUE", "value": "al@contoso.com"},
            {"op": "replace", "path": format!("{}:DEPARTMENT", ENTERPRISE.to_lowercase()), "value": "R&D"}
        ])),
    );
    let fields = object(doc.clone());
    assert_eq!(fields.get("NickName"), Some(&json!("new")));
    assert!(!fields.contains_key("nickname") && !fields.contains_key("nickName"));
    assert_eq!(doc["title"], "CEO");
    assert_eq!(doc["name"]["givenName"], "Al");
    assert_eq!(doc["emails"], json!([{"value": "al@contoso.com", "type": "work", "primary": true}]));
    assert_eq!(doc[ENTERPRISE], json!({"department": "R&D"}));
}

#[test]
fn read_only_attributes_are_ignored() {
    let mut start = alice();
    start["groups"] = json!([{"value": "g1"}]);
    let doc = patch_user(
        start.clone(),
        ops(json!([
            {"op": "replace", "path": "id", "value": "hijack"},
            {"op": "remove", "path": "meta"},
            {"op": "replace", "path": "meta.lastModified", "value": "2020-01-01"},
            {"op": "add", "path": "schemas", "value": ["urn:x"]},
            {"op": "add", "path": "groups", "value": [{"value": "g2"}]},
            {"op": "remove", "path": "groups[value eq \"g1\"]"},
            {"op": "replace", "path": format!("{USER_SCHEMA}:id"), "value": "hijack"},
            {"op": "replace", "value": {"id": "hijack", "meta": {}, "schemas": [], "groups": []}}
        ])),
    );
    assert_eq!(doc, start);
}

#[test]
fn null_values_remove_on_replace_and_are_ignored_on_add() {
    let doc = patch_user(
        alice(),
        ops(json!([
            {"op": "replace", "path": "displayName", "value": null},
            {"op": "add", "path": "userName", "value": null},
            {"op": "replace", "path": "name.formatted", "value": null},
            {"op": "add", "path": "name.givenName", "value": null},
            {"op": "replace", "value": {"externalId": null, "nickName": null}},
            {"op": "add", "path": "emails[type eq \"home\"].value", "value": null},
            {"op": "replace", "path": "emails[type eq \"work\"].primary", "value": null}
        ])),
    );
    assert!(doc.get("displayName").is_none());
    assert_eq!(doc["userName"], "alice@contoso.com");
    assert_eq!(doc["name"], json!({"givenName": "Alice", "familyName": "Smith"}));
    assert!(doc.get("externalId").is_none());
    assert_eq!(doc["emails"], json!([{"value": "alice@contoso.com", "type": "work"}]));
    let doc = patch_user(doc, ops(json!([{"op": "replace", "path": "emails", "value": null}])));
    assert!(doc.get("emails").is_none());
}

#[test]
fn remove_without_path_is_no_target() {
    let err = user_error(alice(), ops(json!([{"op": "Remove", "value": {"title": "x"}}])));
    assert_error(&err, ScimType::NoTarget, "`remove` needs a `path`");
}

#[test]
fn pathless_needs_an_object() {
    for value in [json!("x"), json!([{"title": "x"}]), json!(null), json!(1)] {
        let err = user_error(alice(), ops(json!([{"op": "replace", "value": value}])));
        assert_error(&err, ScimType::InvalidValue, "without `path`");
    }
    let err = user_error(alice(), ops(json!([{"op": "replace", "value": {"bad key": 1}}])));
    assert_error(&err, ScimType::InvalidPath, "invalid path `bad key`");
}

#[test]
fn unknown_schemas_and_impossible_paths_are_invalid_path() {
    let cases = [
        ("urn:ietf:params:scim:schemas:extension:other:2.0:User:x", "unknown schema"),
        ("urn:ietf:params:scim:schemas:core:2.0:Group:displayName", "unknown schema"),
        ("userName.first", "has no sub-attributes"),
        ("active.value", "has no sub-attributes"),
        ("name[givenName eq \"A\"].givenName", "not multi-valued"),
        ("displayName[value eq \"A\"]", "not multi-valued"),
    ];
    for (path, detail) in cases {
        let err = user_error(alice(), ops(json!([{"op": "replace", "path": path, "value": "x"}])));
        assert_error(&err, ScimType::InvalidPath, detail);
    }
}

/// Issue 10: a PATCH answered 200 and stored `members` on a User. Nothing outside the
/// schema is stored, whatever the spelling: refused with `invalidPath` naming it.
#[test]
fn attributes_outside_the_schema_are_refused_naming_them() {
    let cases = [
        (json!({"op": "replace", "path": "members[value eq \"x\"].value", "value": 2}), "`members` is not an attribute of a User"),
        (json!({"op": "add", "path": "badgeColour", "value": "Blue"}), "`badgeColour` is not an attribute"),
        (json!({"op": "add", "path": "tags[value eq \"b\"]", "value": {"value": "b"}}), "`tags`"),
        (json!({"op": "add", "path": "office.Floor", "value": 3}), "`office`"),
        (json!({"op": "add", "value": {"badgeColour": "Blue"}}), "`badgeColour`"),
        (json!({"op": "add", "path": "name.nickName", "value": "A"}), "`nickName` is not a sub-attribute of `name`"),
        (json!({"op": "add", "path": "name", "value": {"colour": "x"}}), "`colour` is not a sub-attribute of `name`"),
        (json!({"op": "add", "path": "emails", "value": [{"value": "b@x", "colour": "x"}]}), "`colour`"),
        (json!({"op": "add", "path": "emails[colour eq \"x\"].value", "value": "b@x"}), "`colour` in the filter"),
        (json!({"op": "add", "path": format!("{ENTERPRISE}:badge"), "value": "x"}), "`badge`"),
        (json!({"op": "add", "path": format!("{CUSTOM_USER_SCHEMA}:{}", "b".repeat(65)), "value": "x"}), "is not an attribute of `urn"),
    ];
    for (operation, detail) in cases {
        let err = user_error(alice(), ops(json!([operation])));
        assert_error(&err, ScimType::InvalidPath, detail);
    }
    let err = error(ResourceKind::Group, group(), ops(json!([{"op": "add", "path": "userName", "value": "x"}])));
    assert_error(&err, ScimType::InvalidPath, "`userName` is not an attribute of a Group");
}

#[test]
fn a_simple_attribute_takes_one_value_and_a_complex_one_an_object() {
    for (path, value, detail) in [
        ("displayName", json!({"members": [1]}), "`displayName` takes a single value"),
        ("title", json!(["a"]), "`title` takes a single value"),
        ("name", json!("Ada"), "`name` is complex"),
        ("name.givenName", json!({"x": 1}), "`name.givenName` takes a single value"),
    ] {
        let err = user_error(alice(), ops(json!([{"op": "replace", "path": path, "value": value}])));
        assert_error(&err, ScimType::InvalidValue, detail);
    }
}

#[test]
fn legacy_dotted_extension_path() {
    let doc = patch_user(alice(), ops(json!([{"op": "Replace", "path": format!("{ENTERPRISE}.department"), "value": "Ops"}])));
    assert_eq!(doc[ENTERPRISE], json!({"department": "Ops"}));
}

#[test]
fn core_urn_paths_and_keys() {
    let doc = patch_user(
        alice(),
        ops(json!([
            {"op": "replace", "path": format!("{USER_SCHEMA}:name.familyName"), "value": "Jones"},
            {"op": "replace", "value": {USER_SCHEMA: {"title": "CTO", "name.givenName": "Al"}}},
            {"op": "replace", "value": {format!("{USER_SCHEMA}:nickName"): "Ally"}}
        ])),
    );
    assert_eq!(doc["name"]["familyName"], "Jones");
    assert_eq!(doc["name"]["givenName"], "Al");
    assert_eq!(doc["title"], "CTO");
    assert_eq!(doc["nickName"], "Ally");
    assert!(doc.get(USER_SCHEMA).is_none());
}

#[test]
fn a_failing_operation_leaves_the_document_unchanged() {
    let err = user_error(
        alice(),
        ops(json!([
            {"op": "replace", "path": "displayName", "value": "Changed"},
            {"op": "replace", "path": "active", "value": "nope"}
        ])),
    );
    assert_error(&err, ScimType::InvalidValue, "Operations[1]: ");
}

#[test]
fn key_order_is_preserved() {
    let doc = patch_user(
        alice(),
        ops(json!([
            {"op": "replace", "path": "userName", "value": "x"},
            {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "y"},
            {"op": "replace", "path": "name.givenName", "value": "z"}
        ])),
    );
    let keys: Vec<&String> = doc.as_object().map(|o| o.keys().collect()).unwrap_or_default();
    let expected: Vec<String> = object(alice()).keys().cloned().collect();
    assert_eq!(keys, expected.iter().collect::<Vec<_>>());
}
