//! SCIM 2.0 PATCH (RFC 7644 §3.5.2), shaped by what Microsoft Entra ID and
//! Okta actually send (IDP-BEHAVIOR.md §1.5–§1.12, §2.5, §2.10, §5).
//!
//! A resource is its SCIM JSON document. [`apply`] edits a copy and swaps it
//! in only when every operation succeeded. Group membership is not part of the
//! document: `members` operations come back as [`MemberChange`]s.
//!
//! Deliberate departures from the RFC, each because an IdP depends on it:
//! - `op` is case-insensitive, and `add` on a single-valued attribute replaces.
//! - `"True"`/`"False"` strings are accepted for `active` and `primary`.
//! - A filtered path that matches nothing is upserted (Entra) instead of
//!   `400 noTarget`; a `remove` that matches nothing is a no-op.
//! - `remove` on a multi-valued attribute WITH a `value` removes only the
//!   listed values (Entra's member removal) and never everything.
//! - Read-only attributes (`id`, `meta`, `schemas`, User `groups`) are
//!   ignored, because Okta sends `id` in every group rename.
//! - Object values are merged into complex attributes, with or without a
//!   path (see `Engine::single`); only `manager` is replaced whole.
//!
//! What is never departed from: every path and key resolves against the one
//! schema ([`super::schema`]); an attribute the resource does not have is
//! refused with `400 invalidPath` naming it, so a PATCH never stores one.
//!
//! Modules: [`parse`] reads the request, `path` resolves paths against the
//! schema, `engine` applies operations, `values` holds the value rules
//! (booleans, `primary`, `manager`, upsert templates), `map` the
//! case-insensitive JSON map access. Value filters are evaluated by
//! [`super::filter::matches`].

use serde_json::{Map, Value as Json};

use super::filter::{AttrPath, Filter};

mod engine;
mod errors;
mod map;
pub mod parse;
mod path;
mod values;

pub use super::filter::matches;
pub use super::schema::ResourceKind;
pub use engine::apply;
pub use parse::{parse_path, parse_request};

/// The `schemas` entry of a PatchOp request body.
pub const PATCH_OP_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// Okta's "Custom Patch Batch Size" goes up to 1000 membership changes.
pub const MAX_OPERATIONS: usize = 1000;

type Object = Map<String, Json>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpKind {
    Add,
    Replace,
    Remove,
}

impl OpKind {
    fn as_str(self) -> &'static str {
        match self {
            OpKind::Add => "add",
            OpKind::Replace => "replace",
            OpKind::Remove => "remove",
        }
    }

    /// Case-insensitive: Entra sends `Add`, `Replace` and `Remove`.
    fn parse(text: &str) -> Option<OpKind> {
        [OpKind::Add, OpKind::Replace, OpKind::Remove].into_iter().find(|op| text.trim().eq_ignore_ascii_case(op.as_str()))
    }
}

/// A parsed `path`: `attr[filter].subAttr`, where the attribute part may be
/// URN-qualified and dotted (`name.givenName`).
#[derive(Debug, Clone, PartialEq)]
pub struct PatchPath {
    pub attr: AttrPath,
    pub filter: Option<Filter>,
    /// The sub-attribute after `]`, e.g. `value` in `emails[type eq "work"].value`.
    pub sub_attr: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub op: OpKind,
    pub path: Option<PatchPath>,
    /// `Some(Json::Null)` when the body said `"value": null`, `None` when absent.
    pub value: Option<Json>,
}

/// Membership changes for groups, in request order. Ids are as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberChange {
    Add(Vec<String>),
    Remove(Vec<String>),
    RemoveAll,
    ReplaceAll(Vec<String>),
}

#[derive(Debug, Default, PartialEq)]
pub struct Outcome {
    pub members: Vec<MemberChange>,
}

#[cfg(test)]
mod tests;
