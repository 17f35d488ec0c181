use super::*;
use crate::domain::scim::filter::parse;

fn users(filter: &str) -> Condition {
    compile(&parse(filter).unwrap(), ResourceKind::User).unwrap()
}

fn groups(filter: &str) -> Condition {
    compile(&parse(filter).unwrap(), ResourceKind::Group).unwrap()
}

/// Every placeholder has exactly one bind: the fault that shifted values into LIMIT/OFFSET.
fn assert_aligned(c: &Condition, filter: &str) {
    assert_eq!(c.sql.matches('?').count(), c.binds.len(), "{filter}: {}", c.sql);
}

#[test]
fn user_name_eq_uses_the_folded_key() {
    let c = users(r#"userName eq "Ann@Example.COM""#);
    assert_eq!(c.sql, "r.user_name_key = ?");
    assert_eq!(c.binds, vec![Bind::Text("ann@example.com".into())]);
}

#[test]
fn external_id_is_case_exact_and_unquoted_values_work() {
    for filter in [r#"externalId eq "JYoung""#, "externalId eq JYoung"] {
        let c = users(filter);
        assert_eq!(c.sql, "r.external_id = ?");
        assert_eq!(c.binds, vec![Bind::Text("JYoung".into())]);
    }
}

#[test]
fn and_or_not_nest_with_parentheses() {
    let c = users(r#"userName eq "a" and not (active eq false) or displayName sw "B""#);
    assert_eq!(c.sql, "((r.user_name_key = ? AND NOT COALESCE(r.active = ?, 0)) OR substr(r.display_name_key, 1, length(?)) = ?)");
    assert_eq!(c.binds.len(), 4);
}

#[test]
fn emails_value_uses_the_email_index() {
    for filter in [r#"emails.value eq "A@x.io""#, r#"emails[value eq "A@x.io"]"#] {
        let c = users(filter);
        assert!(c.sql.contains("user_emails"), "{filter}: {}", c.sql);
        assert_eq!(c.binds, vec![Bind::Text("a@x.io".into())], "{filter}");
    }
}

#[test]
fn binds_match_placeholders_for_document_attributes() {
    let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    let custom = "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User";
    for filter in [
        r#"title eq "x""#.to_owned(),
        r#"userType ne "x""#.into(),
        format!(r#"{enterprise}:department eq "x""#),
        format!(r#"{custom}:costCenter sw "x" or {custom}:costCenter eq 4130"#),
        r#"emails[type eq "work" and value eq "x"]"#.into(),
        r#"userName eq "a" and title ne "b""#.into(),
        r#"name.givenName ew "x" and title eq null and nickName ne null and locale pr"#.into(),
        r#"emails[not (type eq "home") or value co "@"] and phoneNumbers.type eq "work""#.into(),
    ] {
        assert_aligned(&users(&filter), &filter);
    }
    for filter in [r#"userName ne "a""#, r#"displayName eq "a" and members pr and externalId ne "x""#] {
        assert_aligned(&groups(filter), filter);
    }
}

#[test]
fn long_or_chains_nest_shallowly() {
    // The parser's limits (4096 bytes, 1000 nodes) allow at most 500 terms.
    let filter = vec!["a pr"; 500].join(" or ");
    let c = users(&filter);
    assert_aligned(&c, "500-term chain");
    let mut depth: i32 = 0;
    let mut deepest = 0;
    for ch in c.sql.chars() {
        depth += match ch {
            '(' => 1,
            ')' => -1,
            _ => 0,
        };
        deepest = deepest.max(depth);
    }
    assert!(deepest < 40, "nests {deepest} deep");
}

#[test]
fn group_members_use_membership_rows() {
    let c = groups(r#"members[value eq "u1"]"#);
    assert_eq!(c.sql, "r.id IN (SELECT m.group_id FROM group_members m WHERE m.user_id = ?)");
    assert_eq!(groups(r#"DisplayName eq "Sales""#).sql, "r.display_name_key = ?");
}

#[test]
fn unknown_schemas_and_bad_booleans_are_refused() {
    assert!(compile(&parse(r#"urn:x:y:z eq "a""#).unwrap(), ResourceKind::User).is_err());
    assert!(compile(&parse(r#"active co "x""#).unwrap(), ResourceKind::User).is_err());
    assert!(compile(&parse(r#"externalId eq 12"#).unwrap(), ResourceKind::User).is_err());
}

#[test]
fn sort_keys_use_columns_or_the_document() {
    let key = sort_key(&AttrPath::parse("userName").unwrap(), ResourceKind::User, false).unwrap();
    assert_eq!(key.sql, "(r.user_name_key IS NULL) ASC, r.user_name_key ASC");
    let key = sort_key(&AttrPath::parse("title").unwrap(), ResourceKind::User, true).unwrap();
    assert_eq!(key.sql, "(json_extract(r.resource, ?) IS NULL) DESC, json_extract(r.resource, ?) DESC");
    assert_eq!(key.binds, vec![Bind::Text("$.\"title\"".into()); 2]);
    assert!(sort_key(&AttrPath::parse("members").unwrap(), ResourceKind::Group, false).is_err());
}

#[test]
fn null_comparisons_become_is_null() {
    let c = users("externalId eq null");
    assert_eq!(c.sql, "(r.external_id IS NULL)");
    assert!(c.binds.is_empty());
}

#[test]
fn only_one_equality_on_an_indexed_value_is_a_lookup() {
    let lookup = |kind, filter: &str| is_indexed_lookup(&parse(filter).unwrap(), kind);
    for filter in [r#"userName eq "ann""#, r#"externalId eq "e1""#, r#"id eq "u1""#, r#"USERNAME eq "ann""#] {
        assert!(lookup(ResourceKind::User, filter), "{filter}");
    }
    for filter in [r#"displayName eq "Sales""#, r#"externalId eq "g1""#, r#"id eq "g1""#] {
        assert!(lookup(ResourceKind::Group, filter), "{filter}");
    }
    // Scans, or more than one condition: they run on a reader thread, never on the caller's.
    for filter in [
        r#"userName co "ann""#,
        r#"userName ne "ann""#,
        r#"name.givenName eq "Ann""#,
        r#"title eq "x""#,
        r#"meta.created eq "2026-01-01T00:00:00Z""#,
        r#"userName eq "a" or userName eq "b""#,
        r#"not (userName eq "a")"#,
        r#"emails[value eq "a@x"]"#,
        r#"emails.value eq "a@x""#,
        r#"externalId eq null"#,
        r#"userName eq 1"#,
    ] {
        assert!(!lookup(ResourceKind::User, filter), "{filter}");
    }
}
