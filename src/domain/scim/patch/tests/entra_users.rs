use super::*;

// -- IDP-BEHAVIOR.md §1.5: Entra user updates -------------------------

#[test]
fn entra_tut_replace_email_filter_and_family_name() {
    let request = body(
        r#"{
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [
            {
            "op": "Replace",
            "path": "emails[type eq \"work\"].value",
            "value": "updatedEmail@microsoft.com"
            },
            {
            "op": "Replace",
            "path": "name.familyName",
            "value": "updatedFamilyName"
            }
    ]
}"#,
    );
    let doc = patch_user(alice(), request);
    assert_eq!(doc["emails"], json!([{"value": "updatedEmail@microsoft.com", "type": "work", "primary": true}]));
    assert_eq!(doc["name"], json!({"givenName": "Alice", "familyName": "updatedFamilyName", "formatted": "Alice Smith"}));
}

#[test]
fn entra_replace_user_name_is_applied() {
    let request = body(
        r#"{
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{
        "op": "Replace",
        "path": "userName",
        "value": "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"
    }]
}"#,
    );
    let doc = patch_user(alice(), request);
    assert_eq!(doc["userName"], "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com");
}

#[test]
fn entra_compat_multi_attribute_replace() {
    let request = body(
        r#"{
    "schemas": [
        "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    ],
    "Operations": [
        {
            "op": "Replace",
            "path": "displayName",
            "value": "Pvlo"
        },
        {
            "op": "Replace",
            "path": "emails[type eq \"work\"].value",
            "value": "TestBcwqnm@test.microsoft.com"
        },
        {
            "op": "Replace",
            "path": "name.givenName",
            "value": "Gtfd"
        },
        {
            "op": "Replace",
            "path": "name.familyName",
            "value": "Pkqf"
        },
        {
            "op": "Replace",
            "path": "externalId",
            "value": "Eqpj"
        },
        {
            "op": "Replace",
            "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
            "value": "Eqpj"
        }
    ]
}"#,
    );
    let doc = patch_user(alice(), request);
    assert_eq!(doc["displayName"], "Pvlo");
    assert_eq!(doc["emails"][0]["value"], "TestBcwqnm@test.microsoft.com");
    assert_eq!(doc["emails"].as_array().map(Vec::len), Some(1));
    assert_eq!(doc["name"], json!({"givenName": "Gtfd", "familyName": "Pkqf", "formatted": "Alice Smith"}));
    assert_eq!(doc["externalId"], "Eqpj");
    assert_eq!(doc[ENTERPRISE], json!({"employeeNumber": "Eqpj"}));
    // Untouched and server-owned fields survive.
    assert_eq!(doc["id"], "2819c223");
    assert_eq!(doc["userName"], "alice@contoso.com");
}

#[test]
fn entra_add_nick_name() {
    let request = body(
        r#"{
    "schemas": [
        "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    ],
    "Operations": [
      {
        "op": "Add",
        "path": "nickName",
        "value": "Babs"
      }
    ]
  }"#,
    );
    let doc = patch_user(alice(), request);
    assert_eq!(doc["nickName"], "Babs");
    // `add` on a single-valued attribute replaces.
    let doc = patch_user(doc, ops(json!([{"op": "add", "path": "nickName", "value": "Bee"}])));
    assert_eq!(doc["nickName"], "Bee");
}

#[test]
fn limosa_capture_upserts_address_and_adds_department() {
    let request = body(
        r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"emails[type eq \"work\"].value","value":"AdeleV2@REDACTED.onmicrosoft.com"},{"op":"Replace","path":"addresses[type eq \"work\"].formatted","value":"18/2111"},{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Retail"}]}"#,
    );
    let doc = patch_user(alice(), request);
    assert_eq!(doc["emails"][0]["value"], "AdeleV2@REDACTED.onmicrosoft.com");
    assert_eq!(doc["addresses"], json!([{"type": "work", "formatted": "18/2111"}]));
    assert_eq!(doc[ENTERPRISE], json!({"department": "Retail"}));
}

