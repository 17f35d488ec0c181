use super::*;

// -- §2.5, §2.10: Okta ------------------------------------------------------

#[test]
fn okta_deactivate_pathless() {
    let doc = patch_user(
        alice(),
        body(
            r#"{
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{
        "op": "replace",
        "value": {
            "active": false
        }
    }]
}"#,
        ),
    );
    assert_eq!(doc["active"], json!(false));
    let mut expected = alice();
    expected["active"] = json!(false);
    assert_eq!(doc, expected);
}

#[test]
fn okta_group_rename_with_read_only_id() {
    let (doc, members) = patch_group(
        group(),
        body(
            r#"{
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{
        "op": "replace",
        "value": {
            "id": "abf4dd94-a4c0-4f67-89c9-76b03340cb9b",
            "displayName": "Test SCIMv2"
        }
    }]
}"#,
        ),
    );
    assert_eq!(doc["displayName"], "Test SCIMv2");
    assert_eq!(doc["id"], "abf4dd94-a4c0-4f67-89c9-76b03340cb9b");
    assert!(members.is_empty());
    // Even a different id is ignored, not applied and not rejected.
    let (doc, _) = patch_group(group(), ops(json!([{"op": "replace", "value": {"id": "other", "displayName": "X"}}])));
    assert_eq!(doc["id"], "abf4dd94-a4c0-4f67-89c9-76b03340cb9b");
}

#[test]
fn okta_membership_delta() {
    let (doc, members) = patch_group(
        group(),
        body(
            r#"{
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{
        "op": "remove",
        "path": "members[value eq \"89bb1940-b905-4575-9e7f-6f887cfb368e\"]"
        },
        {
        "op": "add",
        "path": "members",
        "value": [{
            "value": "23a35c27-23d3-4c03-b4c5-6443c09e7173",
            "display": "test.user@okta.local"
        }]
    }]
}"#,
        ),
    );
    assert_eq!(
        members,
        vec![
            MemberChange::Remove(ids(&["89bb1940-b905-4575-9e7f-6f887cfb368e"])),
            MemberChange::Add(ids(&["23a35c27-23d3-4c03-b4c5-6443c09e7173"])),
        ]
    );
    assert_eq!(doc, group());
}

#[test]
fn okta_full_membership_replace_and_empty_replace() {
    let (_, members) = patch_group(
        group(),
        body(
            r#"{
  "schemas": [
    "urn:ietf:params:scim:api:messages:2.0:PatchOp"
  ],
  "Operations": [
    {
      "op": "replace",
      "path": "members",
      "value": [
        {
          "value": "23a35c27-23d3-4c03-b4c5-6443c09e7173",
          "display": "test.user@okta.local"
        },
        {
          "value": "89bb1940-b905-4575-9e7f-6f887cfb368e",
          "display": "test.user@okta.local"
        }
      ]
    }
  ]
}"#,
        ),
    );
    assert_eq!(
        members,
        vec![MemberChange::ReplaceAll(ids(&["23a35c27-23d3-4c03-b4c5-6443c09e7173", "89bb1940-b905-4575-9e7f-6f887cfb368e"]))]
    );
    let (_, members) = patch_group(group(), ops(json!([body(r#"{"op":"replace","path":"members","value":[]}"#)])));
    assert_eq!(members, vec![MemberChange::ReplaceAll(Vec::new())]);
}

#[test]
fn group_pathless_members_and_attributes() {
    let (doc, members) = patch_group(
        group(),
        ops(json!([
            {"op": "add", "value": {"members": [{"value": "u1"}], "externalId": "new-ext"}},
            {"op": "replace", "value": {"id": "x", "displayName": "Renamed", "members": [{"value": "u2"}]}},
            {"op": "replace", "path": format!("{GROUP_SCHEMA}:displayName"), "value": "Qualified"}
        ])),
    );
    assert_eq!(members, vec![MemberChange::Add(ids(&["u1"])), MemberChange::ReplaceAll(ids(&["u2"])),]);
    assert_eq!(doc["externalId"], "new-ext");
    assert_eq!(doc["displayName"], "Qualified");
    assert!(doc.get("members").is_none());
}

#[test]
fn group_rejects_user_schemas() {
    let err = error(ResourceKind::Group, group(), ops(json!([{"op": "add", "path": format!("{ENTERPRISE}:department"), "value": "x"}])));
    assert_error(&err, ScimType::InvalidPath, "unknown schema");
    let err = error(ResourceKind::Group, group(), ops(json!([{"op": "add", "path": format!("{USER_SCHEMA}:displayName"), "value": "x"}])));
    assert_error(&err, ScimType::InvalidPath, "unknown schema");
}
