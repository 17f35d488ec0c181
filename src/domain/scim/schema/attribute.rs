//! One attribute definition: RFC 7643 §2.2 / §7 characteristics, plus what this server adds
//! (a maximum length, the characters allowed, whether the value is sensitive, where it is kept).

use serde_json::{json, Value};

/// RFC 7643 §2.3 data types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrType {
    String,
    Boolean,
    Decimal,
    Integer,
    DateTime,
    Binary,
    Reference,
    Complex,
}

/// RFC 7643 §7 `mutability`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutability {
    ReadOnly,
    ReadWrite,
    Immutable,
    WriteOnly,
}

/// RFC 7643 §7 `returned`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returned {
    Always,
    Never,
    Default,
    Request,
}

/// RFC 7643 §7 `uniqueness`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uniqueness {
    None,
    Server,
    Global,
}

/// Which characters a string value may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Characters {
    /// Free text: anything but NUL and control characters other than tab and line breaks.
    Text,
    /// An identifier (userName, externalId, a group's displayName): no control characters at
    /// all, and none of the invisible bidirectional controls (U+202E and friends) that make one
    /// name look like another.
    Identifier,
}

/// Where a value is kept. Every attribute is also in the stored document unless it says
/// otherwise; `Column` and `Rows` name the copy the store indexes and filters on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    /// Only in the stored SCIM document, at [`super::Resolved::document_keys`].
    Document,
    /// Also in a column of the resource's table; `folded` when the column holds
    /// [`super::fold`] of the value (a caseExact=false attribute looked up by equality).
    Column { column: &'static str, folded: bool },
    /// In rows of another table (`user_emails.email`, `group_members`), one per value.
    Rows { table: &'static str, column: &'static str },
    /// Never stored (`password`), or computed by the server on the way out (`meta.location`).
    Nowhere,
}

/// An attribute of a schema, or a sub-attribute of a complex attribute.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: &'static str,
    pub kind: AttrType,
    pub multi_valued: bool,
    pub required: bool,
    pub case_exact: bool,
    pub mutability: Mutability,
    pub returned: Returned,
    pub uniqueness: Uniqueness,
    pub canonical_values: &'static [&'static str],
    pub reference_types: &'static [&'static str],
    pub description: &'static str,
    pub sub_attributes: Vec<Attribute>,
    /// Longest value accepted, in characters (strings, references, binary).
    pub max_length: Option<usize>,
    pub characters: Characters,
    /// Never written to a log (the request log redacts it wherever it appears).
    pub sensitive: bool,
    pub storage: Storage,
}

/// Longest free-text value when an attribute names no other limit. Far above anything a
/// directory sends (Entra's longest string attributes are 1024), far below what hurts.
pub const DEFAULT_MAX_LENGTH: usize = 2048;

impl Attribute {
    /// A readWrite, single-valued, caseExact=false attribute returned by default (RFC 7643 §2.2
    /// defaults), kept in the document, with the default length limit for text.
    pub fn new(name: &'static str, kind: AttrType) -> Attribute {
        let text = matches!(kind, AttrType::String | AttrType::Reference | AttrType::Binary);
        Attribute {
            name,
            kind,
            multi_valued: false,
            required: false,
            case_exact: false,
            mutability: Mutability::ReadWrite,
            returned: Returned::Default,
            uniqueness: Uniqueness::None,
            canonical_values: &[],
            reference_types: &[],
            description: "",
            sub_attributes: Vec::new(),
            max_length: text.then_some(DEFAULT_MAX_LENGTH),
            characters: Characters::Text,
            sensitive: false,
            storage: Storage::Document,
        }
    }

    pub fn string(name: &'static str) -> Attribute {
        Attribute::new(name, AttrType::String)
    }

    pub fn boolean(name: &'static str) -> Attribute {
        Attribute::new(name, AttrType::Boolean)
    }

