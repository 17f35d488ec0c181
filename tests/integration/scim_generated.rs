//! Generated tests (proptest), over HTTP against the real app:
//! - random PATCH sequences built from the schema: the user read back equals the document the
//!   domain produces in memory for the same requests, and never holds an attribute outside the
//!   schema;
//! - random requests carrying a password in any spelling: no stored log row contains it.
//!
//! Each runs a few dozen cases in a few seconds; a failure shrinks to a minimal sequence, which
//! then becomes a named regression test.

use crate::common::{okta_user, patch_op, Scim, ENTERPRISE, USER_SCHEMA};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use provisio::domain::idp::Idp;
use provisio::domain::lifecycle;
use provisio::domain::scim::schema::{self, AttrType, Mutability, ResourceKind, SchemaId};
use provisio::domain::scim::{patch, user, ScimError};
use reqwest::Method;
use serde_json::{json, Map, Value};
use std::sync::atomic::{AtomicUsize, Ordering};

const CUSTOM: &str = "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User";

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() })
}

/// Text an IdP might send: case variants, accents, other scripts, blanks.
fn text() -> impl Strategy<Value = Value> {
    prop_oneof![
        8 => "[a-zA-Z0-9 éÅß]{1,12}".prop_map(Value::from),
        1 => Just(json!("")),
        1 => Just(json!("  ")),
        1 => Just(Value::Null),
        1 => "[\\p{Han}\\p{Arabic}]{1,6}".prop_map(Value::from),
    ]
}

/// Every writable, single-valued, simple attribute of the core User schema and the enterprise
/// extension, as a path: read from the schema, so a new attribute is generated too.
fn simple_paths() -> Vec<String> {
    let writable = |a: &&schema::Attribute| a.mutability == Mutability::ReadWrite && !a.multi_valued && !a.sensitive;
    let core = schema::attributes(ResourceKind::User, SchemaId::Core).iter().filter(writable).flat_map(|a| match a.kind {
        AttrType::Complex => {
            a.sub_attributes.iter().filter(|s| s.kind != AttrType::Boolean).map(|s| format!("{}.{}", a.name, s.name)).collect()
        }
        AttrType::Boolean => Vec::new(),
        _ => vec![a.name.to_owned()],
    });
    let enterprise = schema::attributes(ResourceKind::User, SchemaId::Enterprise)
        .iter()
        .filter(writable)
        .filter(|a| a.kind != AttrType::Complex)
        .map(|a| format!("{ENTERPRISE}:{}", a.name));
    core.chain(enterprise).chain(["costCenter", "Badge"].map(|name| format!("{CUSTOM}:{name}"))).collect()
}

/// Multi-valued complex attributes and their string sub-attributes, from the schema.
fn multi_valued() -> Vec<(&'static str, Vec<&'static str>)> {
    let attributes = schema::attributes(ResourceKind::User, SchemaId::Core).iter();
    let writable = attributes.filter(|a| a.multi_valued && a.mutability == Mutability::ReadWrite);
    writable.map(|a| (a.name, a.sub_attributes.iter().filter(|s| s.kind == AttrType::String).map(|s| s.name).collect())).collect()
}

/// One operation: on a simple path, on a filtered element of a multi-valued attribute, on a
/// whole array, path-less, or on something no User has (which must be refused).
fn operation() -> impl Strategy<Value = Value> {
    let op = prop_oneof![Just("add"), Just("replace"), Just("remove"), Just("Replace")];
    let case = |path: String, upper: bool| if upper { path.to_uppercase() } else { path };
    let simple = (op.clone(), prop::sample::select(simple_paths()), any::<bool>(), text())
        .prop_map(move |(op, path, upper, value)| json!({"op": op, "path": case(path, upper), "value": value}));
    let filtered = (op.clone(), prop::sample::select(multi_valued()), prop::sample::select(vec!["work", "home", "other"]), text())
        .prop_flat_map(|(op, (name, subs), kind, value)| {
            prop::sample::select(subs)
                .prop_map(move |sub| json!({"op": op, "path": format!("{name}[type eq \"{kind}\"].{sub}"), "value": value}))
        });
    let whole = (op.clone(), prop::sample::select(multi_valued()), text(), any::<bool>()).prop_map(
        |(op, (name, _), value, primary)| json!({"op": op, "path": name, "value": [{"value": value, "type": "work", "primary": primary}]}),
    );
    let path_less = (prop::sample::select(simple_paths()), text(), any::<bool>())
        .prop_map(|(path, value, active)| json!({"op": "replace", "value": {path: value, "active": active}}));
    let foreign = (
        op,
        prop::sample::select(vec!["members[value eq \"x\"].value", "favouriteColour", "name.colour", "emails[colour eq \"x\"].value"]),
    )
        .prop_map(|(op, path)| json!({"op": op, "path": path, "value": 2}));
    prop_oneof![4 => simple, 3 => filtered, 2 => whole, 1 => path_less, 1 => foreign]
}

