//! Reading a PatchOp request body (RFC 7644 §3.5.2) into [`Operation`]s, and PATCH paths
//! (`attr`, `attr.sub`, `urn:…:attr`, `attr[filter]`, `attr[filter].sub`) into [`PatchPath`]s.

use super::errors::shorten;
use super::errors::{at_operation, invalid_path, invalid_value, syntax};
use super::map::get_ci;
use super::{Object, OpKind, Operation, PatchPath, MAX_OPERATIONS, PATCH_OP_SCHEMA};
use crate::domain::scim::filter::{self, AttrPath, Filter};
use crate::domain::scim::ScimError;
use serde_json::Value as Json;

/// Parses a PatchOp request body (RFC 7644 §3.5.2).
pub fn parse_request(body: &Json) -> Result<Vec<Operation>, ScimError> {
    let body = body.as_object().ok_or_else(|| syntax("the PATCH body must be a JSON object"))?;
    check_schemas(body)?;
    let operations = match get_ci(body, "Operations") {
        Some(Json::Array(operations)) => operations,
        Some(_) => return Err(syntax("`Operations` must be an array of operations")),
        None => return Err(syntax("the PATCH body has no `Operations` array")),
    };
    if operations.is_empty() {
        return Err(syntax("`Operations` is empty; send at least one operation"));
    }
    if operations.len() > MAX_OPERATIONS {
        return Err(invalid_value(format!(
            "`Operations` has {} operations; at most {MAX_OPERATIONS} are accepted per request, \
             so split the change into several requests",
            operations.len()
        )));
    }
    operations.iter().enumerate().map(|(index, op)| parse_operation(op).map_err(|err| at_operation(err, index))).collect()
}

/// A missing `schemas` is accepted (lenient); a present one must name PatchOp.
fn check_schemas(body: &Object) -> Result<(), ScimError> {
    let is_patch_op = |v: &Json| v.as_str().is_some_and(|s| s.trim().eq_ignore_ascii_case(PATCH_OP_SCHEMA));
    let listed = match get_ci(body, "schemas") {
        None | Some(Json::Null) => true,
        Some(Json::Array(schemas)) => schemas.iter().any(is_patch_op),
        Some(other) => is_patch_op(other),
    };
    if listed {
        Ok(())
    } else {
        Err(syntax(format!("`schemas` must contain \"{PATCH_OP_SCHEMA}\"")))
    }
}

fn parse_operation(op: &Json) -> Result<Operation, ScimError> {
    let fields = op.as_object().ok_or_else(|| syntax("each operation must be a JSON object"))?;
    let kind = match get_ci(fields, "op") {
        Some(Json::String(text)) => {
            OpKind::parse(text).ok_or_else(|| syntax(format!("unknown `op` \"{}\"; use add, replace or remove", shorten(text))))?
        }
        Some(_) => return Err(syntax("`op` must be a string: add, replace or remove")),
        None => return Err(syntax("the operation has no `op`")),
    };
    let path = match get_ci(fields, "path") {
        None | Some(Json::Null) => None,
        Some(Json::String(text)) => Some(parse_path(text)?),
        Some(_) => return Err(invalid_path("`path` must be a string")),
    };
    let value = get_ci(fields, "value").cloned();
    if kind != OpKind::Remove && value.is_none() {
        return Err(syntax(format!("`{}` needs a `value`", kind.as_str())));
    }
    Ok(Operation { op: kind, path, value })
}

/// Parses `attr`, `attr.sub`, `urn:...:attr.sub`, `attr[filter]` and
/// `attr[filter].sub`. URN paths are split at the last colon by
/// [`AttrPath::parse`], so the dots of `2.0` are never sub-attributes.
pub fn parse_path(path: &str) -> Result<PatchPath, ScimError> {
    let invalid = |reason: &dyn std::fmt::Display| invalid_path(format!("invalid path `{}`: {reason}", shorten(path)));
    let text = path.trim();
    let Some(open) = text.find('[') else {
        let attr = AttrPath::parse(text).map_err(|e| invalid(&e))?;
        return Ok(PatchPath { attr, filter: None, sub_attr: None });
    };
    // `[` and `]` are ASCII, so these byte offsets are char boundaries.
    let attr = AttrPath::parse(&text[..open]).map_err(|e| invalid(&e))?;
    if attr.sub_attr.is_some() {
        return Err(invalid(&"a value filter must follow a multi-valued attribute, not a sub-attribute"));
    }
    let close = closing_bracket(text, open).ok_or_else(|| invalid(&"`[` is never closed"))?;
    let filter = filter::parse(&text[open + 1..close]).map_err(|e| invalid(&e))?;
    if has_value_path(&filter) {
        return Err(invalid(&"value filters cannot be nested"));
    }
    let rest = &text[close + 1..];
    let sub_attr =
        if rest.is_empty() { None } else { Some(sub_after_bracket(rest).ok_or_else(|| invalid(&"expected `.subAttribute` after `]`"))?) };
    Ok(PatchPath { attr, filter: Some(filter), sub_attr })
}

/// Index of the `]` closing the `[` at `open`, skipping quoted strings so
/// `value eq "a]b"` works.
fn closing_bracket(text: &str, open: usize) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    for (i, byte) in text.bytes().enumerate().skip(open + 1) {
        match byte {
            _ if escaped => escaped = false,
            b'\\' if in_string => escaped = true,
            b'"' => in_string = !in_string,
            b']' if !in_string => return Some(i),
            _ => {}
        }
    }
    None
}

/// `.value` → `value`, validated as a plain attribute name.
fn sub_after_bracket(rest: &str) -> Option<String> {
    let name = rest.strip_prefix('.')?;
    if name.contains([' ', '\t']) {
        return None;
    }
    match AttrPath::parse(name) {
        Ok(AttrPath { schema: None, name, sub_attr: None }) => Some(name),
        _ => None,
    }
}

fn has_value_path(filter: &Filter) -> bool {
    match filter {
        Filter::ValuePath(..) => true,
        Filter::And(a, b) | Filter::Or(a, b) => has_value_path(a) || has_value_path(b),
        Filter::Not(inner) => has_value_path(inner),
        Filter::Present(_) | Filter::Compare(..) => false,
    }
}
