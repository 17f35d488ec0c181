//! The one SCIM schema this server implements: every attribute of Users and Groups, with its
//! RFC 7643 characteristics and this server's limits, sensitivity and storage. Discovery serves
//! it, PATCH resolves paths against it, the validator checks values against it, the request
//! log redacts what it marks sensitive, and the filter compiler maps paths through it.
//!
//! The entry point is [`resolve`] (or [`lookup`] for a path as text): an attribute path for a
//! [`ResourceKind`], with or without its schema URN, in any case, gives the attribute's
//! definition, its canonical name and where it is stored.
//!
//! ```
//! use provisio::domain::scim::schema::{lookup, ResourceKind, Storage};
//! let given = lookup(ResourceKind::User, "urn:ietf:params:scim:schemas:core:2.0:User:NAME.givenname").unwrap();
//! assert_eq!(given.document_keys(), ["name", "givenName"]);
//! assert_eq!(given.storage(), Storage::Column { column: "given_name", folded: false });
//! assert!(lookup(ResourceKind::User, "members").is_none());
//! ```

pub mod attribute;
mod common;
pub mod custom;
mod enterprise;
mod group;
pub mod limits;
mod user;

pub use attribute::{AttrType, Attribute, Characters, Mutability, Returned, Storage, Uniqueness};

use super::{CUSTOM_USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA};
use std::sync::LazyLock;

/// The two kinds of resource this server serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    User,
    Group,
}

impl ResourceKind {
    pub fn core_schema(self) -> &'static str {
        match self {
            ResourceKind::User => USER_SCHEMA,
            ResourceKind::Group => GROUP_SCHEMA,
        }
    }

    /// The schemas a resource of this kind may use: its core schema, then its extensions.
    pub fn schemas(self) -> &'static [SchemaId] {
        match self {
            ResourceKind::User => &[SchemaId::Core, SchemaId::Enterprise, SchemaId::Custom],
            ResourceKind::Group => &[SchemaId::Core],
        }
    }
}

/// A schema of a resource: its core schema or one of the User extensions. Extension attributes
/// live in the document under their URN as key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemaId {
    Core,
    Enterprise,
    Custom,
}

impl SchemaId {
    pub fn urn(self, kind: ResourceKind) -> &'static str {
        match self {
            SchemaId::Core => kind.core_schema(),
            SchemaId::Enterprise => ENTERPRISE_USER_SCHEMA,
            SchemaId::Custom => CUSTOM_USER_SCHEMA,
        }
    }

    /// The document key holding this schema's attributes; `None` for the core schema (its
    /// attributes are top-level).
    pub fn container_key(self) -> Option<&'static str> {
        match self {
            SchemaId::Core => None,
            SchemaId::Enterprise => Some(ENTERPRISE_USER_SCHEMA),
            SchemaId::Custom => Some(CUSTOM_USER_SCHEMA),
        }
    }

    /// The schema a URN names for `kind`, in any case.
    pub fn named(kind: ResourceKind, urn: &str) -> Option<SchemaId> {
        let urn = urn.trim();
        kind.schemas().iter().copied().find(|schema| schema.urn(kind).eq_ignore_ascii_case(urn))
    }
}

/// The attributes a schema defines for `kind`: common ones (id, externalId, meta, schemas)
/// first in the core schema. The custom extension's are open-ended: see [`custom`].
pub fn attributes(kind: ResourceKind, schema: SchemaId) -> &'static [Attribute] {
    static USER: LazyLock<Vec<Attribute>> = LazyLock::new(|| [common::attributes(), user::attributes()].concat());
    static GROUP: LazyLock<Vec<Attribute>> = LazyLock::new(|| [common::attributes(), group::attributes()].concat());
    static ENTERPRISE: LazyLock<Vec<Attribute>> = LazyLock::new(enterprise::attributes);
    match (kind, schema) {
        (ResourceKind::User, SchemaId::Core) => &USER,
        (ResourceKind::Group, SchemaId::Core) => &GROUP,
        (ResourceKind::User, SchemaId::Enterprise) => &ENTERPRISE,
        (ResourceKind::User, SchemaId::Custom) | (ResourceKind::Group, _) => &[],
    }
}

/// An attribute path resolved against the schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub schema: SchemaId,
    pub attribute: &'static Attribute,
    /// The attribute's canonical name; a custom attribute's name as the IdP wrote it.
    pub name: String,
    /// The sub-attribute, for `name.givenName` or `emails.value`.
    pub sub: Option<&'static Attribute>,
}

