//! The enterprise User extension (RFC 7643 §4.3). SPEC A3 names `department` as the one the
//! product uses; the others are accepted and kept as sent, as Entra and Okta map them.

use super::attribute::{Attribute, Mutability};
use super::limits::{IDENTIFIER_MAX, TEXT_MAX};

pub fn attributes() -> Vec<Attribute> {
    let text = |name: &'static str, description: &'static str| Attribute::string(name).max_length(TEXT_MAX).describe(description);
    vec![
        text("employeeNumber", "A number assigned by the organisation."),
        text("costCenter", "The cost center."),
        text("organization", "The organisation."),
        text("division", "The division."),
        text("department", "The user's department."),
        Attribute::complex(
            "manager",
            vec![
                Attribute::string("value").identifier().max_length(IDENTIFIER_MAX).describe("The manager's id."),
                Attribute::reference("$ref", &["User"]).describe("The manager's URI."),
                Attribute::string("displayName")
                    .mutability(Mutability::ReadOnly)
                    .max_length(IDENTIFIER_MAX)
                    .describe("The manager's name."),
            ],
        )
        .describe("The user's manager."),
    ]
}