fn requests() -> impl Strategy<Value = Vec<Vec<Value>>> {
    prop::collection::vec(prop::collection::vec(operation(), 1..4), 1..6)
}

/// What `PATCH /Users/{id}` stores, computed in memory with the domain's functions.
fn patched_in_memory(stored: &Map<String, Value>, body: &Value) -> Result<Map<String, Value>, ScimError> {
    let operations = patch::parse_request(body)?;
    let mut patched = stored.clone();
    patch::apply(ResourceKind::User, &mut patched, &operations)?;
    let update = user::read(&Value::Object(patched))?;
    Ok(user::read(&Value::Object(lifecycle::keep_blanked(stored, &update.document)))?.document)
}

/// The user as served, without what the server adds (`id`, `meta`, `schemas`).
async fn read_back(scim: &Scim, id: &str) -> Map<String, Value> {
    let response = scim.get(Idp::Okta, &format!("/Users/{id}")).await;
    assert_eq!(response.status(), 200);
    let mut served: Map<String, Value> = response.json().await.unwrap();
    for key in ["id", "meta", "schemas"] {
        served.remove(key);
    }
    served
}

/// Every key of `document` is an attribute (or sub-attribute) of the User schema.
fn assert_within_schema(document: &Map<String, Value>) {
    for (key, value) in document {
        if let Some(extension) = SchemaId::named(ResourceKind::User, key) {
            for (name, value) in value.as_object().expect("an extension is an object") {
                let resolved = schema::resolve(ResourceKind::User, Some(extension.urn(ResourceKind::User)), name, None);
                assert_within(resolved.unwrap_or_else(|| panic!("{key}:{name} is not in the schema")).attribute, value, name);
            }
        } else {
            let resolved = schema::lookup(ResourceKind::User, key).unwrap_or_else(|| panic!("{key} is not in the schema: {document:?}"));
            assert_within(resolved.attribute, value, key);
        }
    }
}

fn assert_within(attribute: &schema::Attribute, value: &Value, at: &str) {
    match value {
        Value::Array(items) => items.iter().for_each(|item| assert_within(attribute, item, at)),
        Value::Object(fields) => {
            assert_eq!(attribute.kind, AttrType::Complex, "{at} holds an object but is not complex");
            for key in fields.keys() {
                assert!(attribute.sub(key).is_some(), "{at}.{key} is not in the schema");
            }
        }
        _ => {}
    }
}

static USERS: AtomicUsize = AtomicUsize::new(0);

async fn check_sequence(scim: &Scim, requests: &[Vec<Value>]) {
    let user_name = format!("gen{}@patch.test", USERS.fetch_add(1, Ordering::Relaxed));
    let id = scim.created(Idp::Okta, &okta_user(&user_name)).await["id"].as_str().unwrap().to_owned();
    let rows: Vec<(String,)> = scim.sql(&format!("SELECT resource FROM users WHERE id = '{id}'")).await;
    let mut expected: Map<String, Value> = serde_json::from_str(&rows[0].0).unwrap();
    for operations in requests {
        let body = patch_op(Value::Array(operations.clone()));
        let response = scim.send(Idp::Okta, Method::PATCH, &format!("/Users/{id}"), Some(&body)).await;
        let status = response.status().as_u16();
        match patched_in_memory(&expected, &body) {
            Ok(document) => {
                assert_eq!(status, 200, "{body}: {}", response.text().await.unwrap());
                expected = document;
            }
            Err(err) => assert_eq!(status, err.status, "{body}: expected {err:?}, got {}", response.text().await.unwrap()),
        }
        let served = read_back(scim, &id).await;
        let mut wanted = expected.clone();
        wanted.remove("schemas");
        assert_eq!(Value::Object(served.clone()), Value::Object(wanted), "after {body}");
        assert_within_schema(&served);
    }
}

