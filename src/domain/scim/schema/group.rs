//! The core Group schema (RFC 7643 §4.2). Members are rows, never part of the stored document.

use super::attribute::{Attribute, Mutability, Storage};
use super::limits::IDENTIFIER_MAX;

pub fn attributes() -> Vec<Attribute> {
    vec![
        Attribute::string("displayName")
            .required()
            .unique()
            .identifier()
            .max_length(IDENTIFIER_MAX)
            .stored(Storage::Column { column: "display_name_key", folded: true })
            .describe("The group's name, unique across every source."),
        Attribute::complex(
            "members",
            vec![
                Attribute::string("value")
                    .identifier()
                    .max_length(IDENTIFIER_MAX)
                    .mutability(Mutability::Immutable)
                    .describe("The member's user id."),
                Attribute::reference("$ref", &["User"]).mutability(Mutability::Immutable).describe("The member's URI."),
                Attribute::string("display").mutability(Mutability::ReadOnly).describe("The member's userName."),
                Attribute::string("type")
                    .canonical(&["User"])
                    .mutability(Mutability::Immutable)
                    .describe("Always User: groups hold only direct user members."),
            ],
        )
        .multi()
        .stored(Storage::Rows { table: "group_members", column: "user_id" })
        .describe("The group's direct members."),
    ]
}
