//! Where an attribute named in a filter is kept: an indexed column for the lookups the IdPs make,
//! membership rows, or the stored SCIM document for everything else.

use super::Unsupported;
use crate::domain::scim::filter::AttrPath;
use crate::domain::scim::schema::{self, AttrType, ResourceKind, SchemaId, Storage};

/// Where an attribute's values live.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A text column; `folded`: it holds the case-folded value (compare folded values).
    Column {
        expr: String,
        folded: bool,
    },
    /// A boolean column.
    Flag(String),
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

/// Where the schema keeps the attribute a filter path names. A column serves only when it
/// compares as the attribute does (case-exact, or holding folded values); everything else is
/// read from the stored document. A path the schema does not know is looked up in the
/// document too, where nothing holds it: it matches nothing rather than failing the lookup.
pub fn target(kind: ResourceKind, path: &AttrPath) -> Result<Target, Unsupported> {
    let named = path.schema.as_deref().filter(|urn| !urn.eq_ignore_ascii_case(kind.core_schema()));
    let container = match named {
        Some(urn) => Some(
            SchemaId::named(kind, urn)
                .and_then(SchemaId::container_key)
                .ok_or_else(|| Unsupported(format!("unknown schema in attribute path `{path}`")))?,
        ),
        None => None,
    };
    let resolved = schema::resolve(kind, named, &path.name, path.sub_attr.as_deref())
        // Entra's unqualified `manager` is the enterprise one on writes; a filter reads what the
        // document holds at the top level, as the in-memory evaluator does.
        .filter(|resolved| named.is_some() || resolved.schema == SchemaId::Core);
    let Some(resolved) = resolved else {
        return Ok(Target::Document(DocPath::of(container, path)));
    };
    let leaf = resolved.leaf();
    let value_or_whole = resolved.sub.is_none_or(|sub| sub.name == "value");
    Ok(match resolved.storage() {
        Storage::Nowhere => return Err(Unsupported(format!("filtering on `{path}` is not supported"))),
        Storage::Column { column, .. } if leaf.kind == AttrType::Boolean => Target::Flag(format!("r.{column}")),
        // Timestamps are stored in one case; folding both sides makes `2024-01-01t00:00:00z` match.
        Storage::Column { column, .. } if leaf.kind == AttrType::DateTime => {
            Target::Column { expr: format!("lower(r.{column})"), folded: true }
        }
        Storage::Column { column, folded } if folded || leaf.case_exact => Target::Column { expr: format!("r.{column}"), folded },
        Storage::Rows { table: "user_emails", .. } if resolved.sub.is_some_and(|sub| sub.name == "value") => Target::EmailValues,
        Storage::Rows { table: "group_members", .. } if value_or_whole => match kind {
            ResourceKind::Group => Target::Members,
            ResourceKind::User => Target::UserGroups,
        },
        Storage::Column { .. } | Storage::Rows { .. } | Storage::Document => Target::Document(DocPath::of(container, path)),
    })
}
