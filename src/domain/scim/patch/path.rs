//! Path resolution: what a parsed path addresses, according to the schema. An attribute or
//! sub-attribute the resource does not have is `400 invalidPath`, naming it.

use super::errors::invalid_path;
use super::errors::shorten;
use super::{PatchPath, ResourceKind};
use crate::domain::scim::filter::{AttrPath, Filter};
use crate::domain::scim::schema::{self, Attribute, SchemaId};
use crate::domain::scim::ScimError;

/// What a path addresses once schemas and special attributes are sorted out.
pub(super) enum Target<'p> {
    /// A read-only attribute: the operation is ignored.
    Ignore,
    /// A whole schema, e.g. `urn:...:enterprise:2.0:User` as a path or key.
    Schema(SchemaId),
    /// Group `members`, reported as a [`super::MemberChange`].
    Members {
        filter: Option<&'p Filter>,
        sub: Option<&'p str>,
    },
    Attr(AttrTarget<'p>),
}

pub(super) struct AttrTarget<'p> {
    pub schema: SchemaId,
    pub attribute: &'static Attribute,
    /// The canonical name; a custom attribute's name as the IdP wrote it.
    pub name: String,
    pub filter: Option<&'p Filter>,
    /// `givenName` in `name.givenName`, `value` in `emails[...].value`: the canonical name.
    pub sub: Option<&'static str>,
}

impl AttrTarget<'_> {
    pub fn is(&self, schema: SchemaId, name: &str) -> bool {
        self.schema == schema && self.attribute.is(name)
    }
}

pub(super) fn resolve(kind: ResourceKind, path: &PatchPath) -> Result<Target<'_>, ScimError> {
    let filter = path.filter.as_ref();
    let mut name = path.attr.name.as_str();
    let mut sub = path.attr.sub_attr.as_deref().or(path.sub_attr.as_deref());
    let schema = match path.attr.schema.as_deref() {
        None => None,
        Some(urn) => match SchemaId::named(kind, &format!("{urn}:{name}")) {
            // `urn:...:2.0:User` parses as schema `urn:...:2.0`, name `User`.
            Some(whole) if sub.is_none() && filter.is_none() => return Ok(Target::Schema(whole)),
            // Entra before 2019: `urn:...:2.0:User.department`.
            Some(whole) if filter.is_none() && path.sub_attr.is_none() => {
                name = sub.unwrap_or(name);
                sub = None;
                Some(whole)
            }
            Some(_) => return Err(invalid_path(format!("`{}` cannot take a filter or sub-attribute", path.attr))),
            None => {
                Some(SchemaId::named(kind, urn).ok_or_else(|| invalid_path(format!("unknown schema `{}` for a {kind:?}", shorten(urn))))?)
            }
        },
    };
    let target = attr_target(kind, schema, name, sub, filter)?;
    if target.attribute.is_read_only() {
        return Ok(Target::Ignore);
    }
    if kind == ResourceKind::Group && target.is(SchemaId::Core, "members") {
        return Ok(Target::Members { filter, sub });
    }
    Ok(Target::Attr(target))
}

/// Resolves `name[.sub]` in `schema` (the core schema, or an extension Entra may leave out for
/// `manager`), refusing what the resource does not have.
pub(super) fn attr_target<'p>(
    kind: ResourceKind,
    schema: Option<SchemaId>,
    name: &str,
    sub: Option<&str>,
    filter: Option<&'p Filter>,
) -> Result<AttrTarget<'p>, ScimError> {
    let urn = schema.map(|schema| schema.urn(kind));
    let Some(resolved) = schema::resolve(kind, urn, name, None) else {
        let place = urn.map_or_else(|| format!("a {kind:?}"), |urn| format!("`{urn}`"));
        return Err(invalid_path(format!("`{}` is not an attribute of {place}", shorten(name))));
    };
    let sub = match sub {
        None => None,
        Some(sub) => Some(sub_attribute(resolved.attribute, &resolved.name, sub)?.name),
    };
    if let Some(filter) = filter {
        check_filter(resolved.attribute, &resolved.name, filter)?;
    }
    Ok(AttrTarget { schema: resolved.schema, attribute: resolved.attribute, name: resolved.name, filter, sub })
}

/// The sub-attribute `sub` of `attribute`, or `invalidPath` naming both.
pub(super) fn sub_attribute(attribute: &'static Attribute, name: &str, sub: &str) -> Result<&'static Attribute, ScimError> {
    attribute.sub(sub.trim()).ok_or_else(|| match attribute.sub_attributes.is_empty() {
        true => invalid_path(format!("`{name}` has no sub-attributes")),
        false => invalid_path(format!("`{}` is not a sub-attribute of `{name}`", shorten(sub))),
    })
}

/// A value filter may only name sub-attributes of the attribute it selects from.
fn check_filter(attribute: &'static Attribute, name: &str, filter: &Filter) -> Result<(), ScimError> {
    fn first_unknown<'f>(attribute: &Attribute, filter: &'f Filter) -> Option<&'f AttrPath> {
        match filter {
            Filter::And(a, b) | Filter::Or(a, b) => first_unknown(attribute, a).or_else(|| first_unknown(attribute, b)),
            Filter::Not(inner) => first_unknown(attribute, inner),
            Filter::Present(path) | Filter::Compare(path, ..) | Filter::ValuePath(path, _) => {
                let known = path.schema.is_none() && path.sub_attr.is_none() && attribute.sub(&path.name).is_some();
                (!known).then_some(path)
            }
        }
    }
    match first_unknown(attribute, filter).map(ToString::to_string) {
        Some(path) if attribute.sub_attributes.is_empty() => {
            Err(invalid_path(format!("`{name}` is not multi-valued, so it cannot take a `[filter]` (on `{}`)", shorten(&path))))
        }
        Some(path) => Err(invalid_path(format!("`{}` in the filter is not a sub-attribute of `{name}`", shorten(&path)))),
        None => Ok(()),
    }
}
