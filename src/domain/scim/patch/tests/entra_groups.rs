use super::*;

// -- §1.8: Entra groups ---------------------------------------------------

#[test]
fn entra_group_rename() {
    let (doc, members) = patch_group(
        group(),
        body(
            r#"{
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{
        "op": "Replace",
        "path": "displayName",
        "value": "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"
    }]
}"#,
        ),
    );
    assert_eq!(doc["displayName"], "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName");
    assert!(members.is_empty());
}

#[test]
fn entra_add_members_with_null_ref() {
    let (doc, members) = patch_group(
        group(),
        body(
            r#"{
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{
        "op": "Add",
        "path": "members",
        "value": [{
            "$ref": null,
            "value": "f648f8d5ea4e4cd38e9c"
        }]
    }]
}"#,
        ),
    );
    assert_eq!(members, vec![MemberChange::Add(ids(&["f648f8d5ea4e4cd38e9c"]))]);
    assert_eq!(doc, group(), "membership is never stored in the document");
}

#[test]
fn entra_adds_several_members_and_re_adds_are_passed_on() {
    let (_, members) = patch_group(
        group(),
        ops(json!([{"op": "Add", "path": "members", "value": [
            {"value": "u1"}, {"value": "u2", "display": "Two"}, {"value": "u1"}
        ]}])),
    );
    assert_eq!(members, vec![MemberChange::Add(ids(&["u1", "u2", "u1"]))]);
}

#[test]
fn entra_remove_members_with_value_list_removes_only_those() {
    let (_, members) = patch_group(
        group(),
        body(
            r#"{
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{
        "op": "Remove",
        "path": "members",
        "value": [{
            "$ref": null,
            "value": "f648f8d5ea4e4cd38e9c"
        }]
    }]
}"#,
        ),
    );
    assert_eq!(members, vec![MemberChange::Remove(ids(&["f648f8d5ea4e4cd38e9c"]))]);
    // The table form of §1.10.
    let (_, members) = patch_group(group(), ops(json!([body(r#"{"op":"Remove","path":"members","value":[{"value":"u1091"}]}"#)])));
    assert_eq!(members, vec![MemberChange::Remove(ids(&["u1091"]))]);
}

#[test]
fn entra_flag_form_remove_member_by_filter() {
    let (_, members) = patch_group(
        group(),
        body(
            r#"{
    "schemas": [
        "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    ],
    "Operations": [
        {
            "op": "remove",
            "path": "members[value eq \"7f4bc1a3-285e-48ae-8202-5accb43efb0e\"]"
        }
    ]
  }"#,
        ),
    );
    assert_eq!(members, vec![MemberChange::Remove(ids(&["7f4bc1a3-285e-48ae-8202-5accb43efb0e"]))]);
}

#[test]
fn member_filter_with_or_and_unsupported_filters() {
    let (_, members) =
        patch_group(group(), ops(json!([{"op": "remove", "path": "members[value eq \"a\" or VALUE eq \"b\" or value eq 7]"}])));
    assert_eq!(members, vec![MemberChange::Remove(ids(&["a", "b", "7"]))]);
    for path in [
        "members[display eq \"Bob\"]",
        "members[value eq \"a\" and value eq \"b\"]",
        "members[value ne \"a\"]",
        "members[value pr]",
        "members[not (value eq \"a\")]",
    ] {
        let err = error(ResourceKind::Group, group(), ops(json!([{"op": "remove", "path": path}])));
        assert_error(&err, ScimType::InvalidFilter, "value eq");
    }
    let err =
        error(ResourceKind::Group, group(), ops(json!([{"op": "add", "path": "members[value eq \"a\"]", "value": [{"value": "a"}]}])));
    assert_error(&err, ScimType::InvalidPath, "only supported with `remove`");
    let err = error(ResourceKind::Group, group(), ops(json!([{"op": "replace", "path": "members[value eq \"a\"].display", "value": "x"}])));
    assert_error(&err, ScimType::InvalidPath, "sub-attributes of `members`");
}

#[test]
fn remove_members_without_value_removes_all_but_empty_list_is_noop() {
    let (_, members) = patch_group(group(), ops(json!([{"op": "remove", "path": "members"}])));
    assert_eq!(members, vec![MemberChange::RemoveAll]);
    let (_, members) = patch_group(group(), ops(json!([{"op": "remove", "path": "members", "value": null}])));
    assert_eq!(members, vec![MemberChange::RemoveAll]);
    let (_, members) = patch_group(group(), ops(json!([{"op": "remove", "path": "members", "value": []}])));
    assert!(members.is_empty());
    let (_, members) = patch_group(group(), ops(json!([{"op": "add", "path": "members", "value": []}])));
    assert!(members.is_empty());
    // A single member object instead of an array is accepted.
    let (_, members) = patch_group(group(), ops(json!([{"op": "remove", "path": "members", "value": {"value": "u9"}}])));
    assert_eq!(members, vec![MemberChange::Remove(ids(&["u9"]))]);
}

#[test]
fn member_objects_need_a_string_value() {
    for value in [json!([{"display": "no id"}]), json!([{"value": 42}]), json!([{"value": ""}]), json!([""]), json!([null]), json!(7)] {
        for op in ["add", "replace", "remove"] {
            let err = error(ResourceKind::Group, group(), ops(json!([{"op": op, "path": "members", "value": value}])));
            assert_error(&err, ScimType::InvalidValue, "string `value`");
        }
    }
}

#[test]
fn a_bare_id_string_is_a_member() {
    for value in [json!("u1"), json!(["u1"])] {
        let (_, members) = patch_group(group(), ops(json!([{"op": "add", "path": "members", "value": value}])));
        assert_eq!(members, vec![MemberChange::Add(vec!["u1".into()])]);
    }
}

// -- §1.10: the aadOptscim062020 flag --------------------------------------

#[test]
fn entra_flag_pathless_dotted_and_urn_keys() {
    let request = body(
        r#"{
    "schemas": [
        "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    ],
    "Operations": [
        {
            "op": "replace",
            "path": "emails[type eq \"work\"].value",
            "value": "TestMhvaes@test.microsoft.com"
        },
        {
            "op": "replace",
            "value": {
                "displayName": "Bjfe",
                "name.givenName": "Kkom",
                "name.familyName": "Unua",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "Aklq"
            }
        }
    ]
  }"#,
    );
    let doc = patch_user(alice(), request);
    assert_eq!(doc["emails"][0]["value"], "TestMhvaes@test.microsoft.com");
    assert_eq!(doc["displayName"], "Bjfe");
    assert_eq!(doc["name"], json!({"givenName": "Kkom", "familyName": "Unua", "formatted": "Alice Smith"}));
    assert_eq!(doc[ENTERPRISE]["employeeNumber"], "Aklq");
    let fields = object(doc);
    assert!(!fields.contains_key("name.givenName"));
    assert!(!fields.keys().any(|k| k.ends_with(":employeeNumber")));
}
