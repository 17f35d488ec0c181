//! Case-insensitive access to JSON objects (RFC 7643 §2.1: attribute names are
//! case-insensitive), keeping the spelling already stored when a value is overwritten.

use super::Object;
use serde_json::Value as Json;
fn find_key(map: &Object, name: &str) -> Option<String> {
    if map.contains_key(name) {
        return Some(name.to_owned());
    }
    map.keys().find(|k| k.eq_ignore_ascii_case(name)).cloned()
}

pub(super) fn get_ci<'m>(map: &'m Object, name: &str) -> Option<&'m Json> {
    map.get(name).or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v))
}

/// Removes every spelling of `name`, keeping the order of the other keys.
pub(super) fn remove_ci(map: &mut Object, name: &str) {
    map.retain(|k, _| !k.eq_ignore_ascii_case(name));
}

/// Overwrites an existing key in place (whatever its case) or adds the
/// canonical `name`; other spellings of the same name are dropped.
pub(super) fn set_ci(map: &mut Object, name: &str, value: Json) {
    match find_key(map, name) {
        Some(key) => {
            map.retain(|k, _| k == &key || !k.eq_ignore_ascii_case(name));
            map.insert(key, value);
        }
        None => {
            map.insert(name.to_owned(), value);
        }
    }
}

/// Takes an object attribute out for editing; its slot stays (as null) so
/// [`put_object`] writes it back in place. A non-object becomes `{}`.
pub(super) fn take_object(map: &mut Object, name: &str) -> Object {
    match find_key(map, name).and_then(|key| map.get_mut(&key)) {
        Some(slot) => match std::mem::take(slot) {
            Json::Object(fields) => fields,
            _ => Object::new(),
        },
        None => Object::new(),
    }
}

/// An empty object is unassigned (RFC 7643 §2.5), so it is removed.
pub(super) fn put_object(map: &mut Object, name: &str, value: Object) {
    if value.is_empty() {
        remove_ci(map, name);
    } else {
        set_ci(map, name, Json::Object(value));
    }
}

/// Takes a multi-valued attribute out for editing; a lone non-array value
/// (an IdP that sent one object) becomes a one-element list.
pub(super) fn take_items(map: &mut Object, name: &str) -> Vec<Json> {
    match find_key(map, name).and_then(|key| map.get_mut(&key)) {
        Some(slot) => match std::mem::take(slot) {
            Json::Array(items) => items,
            Json::Null => Vec::new(),
            single => vec![single],
        },
        None => Vec::new(),
    }
}

/// An empty array is unassigned (RFC 7643 §2.5), so it is removed.
pub(super) fn put_items(map: &mut Object, name: &str, items: Vec<Json>) {
    if items.is_empty() {
        remove_ci(map, name);
    } else {
        set_ci(map, name, Json::Array(items));
    }
}
