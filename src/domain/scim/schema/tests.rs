use super::*;

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

#[test]
fn paths_resolve_in_any_case_with_or_without_their_urn() {
    for path in ["userName", "USERNAME", "urn:ietf:params:scim:schemas:core:2.0:User:username", " userName "] {
        let resolved = lookup(ResourceKind::User, path).unwrap_or_else(|| panic!("{path}"));
        assert_eq!(resolved.name, "userName");
        assert_eq!(resolved.storage(), Storage::Column { column: "user_name_key", folded: true });
    }
    let department = lookup(ResourceKind::User, &format!("{}:Department", ENTERPRISE.to_uppercase())).unwrap();
    assert_eq!(department.schema, SchemaId::Enterprise);
    assert_eq!(department.document_keys(), [ENTERPRISE, "department"]);
    let work_email = lookup(ResourceKind::User, "emails.VALUE").unwrap();
    assert_eq!(work_email.storage(), Storage::Rows { table: "user_emails", column: "email" });
    assert_eq!(work_email.leaf().max_length, Some(limits::EMAIL_MAX));
}

#[test]
fn attributes_a_resource_does_not_have_do_not_resolve() {
    for (kind, path) in [
        (ResourceKind::User, "members"),
        (ResourceKind::User, "name.nickName"),
        (ResourceKind::User, "emails.colour"),
        (ResourceKind::Group, "userName"),
        (ResourceKind::Group, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"),
        (ResourceKind::User, "urn:ietf:params:scim:schemas:core:2.0:Group:displayName"),
        (ResourceKind::User, "urn:example:unknown:attr"),
    ] {
        assert!(lookup(kind, path).is_none(), "{kind:?} {path}");
    }
}

#[test]
fn entras_manager_without_its_urn_is_the_enterprise_manager() {
    let manager = lookup(ResourceKind::User, "manager.value").unwrap();
    assert_eq!(manager.document_keys(), [ENTERPRISE, "manager", "value"]);
    assert!(lookup(ResourceKind::Group, "manager").is_none());
}

#[test]
fn custom_attributes_keep_the_name_the_idp_wrote() {
    let custom = lookup(ResourceKind::User, "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:costCenter").unwrap();
    assert_eq!((custom.schema, custom.name.as_str()), (SchemaId::Custom, "costCenter"));
    assert_eq!(custom.leaf().max_length, Some(limits::CUSTOM_VALUE_MAX));
    assert!(lookup(ResourceKind::User, "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User:bad name").is_none());
}

#[test]
fn the_password_is_the_one_sensitive_attribute_and_is_never_stored() {
    assert_eq!(sensitive_names().collect::<Vec<_>>(), ["password"]);
    let password = lookup(ResourceKind::User, "PASSWORD").unwrap();
    assert_eq!((password.storage(), password.attribute.returned), (Storage::Nowhere, Returned::Never));
}

#[test]
fn server_owned_attributes_are_read_only() {
    for path in ["id", "meta", "schemas", "groups", "meta.created"] {
        assert!(lookup(ResourceKind::User, path).unwrap().leaf().is_read_only() || path == "meta.created", "{path}");
        assert!(lookup(ResourceKind::User, path).unwrap().attribute.is_read_only(), "{path}");
    }
    assert!(!lookup(ResourceKind::Group, "members").unwrap().attribute.is_read_only());
}

#[test]
fn limits_name_the_attribute_and_the_limit() {
    let user_name = lookup(ResourceKind::User, "userName").unwrap();
    let long = serde_json::Value::String("a".repeat(limits::USER_NAME_MAX + 1));
    let err = limits::check_value(user_name.leaf(), "userName", &long).unwrap_err();
    assert_eq!(err.scim_type, Some(crate::domain::scim::ScimType::InvalidValue));
    assert!(err.detail.contains("userName") && err.detail.contains(&limits::USER_NAME_MAX.to_string()), "{}", err.detail);
    for bad in ["a\u{0}b", "evil\u{202E}gpj.exe", "tab\there", "c1\u{85}"] {
        let err = limits::check_value(user_name.leaf(), "userName", &bad.into()).unwrap_err();
        assert!(err.detail.contains("userName") && err.detail.contains("U+"), "{}", err.detail);
    }
    let title = lookup(ResourceKind::User, "title").unwrap();
    assert!(limits::check_value(title.leaf(), "title", &"Chef\u{202E}d'équipe\tA".into()).is_ok(), "text may hold bidi marks and tabs");
    assert!(limits::check_value(title.leaf(), "title", &"nul\u{0}".into()).is_err());
}
