use super::*;

// -- robustness ----------------------------------------------------------

fn nested_arrays(depth: usize) -> Json {
    (0..depth).fold(json!(1), |inner, _| json!([inner]))
}

fn nested_objects(depth: usize) -> Json {
    (0..depth).fold(json!("leaf"), |inner, _| json!({"name": inner}))
}

fn odd_bodies() -> Vec<Json> {
    let mut bodies = vec![
        json!(null),
        json!(true),
        json!(1),
        json!("PatchOp"),
        json!([]),
        json!([{"op": "add"}]),
        json!({}),
        json!({"schemas": 1, "Operations": []}),
        json!({"schemas": [1, 2], "Operations": [{"op": "add", "value": {}}]}),
        json!({"schemas": {}, "Operations": [{"op": "add", "value": {}}]}),
        json!({"Operations": null}),
        json!({"Operations": {}}),
        json!({"Operations": "add"}),
        json!({"Operations": 1}),
        json!({"Operations": [null]}),
        json!({"Operations": [1]}),
        json!({"Operations": ["add"]}),
        json!({"Operations": [[]]}),
        json!({"Operations": [{}]}),
        json!({"Operations": [{"op": null}]}),
        json!({"Operations": [{"op": 1, "path": "title", "value": "x"}]}),
        json!({"Operations": [{"op": true, "value": {}}]}),
        json!({"Operations": [{"op": {"add": 1}, "value": {}}]}),
        json!({"Operations": [{"op": "", "value": {}}]}),
        json!({"Operations": [{"op": " add ", "path": "title", "value": "x"}]}),
        json!({"Operations": [{"op": "add", "path": {"a": 1}, "value": 1}]}),
        json!({"Operations": [{"op": "add", "path": [], "value": 1}]}),
        json!({"Operations": [{"op": "add", "path": 1, "value": 1}]}),
        json!({"Operations": [{"OP": "ADD", "PATH": "title", "VALUE": "x"}]}),
        ops(Json::Array(vec![json!({"op": "add", "path": "title", "value": "x"}); 2000])),
        ops(Json::Array(vec![json!({"op": "remove", "path": "members"}); 1001])),
        ops(json!([{"op": "add", "value": nested_objects(100)}])),
        ops(json!([{"op": "add", "value": {"name": nested_objects(100)}}])),
        ops(json!([{"op": "add", "path": "emails", "value": nested_arrays(100)}])),
        ops(json!([{"op": "add", "path": "members", "value": nested_arrays(100)}])),
        ops(json!([{"op": "add", "path": "manager", "value": nested_arrays(100)}])),
        ops(json!([{"op": "add", "path": "title", "value": nested_arrays(100)}])),
        ops(json!([{"op": "replace", "value": {USER_SCHEMA: {USER_SCHEMA: {USER_SCHEMA: {"active": "x"}}}}}])),
        ops(json!([{"op": "replace", "value": {GROUP_SCHEMA: {GROUP_SCHEMA: {"displayName": 1}}}}])),
        ops(json!([{"op": "add", "path": "emails", "value": vec![json!({"value": "x"}); 5000]}])),
        ops(json!([{"op": "add", "path": "members", "value": (0..5000).map(|i| json!({"value": i.to_string()})).collect::<Vec<_>>()}])),
    ];
    let paths = [
        "",
        " ",
        "[",
        "]",
        "a[",
        "a[]",
        "a[b]",
        "a[b pr",
        "emails[type eq \"work\"].",
        "emails[type eq \"work\"]x",
        "emails[type eq \"work\"].value.x",
        "urn:",
        "urn:x:y",
        USER_SCHEMA,
        GROUP_SCHEMA,
        ENTERPRISE,
        CUSTOM_USER_SCHEMA,
        "members",
        "members[value eq \"x\"]",
        "members[value eq \"x\"].value",
        "members.value",
        "a.b.c",
        "é",
        "\u{0}",
        "😀",
        "emails[emails[type eq \"x\"]]",
        "emails[not (type eq \"work\")].value",
        "emails[type eq \"work\" or type eq \"home\"].value",
        "name[givenName eq \"x\"]",
        "userName.x",
        "meta.created",
        "id",
        "groups[value eq \"x\"]",
        "manager.value",
        "manager",
        "x509Certificates[value pr]",
        "emails[primary eq true].primary",
        "emails[value eq \"a]\"].value",
        "active",
        "name",
        "name.givenName",
        "emails",
        "emails.value",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User.manager",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User[value eq \"x\"]",
        "displayName",
        "tags[value eq 1]",
        "roles[type eq \"x\" and value eq 1].display",
    ];
    let long_path = format!("emails[{}]", vec!["type eq \"x\""; 400].join(" or "));
    let values = [
        json!(null),
        json!(true),
        json!("True"),
        json!("False"),
        json!(0),
        json!(-1.5),
        json!(1e300),
        json!(""),
        json!([]),
        json!([null]),
        json!([1, "a", []]),
        json!({}),
        json!({"a": {"b": {"c": 1}}}),
        json!({"": 1}),
        json!({"name.givenName": {}}),
        json!({"value": "x"}),
        json!([{"value": "x"}]),
        json!([{"value": 1}]),
        json!({"id": 1, "members": 2}),
        json!({"members": [{"value": "u"}]}),
        json!({ENTERPRISE: "x"}),
        json!({ENTERPRISE: {"manager": [[]]}}),
        json!({"urn:x:y": 1}),
        json!({"emails[type eq \"work\"].value": "e"}),
        json!({"primary": "TRUE", "type": "work"}),
        nested_arrays(50),
    ];
    for path in paths.iter().map(|p| (*p).to_owned()).chain([long_path, "a".repeat(5000)]) {
        for value in &values {
            for op in ["add", "Replace", "remove"] {
                bodies.push(ops(json!([{"op": op, "path": path, "value": value}])));
            }
        }
        bodies.push(ops(json!([{"op": "remove", "path": path}])));
    }
    for value in &values {
        for op in ["add", "replace", "remove"] {
            bodies.push(ops(json!([{"op": op, "value": value}])));
        }
    }
    bodies
}

