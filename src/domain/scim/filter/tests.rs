use super::*;
use std::time::{Duration, Instant};

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const CORE_USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

fn path(name: &str) -> AttrPath {
    AttrPath { schema: None, name: name.into(), sub_attr: None }
}

fn sub(name: &str, sub_attr: &str) -> AttrPath {
    AttrPath { sub_attr: Some(sub_attr.into()), ..path(name) }
}

fn urn(schema: &str, name: &str) -> AttrPath {
    AttrPath { schema: Some(schema.into()), ..path(name) }
}

fn s(v: &str) -> Value {
    Value::String(v.into())
}

fn n(v: i64) -> Value {
    Value::Number(v.into())
}

fn cmp(p: AttrPath, op: CompareOp, v: Value) -> Filter {
    Filter::Compare(p, op, v)
}

fn eq(name: &str, v: Value) -> Filter {
    cmp(path(name), CompareOp::Eq, v)
}

fn pr(name: &str) -> Filter {
    Filter::Present(path(name))
}

fn and(l: Filter, r: Filter) -> Filter {
    Filter::And(Box::new(l), Box::new(r))
}

fn or(l: Filter, r: Filter) -> Filter {
    Filter::Or(Box::new(l), Box::new(r))
}

fn not(f: Filter) -> Filter {
    Filter::Not(Box::new(f))
}

fn ok(input: &str) -> Filter {
    parse(input).unwrap_or_else(|e| panic!("{input:?} should parse: {e}"))
}

/// Asserts `input` fails and the message contains `needle` (case-insensitive).
fn err(input: &str, needle: &str) -> FilterError {
    match parse(input) {
        Ok(f) => panic!("{input:?} should fail, got {f:?}"),
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.to_lowercase().contains(&needle.to_lowercase()), "{input:?}: message {msg:?} should mention {needle:?}");
            e
        }
    }
}

fn assert_round_trip(input: &str) {
    let ast = ok(input);
    let printed = ast.to_string();
    let reparsed = parse(&printed).unwrap_or_else(|e| panic!("{printed:?} (from {input:?}) should parse: {e}"));
    assert_eq!(reparsed, ast, "round trip of {input:?} via {printed:?}");
    assert_eq!(reparsed.to_string(), printed, "canonical form is stable");
}

