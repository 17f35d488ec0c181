//! The in-memory filter evaluator: does one JSON resource or multi-valued element satisfy a
//! filter? PATCH uses it to pick the elements a value path selects; the differential tests use it
//! as the reference the SQL compiler must agree with.

use std::cmp::Ordering;

use serde_json::{Map, Value as Json};

use super::{AttrPath, CompareOp, Filter, Value as FilterValue};

/// Evaluates a filter against one JSON element or resource. Attribute names
/// are case-insensitive, strings compare case-insensitively, booleans also
/// match the strings "true"/"false", numbers compare numerically, and `pr`
/// means present and not null, "", [] or {}. A multi-valued attribute matches
/// when any of its values does. On a scalar element, `value` is the element.
pub fn matches(filter: &Filter, element: &Json) -> bool {
    match filter {
        Filter::And(a, b) => matches(a, element) && matches(b, element),
        Filter::Or(a, b) => matches(a, element) || matches(b, element),
        Filter::Not(inner) => !matches(inner, element),
        Filter::Present(path) => values_at(element, path).into_iter().any(is_present),
        Filter::Compare(path, op, value) => compare(&values_at(element, path), *op, value),
        Filter::ValuePath(path, inner) => values_at(element, path).into_iter().any(|item| matches(inner, item)),
    }
}

/// The values a path denotes in `element`, with arrays flattened one level.
fn values_at<'j>(element: &'j Json, path: &AttrPath) -> Vec<&'j Json> {
    let base = match (&path.schema, element) {
        (Some(urn), Json::Object(fields)) => match get_ci(fields, urn) {
            Some(extension @ Json::Object(_)) => extension,
            _ => element,
        },
        _ => element,
    };
    let top = match base {
        Json::Object(fields) => get_ci(fields, &path.name).into_iter().collect(),
        Json::Array(_) => Vec::new(),
        scalar if path.sub_attr.is_none() && path.name.eq_ignore_ascii_case("value") => {
            vec![scalar]
        }
        _ => Vec::new(),
    };
    let top = flatten(top);
    match &path.sub_attr {
        None => top,
        Some(sub) => flatten(top.into_iter().filter_map(|v| v.as_object().and_then(|fields| get_ci(fields, sub))).collect()),
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

fn compare(values: &[&Json], op: CompareOp, expected: &FilterValue) -> bool {
    match (op, expected) {
        (CompareOp::Eq, FilterValue::Null) => values.iter().all(|v| v.is_null()),
        (CompareOp::Ne, FilterValue::Null) => values.iter().any(|v| !v.is_null()),
        (CompareOp::Ne, _) => !values.iter().any(|v| compare_one(v, CompareOp::Eq, expected)),
        _ => values.iter().any(|v| compare_one(v, op, expected)),
    }
}

fn compare_one(actual: &Json, op: CompareOp, expected: &FilterValue) -> bool {
    match (actual, expected) {
        (Json::String(a), FilterValue::String(e)) => compare_strings(a, op, e),
        (Json::Number(a), FilterValue::Number(e)) => compare_numbers(a, e).is_some_and(|ordering| satisfies(op, ordering)),
        (Json::Bool(a), FilterValue::Bool(e)) => op == CompareOp::Eq && a == e,
        (Json::Bool(a), FilterValue::String(e)) => op == CompareOp::Eq && parse_bool(e) == Some(*a),
        (Json::String(a), FilterValue::Bool(e)) => op == CompareOp::Eq && parse_bool(a) == Some(*e),
        _ => false,
    }
}

fn compare_strings(actual: &str, op: CompareOp, expected: &str) -> bool {
    let (actual, expected) = (actual.to_lowercase(), expected.to_lowercase());
    match op {
        CompareOp::Co => actual.contains(&expected),
        CompareOp::Sw => actual.starts_with(&expected),
        CompareOp::Ew => actual.ends_with(&expected),
        _ => satisfies(op, actual.cmp(&expected)),
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

/// RFC 7643 §2.1: attribute names are case-insensitive; an exact match wins.
fn get_ci<'m>(map: &'m Map<String, Json>, name: &str) -> Option<&'m Json> {
    map.get(name).or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v))
}

fn parse_bool(text: &str) -> Option<bool> {
    ["false", "true"].iter().position(|word| text.eq_ignore_ascii_case(word)).map(|i| i == 1)
}

#[cfg(test)]
#[path = "eval_tests.rs"]
mod tests;