    pub fn reference(name: &'static str, types: &'static [&'static str]) -> Attribute {
        Attribute { reference_types: types, ..Attribute::new(name, AttrType::Reference) }
    }

    pub fn complex(name: &'static str, sub_attributes: Vec<Attribute>) -> Attribute {
        Attribute { sub_attributes, ..Attribute::new(name, AttrType::Complex) }
    }

    pub fn describe(self, description: &'static str) -> Self {
        Attribute { description, ..self }
    }
    pub fn multi(self) -> Self {
        Attribute { multi_valued: true, ..self }
    }
    pub fn required(self) -> Self {
        Attribute { required: true, ..self }
    }
    pub fn case_exact(self) -> Self {
        Attribute { case_exact: true, ..self }
    }
    pub fn unique(self) -> Self {
        Attribute { uniqueness: Uniqueness::Server, ..self }
    }
    pub fn mutability(self, mutability: Mutability) -> Self {
        Attribute { mutability, ..self }
    }
    pub fn returned(self, returned: Returned) -> Self {
        Attribute { returned, ..self }
    }
    pub fn canonical(self, canonical_values: &'static [&'static str]) -> Self {
        Attribute { canonical_values, ..self }
    }
    pub fn max_length(self, max: usize) -> Self {
        Attribute { max_length: Some(max), ..self }
    }
    pub fn identifier(self) -> Self {
        Attribute { characters: Characters::Identifier, ..self }
    }
    pub fn sensitive(self) -> Self {
        Attribute { sensitive: true, returned: Returned::Never, storage: Storage::Nowhere, ..self }
    }
    pub fn stored(self, storage: Storage) -> Self {
        Attribute { storage, ..self }
    }

    /// Whether `name` is this attribute's name (attribute names are case-insensitive, RFC 7643
    /// §2.1).
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// The sub-attribute called `name`, in any case.
    pub fn sub(&self, name: &str) -> Option<&Attribute> {
        self.sub_attributes.iter().find(|sub| sub.is(name))
    }

    /// Server-owned: operations on it are ignored, and a client never sets it.
    pub fn is_read_only(&self) -> bool {
        self.mutability == Mutability::ReadOnly
    }

    /// The RFC 7643 §7 attribute definition served by `/Schemas`, under `name`.
    pub fn to_json(&self, name: &str) -> Value {
        let mut value = json!({
            "name": name,
            "type": self.kind.as_str(),
            "multiValued": self.multi_valued,
            "description": self.description,
            "required": self.required,
            "mutability": self.mutability.as_str(),
            "returned": self.returned.as_str(),
        });
        if matches!(self.kind, AttrType::String | AttrType::Reference | AttrType::Binary) {
            value["caseExact"] = self.case_exact.into();
        }
        if self.kind != AttrType::Complex {
            value["uniqueness"] = self.uniqueness.as_str().into();
        }
        if !self.canonical_values.is_empty() {
            value["canonicalValues"] = json!(self.canonical_values);
        }
        if !self.reference_types.is_empty() {
            value["referenceTypes"] = json!(self.reference_types);
        }
        if !self.sub_attributes.is_empty() {
            value["subAttributes"] = self.sub_attributes.iter().map(|sub| sub.to_json(sub.name)).collect();
        }
        value
    }
}

impl AttrType {
    pub fn as_str(self) -> &'static str {
        match self {
            AttrType::String => "string",
            AttrType::Boolean => "boolean",
            AttrType::Decimal => "decimal",
            AttrType::Integer => "integer",
            AttrType::DateTime => "dateTime",
            AttrType::Binary => "binary",
            AttrType::Reference => "reference",
            AttrType::Complex => "complex",
        }
    }
}

impl Mutability {
    pub fn as_str(self) -> &'static str {
        match self {
            Mutability::ReadOnly => "readOnly",
            Mutability::ReadWrite => "readWrite",
            Mutability::Immutable => "immutable",
            Mutability::WriteOnly => "writeOnly",
        }
    }
}

impl Returned {
    pub fn as_str(self) -> &'static str {
        match self {
            Returned::Always => "always",
            Returned::Never => "never",
            Returned::Default => "default",
            Returned::Request => "request",
        }
    }
}

impl Uniqueness {
    pub fn as_str(self) -> &'static str {
        match self {
            Uniqueness::None => "none",
            Uniqueness::Server => "server",
            Uniqueness::Global => "global",
        }
    }
}
