//! The per-IdP custom extension (SPEC A4, A5): one string attribute per custom attribute the
//! admin defined. Names are chosen at runtime, so every custom attribute shares one definition.
//!
//! An attribute the admin has not defined (yet) is accepted and kept like the defined ones: an
//! IdP's mapping is often set up before the attribute is added in Provisio, and refusing it
//! would fail every user of the cycle. `/Schemas` lists only the defined ones.

use super::attribute::Attribute;
use super::limits::CUSTOM_VALUE_MAX;
use std::sync::LazyLock;

/// The definition every custom attribute has.
pub fn attribute() -> &'static Attribute {
    static CUSTOM: LazyLock<Attribute> =
        LazyLock::new(|| Attribute::string("custom").max_length(CUSTOM_VALUE_MAX).describe("A custom attribute defined in Provisio."));
    &CUSTOM
}

/// Whether `name` can be a custom attribute name: what an admin could define (RFC 7643 §2.1
/// ATTRNAME, checked by the same rule as the settings page).
pub fn is_valid_name(name: &str) -> bool {
    crate::domain::validate::custom_attribute_name(name).is_ok_and(|valid| valid == name)
}