#[test]
fn odd_bodies_never_panic_and_errors_leave_the_document_alone() {
    let mut odd_user = alice();
    odd_user["emails"] = json!({"value": "single@object"});
    odd_user["name"] = json!("not an object");
    odd_user[ENTERPRISE] = json!("not an object");
    odd_user["roles"] = json!([]);
    odd_user["tags"] = json!(["a", 1, null, [], {}]);
    let docs = [
        (ResourceKind::User, alice()),
        (ResourceKind::User, odd_user),
        (ResourceKind::User, json!({})),
        (ResourceKind::Group, group()),
        (ResourceKind::Group, json!({"members": "stored by mistake"})),
    ];
    let bodies = odd_bodies();
    assert!(bodies.len() > 100, "{} bodies", bodies.len());
    let started = std::time::Instant::now();
    let mut accepted = 0;
    for request in &bodies {
        let operations = match parse_request(request) {
            Ok(operations) => operations,
            Err(err) => {
                assert_eq!(err.status, 400);
                assert!(err.scim_type.is_some());
                continue;
            }
        };
        for (kind, doc) in &docs {
            let mut map = object(doc.clone());
            match apply(*kind, &mut map, &operations) {
                Ok(_) => accepted += 1,
                Err(err) => {
                    assert_eq!(err.status, 400, "{err:?}");
                    assert!(err.detail.starts_with("Operations["), "{err:?}");
                    assert_eq!(&Json::Object(map), doc);
                }
            }
        }
    }
    assert!(accepted > 0);
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
}

#[test]
fn two_thousand_operations_are_refused() {
    let request = ops(Json::Array(vec![json!({"op": "add", "path": "title", "value": "x"}); 2000]));
    let err = parse_request(&request).expect_err("too many");
    assert_error(&err, ScimType::InvalidValue, "2000 operations");
}
