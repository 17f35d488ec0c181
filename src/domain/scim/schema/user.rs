//! The core User schema (RFC 7643 §4.1), with this server's limits and storage.

use super::attribute::{Attribute, Mutability, Returned, Storage};
use super::common::{multi_valued_value, value_display_type_primary};
use super::limits::{EMAIL_MAX, IDENTIFIER_MAX, NAME_PART_MAX, TEXT_MAX, USER_NAME_MAX};

pub fn attributes() -> Vec<Attribute> {
    let column = |column: &'static str, folded: bool| Storage::Column { column, folded };
    let name_part = |name: &'static str, description: &'static str| Attribute::string(name).max_length(NAME_PART_MAX).describe(description);
    vec![
        Attribute::string("userName")
            .required()
            .unique()
            .identifier()
            .max_length(USER_NAME_MAX)
            .mutability(Mutability::Immutable)
            .stored(column("user_name_key", true))
            .describe("Unique identifier for the user; cannot change once provisioned."),
        Attribute::complex(
            "name",
            vec![
                name_part("formatted", "The full name.").max_length(TEXT_MAX),
                name_part("familyName", "The family (last) name; required, never blank.").required().stored(column("family_name", false)),
                name_part("givenName", "The given (first) name; required, never blank.").required().stored(column("given_name", false)),
                name_part("middleName", "The middle name(s)."),
                name_part("honorificPrefix", "Title before the name, e.g. Ms."),
                name_part("honorificSuffix", "Suffix after the name, e.g. III."),
            ],
        )
        .required()
        .describe("The user's name (first and last name are required)."),
        Attribute::string("displayName")
            .max_length(IDENTIFIER_MAX)
            .stored(column("display_name_key", true))
            .describe("The name shown for the user."),
        Attribute::string("nickName").max_length(NAME_PART_MAX).describe("The casual name of the user."),
        Attribute::reference("profileUrl", &["external"]).describe("A URI to the user's online profile."),
        Attribute::string("title").max_length(TEXT_MAX).describe("The user's title, e.g. Vice President."),
        Attribute::string("userType").max_length(NAME_PART_MAX).describe("The user's relation to the organisation."),
        Attribute::string("preferredLanguage").max_length(NAME_PART_MAX).describe("The user's preferred language, e.g. en-US."),
        Attribute::string("locale").max_length(NAME_PART_MAX).describe("The user's default location, e.g. en-US."),
        Attribute::string("timezone").max_length(NAME_PART_MAX).describe("The user's time zone, e.g. Europe/Paris."),
        Attribute::boolean("active").stored(column("active", false)).describe("false suspends the user; true restores it."),
        Attribute::string("password")
            .mutability(Mutability::WriteOnly)
            .sensitive()
            .describe("Accepted and never stored, returned or logged: users sign in through their IdP."),
        Attribute::complex(
            "emails",
            value_display_type_primary(Attribute::string("value").required().max_length(EMAIL_MAX), &["work", "home", "other"]),
        )
        .multi()
        .required()
        .stored(Storage::Rows { table: "user_emails", column: "email" })
        .describe("Email addresses; at least one is required."),
        multi_valued_value("phoneNumbers", &["work", "home", "mobile", "fax", "pager", "other"], "Phone numbers."),
        multi_valued_value("ims", &["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"], "Instant messaging addresses."),
        Attribute::complex("photos", value_display_type_primary(Attribute::reference("value", &["external"]), &["photo", "thumbnail"]))
            .multi()
            .describe("URLs of photos of the user."),
        Attribute::complex(
            "addresses",
            vec![
                Attribute::string("formatted").describe("The full mailing address."),
                Attribute::string("streetAddress").max_length(TEXT_MAX).describe("The street address."),
                Attribute::string("locality").max_length(TEXT_MAX).describe("The city or locality."),
                Attribute::string("region").max_length(TEXT_MAX).describe("The state or region."),
                Attribute::string("postalCode").max_length(NAME_PART_MAX).describe("The zip or postal code."),
                Attribute::string("country").max_length(NAME_PART_MAX).describe("The country, as ISO 3166-1 alpha-2."),
                Attribute::string("type").canonical(&["work", "home", "other"]).describe("work, home or other."),
                Attribute::boolean("primary").describe("The preferred address."),
            ],
        )
        .multi()
        .describe("Physical mailing addresses."),
        Attribute::complex(
            "groups",
            vec![
                Attribute::string("value").mutability(Mutability::ReadOnly).describe("The group's id."),
                Attribute::reference("$ref", &["Group"]).mutability(Mutability::ReadOnly).describe("The group's URI."),
                Attribute::string("display").mutability(Mutability::ReadOnly).describe("The group's displayName."),
                Attribute::string("type").canonical(&["direct"]).mutability(Mutability::ReadOnly).describe("Always direct."),
            ],
        )
        .multi()
        .mutability(Mutability::ReadOnly)
        .stored(Storage::Rows { table: "group_members", column: "group_id" })
        .describe("The groups the user belongs to, managed through /Groups."),
        multi_valued_value("entitlements", &[], "Entitlements of the user."),
        multi_valued_value("roles", &[], "Roles of the user."),
        Attribute::complex(
            "x509Certificates",
            value_display_type_primary(Attribute::new("value", super::attribute::AttrType::Binary).max_length(64 * 1024), &[]),
        )
        .multi()
        .returned(Returned::Default)
        .describe("DER certificates, base64-encoded."),
    ]
}
