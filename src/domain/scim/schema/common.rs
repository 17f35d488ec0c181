//! Attributes every resource has (RFC 7643 §3.1), and the shapes several attributes share.

use super::attribute::{AttrType, Attribute, Mutability, Returned, Storage};
use super::limits::IDENTIFIER_MAX;

pub fn attributes() -> Vec<Attribute> {
    let column = |column: &'static str| Storage::Column { column, folded: false };
    let read_only = |name: &'static str, kind: AttrType| Attribute::new(name, kind).mutability(Mutability::ReadOnly);
    vec![
        read_only("id", AttrType::String)
            .case_exact()
            .returned(Returned::Always)
            .stored(column("id"))
            .describe("The server's identifier for the resource."),
        Attribute::string("externalId")
            .case_exact()
            .identifier()
            .max_length(IDENTIFIER_MAX)
            .stored(column("external_id"))
            .describe("The identifier the identity provider uses."),
        Attribute::complex(
            "meta",
            vec![
                read_only("resourceType", AttrType::String).stored(Storage::Nowhere),
                read_only("created", AttrType::DateTime).stored(column("created_at")),
                read_only("lastModified", AttrType::DateTime).stored(column("updated_at")),
                read_only("location", AttrType::Reference).stored(Storage::Nowhere),
                read_only("version", AttrType::String).case_exact().stored(Storage::Nowhere),
            ],
        )
        .mutability(Mutability::ReadOnly)
        .stored(Storage::Nowhere)
        .describe("Resource metadata, kept by the server."),
        read_only("schemas", AttrType::Reference).multi().stored(Storage::Nowhere).describe("The schemas the resource uses."),
    ]
}

/// `value`, `display`, `type`, `primary`: the sub-attributes of emails, phoneNumbers, ims,
/// photos, entitlements, roles and x509Certificates (RFC 7643 §2.4).
pub fn value_display_type_primary(value: Attribute, types: &'static [&'static str]) -> Vec<Attribute> {
    vec![
        Attribute { description: "The value.", ..value },
        Attribute::string("display").describe("A human-readable form of the value."),
        Attribute::string("type").canonical(types).describe("A label for the value's function."),
        Attribute::boolean("primary").describe("The preferred value (at most one is primary)."),
    ]
}

/// A multi-valued complex attribute with a string `value`.
pub fn multi_valued_value(name: &'static str, types: &'static [&'static str], description: &'static str) -> Attribute {
    Attribute::complex(name, value_display_type_primary(Attribute::string("value"), types)).multi().describe(description)
}
