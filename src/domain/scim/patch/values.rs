//! Value rules: the booleans Entra sends as strings, `primary` kept unique, `manager` in any of
//! its forms, complex values checked against their sub-attributes, upsert templates built
//! from value filters, and Group member ids.

use super::errors::shorten;
use super::errors::{invalid_value, no_target};
use super::map::{get_ci, remove_ci, set_ci};
use super::path::{sub_attribute, AttrTarget};
use super::{Object, OpKind};
use crate::domain::scim::filter::matches;
use crate::domain::scim::filter::{CompareOp, Filter, Value as FilterValue};
use crate::domain::scim::schema::Attribute;
use crate::domain::scim::{ScimError, ScimType};
use serde_json::Value as Json;

/// Entra's `IsSoftDeleted` mapping produces the strings "True"/"False".
pub(super) fn active_value(value: &Json) -> Result<Json, ScimError> {
    match value {
        Json::Bool(_) | Json::Null => Ok(value.clone()),
        Json::String(text) => parse_bool(text)
            .map(Json::Bool)
            .ok_or_else(|| invalid_value(format!("`active` must be true or false, got \"{}\"", shorten(text)))),
        other => Err(invalid_value(format!("`active` must be true or false, got {}", shorten(&other.to_string())))),
    }
}

/// Entra sends the manager as a bare id (current), an object, or an array of
/// one object (old E-TUT example); it expects an object back.
pub(super) fn manager_value(manager: &'static Attribute, value: &Json) -> Result<Json, ScimError> {
    Ok(match value {
        Json::Null => Json::Null,
        Json::Object(fields) => {
            let mut object = Object::new();
            merge_fields(&mut object, fields, manager, "manager", OpKind::Add)?;
            Json::Object(object)
        }
        Json::Array(items) => match items.first() {
            Some(first) => manager_value(manager, first)?,
            None => Json::Null,
        },
        scalar => Json::Object(Object::from_iter([("value".to_owned(), scalar.clone())])),
    })
}

/// Writes `fields`, the sub-attributes of `attribute` (called `name`), into `target` with
/// canonical names. A null removes the field for `replace` and is skipped for `add` (null means
/// unassigned). A key that is not a sub-attribute is `invalidPath`; a sub-attribute takes a
/// single value. On error `target` may be half-written: callers work on a copy.
pub(super) fn merge_fields(
    target: &mut Object,
    fields: &Object,
    attribute: &'static Attribute,
    name: &str,
    op: OpKind,
) -> Result<(), ScimError> {
    for (key, value) in fields {
        if value.is_null() {
            // Unassigned: nothing is stored, so an unknown key (Entra's `"$ref": null`) is fine.
            if let (OpKind::Replace, Some(sub)) = (op, attribute.sub(key)) {
                remove_ci(target, sub.name);
            }
            continue;
        }
        let sub = sub_attribute(attribute, name, key)?.name;
        if value.is_object() || value.is_array() {
            return Err(invalid_value(format!("`{name}.{sub}` takes a single value, not {}", shorten(&value.to_string()))));
        } else {
            set_ci(target, sub, sub_value(sub, value));
        }
    }
    Ok(())
}

/// `primary` may arrive as "True"/"False" like `active`; other values stay.
pub(super) fn sub_value(name: &str, value: &Json) -> Json {
    match value {
        Json::String(text) if name.eq_ignore_ascii_case("primary") => parse_bool(text).map_or_else(|| value.clone(), Json::Bool),
        _ => value.clone(),
    }
}

/// A new multi-valued element: canonical names, `primary` coerced, nulls dropped; a bare
/// scalar stays as sent, a nested array is refused.
pub(super) fn normalize_element(element: &Json, attr: &AttrTarget<'_>) -> Result<Json, ScimError> {
    match element {
        Json::Object(fields) => {
            let mut normalized = Object::new();
            merge_fields(&mut normalized, fields, attr.attribute, &attr.name, OpKind::Add)?;
            Ok(Json::Object(normalized))
        }
        Json::Array(_) => Err(invalid_value(format!("each value of `{}` must be an object, not an array", attr.name))),
        other => Ok(other.clone()),
    }
}

/// Array elements, or the value itself (a non-array is wrapped); null is none.
pub(super) fn elements_of(value: &Json) -> impl Iterator<Item = &Json> {
    let items: &[Json] = match value {
        Json::Array(items) => items,
        Json::Null => &[],
        single => std::slice::from_ref(single),
    };
    items.iter()
}

/// Whether `listed` (from a remove's `value`) names `item`: equal, or every
/// non-null field of `listed` is equal in `item` (so `$ref: null` is fine).
pub(super) fn is_listed(item: &Json, listed: &Json) -> bool {
    if item == listed {
        return true;
    }
    let (Json::Object(item), Json::Object(listed)) = (item, listed) else {
        return false;
    };
    let mut fields = listed.iter().filter(|(_, v)| !v.is_null()).peekable();
    fields.peek().is_some() && fields.all(|(k, v)| get_ci(item, k) == Some(v))
}