impl Resolved {
    /// The attribute the path ends at: the sub-attribute if there is one.
    pub fn leaf(&self) -> &'static Attribute {
        self.sub.unwrap_or(self.attribute)
    }

    /// Where the value the path ends at is kept. A sub-attribute of a complex attribute kept
    /// elsewhere (`meta.created`) says so itself; otherwise it is kept with its parent.
    pub fn storage(&self) -> Storage {
        match (self.sub, self.attribute.storage) {
            (Some(sub), _) if sub.storage != Storage::Document => sub.storage,
            (_, storage) => storage,
        }
    }

    /// The keys leading to the value in the stored document, canonical case:
    /// `["urn:…:enterprise:2.0:User", "manager", "value"]`.
    pub fn document_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.schema.container_key().map(str::to_owned).into_iter().collect();
        keys.push(self.name.clone());
        keys.extend(self.sub.map(|sub| sub.name.to_owned()));
        keys
    }

    /// `name.givenName`, for error details.
    pub fn display(&self) -> String {
        match self.sub {
            Some(sub) => format!("{}.{}", self.name, sub.name),
            None => self.name.clone(),
        }
    }
}

/// Resolves `[schema:]name[.sub]` for `kind`. `schema` is a URN (any case) or `None` for the
/// core schema; Entra's older form names the enterprise `manager` without its URN, so an
/// unqualified name not in the core schema is looked up in the enterprise extension too.
/// `None` when the resource has no such attribute or sub-attribute.
pub fn resolve(kind: ResourceKind, schema: Option<&str>, name: &str, sub: Option<&str>) -> Option<Resolved> {
    let (schema, attribute) = match schema {
        Some(urn) => {
            let schema = SchemaId::named(kind, urn)?;
            (schema, find(kind, schema, name)?)
        }
        None => match find(kind, SchemaId::Core, name) {
            Some(attribute) => (SchemaId::Core, attribute),
            None if kind == ResourceKind::User && name.trim().eq_ignore_ascii_case("manager") => {
                (SchemaId::Enterprise, find(kind, SchemaId::Enterprise, name)?)
            }
            None => return None,
        },
    };
    let sub = match sub {
        Some(sub) => Some(attribute.sub(sub.trim())?),
        None => None,
    };
    let name = if schema == SchemaId::Custom { name.trim().to_owned() } else { attribute.name.to_owned() };
    Some(Resolved { schema, attribute, name, sub })
}

/// [`resolve`] for a path as text: `userName`, `name.givenName`, `urn:…:User:department`,
/// `urn:…:enterprise:2.0:User:manager.value`. The URN is everything before the last `:`.
pub fn lookup(kind: ResourceKind, path: &str) -> Option<Resolved> {
    let path = path.trim();
    let (schema, rest) = match path.rfind(':') {
        Some(colon) => (Some(&path[..colon]), &path[colon + 1..]),
        None => (None, path),
    };
    let (name, sub) = match rest.split_once('.') {
        Some((name, sub)) => (name, Some(sub)),
        None => (rest, None),
    };
    resolve(kind, schema, name, sub)
}

/// Whether a top-level key of a sent document belongs to `kind`: a core attribute, in any case,
/// or the URN of one of its extensions. Anything else is ignored on write, never stored.
pub fn is_document_key(kind: ResourceKind, key: &str) -> bool {
    SchemaId::named(kind, key).is_some() || find(kind, SchemaId::Core, key).is_some()
}

/// The attribute `name` of one schema, in any case.
pub fn find(kind: ResourceKind, schema: SchemaId, name: &str) -> Option<&'static Attribute> {
    let name = name.trim();
    if kind == ResourceKind::User && schema == SchemaId::Custom {
        return custom::is_valid_name(name).then(custom::attribute);
    }
    attributes(kind, schema).iter().find(|attribute| attribute.is(name))
}

/// The case-folding rule for caseExact=false values (RFC 7643 §2.2): full Unicode lowercase,
/// so `ÅSA@x` and `åsa@X` are one userName. Attribute names are compared ASCII-case-
/// insensitively ([`Attribute::is`]): RFC 7643 §2.1 allows only ASCII in them.
pub fn fold(value: &str) -> String {
    value.to_lowercase()
}

/// Names of the attributes never logged nor returned, in every schema.
pub fn sensitive_names() -> impl Iterator<Item = &'static str> {
    [ResourceKind::User, ResourceKind::Group]
        .into_iter()
        .flat_map(|kind| kind.schemas().iter().map(move |schema| attributes(kind, *schema)))
        .flatten()
        .filter(|attribute| attribute.sensitive || attribute.returned == Returned::Never)
        .map(|attribute| attribute.name)
}

#[cfg(test)]
mod tests;
