//! Where an attribute named in a filter is kept: an indexed column for the lookups the IdPs make,
//! membership rows, or the stored SCIM document for everything else.

use super::Unsupported;
use crate::domain::scim::filter::AttrPath;
use crate::domain::scim::{CUSTOM_USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA};

/// Which table the filter runs against; the query aliases it `r`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    User,
    Group,
}

/// Where an attribute's values live.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A text column; `folded`: it holds the case-folded value (compare folded values).
    Column {
        expr: &'static str,
        folded: bool,
    },
    /// A boolean column.
    Flag(&'static str),
    /// The case-folded addresses of a user's emails (`user_emails`, indexed).
    EmailValues,
    /// Group members / a user's groups, held as membership rows.
    Members,
    UserGroups,
    /// Values inside the stored document: each key matched without regard to case, arrays
    /// flattened after each key (RFC 7644 §3.4.2.2: a multi-valued attribute matches when any
    /// value does).
    Document(DocPath),
}

/// A path into the stored document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocPath {
    /// The extension object the path starts in (its URN), if any.
    pub extension: Option<&'static str>,
    /// Attribute then sub-attribute names, lower-case.
    pub keys: Vec<String>,
}

impl DocPath {
    pub fn of(extension: Option<&'static str>, path: &AttrPath) -> DocPath {
        let keys = std::iter::once(&path.name).chain(&path.sub_attr).map(|k| k.to_ascii_lowercase()).collect();
        DocPath { extension, keys }
    }
}

pub fn target(resource: Resource, path: &AttrPath) -> Result<Target, Unsupported> {
    let core = match resource {
        Resource::User => USER_SCHEMA,
        Resource::Group => GROUP_SCHEMA,
    };
    if let Some(schema) = path.schema.as_deref().filter(|s| !s.eq_ignore_ascii_case(core)) {
        let extension = [ENTERPRISE_USER_SCHEMA, CUSTOM_USER_SCHEMA]
            .into_iter()
            .find(|urn| resource == Resource::User && schema.eq_ignore_ascii_case(urn))
            .ok_or_else(|| Unsupported(format!("unknown schema in attribute path `{path}`")))?;
        return Ok(Target::Document(DocPath::of(Some(extension), path)));
    }
    let name = path.name.to_ascii_lowercase();
    let sub = path.sub_attr.as_deref().map(str::to_ascii_lowercase);
    Ok(match (resource, name.as_str(), sub.as_deref()) {
        (_, "id", None) => Target::Column { expr: "r.id", folded: false },
        (_, "externalid", None) => Target::Column { expr: "r.external_id", folded: false },
        (_, "meta", Some("created")) => Target::Column { expr: "lower(r.created_at)", folded: true },
        (_, "meta", Some("lastmodified")) => Target::Column { expr: "lower(r.updated_at)", folded: true },
        (_, "meta", _) => return Err(Unsupported(format!("filtering on `{path}` is not supported"))),
        (Resource::User, "username", None) => Target::Column { expr: "r.user_name_key", folded: true },
        (_, "displayname", None) => Target::Column { expr: "r.display_name_key", folded: true },
        (Resource::User, "active", None) => Target::Flag("r.active"),
        (Resource::User, "emails", Some("value")) => Target::EmailValues,
        (Resource::User, "groups", None | Some("value")) => Target::UserGroups,
        (Resource::Group, "members", None | Some("value")) => Target::Members,
        _ => Target::Document(DocPath::of(None, path)),
    })
}