pub(super) fn remove_selected(items: &mut Vec<Json>, selected: &[usize], sub: Option<&str>) {
    match sub {
        None => {
            let mut index = 0;
            items.retain(|_| {
                let keep = selected.binary_search(&index).is_err();
                index += 1;
                keep
            });
        }
        Some(sub) => {
            for &index in selected {
                if let Some(Json::Object(element)) = items.get_mut(index) {
                    remove_ci(element, sub);
                }
            }
        }
    }
}

/// The element to create when a filtered write matches nothing: the filter's
/// `eq` comparisons as attributes (`type eq "work"` → `{"type": "work"}`).
pub(super) fn upsert_template(attr: &AttrTarget<'_>) -> Result<Object, ScimError> {
    let Some(filter) = attr.filter else {
        return Ok(Object::new());
    };
    let mut element = Object::new();
    if equalities(filter, attr.attribute, &mut element) && matches(filter, &Json::Object(element.clone())) {
        return Ok(element);
    }
    Err(no_target(format!(
        "no element of `{}` matches `{filter}`, and none can be created from that filter; \
         only `eq` comparisons joined by `and` can create one",
        attr.name
    )))
}

/// The filter's `eq` comparisons as fields; the filter names only sub-attributes of
/// `attribute` (checked when the path was resolved), written here in canonical case.
fn equalities(filter: &Filter, attribute: &Attribute, out: &mut Object) -> bool {
    match filter {
        Filter::And(a, b) => equalities(a, attribute, out) && equalities(b, attribute, out),
        Filter::Compare(path, CompareOp::Eq, value) if path.schema.is_none() && path.sub_attr.is_none() => {
            let value = match value {
                FilterValue::String(s) => Json::String(s.clone()),
                FilterValue::Number(n) => Json::Number(n.clone()),
                FilterValue::Bool(b) => Json::Bool(*b),
                FilterValue::Null => return false,
            };
            let Some(sub) = attribute.sub(&path.name) else { return false };
            // A conflicting duplicate is caught by the caller's `matches` check.
            if get_ci(out, sub.name).is_none() {
                out.insert(sub.name.to_owned(), sub_value(sub.name, &value));
            }
            true
        }
        _ => false,
    }
}

/// Keeps at most one `primary: true`: if a touched element is primary, the
/// others that were primary become `false` (untouched elements keep their
/// other fields, and no `primary` key is added where there was none).
pub(super) fn settle_primary(items: &mut [Json], touched: &[usize]) {
    if !touched.iter().any(|&i| items.get(i).is_some_and(is_primary)) {
        return;
    }
    for (index, item) in items.iter_mut().enumerate() {
        if !touched.contains(&index) && is_primary(item) {
            if let Json::Object(element) = item {
                set_ci(element, "primary", Json::Bool(false));
            }
        }
    }
}

pub(super) fn is_primary(item: &Json) -> bool {
    match item.as_object().and_then(|e| get_ci(e, "primary")) {
        Some(Json::Bool(primary)) => *primary,
        Some(Json::String(text)) => parse_bool(text) == Some(true),
        _ => false,
    }
}

pub(super) fn member_ids(value: &Json) -> Result<Vec<String>, ScimError> {
    elements_of(value).map(member_id).collect()
}

pub(super) fn member_id(member: &Json) -> Result<String, ScimError> {
    // A bare id string is read as `{"value": id}` (Microsoft's reference collection sends it).
    let value = match member {
        Json::String(_) => Some(member),
        _ => member.as_object().and_then(|m| get_ci(m, "value")),
    };
    match value {
        Some(Json::String(id)) if !id.trim().is_empty() => Ok(id.clone()),
        _ => Err(invalid_value(format!(
            "each member must be an object with a non-empty string `value` (the member's id), got {}",
            shorten(&member.to_string())
        ))),
    }
}

/// `value eq "a" or value eq "b"` → `[a, b]`; anything else is unsupported.
pub(super) fn ids_in_filter(filter: &Filter) -> Result<Vec<String>, ScimError> {
    fn collect(filter: &Filter, ids: &mut Vec<String>) -> bool {
        match filter {
            Filter::Or(a, b) => collect(a, ids) && collect(b, ids),
            Filter::Compare(path, CompareOp::Eq, value)
                if path.schema.is_none() && path.sub_attr.is_none() && path.name.eq_ignore_ascii_case("value") =>
            {
                match value {
                    FilterValue::String(id) => ids.push(id.clone()),
                    FilterValue::Number(id) => ids.push(id.to_string()),
                    FilterValue::Bool(_) | FilterValue::Null => return false,
                }
                true
            }
            _ => false,
        }
    }
    let mut ids = Vec::new();
    if collect(filter, &mut ids) {
        Ok(ids)
    } else {
        Err(ScimError::bad_request(
            ScimType::InvalidFilter,
            format!(
                "`members[{filter}]` is not supported: select members with `value eq \"<id>\"`, \
                 optionally joined by `or`"
            ),
        ))
    }
}

pub(super) fn non_empty(ids: Vec<String>) -> Option<Vec<String>> {
    (!ids.is_empty()).then_some(ids)
}

fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}