#[test]
fn random_patch_sequences_read_back_as_the_engine_computes_and_stay_within_the_schema() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let scim = runtime.block_on(Scim::new());
    runner(24)
        .run(&requests(), |requests| {
            runtime.block_on(check_sequence(&scim, &requests));
            Ok(())
        })
        .unwrap();
}

/// A password, and a request that carries it in one of the ways an IdP or an attacker could.
fn secret_request() -> impl Strategy<Value = (String, Method, String, Value)> {
    let secret = "[A-Za-z0-9]{6,14}".prop_map(|s| format!("Pw!{s}"));
    let spelling = prop::sample::select(vec!["password", "PASSWORD", "Password", "pAsSwOrD"]);
    let urn = any::<bool>();
    let shape = 0..6usize;
    (secret, spelling, urn, shape, prop::sample::select(vec!["add", "replace", "remove"])).prop_map(|(secret, spelling, urn, shape, op)| {
        let name = if urn { format!("{USER_SCHEMA}:{spelling}") } else { spelling.to_owned() };
        let id = "{id}";
        let (method, path, body) = match shape {
            0 => (Method::PATCH, format!("/Users/{id}"), patch_op(json!([{"op": op, "path": name, "value": secret}]))),
            1 => (Method::PATCH, format!("/Users/{id}"), patch_op(json!([{"op": op, "value": {name: secret}}]))),
            2 => (Method::PATCH, format!("/Users/{id}"), patch_op(json!([{"op": op, "value": {USER_SCHEMA: {spelling: secret}}}]))),
            3 => (
                Method::PATCH,
                format!("/Users/{id}"),
                patch_op(json!([{"op": "remove", "path": format!("{name}[value eq \"{secret}\"]")}])),
            ),
            4 => {
                let mut user = okta_user(&format!("{}@secret.test", secret.to_lowercase().replace('!', "")));
                user[name] = json!(secret);
                (Method::POST, "/Users".to_owned(), user)
            }
            _ => {
                let data = patch_op(json!([{"op": op, "path": name, "value": secret}]));
                let bulk = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
                                  "Operations": [{"method": "PATCH", "path": format!("/Users/{id}"), "data": data}]});
                (Method::POST, "/Bulk".to_owned(), bulk)
            }
        };
        (secret, method, path, body)
    })
}

#[test]
fn a_password_in_any_request_never_reaches_the_log() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let scim = runtime.block_on(Scim::new());
    let id = runtime.block_on(scim.created(Idp::Okta, &okta_user("holder@secret.test")))["id"].as_str().unwrap().to_owned();
    runner(32)
        .run(&secret_request(), |(secret, method, path, body)| {
            let body = serde_json::from_str::<Value>(&body.to_string().replace("{id}", &id)).unwrap();
            runtime.block_on(async {
                let response = scim.send(Idp::Okta, method, &path.replace("{id}", &id), Some(&body)).await;
                assert!(response.status().as_u16() < 500, "{body}: {}", response.status());
                // Reads are logged in the background; wait for this request's row.
                let filter = provisio::models::ScimRequestFilter { idp: Some(Idp::Okta), ..Default::default() };
                scim.logged(&filter, 1).await;
                type Row = (String, Option<String>, Option<String>, Option<String>);
                let rows: Vec<Row> = scim.sql("SELECT path, detail, request_body, response_body FROM scim_requests").await;
                let log = format!("{rows:?}");
                assert!(!log.contains(&secret), "{secret} is in the log after {body}");
                let stored: Vec<(String,)> = scim.sql("SELECT resource FROM users").await;
                assert!(!format!("{stored:?}").contains(&secret), "{secret} is stored after {body}");
            });
            Ok(())
        })
        .unwrap();
}
