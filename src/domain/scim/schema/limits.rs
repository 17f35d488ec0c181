//! Value limits: the largest values accepted, and the characters refused. Each is far above
//! what a real directory sends (IDP-BEHAVIOR.md) and far below what hurts the server.
//! Every limit is refused with 400 `invalidValue` naming the attribute and the limit.

use super::attribute::{AttrType, Attribute, Characters};
use super::{lookup, resolve, ResourceKind, SchemaId};
use crate::domain::scim::{ScimError, ScimType};
use serde_json::{Map, Value};

/// userName: Entra's UPN is at most 113 characters, Okta's login 100; on-premises directories
/// allow longer names, so room is left for them.
pub const USER_NAME_MAX: usize = 512;
/// displayName (Entra allows 256), externalId, ids that reference others.
pub const IDENTIFIER_MAX: usize = 256;
/// givenName, familyName and other short text (Entra: 64).
pub const NAME_PART_MAX: usize = 256;
/// An email address (RFC 5321: a 64-character local part, `@`, a 255-character domain).
pub const EMAIL_MAX: usize = 320;
/// Longer text: title, address lines, enterprise attributes.
pub const TEXT_MAX: usize = 1024;
/// A custom attribute's value (Entra's directory extensions hold 256; Okta's strings more).
pub const CUSTOM_VALUE_MAX: usize = 2048;
/// The largest stored document, serialized: about a hundred times a full Entra user.
pub const MAX_DOCUMENT_BYTES: usize = 128 * 1024;

/// Checks every value of a document (as sent, or as a PATCH left it) that the schema knows,
/// extension attributes included, against its definition.
pub fn check_document(kind: ResourceKind, document: &Map<String, Value>) -> Result<(), ScimError> {
    for (key, value) in document {
        if let Some(schema) = SchemaId::named(kind, key) {
            let Value::Object(fields) = value else { continue };
            for (name, value) in fields {
                if let Some(resolved) = resolve(kind, Some(schema.urn(kind)), name, None) {
                    check_value(resolved.attribute, &format!("{}:{}", schema.urn(kind), resolved.name), value)?;
                }
            }
        } else if let Some(resolved) = lookup(kind, key) {
            let path = match resolved.schema.container_key() {
                Some(urn) => format!("{urn}:{}", resolved.display()),
                None => resolved.display(),
            };
            check_value(resolved.leaf(), &path, value)?;
        }
    }
    Ok(())
}

/// Checks one value against its definition; `path` names it in the error (`name.givenName`).
pub fn check_value(attribute: &Attribute, path: &str, value: &Value) -> Result<(), ScimError> {
    match value {
        Value::String(text) => check_text(attribute, path, text),
        Value::Array(items) => items.iter().try_for_each(|item| check_value(attribute, path, item)),
        Value::Object(fields) if attribute.kind == AttrType::Complex => check_fields(&attribute.sub_attributes, path, fields),
        _ => Ok(()),
    }
}

/// Checks the sub-attributes of a complex value; unknown ones are left to the caller.
fn check_fields(subs: &[Attribute], path: &str, fields: &Map<String, Value>) -> Result<(), ScimError> {
    for (key, value) in fields {
        if let Some(sub) = subs.iter().find(|sub| sub.is(key)) {
            check_value(sub, &format!("{path}.{}", sub.name), value)?;
        }
    }
    Ok(())
}

fn check_text(attribute: &Attribute, path: &str, text: &str) -> Result<(), ScimError> {
    if let Some(max) = attribute.max_length {
        let length = text.chars().count();
        if length > max {
            return Err(invalid(format!("{path} is {length} characters long; at most {max} are accepted.")));
        }
    }
    if let Some(refused) = text.chars().find(|c| is_refused(attribute.characters, *c)) {
        let what = match attribute.characters {
            Characters::Identifier => "control or bidirectional-override characters",
            Characters::Text => "control characters",
        };
        return Err(invalid(format!("{path} contains U+{:04X}; {what} are not accepted in {path}.", refused as u32)));
    }
    Ok(())
}

/// Whether `c` is refused in a value of this kind.
pub fn is_refused(characters: Characters, c: char) -> bool {
    let control = c.is_control();
    match characters {
        Characters::Text => control && !matches!(c, '\t' | '\n' | '\r'),
        Characters::Identifier => control || is_invisible_formatting(c),
    }
}

/// Bidirectional embeddings, overrides and isolates, marks, separators and the BOM: invisible,
/// and able to make one identifier display as another.
fn is_invisible_formatting(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2028}' | '\u{2029}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// A document as sent (or as a PATCH left it) must stay under [`MAX_DOCUMENT_BYTES`], attributes
/// the server ignores included: a client learns its body is too large rather than losing part of it.
pub fn check_document_size(document: &Map<String, Value>) -> Result<(), ScimError> {
    let size = serde_json::to_vec(document).map_or(usize::MAX, |bytes| bytes.len());
    if size > MAX_DOCUMENT_BYTES {
        return Err(invalid(format!("The resource is {size} bytes as JSON; at most {MAX_DOCUMENT_BYTES} are accepted.")));
    }
    Ok(())
}

fn invalid(detail: String) -> ScimError {
    ScimError::bad_request(ScimType::InvalidValue, detail)
}
