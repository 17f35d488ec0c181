//! The in-memory filter evaluator: does one JSON resource or multi-valued element satisfy a
//! filter? PATCH uses it to pick the elements a value path selects; the differential tests use it
//! as the reference the SQL compiler must agree with.

use std::cmp::Ordering;

use serde_json::{Map, Value as Json};

use super::{AttrPath, CompareOp, Filter, Value as FilterValue};
use crate::domain::scim::{GROUP_SCHEMA, USER_SCHEMA};

/// Evaluates a filter against one JSON element or resource. Attribute names
/// are case-insensitive, strings compare case-insensitively, booleans also
/// match the strings "true"/"false", numbers compare numerically, and `pr`
/// means present and not null, "", [] or {}. A multi-valued attribute matches
/// when any of its values does. On a scalar element, `value` is the element.
pub fn matches(filter: &Filter, element: &Json) -> bool {
    evaluate(filter, element, None)
}

/// `parent`: inside a value filter, the multi-valued attribute the element belongs to.
fn evaluate(filter: &Filter, element: &Json, parent: Option<&AttrPath>) -> bool {
    match filter {
        Filter::And(a, b) => evaluate(a, element, parent) && evaluate(b, element, parent),
        Filter::Or(a, b) => evaluate(a, element, parent) || evaluate(b, element, parent),
        Filter::Not(inner) => !evaluate(inner, element, parent),
        Filter::Present(path) => values_at(element, path).into_iter().any(is_present),
        Filter::Compare(path, op, value) => compare(&values_at(element, path), *op, value, case_exact(parent, path)),
        Filter::ValuePath(path, inner) => values_at(element, path).into_iter().any(|item| evaluate(inner, item, Some(path))),
    }
}

/// The values a path denotes in `element`, with arrays flattened one level. Names match without
/// regard to case (every spelling present counts); a URN-qualified path looks inside that
/// extension object, or at the element itself for a core schema.
fn values_at<'j>(element: &'j Json, path: &AttrPath) -> Vec<&'j Json> {
    let bases: Vec<&Json> = match (&path.schema, element) {
        (None, _) => vec![element],
        (Some(urn), _) if [USER_SCHEMA, GROUP_SCHEMA].iter().any(|core| urn.eq_ignore_ascii_case(core)) => vec![element],
        (Some(urn), Json::Object(fields)) => all_ci(fields, urn).into_iter().filter(|v| v.is_object()).collect(),
        (Some(_), _) => Vec::new(),
    };
    let top = bases
        .into_iter()
        .flat_map(|base| match base {
            Json::Object(fields) => all_ci(fields, &path.name),
            Json::Array(_) => Vec::new(),
            scalar if path.sub_attr.is_none() && path.name.eq_ignore_ascii_case("value") => vec![scalar],
            _ => Vec::new(),
        })
        .collect();
    let top = flatten(top);
    match &path.sub_attr {
        None => top,
        Some(sub) => flatten(top.into_iter().filter_map(Json::as_object).flat_map(|fields| all_ci(fields, sub)).collect()),
    }
}

fn flatten(values: Vec<&Json>) -> Vec<&Json> {
    values
        .into_iter()
        .flat_map(|v| match v {
            Json::Array(items) => items.iter().collect(),
            single => vec![single],
        })
        .collect()
}

fn is_present(value: &Json) -> bool {
    match value {
        Json::Null => false,
        Json::String(s) => !s.is_empty(),
        Json::Array(items) => !items.is_empty(),
        Json::Object(fields) => !fields.is_empty(),
        Json::Bool(_) | Json::Number(_) => true,
    }
}

fn compare(values: &[&Json], op: CompareOp, expected: &FilterValue, exact: bool) -> bool {
    match (op, expected) {
        (CompareOp::Eq, FilterValue::Null) => values.iter().all(|v| v.is_null()),
        (CompareOp::Ne, FilterValue::Null) => values.iter().any(|v| !v.is_null()),
        (CompareOp::Ne, _) => !values.iter().any(|v| compare_one(v, CompareOp::Eq, expected, exact)),
        _ => values.iter().any(|v| compare_one(v, op, expected, exact)),
    }
}

fn compare_one(actual: &Json, op: CompareOp, expected: &FilterValue, exact: bool) -> bool {
    match (actual, expected) {
        (Json::String(a), FilterValue::String(e)) if exact => compare_strings(a, op, e),
        (Json::String(a), FilterValue::String(e)) => compare_strings(&a.to_lowercase(), op, &e.to_lowercase()),
        (Json::Number(a), FilterValue::Number(e)) => compare_numbers(a, e).is_some_and(|ordering| satisfies(op, ordering)),
        (Json::Bool(a), FilterValue::Bool(e)) => op == CompareOp::Eq && a == e,
        (Json::Bool(a), FilterValue::String(e)) => op == CompareOp::Eq && parse_bool(e) == Some(*a),
        (Json::String(a), FilterValue::Bool(e)) => op == CompareOp::Eq && parse_bool(a) == Some(*e),
        _ => false,
    }
}

/// RFC 7643: `id` and `externalId` are caseExact, and so are the ids that `members.value` and
/// `groups.value` hold; every other string this server keeps compares without regard to case.
fn case_exact(parent: Option<&AttrPath>, path: &AttrPath) -> bool {
    let (owner, field) = match (parent, &path.sub_attr) {
        (None, None) => (None, &path.name),
        (None, Some(sub)) => (Some(&path.name), sub),
        (Some(parent), None) => (Some(&parent.name), &path.name),
        (Some(_), Some(_)) => return false,
    };
    match owner {
        None => ["id", "externalId"].iter().any(|name| field.eq_ignore_ascii_case(name)),
        Some(owner) => ["members", "groups"].iter().any(|name| owner.eq_ignore_ascii_case(name)) && field.eq_ignore_ascii_case("value"),
    }
}

fn compare_strings(actual: &str, op: CompareOp, expected: &str) -> bool {
    match op {
        CompareOp::Co => actual.contains(expected),
        CompareOp::Sw => actual.starts_with(expected),
        CompareOp::Ew => actual.ends_with(expected),
        _ => satisfies(op, actual.cmp(expected)),
    }
}

fn compare_numbers(a: &serde_json::Number, b: &serde_json::Number) -> Option<Ordering> {
    if let (Some(a), Some(b)) = (a.as_i64(), b.as_i64()) {
        return Some(a.cmp(&b));
    }
    if let (Some(a), Some(b)) = (a.as_u64(), b.as_u64()) {
        return Some(a.cmp(&b));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

fn satisfies(op: CompareOp, ordering: Ordering) -> bool {
    match op {
        CompareOp::Eq => ordering == Ordering::Equal,
        CompareOp::Ne => ordering != Ordering::Equal,
        CompareOp::Gt => ordering == Ordering::Greater,
        CompareOp::Ge => ordering != Ordering::Less,
        CompareOp::Lt => ordering == Ordering::Less,
        CompareOp::Le => ordering != Ordering::Greater,
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => false,
    }
}

/// RFC 7643 §2.1: attribute names are case-insensitive.
fn all_ci<'m>(map: &'m Map<String, Json>, name: &str) -> Vec<&'m Json> {
    map.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v).collect()
}

fn parse_bool(text: &str) -> Option<bool> {
    ["false", "true"].iter().position(|word| text.eq_ignore_ascii_case(word)).map(|i| i == 1)
}

#[cfg(test)]
#[path = "eval_tests.rs"]
mod tests;