#[test]
fn scim_sdk_680_sub_attribute_adds_merge_into_one_element() {
    let doc = patch_user(
        alice(),
        ops(json!([
            {"op": "Add", "path": "addresses[type eq \"work\"].formatted", "value": "1 Main St, Springfield"},
            {"op": "Add", "path": "addresses[type eq \"work\"].locality", "value": "Springfield"},
            {"op": "Add", "path": "addresses[type eq \"work\"].postalCode", "value": "12345"}
        ])),
    );
    assert_eq!(
        doc["addresses"],
        json!([{
            "type": "work",
            "formatted": "1 Main St, Springfield",
            "locality": "Springfield",
            "postalCode": "12345"
        }])
    );
}

#[test]
fn filtered_replace_upserts_when_no_element_matches() {
    let mut start = alice();
    start["emails"] = json!([{"value": "alice@home.example", "type": "home"}]);
    let doc = patch_user(start, ops(json!([{"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "alice@contoso.com"}])));
    assert_eq!(
        doc["emails"],
        json!([
            {"value": "alice@home.example", "type": "home"},
            {"type": "work", "value": "alice@contoso.com"}
        ])
    );
    // Without any emails at all, the attribute is created.
    let mut bare = alice();
    object_mut(&mut bare).shift_remove("emails");
    let doc = patch_user(bare, ops(json!([{"op": "Add", "path": "phoneNumbers[type eq \"mobile\"].value", "value": "+1 555 0100"}])));
    assert_eq!(doc["phoneNumbers"], json!([{"type": "mobile", "value": "+1 555 0100"}]));
}

#[test]
fn capitalised_sub_attributes_are_matched_and_written_canonically() {
    let mut start = alice();
    start["emails"] = json!([
        {"value": "alice@contoso.com", "type": "work", "primary": true},
        {"value": "old@other.example", "type": "other"}
    ]);
    let doc = patch_user(
        start,
        ops(json!([
            {"op": "Replace", "path": "emails[type eq \"other\"].Value", "value": "new@other.example"},
            {"op": "Replace", "path": "addresses[type eq \"other\"].Formatted", "value": "2 Side St"},
            {"op": "Replace", "path": "addresses[Type eq \"Other\"].Locality", "value": "Shelbyville"}
        ])),
    );
    assert_eq!(doc["emails"][1], json!({"value": "new@other.example", "type": "other"}));
    assert_eq!(doc["addresses"], json!([{"type": "other", "formatted": "2 Side St", "locality": "Shelbyville"}]));
}

#[test]
fn manager_bare_string_becomes_object() {
    let doc = patch_user(
        alice(),
        body(
            r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2"}]}"#,
        ),
    );
    assert_eq!(doc[ENTERPRISE]["manager"], json!({"value": "2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2"}));
}

#[test]
fn manager_object_array_and_unqualified_forms() {
    // An object is stored as given.
    let doc = patch_user(
        alice(),
        ops(json!([{
            "op": "replace",
            "path": format!("{ENTERPRISE}:manager"),
            "value": {"value": "m1", "displayName": "Boss One", "$ref": "https://x/Users/m1"}
        }])),
    );
    assert_eq!(doc[ENTERPRISE]["manager"], json!({"value": "m1", "displayName": "Boss One", "$ref": "https://x/Users/m1"}));
    // A new manager replaces the old one whole: no stale displayName.
    let doc = patch_user(doc, ops(json!([{"op": "Replace", "path": format!("{ENTERPRISE}:manager"), "value": "m2"}])));
    assert_eq!(doc[ENTERPRISE]["manager"], json!({"value": "m2"}));
    // Old E-TUT Example 5: unqualified `manager` with a one-element array.
    let doc = patch_user(
        doc,
        body(
            r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"manager","value":[{"$ref":"http://example.com/scim/Users/00aa","value":"00aa"}]}]}"#,
        ),
    );
    assert_eq!(doc[ENTERPRISE]["manager"], json!({"$ref": "http://example.com/scim/Users/00aa", "value": "00aa"}));
    assert!(doc.get("manager").is_none());
    // A sub-attribute path edits the object in place.
    let doc = patch_user(doc, ops(json!([{"op": "replace", "path": format!("{ENTERPRISE}:manager.displayName"), "value": "Boss"}])));
    assert_eq!(doc[ENTERPRISE]["manager"], json!({"$ref": "http://example.com/scim/Users/00aa", "value": "00aa", "displayName": "Boss"}));
    // Removing the manager removes the now-empty extension.
    let doc = patch_user(doc, ops(json!([{"op": "Remove", "path": format!("{ENTERPRISE}:manager")}])));
    assert!(doc.get(ENTERPRISE).is_none());
}

#[test]
fn entra_roles_add_appends() {
    let mut start = alice();
    start["roles"] = json!([{"primary": true, "type": "WindowsAzureActiveDirectoryRole", "value": "Admin"}]);
    let doc = patch_user(
        start,
        ops(json!([body(
            r#"{"op":"Add","path":"roles","value":[{"value":"{\"id\":\"06b07648-ecfe-589f-9d2f-6325724a46ee\",\"value\":\"25\",\"displayName\":\"Role1234\"}"}]}"#
        )])),
    );
    assert_eq!(
        doc["roles"],
        json!([
            {"primary": true, "type": "WindowsAzureActiveDirectoryRole", "value": "Admin"},
            {"value": "{\"id\":\"06b07648-ecfe-589f-9d2f-6325724a46ee\",\"value\":\"25\",\"displayName\":\"Role1234\"}"}
        ])
    );
}

#[test]
fn tolerated_forms_empty_roles_and_null_ref() {
    let mut start = alice();
    start["roles"] = json!([{"value": "Admin"}]);
    let doc = patch_user(
        start,
        ops(json!([
            {"op": "Replace", "path": "roles", "value": []},
            {"op": "Add", "path": "entitlements", "value": [{"value": "e1", "$ref": null}]},
            {"op": "replace", "value": {"roles": [], "meta": {"resourceType": "User"}}}
        ])),
    );
    assert!(doc.get("roles").is_none());
    assert_eq!(doc["entitlements"], json!([{"value": "e1"}]));
    assert_eq!(doc["meta"], json!({"resourceType": "User"}));
}

// -- §1.6: disable and re-enable ---------------------------------------

#[test]
fn entra_disable_with_string_false_and_enable_with_true() {
    let disable = body(
        r#"{
    "schemas": [
        "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    ],
    "Operations": [
        {
            "op": "Replace",
            "path": "active",
            "value": "False"
        }
    ]
  }"#,
    );
    let doc = patch_user(alice(), disable);
    assert_eq!(doc["active"], json!(false));
    let enable = ops(json!([{"op": "Replace", "path": "active", "value": "True"}]));
    let doc = patch_user(doc, enable);
    assert_eq!(doc["active"], json!(true));
}

#[test]
fn active_accepts_every_boolean_spelling_and_add() {
    for (value, expected) in [
        (json!("false"), false),
        (json!("true"), true),
        (json!("FALSE"), false),
        (json!("tRuE"), true),
        (json!(false), false),
        (json!(true), true),
    ] {
        for op in ["Replace", "Add", "replace", "add"] {
            let doc = patch_user(alice(), ops(json!([{"op": op, "path": "active", "value": value}])));
            assert_eq!(doc["active"], json!(expected), "{op} {value}");
        }
    }
    // With the aadOptscim062020 flag: a real boolean, lower-case op.
    let doc = patch_user(
        alice(),
        body(
            r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}"#,
        ),
    );
    assert_eq!(doc["active"], json!(false));
}

#[test]
fn active_rejects_non_booleans() {
    for value in [json!("maybe"), json!(""), json!(1), json!(["true"]), json!({"v": true})] {
        let err = user_error(alice(), ops(json!([{"op": "Replace", "path": "active", "value": value}])));
        assert_error(&err, ScimType::InvalidValue, "`active` must be true or false");
    }
    let err = user_error(alice(), ops(json!([{"op": "replace", "value": {"active": "yes"}}])));
    assert_error(&err, ScimType::InvalidValue, "Operations[0]: `active`");
}

#[test]
fn other_strings_are_not_coerced() {
    let doc = patch_user(
        alice(),
        ops(json!([
            {"op": "replace", "path": "title", "value": "True"},
            {"op": "replace", "path": "nickName", "value": 5},
            {"op": "replace", "path": "locale", "value": false}
        ])),
    );
    assert_eq!(doc["title"], "True");
    assert_eq!(doc["nickName"], 5);
    assert_eq!(doc["locale"], false);
}