#[test]
fn idp_filters() {
    assert_eq!(ok(r#"userName eq "7d420df3-9995-4831-a406-ecf8166f5f6a""#), eq("userName", s("7d420df3-9995-4831-a406-ecf8166f5f6a")));
    assert_eq!(ok(r#"externalId eq "johnwong""#), eq("externalId", s("johnwong")));
    assert_eq!(ok(r#"displayName eq "Group One""#), eq("displayName", s("Group One")));
    assert_eq!(ok(r#"userName eq "test.user@okta.local""#), eq("userName", s("test.user@okta.local")));
}

#[test]
fn case_insensitive_keywords_keep_names_as_written() {
    assert_eq!(ok(r#"userName EQ "x""#), eq("userName", s("x")));
    assert_eq!(ok(r#"USERNAME Eq "x""#), eq("USERNAME", s("x")));
    assert_eq!(ok("a PR And b pr"), and(pr("a"), pr("b")));
    assert_eq!(ok("a pr OR b Pr"), or(pr("a"), pr("b")));
    assert_eq!(ok("Not (a pr)"), not(pr("a")));
    assert_eq!(ok("NOT(a pr)"), not(pr("a")));
    assert_eq!(ok("a eq TRUE"), eq("a", Value::Bool(true)));
    assert_eq!(ok("a ne False"), cmp(path("a"), CompareOp::Ne, Value::Bool(false)));
    assert_eq!(ok("a eq NULL"), eq("a", Value::Null));
    for (word, op) in [
        ("Ne", CompareOp::Ne),
        ("CO", CompareOp::Co),
        ("sW", CompareOp::Sw),
        ("EW", CompareOp::Ew),
        ("GT", CompareOp::Gt),
        ("Ge", CompareOp::Ge),
        ("lT", CompareOp::Lt),
        ("LE", CompareOp::Le),
    ] {
        assert_eq!(ok(&format!("a {word} 1")), cmp(path("a"), op, n(1)));
    }
}

#[test]
fn urn_qualified_paths() {
    assert_eq!(ok(&format!(r#"{ENTERPRISE}:department eq "Sales""#)), cmp(urn(ENTERPRISE, "department"), CompareOp::Eq, s("Sales")));
    assert_eq!(
        ok(&format!(r#"{CORE_USER}:name.givenName sw "J""#)),
        cmp(AttrPath { schema: Some(CORE_USER.into()), name: "name".into(), sub_attr: Some("givenName".into()) }, CompareOp::Sw, s("J"))
    );
    let ivanti = "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User";
    assert_eq!(ok(&format!("{ivanti}:costCenter eq 4130")), cmp(urn(ivanti, "costCenter"), CompareOp::Eq, n(4130)));
    assert_eq!(
        ok(&format!("{ENTERPRISE}:manager.value pr")),
        Filter::Present(AttrPath { sub_attr: Some("value".into()), ..urn(ENTERPRISE, "manager") })
    );
    let upper = "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER";
    assert_eq!(ok(&format!("{upper}:userName pr")), Filter::Present(urn(upper, "userName")));
    assert_eq!(
        ok(&format!(r#"{CORE_USER}:emails[type eq "work"]"#)),
        Filter::ValuePath(urn(CORE_USER, "emails"), Box::new(eq("type", s("work"))))
    );
}

#[test]
fn value_filters() {
    assert_eq!(
        ok(r#"emails[type eq "work" and primary eq true]"#),
        Filter::ValuePath(path("emails"), Box::new(and(eq("type", s("work")), eq("primary", Value::Bool(true)))))
    );
    assert_eq!(
        ok(r#"emails[type eq "work" and value co "@example.com"]"#),
        Filter::ValuePath(path("emails"), Box::new(and(eq("type", s("work")), cmp(path("value"), CompareOp::Co, s("@example.com")))))
    );
    assert_eq!(ok(r#"members[value eq "abc"]"#), Filter::ValuePath(path("members"), Box::new(eq("value", s("abc")))));
    assert_eq!(
        ok(r#"userName eq "x" or emails[ type eq work ] and active eq true"#),
        or(
            eq("userName", s("x")),
            and(Filter::ValuePath(path("emails"), Box::new(eq("type", s("work")))), eq("active", Value::Bool(true)))
        )
    );
    assert_eq!(
        ok(r#"emails[not (type eq "home") and (primary pr)]"#),
        Filter::ValuePath(path("emails"), Box::new(and(not(eq("type", s("home"))), pr("primary"))))
    );
}

#[test]
fn not_binds_tighter_than_and() {
    assert_eq!(
        ok(r#"not (active eq false) and userName sw "j""#),
        and(not(eq("active", Value::Bool(false))), cmp(path("userName"), CompareOp::Sw, s("j")))
    );
}

#[test]
fn precedence_and_associativity() {
    let (a, b, c) = (eq("a", n(1)), eq("b", n(2)), eq("c", n(3)));
    assert_eq!(ok("a eq 1 or b eq 2 and c eq 3"), or(a.clone(), and(b.clone(), c.clone())));
    assert_eq!(ok("a eq 1 and b eq 2 or c eq 3"), or(and(a.clone(), b.clone()), c.clone()));
    assert_eq!(ok("a eq 1 or b eq 2 or c eq 3"), or(or(a.clone(), b.clone()), c.clone()));
    assert_eq!(ok("a eq 1 and b eq 2 and c eq 3"), and(and(a.clone(), b.clone()), c.clone()));
    assert_eq!(ok("(a eq 1 or b eq 2) and c eq 3"), and(or(a, b), c));
}

#[test]
fn nested_parentheses() {
    assert_eq!(ok("((a pr))"), pr("a"));
    assert_eq!(ok("a pr and (b pr or (c pr and d pr))"), and(pr("a"), or(pr("b"), and(pr("c"), pr("d")))));
    assert_eq!(ok("(a pr or b pr) and not ((c pr) or d pr)"), and(or(pr("a"), pr("b")), not(or(pr("c"), pr("d")))));
}

#[test]
fn sub_attributes_and_dates() {
    assert_eq!(
        ok(r#"meta.lastModified gt "2011-05-13T04:42:34Z""#),
        cmp(sub("meta", "lastModified"), CompareOp::Gt, s("2011-05-13T04:42:34Z"))
    );
    assert_eq!(ok(r#"name.familyName co "O'Malley""#), cmp(sub("name", "familyName"), CompareOp::Co, s("O'Malley")));
    assert_eq!(ok("members.$ref pr"), Filter::Present(sub("members", "$ref")));
}

#[test]
fn string_and_number_values() {
    assert_eq!(ok(r#"a eq "a\"b""#), eq("a", s("a\"b")));
    assert_eq!(ok(r#"a eq "\u00e9\\\/""#), eq("a", s("é\\/")));
    assert_eq!(ok(r#"a eq "\ud83d\ude00""#), eq("a", s("😀")));
    assert_eq!(ok(r#"a eq "(x) [y] and or""#), eq("a", s("(x) [y] and or")));
    assert_eq!(ok(r#"a eq """#), eq("a", s("")));
    assert_eq!(ok("a eq 42"), eq("a", n(42)));
    assert_eq!(ok("a gt -7"), cmp(path("a"), CompareOp::Gt, n(-7)));
    assert_eq!(ok("a eq 0"), eq("a", n(0)));
    assert_eq!(ok("a eq 18446744073709551615"), eq("a", Value::Number(u64::MAX.into())));
    for (lit, expected) in [("2.75", 2.75), ("1e3", 1000.0), ("-2.5E-3", -0.0025), ("1E+2", 100.0)] {
        let expected = Value::Number(serde_json::Number::from_f64(expected).unwrap());
        assert_eq!(ok(&format!("a le {lit}")), cmp(path("a"), CompareOp::Le, expected));
    }
}

#[test]
fn unquoted_values_are_strings() {
    assert_eq!(ok("userName eq Test_User_abc"), eq("userName", s("Test_User_abc")));
    assert_eq!(ok("DisplayName eq Group1DisplayName"), eq("DisplayName", s("Group1DisplayName")));
    assert_eq!(ok("externalId eq jyoung"), eq("externalId", s("jyoung")));
    assert_eq!(ok("id eq 7d420df3-9995-4831"), eq("id", s("7d420df3-9995-4831")));
    assert_eq!(ok("employeeNumber eq 007"), eq("employeeNumber", s("007")));
    assert_eq!(ok("mail eq a@b.com and x pr"), and(eq("mail", s("a@b.com")), pr("x")));
    assert_eq!(ok("(userName eq bob)"), eq("userName", s("bob")));
}

#[test]
fn whitespace_is_flexible() {
    assert_eq!(ok("  userName   eq\t\"x\"  "), eq("userName", s("x")));
    assert_eq!(ok("not(a pr)and(b pr)"), and(not(pr("a")), pr("b")));
    assert_eq!(ok("( a pr )"), pr("a"));
}

#[test]
fn error_cases() {
    err("userName eq", "value after `eq`");
    err(r#"eq "x""#, "missing attribute path before operator `eq`");
    err(r#"userName "x""#, r#"unexpected token `"x"` at offset 9"#);
    err(r#"(userName eq "x""#, "expected `and`, `or` or `)`");
    err(r#"userName eq "x")"#, "unexpected token `)` at offset 15");
    err(r#"userName zz "x""#, "unknown operator `zz`");
    err(r#"userName eqq "x""#, "unknown operator `eqq`");
    err("userName pr extra", "unexpected token `extra`");
    err(r#"userName pr "x""#, "unexpected token");
    assert_eq!(parse(""), Err(FilterError::Empty));
    assert_eq!(parse(" \t "), Err(FilterError::Empty));
    err("and", "unexpected token `and` at offset 0");
    err("a pr or", "unexpected end of filter");
    err(r#"userName eq "x" and"#, "unexpected end");
    err(r#"userName eq "abc"#, "unterminated string");
    err(r#"userName eq "abc\""#, "unterminated string");
    err("userName eq \"a\nb\"", "control character U+000A");
    err("userName\0eq 1", "control character U+0000 at offset 8");
    err("a eq 1\u{7f}", "control character");
    err(&format!("a eq \"{}\"", "x".repeat(MAX_LENGTH)), "limit is 4096");
    err(&format!("{}a pr{}", "(".repeat(17), ")".repeat(17)), "deeper than 16 levels");
    err("a gt true", "operator `gt` cannot be used with `true`");
    err("a co null", "cannot be used");
    err("a sw False", "cannot be used");
    err(r#"emails[type[value eq "x"]]"#, "nested value filter");
    err(r#"emails[type eq "work"]]"#, "unexpected token `]`");
    err(r#"emails[type eq "work""#, "closing `emails[`");
    err("emails[]", "unexpected token `]`");
    err(r#"name.givenName[value eq "x"]"#, "not a sub-attribute");
    err("not a pr", "`(` after `not`");
    err("not", "`(` after `not`");
    err("()", "unexpected token `)` at offset 1");
    err("a eq and", "value after `eq`");
    err(r#"a eq "\q""#, "invalid string at offset 7: invalid escape");
    err(r#"a eq "\ud800""#, "invalid string");
    err("a eq 1e999", "invalid number `1e999`");
    err("1abc eq 1", "invalid attribute path `1abc`");
    err("a.b.c eq 1", "sub-attribute");
    err("foo:bar eq 1", "only allowed in a path qualified");
    err("urn: eq 1", "malformed schema");
    err("urn:a::b:c eq 1", "malformed schema");
    err("a eq 1 b eq 2", "unexpected token `b`");
    err(r#"emails[type eq "work"].value eq "x""#, "unexpected token `.value`");
}

#[test]
fn errors_are_structured() {
    assert_eq!(
        parse(r#"userName eq "x")"#),
        Err(FilterError::UnexpectedToken { token: ")".into(), offset: 15, expected: "`and`, `or` or end of filter".into() })
    );
    assert_eq!(parse(r#"userName eqq "x""#), Err(FilterError::UnknownOperator { op: "eqq".into(), offset: 9 }));
    assert_eq!(parse(r#"a eq "x"#), Err(FilterError::UnterminatedString { offset: 5 }));
}

#[test]
fn display_is_canonical() {
    assert_eq!(ok(r#"userName EQ "x""#).to_string(), r#"userName eq "x""#);
    assert_eq!(ok("userName eq bob").to_string(), r#"userName eq "bob""#);
    assert_eq!(ok("((a pr) AND (b pr))").to_string(), "a pr and b pr");
    assert_eq!(ok("a pr or (b pr or c pr)").to_string(), "a pr or (b pr or c pr)");
    assert_eq!(ok("(a pr or b pr) or c pr").to_string(), "a pr or b pr or c pr");
    assert_eq!(ok("(a pr or b pr) and c pr").to_string(), "(a pr or b pr) and c pr");
    assert_eq!(ok("a pr and (b pr and c pr)").to_string(), "a pr and (b pr and c pr)");
    assert_eq!(ok("NOT(a pr)").to_string(), "not (a pr)");
    assert_eq!(ok(r#"a eq "q\"\\\u0001""#).to_string(), r#"a eq "q\"\\\u0001""#);
    assert_eq!(ok(&format!("{ENTERPRISE}:manager.value eq 1.5")).to_string(), format!("{ENTERPRISE}:manager.value eq 1.5"));
}

#[test]
fn display_round_trips() {
    let inputs = [
        r#"userName eq "7d420df3-9995-4831-a406-ecf8166f5f6a""#,
        r#"emails[type eq "work" and primary eq true]"#,
        r#"not (active eq false) and userName sw "j""#,
        "a eq 1 or b eq 2 and c eq 3",
        "(a eq 1 or b eq 2) and (c eq 3 or d eq 4)",
        "a pr or (b pr or (c pr and (d pr and e pr)))",
        "not (not (a pr or b pr)) and x ne null",
        r#"meta.lastModified gt "2011-05-13T04:42:34Z""#,
        r#"a eq "a\"b\u00e9\t""#,
        "a eq -2.5E-3 or b lt 1e20 or c ge 123456789012345678901234",
        "userName eq Test_User_abc",
        "members.$ref pr",
        r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "x""#,
        r#"urn:ietf:params:scim:schemas:core:2.0:User:emails[not (type eq "home")]"#,
        r#"emails[(type eq "a" or type eq "b") and value ew ".org"] or name.givenName co x"#,
    ];
    for input in inputs {
        assert_round_trip(input);
    }
}

/// `(a pr or (a pr or (...)))`: each level is one paren group plus one chain.
fn nested_chains(levels: usize) -> String {
    (0..levels).fold("a pr".to_owned(), |inner, _| format!("a pr or ({inner})"))
}

#[test]
fn depth_limit() {
    let parens = |k: usize| format!("{}a pr{}", "(".repeat(k), ")".repeat(k));
    assert!(parse(&parens(MAX_DEPTH)).is_ok());
    assert_eq!(parse(&parens(MAX_DEPTH + 1)), Err(FilterError::TooDeep { max: MAX_DEPTH }));

    let nots = |k: usize| format!("{}a pr{}", "not (".repeat(k), ")".repeat(k));
    assert!(parse(&nots(MAX_DEPTH)).is_ok());
    assert_eq!(parse(&nots(MAX_DEPTH + 1)), Err(FilterError::TooDeep { max: MAX_DEPTH }));

    // Chains count too: 8 levels of paren + chain = 16, 9 levels = 18.
    assert_round_trip(&nested_chains(8));
    assert_eq!(parse(&nested_chains(9)), Err(FilterError::TooDeep { max: MAX_DEPTH }));

    // A value filter is one level.
    let vf = format!("emails[{}]", parens(MAX_DEPTH - 1));
    assert!(parse(&vf).is_ok());
    let vf = format!("emails[{}]", parens(MAX_DEPTH));
    assert_eq!(parse(&vf), Err(FilterError::TooDeep { max: MAX_DEPTH }));
}

#[test]
fn deep_nesting_beyond_length_limit_does_not_recurse() {
    let deep = format!("{}a pr{}", "(".repeat(100_000), ")".repeat(100_000));
    assert_eq!(parse(&deep), Err(FilterError::TooLong { len: deep.len(), max: MAX_LENGTH }));
    assert_eq!(parse_with_limit(&deep, usize::MAX), Err(FilterError::TooDeep { max: MAX_DEPTH }));
    let unclosed = "not (".repeat(50_000);
    assert_eq!(parse_with_limit(&unclosed, usize::MAX), Err(FilterError::TooDeep { max: MAX_DEPTH }));
}

#[test]
fn node_limit() {
    let chain = |terms: usize| vec!["a pr"; terms].join(" or ");
    // 500 leaves + 499 `or` nodes = 999.
    assert!(parse(&chain(500)).is_ok());
    let too_many = chain(501);
    assert!(too_many.len() <= MAX_LENGTH);
    let e = parse(&too_many).unwrap_err();
    assert_eq!(e, FilterError::TooManyNodes { max: MAX_NODES });
    assert!(e.to_string().contains("more than 1000 expressions"));
}

#[test]
fn ten_thousand_term_or_chain_is_rejected_quickly() {
    let chain = (0..10_000).map(|i| format!("userName eq \"user{i}\"")).collect::<Vec<_>>().join(" or ");
    let started = Instant::now();
    assert!(matches!(parse(&chain), Err(FilterError::TooLong { .. })));
    // Without the length cap the chain is parsed iteratively and stopped
    // by the node limit rather than by a stack overflow.
    assert_eq!(parse_with_limit(&chain, usize::MAX), Err(FilterError::TooManyNodes { max: MAX_NODES }));
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn attr_path_parse() {
    assert_eq!(AttrPath::parse("name.givenName"), Ok(sub("name", "givenName")));
    assert_eq!(AttrPath::parse("emails.value"), Ok(sub("emails", "value")));
    assert_eq!(AttrPath::parse(" userName\t"), Ok(path("userName")));
    assert_eq!(AttrPath::parse(&format!("{ENTERPRISE}:department")), Ok(urn(ENTERPRISE, "department")));
    assert_eq!(AttrPath::parse("manager.$ref"), Ok(sub("manager", "$ref")));
    assert_eq!(
        AttrPath::parse("urn:ietf:params:scim:schemas:core:2.0:User:name.familyName"),
        Ok(AttrPath { schema: Some(CORE_USER.into()), name: "name".into(), sub_attr: Some("familyName".into()) })
    );
    for bad in ["", "  ", "a b", "emails[", "a.b.c", "1a", "a.", ".a", "a:b", "urn:x", "na\"me", "é"] {
        assert!(matches!(AttrPath::parse(bad), Err(FilterError::InvalidAttrPath { .. })), "{bad:?} should be rejected");
    }
    match AttrPath::parse("  1a") {
        Err(FilterError::InvalidAttrPath { offset, .. }) => assert_eq!(offset, 2),
        other => panic!("unexpected {other:?}"),
    }
    assert!(matches!(AttrPath::parse(&"a".repeat(MAX_LENGTH + 1)), Err(FilterError::TooLong { .. })));
}

/// Deterministic fuzz: glue random grammar fragments together and check
/// that nothing panics and every accepted filter round-trips.
#[test]
fn garbage_never_panics() {
    const FRAGMENTS: &[&str] = &[
        "(",
        ")",
        "[",
        "]",
        "\"",
        "\\",
        " ",
        "\t",
        "not",
        "NOT(",
        "and",
        "or",
        "eq",
        "pr",
        "gt",
        "a",
        "b.c",
        "urn:",
        ":",
        ".",
        "$ref",
        "1",
        "-",
        "1e999",
        "-0.5e3",
        "true",
        "null",
        "\"x\"",
        "\"\\u\"",
        "\"\\ud800\"",
        "é",
        "😀",
        "\u{0}",
        "\n",
        "emails[",
        "type eq \"w\"",
        "]",
        "urn:x:y:z",
        "0x1f",
        "\"\\",
        "e",
        "+",
    ];
    let mut handpicked: Vec<String> = [
        "",
        "(",
        ")",
        "[]",
        "\"",
        "\\",
        "not",
        "not(",
        "not()",
        "a",
        "a eq",
        "a eq (",
        "a[",
        "a[b",
        "a[b pr",
        "a[b pr]]",
        "urn:",
        "urn::",
        "urn:a:",
        ":",
        ".",
        "a..b pr",
        "a pr and and b pr",
        "a pr or or",
        "\"a\" eq \"b\"",
        "a eq \"\\u12\"",
        "a eq -",
        "a eq 1.",
        "a eq .5",
        "é eq 1",
        "a eq é",
        "a eq 😀",
        "a\u{85}b",
        "((((",
        "))))",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();

    let mut seed: u64 = 0x5eed_cafe_f00d_d00d;
    let mut next = move || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize
    };
    for _ in 0..200 {
        let len = next() % 12;
        handpicked.push((0..len).map(|_| FRAGMENTS[next() % FRAGMENTS.len()]).collect::<Vec<_>>().join(if next() % 2 == 0 {
            " "
        } else {
            ""
        }));
    }

    let mut accepted = 0;
    for input in &handpicked {
        let _ = AttrPath::parse(input);
        if let Ok(ast) = parse(input) {
            accepted += 1;
            assert_eq!(parse(&ast.to_string()), Ok(ast), "round trip of {input:?}");
        }
    }
    assert!(handpicked.len() >= 200);
    // Sanity check that the generator reaches the success path at all.
    assert!(accepted > 0, "fuzz corpus never produced a valid filter");
}
