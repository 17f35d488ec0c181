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
//!   path (see [`Engine::single`]); only `manager` is replaced whole.

use serde_json::{Map, Value as Json};

use super::error::{ScimError, ScimType};
use super::filter::{self, matches, AttrPath, CompareOp, Filter, Value as FilterValue};

/// The `schemas` entry of a PatchOp request body.
pub const PATCH_OP_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// Okta's "Custom Patch Batch Size" goes up to 1000 membership changes.
pub const MAX_OPERATIONS: usize = 1000;

type Object = Map<String, Json>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceKind {
    User,
    Group,
}

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

// ---------------------------------------------------------------------------
// Request parsing

/// Parses a PatchOp request body (RFC 7644 §3.5.2).
pub fn parse_request(body: &Json) -> Result<Vec<Operation>, ScimError> {
    let body = body.as_object().ok_or_else(|| syntax("the PATCH body must be a JSON object"))?;
    check_schemas(body)?;
    let operations = match get_ci(body, "Operations") {
        Some(Json::Array(operations)) => operations,
        Some(_) => return Err(syntax("`Operations` must be an array of operations")),
        None => return Err(syntax("the PATCH body has no `Operations` array")),
    };
    if operations.is_empty() {
        return Err(syntax("`Operations` is empty; send at least one operation"));
    }
    if operations.len() > MAX_OPERATIONS {
        return Err(invalid_value(format!(
            "`Operations` has {} operations; at most {MAX_OPERATIONS} are accepted per request, \
             so split the change into several requests",
            operations.len()
        )));
    }
    operations.iter().enumerate().map(|(index, op)| parse_operation(op).map_err(|err| at_operation(err, index))).collect()
}

/// A missing `schemas` is accepted (lenient); a present one must name PatchOp.
fn check_schemas(body: &Object) -> Result<(), ScimError> {
    let is_patch_op = |v: &Json| v.as_str().is_some_and(|s| s.trim().eq_ignore_ascii_case(PATCH_OP_SCHEMA));
    let listed = match get_ci(body, "schemas") {
        None | Some(Json::Null) => true,
        Some(Json::Array(schemas)) => schemas.iter().any(is_patch_op),
        Some(other) => is_patch_op(other),
    };
    if listed {
        Ok(())
    } else {
        Err(syntax(format!("`schemas` must contain \"{PATCH_OP_SCHEMA}\"")))
    }
}

fn parse_operation(op: &Json) -> Result<Operation, ScimError> {
    let fields = op.as_object().ok_or_else(|| syntax("each operation must be a JSON object"))?;
    let kind = match get_ci(fields, "op") {
        Some(Json::String(text)) => {
            OpKind::parse(text).ok_or_else(|| syntax(format!("unknown `op` \"{}\"; use add, replace or remove", shorten(text))))?
        }
        Some(_) => return Err(syntax("`op` must be a string: add, replace or remove")),
        None => return Err(syntax("the operation has no `op`")),
    };
    let path = match get_ci(fields, "path") {
        None | Some(Json::Null) => None,
        Some(Json::String(text)) => Some(parse_path(text)?),
        Some(_) => return Err(invalid_path("`path` must be a string")),
    };
    let value = get_ci(fields, "value").cloned();
    if kind != OpKind::Remove && value.is_none() {
        return Err(syntax(format!("`{}` needs a `value`", kind.as_str())));
    }
    Ok(Operation { op: kind, path, value })
}

/// Parses `attr`, `attr.sub`, `urn:...:attr.sub`, `attr[filter]` and
/// `attr[filter].sub`. URN paths are split at the last colon by
/// [`AttrPath::parse`], so the dots of `2.0` are never sub-attributes.
pub fn parse_path(path: &str) -> Result<PatchPath, ScimError> {
    let invalid = |reason: &dyn std::fmt::Display| invalid_path(format!("invalid path `{}`: {reason}", shorten(path)));
    let text = path.trim();
    let Some(open) = text.find('[') else {
        let attr = AttrPath::parse(text).map_err(|e| invalid(&e))?;
        return Ok(PatchPath { attr, filter: None, sub_attr: None });
    };
    // `[` and `]` are ASCII, so these byte offsets are char boundaries.
    let attr = AttrPath::parse(&text[..open]).map_err(|e| invalid(&e))?;
    if attr.sub_attr.is_some() {
        return Err(invalid(&"a value filter must follow a multi-valued attribute, not a sub-attribute"));
    }
    let close = closing_bracket(text, open).ok_or_else(|| invalid(&"`[` is never closed"))?;
    let filter = filter::parse(&text[open + 1..close]).map_err(|e| invalid(&e))?;
    if has_value_path(&filter) {
        return Err(invalid(&"value filters cannot be nested"));
    }
    let rest = &text[close + 1..];
    let sub_attr =
        if rest.is_empty() { None } else { Some(sub_after_bracket(rest).ok_or_else(|| invalid(&"expected `.subAttribute` after `]`"))?) };
    Ok(PatchPath { attr, filter: Some(filter), sub_attr })
}

/// Index of the `]` closing the `[` at `open`, skipping quoted strings so
/// `value eq "a]b"` works.
fn closing_bracket(text: &str, open: usize) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    for (i, byte) in text.bytes().enumerate().skip(open + 1) {
        match byte {
            _ if escaped => escaped = false,
            b'\\' if in_string => escaped = true,
            b'"' => in_string = !in_string,
            b']' if !in_string => return Some(i),
            _ => {}
        }
    }
    None
}

/// `.value` → `value`, validated as a plain attribute name.
fn sub_after_bracket(rest: &str) -> Option<String> {
    let name = rest.strip_prefix('.')?;
    if name.contains([' ', '\t']) {
        return None;
    }
    match AttrPath::parse(name) {
        Ok(AttrPath { schema: None, name, sub_attr: None }) => Some(name),
        _ => None,
    }
}

fn has_value_path(filter: &Filter) -> bool {
    match filter {
        Filter::ValuePath(..) => true,
        Filter::And(a, b) | Filter::Or(a, b) => has_value_path(a) || has_value_path(b),
        Filter::Not(inner) => has_value_path(inner),
        Filter::Present(_) | Filter::Compare(..) => false,
    }
}

// ---------------------------------------------------------------------------
// Attribute catalogue

/// The schema an attribute belongs to; extensions live under their URN key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Schema {
    Core,
    Enterprise,
    Custom,
}

impl Schema {
    fn container_key(self) -> Option<&'static str> {
        match self {
            Schema::Core => None,
            Schema::Enterprise => Some(super::ENTERPRISE_USER_SCHEMA),
            Schema::Custom => Some(super::CUSTOM_USER_SCHEMA),
        }
    }

    /// Known names are written in canonical case; custom (admin-defined) and
    /// unknown names are kept as the IdP wrote them.
    fn canonical(self, name: &str) -> String {
        match self {
            Schema::Custom => name.to_owned(),
            Schema::Core | Schema::Enterprise => KNOWN_NAMES
                .iter()
                .flat_map(|names| names.iter())
                .find(|known| known.eq_ignore_ascii_case(name))
                .map_or_else(|| name.to_owned(), |known| (*known).to_owned()),
        }
    }
}

/// Multi-valued core User attributes (RFC 7643 §4.1.2, §4.1.3).
const USER_MULTI_VALUED: &[&str] =
    &["emails", "phoneNumbers", "ims", "photos", "addresses", "groups", "entitlements", "roles", "x509Certificates"];
/// Single-valued attributes without sub-attributes.
const USER_SIMPLE: &[&str] = &[
    "userName",
    "displayName",
    "nickName",
    "profileUrl",
    "title",
    "userType",
    "preferredLanguage",
    "locale",
    "timezone",
    "active",
    "password",
    "externalId",
];
const GROUP_SIMPLE: &[&str] = &["displayName", "externalId"];
const ENTERPRISE_SIMPLE: &[&str] = &["employeeNumber", "costCenter", "organization", "division", "department"];
const SUB_ATTRIBUTES: &[&str] = &[
    "formatted",
    "familyName",
    "givenName",
    "middleName",
    "honorificPrefix",
    "honorificSuffix",
    "streetAddress",
    "locality",
    "region",
    "postalCode",
    "country",
    "value",
    "display",
    "type",
    "primary",
    "$ref",
];
const OTHER_NAMES: &[&str] = &["name", "manager", "members", "id", "meta", "schemas"];
const KNOWN_NAMES: &[&[&str]] = &[USER_MULTI_VALUED, USER_SIMPLE, ENTERPRISE_SIMPLE, SUB_ATTRIBUTES, OTHER_NAMES];

/// What the schema says about an attribute's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    MultiValued,
    Complex,
    Simple,
    Unknown,
}

fn shape(kind: ResourceKind, schema: Schema, name: &str) -> Shape {
    let is = |names: &[&str]| contains_ci(names, name);
    match (kind, schema) {
        (ResourceKind::User, Schema::Core) if is(USER_MULTI_VALUED) => Shape::MultiValued,
        (ResourceKind::User, Schema::Core) if name.eq_ignore_ascii_case("name") => Shape::Complex,
        (ResourceKind::User, Schema::Core) if is(USER_SIMPLE) => Shape::Simple,
        (ResourceKind::Group, Schema::Core) if is(GROUP_SIMPLE) => Shape::Simple,
        (_, Schema::Enterprise) if is_manager_name(schema, name) => Shape::Complex,
        (_, Schema::Enterprise) if is(ENTERPRISE_SIMPLE) => Shape::Simple,
        _ => Shape::Unknown,
    }
}

/// Server-owned attributes; operations on them are ignored, not rejected.
fn is_read_only(kind: ResourceKind, name: &str) -> bool {
    contains_ci(&["id", "meta", "schemas"], name) || (kind == ResourceKind::User && name.eq_ignore_ascii_case("groups"))
}

fn is_manager_name(schema: Schema, name: &str) -> bool {
    schema == Schema::Enterprise && name.eq_ignore_ascii_case("manager")
}

fn core_schema(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::User => super::USER_SCHEMA,
        ResourceKind::Group => super::GROUP_SCHEMA,
    }
}

fn schema_named(kind: ResourceKind, urn: &str) -> Option<Schema> {
    let is = |candidate: &str| urn.eq_ignore_ascii_case(candidate);
    if is(core_schema(kind)) {
        Some(Schema::Core)
    } else if kind == ResourceKind::User && is(super::ENTERPRISE_USER_SCHEMA) {
        Some(Schema::Enterprise)
    } else if kind == ResourceKind::User && is(super::CUSTOM_USER_SCHEMA) {
        Some(Schema::Custom)
    } else {
        None
    }
}

// ---------------------------------------------------------------------------
// Path resolution

/// What a path addresses once schemas and special attributes are sorted out.
enum Target<'p> {
    /// A read-only attribute: the operation is ignored.
    Ignore,
    /// A whole schema, e.g. `urn:...:enterprise:2.0:User` as a path or key.
    Schema(Schema),
    /// Group `members`, reported as a [`MemberChange`].
    Members {
        filter: Option<&'p Filter>,
        sub: Option<&'p str>,
    },
    Attr(AttrTarget<'p>),
}

struct AttrTarget<'p> {
    schema: Schema,
    /// Canonical name for known attributes, as written otherwise.
    name: String,
    filter: Option<&'p Filter>,
    /// `givenName` in `name.givenName`, `value` in `emails[...].value`.
    sub: Option<&'p str>,
}

fn resolve(kind: ResourceKind, path: &PatchPath) -> Result<Target<'_>, ScimError> {
    let filter = path.filter.as_ref();
    let mut name = path.attr.name.as_str();
    let mut sub = path.attr.sub_attr.as_deref().or(path.sub_attr.as_deref());
    let schema = match path.attr.schema.as_deref() {
        None => Schema::Core,
        Some(urn) => match schema_named(kind, &format!("{urn}:{name}")) {
            // `urn:...:2.0:User` parses as schema `urn:...:2.0`, name `User`.
            Some(whole) if sub.is_none() && filter.is_none() => return Ok(Target::Schema(whole)),
            // Entra before 2019: `urn:...:2.0:User.department`.
            Some(whole) if filter.is_none() && path.sub_attr.is_none() => {
                name = sub.unwrap_or(name);
                sub = None;
                whole
            }
            Some(_) => return Err(invalid_path(format!("`{}` cannot take a filter or sub-attribute", path.attr))),
            None => schema_named(kind, urn).ok_or_else(|| invalid_path(format!("unknown schema `{}` for a {kind:?}", shorten(urn))))?,
        },
    };
    if schema == Schema::Core {
        if is_read_only(kind, name) {
            return Ok(Target::Ignore);
        }
        if kind == ResourceKind::Group && name.eq_ignore_ascii_case("members") {
            return Ok(Target::Members { filter, sub });
        }
    }
    // Entra's older form addresses the enterprise `manager` without its URN.
    let schema = if kind == ResourceKind::User && path.attr.schema.is_none() && name.eq_ignore_ascii_case("manager") {
        Schema::Enterprise
    } else {
        schema
    };
    Ok(Target::Attr(AttrTarget { schema, name: schema.canonical(name), filter, sub }))
}

// ---------------------------------------------------------------------------
// Applying operations

/// Applies all operations in order to `doc`. On any error `doc` is left
/// unchanged and the error detail names the failing operation.
pub fn apply(kind: ResourceKind, doc: &mut Object, ops: &[Operation]) -> Result<Outcome, ScimError> {
    let mut work = doc.clone();
    let mut outcome = Outcome::default();
    for (index, operation) in ops.iter().enumerate() {
        let mut engine = Engine { kind, op: operation.op, members: &mut outcome.members };
        engine.operation(&mut work, operation).map_err(|err| at_operation(err, index))?;
    }
    *doc = work;
    Ok(outcome)
}

/// One operation being applied.
struct Engine<'o> {
    kind: ResourceKind,
    op: OpKind,
    members: &'o mut Vec<MemberChange>,
}

impl Engine<'_> {
    fn operation(&mut self, doc: &mut Object, operation: &Operation) -> Result<(), ScimError> {
        let value = operation.value.as_ref();
        if self.op != OpKind::Remove && value.is_none() {
            return Err(syntax(format!("`{}` needs a `value`", self.op.as_str())));
        }
        match (&operation.path, value) {
            (Some(path), _) => self.target(doc, resolve(self.kind, path)?, value),
            (None, _) if self.op == OpKind::Remove => Err(no_target("`remove` needs a `path` naming what to remove")),
            (None, Some(Json::Object(values))) => self.object(doc, values),
            (None, _) => Err(invalid_value("an operation without `path` needs a JSON object `value` whose keys are attribute paths")),
        }
    }

    /// A path-less value object: every key is applied as if it were a path,
    /// so `"name.givenName"` and full URN keys work (Entra's flagged form).
    fn object(&mut self, doc: &mut Object, values: &Object) -> Result<(), ScimError> {
        for (key, value) in values {
            let path = parse_path(key)?;
            let target = resolve(self.kind, &path)?;
            self.target(doc, target, Some(value))?;
        }
        Ok(())
    }

    fn target(&mut self, doc: &mut Object, target: Target<'_>, value: Option<&Json>) -> Result<(), ScimError> {
        match target {
            Target::Ignore => Ok(()),
            Target::Members { filter, sub } => self.members(filter, sub, value),
            Target::Attr(attr) => self.attribute(doc, &attr, value),
            Target::Schema(schema) => match schema.container_key() {
                Some(key) => self.extension(doc, schema, key, value),
                None => self.whole_resource(doc, value),
            },
        }
    }

    /// A path or key naming the core schema itself: its object is applied
    /// like a path-less value.
    fn whole_resource(&mut self, doc: &mut Object, value: Option<&Json>) -> Result<(), ScimError> {
        match value {
            _ if self.op == OpKind::Remove => Err(invalid_path("the core schema of a resource cannot be removed")),
            Some(Json::Object(values)) => self.object(doc, values),
            Some(Json::Null) => Ok(()),
            _ => Err(invalid_value("the core schema URN needs a JSON object value")),
        }
    }

    /// `urn:...:enterprise:2.0:User` with an object: each key is merged into
    /// the extension as an attribute operation (so `manager` rules apply).
    fn extension(&mut self, doc: &mut Object, schema: Schema, key: &str, value: Option<&Json>) -> Result<(), ScimError> {
        match (self.op, value) {
            (OpKind::Remove, _) | (OpKind::Replace, Some(Json::Null)) => {
                remove_ci(doc, key);
                Ok(())
            }
            (_, Some(Json::Null)) => Ok(()),
            (_, Some(Json::Object(values))) => {
                for (name, value) in values {
                    let path = parse_path(name)?;
                    if path.attr.schema.is_some() {
                        return Err(invalid_path(format!("keys inside `{key}` must be attribute names, not `{}`", shorten(name))));
                    }
                    let attr = AttrTarget {
                        schema,
                        name: schema.canonical(&path.attr.name),
                        filter: path.filter.as_ref(),
                        sub: path.attr.sub_attr.as_deref().or(path.sub_attr.as_deref()),
                    };
                    self.attribute(doc, &attr, Some(value))?;
                }
                Ok(())
            }
            _ => Err(invalid_value(format!("`{key}` needs a JSON object value"))),
        }
    }

    /// Finds the container (root or extension object) and applies there. An
    /// extension left empty is dropped rather than stored as `{}`.
    fn attribute(&mut self, doc: &mut Object, attr: &AttrTarget<'_>, value: Option<&Json>) -> Result<(), ScimError> {
        let Some(key) = attr.schema.container_key() else {
            return self.in_container(doc, attr, value);
        };
        if self.op == OpKind::Remove && get_ci(doc, key).is_none() {
            return Ok(());
        }
        let mut extension = take_object(doc, key);
        self.in_container(&mut extension, attr, value)?;
        put_object(doc, key, extension);
        Ok(())
    }

    fn in_container(&mut self, map: &mut Object, attr: &AttrTarget<'_>, value: Option<&Json>) -> Result<(), ScimError> {
        if self.is_multi_valued(attr, get_ci(map, &attr.name))? {
            return self.multi_valued(map, attr, value);
        }
        match attr.sub {
            Some(sub) => self.sub_attribute(map, attr, sub, value),
            None => self.single(map, attr, value),
        }
    }

    /// Known attributes follow the schema; unknown ones are multi-valued if
    /// they already hold an array or the path has a value filter.
    fn is_multi_valued(&self, attr: &AttrTarget<'_>, existing: Option<&Json>) -> Result<bool, ScimError> {
        let not_multi = || invalid_path(format!("`{}` is not multi-valued, so it cannot take a `[filter]`", attr.name));
        match shape(self.kind, attr.schema, &attr.name) {
            Shape::MultiValued => Ok(true),
            Shape::Simple if attr.sub.is_some() => Err(invalid_path(format!("`{}` has no sub-attributes", attr.name))),
            Shape::Simple | Shape::Complex if attr.filter.is_some() => Err(not_multi()),
            Shape::Simple | Shape::Complex => Ok(false),
            Shape::Unknown => match existing {
                Some(Json::Array(_)) => Ok(true),
                None | Some(Json::Null) => Ok(attr.filter.is_some()),
                Some(_) if attr.filter.is_some() => Err(not_multi()),
                Some(_) => Ok(false),
            },
        }
    }

    /// A single-valued attribute. `add` is the same as `replace` here
    /// (RFC 7644 §3.5.2.1; Entra sends `Add` for `active` and `nickName`).
    ///
    /// An object value is MERGED into an existing complex value, also for
    /// `replace` and also without a path: RFC 7644 §3.5.2.3 says sub-attributes
    /// not given are left unchanged, and Entra and Okta send partial `name`
    /// objects expecting exactly that. `manager` is the exception: its
    /// sub-attributes describe one referenced user, so a new manager replaces
    /// the old one whole instead of inheriting its `displayName`.
    fn single(&mut self, map: &mut Object, attr: &AttrTarget<'_>, value: Option<&Json>) -> Result<(), ScimError> {
        if self.op == OpKind::Remove {
            remove_ci(map, &attr.name);
            return Ok(());
        }
        match self.normalize(attr, self.required(value)?)? {
            Json::Null => {
                if self.op == OpKind::Replace {
                    remove_ci(map, &attr.name);
                }
            }
            Json::Object(fields) if !is_manager_name(attr.schema, &attr.name) => {
                self.merge_into(map, &attr.name, attr.schema, &fields);
            }
            other => set_ci(map, &attr.name, other),
        }
        Ok(())
    }

    /// `name.givenName`: writes one sub-attribute of a complex attribute.
    fn sub_attribute(&mut self, map: &mut Object, attr: &AttrTarget<'_>, sub: &str, value: Option<&Json>) -> Result<(), ScimError> {
        if self.op != OpKind::Remove {
            let value = self.required(value)?;
            if !value.is_null() {
                if get_ci(map, &attr.name).is_some_and(|v| !v.is_object() && !v.is_null()) {
                    return Err(invalid_path(format!("`{}` is not a complex attribute, so it has no `{sub}`", attr.name)));
                }
                let fields = Object::from_iter([(attr.schema.canonical(sub), value.clone())]);
                self.merge_into(map, &attr.name, attr.schema, &fields);
                return Ok(());
            }
            if self.op == OpKind::Add {
                return Ok(());
            }
        }
        // `remove`, or `replace` with null.
        if get_ci(map, &attr.name).is_some_and(Json::is_object) {
            let mut current = take_object(map, &attr.name);
            remove_ci(&mut current, sub);
            put_object(map, &attr.name, current);
        }
        Ok(())
    }

    fn merge_into(&self, map: &mut Object, name: &str, schema: Schema, fields: &Object) {
        let mut current = take_object(map, name);
        merge_fields(&mut current, fields, schema, self.op);
        put_object(map, name, current);
    }

    /// Value rules for specific attributes: `active` must end up a boolean,
    /// `manager` must end up an object.
    fn normalize(&self, attr: &AttrTarget<'_>, value: &Json) -> Result<Json, ScimError> {
        if self.kind == ResourceKind::User && attr.schema == Schema::Core && attr.name.eq_ignore_ascii_case("active") {
            return active_value(value);
        }
        if is_manager_name(attr.schema, &attr.name) {
            return Ok(manager_value(value));
        }
        Ok(value.clone())
    }

    fn multi_valued(&mut self, map: &mut Object, attr: &AttrTarget<'_>, value: Option<&Json>) -> Result<(), ScimError> {
        if attr.filter.is_none() && attr.sub.is_none() {
            self.whole_array(map, attr, value)
        } else {
            self.selected_elements(map, attr, value)
        }
    }

    /// `emails` as a whole: `add` appends, `replace` replaces, `remove`
    /// removes everything unless a `value` lists what to remove.
    fn whole_array(&mut self, map: &mut Object, attr: &AttrTarget<'_>, value: Option<&Json>) -> Result<(), ScimError> {
        let name = attr.name.as_str();
        match self.op {
            OpKind::Remove => match value {
                None | Some(Json::Null) => remove_ci(map, name),
                Some(listed) => {
                    let listed: Vec<Json> = elements_of(listed).map(|l| normalize_element(l, attr.schema)).collect();
                    let mut items = take_items(map, name);
                    items.retain(|item| !listed.iter().any(|l| is_listed(item, l)));
                    put_items(map, name, items);
                }
            },
            OpKind::Add => {
                let value = self.required(value)?;
                let mut items = take_items(map, name);
                let mut added = Vec::new();
                for element in elements_of(value) {
                    let element = normalize_element(element, attr.schema);
                    if !items.contains(&element) {
                        added.push(items.len());
                        items.push(element);
                    }
                }
                settle_primary(&mut items, &added);
                put_items(map, name, items);
            }
            OpKind::Replace => {
                let value = self.required(value)?;
                let items = elements_of(value).map(|e| normalize_element(e, attr.schema)).collect();
                put_items(map, name, items);
            }
        }
        Ok(())
    }

    /// `emails[type eq "work"]`, `emails[type eq "work"].value` or
    /// `emails.value` (every element). Writes upsert when nothing matches.
    fn selected_elements(&mut self, map: &mut Object, attr: &AttrTarget<'_>, value: Option<&Json>) -> Result<(), ScimError> {
        let mut items = take_items(map, &attr.name);
        let selected: Vec<usize> = items
            .iter()
            .enumerate()
            .filter(|(_, item)| attr.filter.map_or(item.is_object(), |f| matches(f, item)))
            .map(|(index, _)| index)
            .collect();
        if self.op == OpKind::Remove {
            remove_selected(&mut items, &selected, attr.sub);
        } else {
            self.write_selected(&mut items, &selected, attr, self.required(value)?)?;
        }
        put_items(map, &attr.name, items);
        Ok(())
    }

    fn write_selected(&self, items: &mut Vec<Json>, selected: &[usize], attr: &AttrTarget<'_>, value: &Json) -> Result<(), ScimError> {
        if value.is_null() {
            if self.op == OpKind::Replace {
                remove_selected(items, selected, attr.sub);
            }
            return Ok(());
        }
        let fields = match (attr.sub, value) {
            (Some(sub), value) => Object::from_iter([(attr.schema.canonical(sub), value.clone())]),
            (None, Json::Object(fields)) => fields.clone(),
            (None, _) => {
                return Err(invalid_value(format!(
                    "a filtered path without a sub-attribute needs an object value, e.g. {{\"value\": ...}} for `{}`",
                    attr.name
                )))
            }
        };
        let touched = if selected.is_empty() {
            // Entra expects an upsert here; RFC 7644's `400 noTarget` breaks it.
            let mut element = upsert_template(attr)?;
            merge_fields(&mut element, &fields, attr.schema, self.op);
            items.push(Json::Object(element));
            vec![items.len() - 1]
        } else {
            for &index in selected {
                if let Some(Json::Object(element)) = items.get_mut(index) {
                    merge_fields(element, &fields, attr.schema, self.op);
                }
            }
            selected.to_vec()
        };
        settle_primary(items, &touched);
        Ok(())
    }

    /// Group `members`: never stored in the document, reported instead.
    fn members(&mut self, filter: Option<&Filter>, sub: Option<&str>, value: Option<&Json>) -> Result<(), ScimError> {
        if sub.is_some() {
            return Err(invalid_path("sub-attributes of `members` cannot be patched; add, replace or remove whole members"));
        }
        let change = match (self.op, filter) {
            (OpKind::Remove, Some(filter)) => Some(MemberChange::Remove(ids_in_filter(filter)?)),
            (_, Some(_)) => {
                return Err(invalid_path("`members[...]` is only supported with `remove`; add members with \"path\": \"members\""))
            }
            // Entra's default removal carries the members to remove in
            // `value`: removing everything here is the #1 IdP bug.
            (OpKind::Remove, None) => match value {
                None | Some(Json::Null) => Some(MemberChange::RemoveAll),
                Some(listed) => non_empty(member_ids(listed)?).map(MemberChange::Remove),
            },
            (OpKind::Add, None) => non_empty(member_ids(self.required(value)?)?).map(MemberChange::Add),
            (OpKind::Replace, None) => match self.required(value)? {
                Json::Null => Some(MemberChange::RemoveAll),
                members => Some(MemberChange::ReplaceAll(member_ids(members)?)),
            },
        };
        self.members.extend(change);
        Ok(())
    }

    fn required<'v>(&self, value: Option<&'v Json>) -> Result<&'v Json, ScimError> {
        value.ok_or_else(|| syntax(format!("`{}` needs a `value`", self.op.as_str())))
    }
}

// ---------------------------------------------------------------------------
// Value helpers

/// Entra's `IsSoftDeleted` mapping produces the strings "True"/"False".
fn active_value(value: &Json) -> Result<Json, ScimError> {
    match value {
        Json::Bool(_) | Json::Null => Ok(value.clone()),
        Json::String(text) => parse_bool(text)
            .map(Json::Bool)
            .ok_or_else(|| invalid_value(format!("`active` must be true or false, got \"{}\"", shorten(text)))),
        other => Err(invalid_value(format!("`active` must be true or false, got {}", shorten(&other.to_string())))),
    }
}

/// Entra sends the manager as a bare id (current), an object, or an array of
/// one object (old E-TUT example); it expects an object back.
fn manager_value(value: &Json) -> Json {
    match value {
        Json::Null => Json::Null,
        Json::Object(fields) => {
            let mut manager = Object::new();
            merge_fields(&mut manager, fields, Schema::Enterprise, OpKind::Add);
            Json::Object(manager)
        }
        Json::Array(items) => items.first().map_or(Json::Null, manager_value),
        scalar => Json::Object(Object::from_iter([("value".to_owned(), scalar.clone())])),
    }
}

/// Writes `fields` into `target` with canonical names. A null removes the
/// field for `replace` and is skipped for `add` (null means unassigned).
fn merge_fields(target: &mut Object, fields: &Object, schema: Schema, op: OpKind) {
    for (key, value) in fields {
        let name = schema.canonical(key);
        if value.is_null() {
            if op == OpKind::Replace {
                remove_ci(target, &name);
            }
        } else {
            set_ci(target, &name, sub_value(&name, value));
        }
    }
}

/// `primary` may arrive as "True"/"False" like `active`; other values stay.
fn sub_value(name: &str, value: &Json) -> Json {
    match value {
        Json::String(text) if name.eq_ignore_ascii_case("primary") => parse_bool(text).map_or_else(|| value.clone(), Json::Bool),
        _ => value.clone(),
    }
}

/// A new multi-valued element: canonical names, `primary` coerced, nulls dropped.
fn normalize_element(element: &Json, schema: Schema) -> Json {
    match element {
        Json::Object(fields) => {
            let mut normalized = Object::new();
            merge_fields(&mut normalized, fields, schema, OpKind::Add);
            Json::Object(normalized)
        }
        other => other.clone(),
    }
}

/// Array elements, or the value itself (a non-array is wrapped); null is none.
fn elements_of(value: &Json) -> impl Iterator<Item = &Json> {
    let items: &[Json] = match value {
        Json::Array(items) => items,
        Json::Null => &[],
        single => std::slice::from_ref(single),
    };
    items.iter()
}

/// Whether `listed` (from a remove's `value`) names `item`: equal, or every
/// non-null field of `listed` is equal in `item` (so `$ref: null` is fine).
fn is_listed(item: &Json, listed: &Json) -> bool {
    if item == listed {
        return true;
    }
    let (Json::Object(item), Json::Object(listed)) = (item, listed) else {
        return false;
    };
    let mut fields = listed.iter().filter(|(_, v)| !v.is_null()).peekable();
    fields.peek().is_some() && fields.all(|(k, v)| get_ci(item, k) == Some(v))
}

fn remove_selected(items: &mut Vec<Json>, selected: &[usize], sub: Option<&str>) {
    match sub {
        None => {
            let mut index = 0;
            items.retain(|_| {
                let keep = selected.binary_search(&index).is_err();
                index += 1;
                keep
            });
        }
        Some(sub) => {
            for &index in selected {
                if let Some(Json::Object(element)) = items.get_mut(index) {
                    remove_ci(element, sub);
                }
            }
        }
    }
}

/// The element to create when a filtered write matches nothing: the filter's
/// `eq` comparisons as attributes (`type eq "work"` → `{"type": "work"}`).
fn upsert_template(attr: &AttrTarget<'_>) -> Result<Object, ScimError> {
    let Some(filter) = attr.filter else {
        return Ok(Object::new());
    };
    let mut element = Object::new();
    if equalities(filter, attr.schema, &mut element) && matches(filter, &Json::Object(element.clone())) {
        return Ok(element);
    }
    Err(no_target(format!(
        "no element of `{}` matches `{filter}`, and none can be created from that filter; \
         only `eq` comparisons joined by `and` can create one",
        attr.name
    )))
}

fn equalities(filter: &Filter, schema: Schema, out: &mut Object) -> bool {
    match filter {
        Filter::And(a, b) => equalities(a, schema, out) && equalities(b, schema, out),
        Filter::Compare(path, CompareOp::Eq, value) if path.schema.is_none() && path.sub_attr.is_none() => {
            let value = match value {
                FilterValue::String(s) => Json::String(s.clone()),
                FilterValue::Number(n) => Json::Number(n.clone()),
                FilterValue::Bool(b) => Json::Bool(*b),
                FilterValue::Null => return false,
            };
            let name = schema.canonical(&path.name);
            // A conflicting duplicate is caught by the caller's `matches` check.
            if get_ci(out, &name).is_none() {
                let value = sub_value(&name, &value);
                out.insert(name, value);
            }
            true
        }
        _ => false,
    }
}

/// Keeps at most one `primary: true`: if a touched element is primary, the
/// others that were primary become `false` (untouched elements keep their
/// other fields, and no `primary` key is added where there was none).
fn settle_primary(items: &mut [Json], touched: &[usize]) {
    if !touched.iter().any(|&i| items.get(i).is_some_and(is_primary)) {
        return;
    }
    for (index, item) in items.iter_mut().enumerate() {
        if !touched.contains(&index) && is_primary(item) {
            if let Json::Object(element) = item {
                set_ci(element, "primary", Json::Bool(false));
            }
        }
    }
}

fn is_primary(item: &Json) -> bool {
    match item.as_object().and_then(|e| get_ci(e, "primary")) {
        Some(Json::Bool(primary)) => *primary,
        Some(Json::String(text)) => parse_bool(text) == Some(true),
        _ => false,
    }
}

fn member_ids(value: &Json) -> Result<Vec<String>, ScimError> {
    elements_of(value).map(member_id).collect()
}

fn member_id(member: &Json) -> Result<String, ScimError> {
    // A bare id string is read as `{"value": id}` (Microsoft's reference collection sends it).
    let value = match member {
        Json::String(_) => Some(member),
        _ => member.as_object().and_then(|m| get_ci(m, "value")),
    };
    match value {
        Some(Json::String(id)) if !id.trim().is_empty() => Ok(id.clone()),
        _ => Err(invalid_value(format!(
            "each member must be an object with a non-empty string `value` (the member's id), got {}",
            shorten(&member.to_string())
        ))),
    }
}

/// `value eq "a" or value eq "b"` → `[a, b]`; anything else is unsupported.
fn ids_in_filter(filter: &Filter) -> Result<Vec<String>, ScimError> {
    fn collect(filter: &Filter, ids: &mut Vec<String>) -> bool {
        match filter {
            Filter::Or(a, b) => collect(a, ids) && collect(b, ids),
            Filter::Compare(path, CompareOp::Eq, value)
                if path.schema.is_none() && path.sub_attr.is_none() && path.name.eq_ignore_ascii_case("value") =>
            {
                match value {
                    FilterValue::String(id) => ids.push(id.clone()),
                    FilterValue::Number(id) => ids.push(id.to_string()),
                    FilterValue::Bool(_) | FilterValue::Null => return false,
                }
                true
            }
            _ => false,
        }
    }
    let mut ids = Vec::new();
    if collect(filter, &mut ids) {
        Ok(ids)
    } else {
        Err(ScimError::bad_request(
            ScimType::InvalidFilter,
            format!(
                "`members[{filter}]` is not supported: select members with `value eq \"<id>\"`, \
                 optionally joined by `or`"
            ),
        ))
    }
}

fn non_empty(ids: Vec<String>) -> Option<Vec<String>> {
    (!ids.is_empty()).then_some(ids)
}

fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

// ---------------------------------------------------------------------------
// Case-insensitive map access (RFC 7643 §2.1)

fn contains_ci(names: &[&str], name: &str) -> bool {
    names.iter().any(|n| n.eq_ignore_ascii_case(name))
}

fn find_key(map: &Object, name: &str) -> Option<String> {
    if map.contains_key(name) {
        return Some(name.to_owned());
    }
    map.keys().find(|k| k.eq_ignore_ascii_case(name)).cloned()
}

fn get_ci<'m>(map: &'m Object, name: &str) -> Option<&'m Json> {
    map.get(name).or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v))
}

/// Removes every spelling of `name`, keeping the order of the other keys.
fn remove_ci(map: &mut Object, name: &str) {
    map.retain(|k, _| !k.eq_ignore_ascii_case(name));
}

/// Overwrites an existing key in place (whatever its case) or adds the
/// canonical `name`; other spellings of the same name are dropped.
fn set_ci(map: &mut Object, name: &str, value: Json) {
    match find_key(map, name) {
        Some(key) => {
            map.retain(|k, _| k == &key || !k.eq_ignore_ascii_case(name));
            map.insert(key, value);
        }
        None => {
            map.insert(name.to_owned(), value);
        }
    }
}

/// Takes an object attribute out for editing; its slot stays (as null) so
/// [`put_object`] writes it back in place. A non-object becomes `{}`.
fn take_object(map: &mut Object, name: &str) -> Object {
    match find_key(map, name).and_then(|key| map.get_mut(&key)) {
        Some(slot) => match std::mem::take(slot) {
            Json::Object(fields) => fields,
            _ => Object::new(),
        },
        None => Object::new(),
    }
}

/// An empty object is unassigned (RFC 7643 §2.5), so it is removed.
fn put_object(map: &mut Object, name: &str, value: Object) {
    if value.is_empty() {
        remove_ci(map, name);
    } else {
        set_ci(map, name, Json::Object(value));
    }
}

/// Takes a multi-valued attribute out for editing; a lone non-array value
/// (an IdP that sent one object) becomes a one-element list.
fn take_items(map: &mut Object, name: &str) -> Vec<Json> {
    match find_key(map, name).and_then(|key| map.get_mut(&key)) {
        Some(slot) => match std::mem::take(slot) {
            Json::Array(items) => items,
            Json::Null => Vec::new(),
            single => vec![single],
        },
        None => Vec::new(),
    }
}

/// An empty array is unassigned (RFC 7643 §2.5), so it is removed.
fn put_items(map: &mut Object, name: &str, items: Vec<Json>) {
    if items.is_empty() {
        remove_ci(map, name);
    } else {
        set_ci(map, name, Json::Array(items));
    }
}

// ---------------------------------------------------------------------------
// Errors

fn syntax(detail: impl Into<String>) -> ScimError {
    ScimError::bad_request(ScimType::InvalidSyntax, detail)
}

fn invalid_value(detail: impl Into<String>) -> ScimError {
    ScimError::bad_request(ScimType::InvalidValue, detail)
}

fn invalid_path(detail: impl Into<String>) -> ScimError {
    ScimError::bad_request(ScimType::InvalidPath, detail)
}

fn no_target(detail: impl Into<String>) -> ScimError {
    ScimError::bad_request(ScimType::NoTarget, detail)
}

/// Prefixes the detail with the failing operation, for the admin reading
/// Okta's Tasks or Entra's provisioning log.
fn at_operation(err: ScimError, index: usize) -> ScimError {
    ScimError { detail: format!("Operations[{index}]: {}", err.detail), ..err }
}

/// Keeps client-supplied text in error details short.
fn shorten(text: &str) -> String {
    const MAX_CHARS: usize = 100;
    match text.char_indices().nth(MAX_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scim::{CUSTOM_USER_SCHEMA, ENTERPRISE_USER_SCHEMA as ENTERPRISE, GROUP_SCHEMA, USER_SCHEMA};
    use serde_json::json;

    // -- helpers ------------------------------------------------------------

    fn body(text: &str) -> Json {
        serde_json::from_str(text).expect("test body is valid JSON")
    }

    fn ops(operations: Json) -> Json {
        json!({"schemas": [PATCH_OP_SCHEMA], "Operations": operations})
    }

    fn object(value: Json) -> Object {
        match value {
            Json::Object(fields) => fields,
            other => panic!("not an object: {other}"),
        }
    }

    fn run(kind: ResourceKind, doc: Json, request: &Json) -> Result<(Json, Outcome), ScimError> {
        let operations = parse_request(request)?;
        let mut doc = object(doc);
        let outcome = apply(kind, &mut doc, &operations)?;
        Ok((Json::Object(doc), outcome))
    }

    fn patch_user(doc: Json, request: Json) -> Json {
        let (doc, outcome) = run(ResourceKind::User, doc, &request).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(outcome, Outcome::default());
        doc
    }

    fn patch_group(doc: Json, request: Json) -> (Json, Vec<MemberChange>) {
        let (doc, outcome) = run(ResourceKind::Group, doc, &request).unwrap_or_else(|e| panic!("{e:?}"));
        (doc, outcome.members)
    }

    /// The error, checking that a failing `apply` left the document untouched.
    fn error(kind: ResourceKind, doc: Json, request: Json) -> ScimError {
        let operations = match parse_request(&request) {
            Ok(operations) => operations,
            Err(err) => return err,
        };
        let mut map = object(doc.clone());
        let err = apply(kind, &mut map, &operations).expect_err("expected an error");
        assert_eq!(Json::Object(map), doc, "document must be unchanged on error");
        err
    }

    fn user_error(doc: Json, request: Json) -> ScimError {
        error(ResourceKind::User, doc, request)
    }

    fn assert_error(err: &ScimError, scim_type: ScimType, detail_part: &str) {
        assert_eq!(err.status, 400, "{err:?}");
        assert_eq!(err.scim_type, Some(scim_type), "{err:?}");
        assert!(err.detail.contains(detail_part), "detail {:?} should contain {detail_part:?}", err.detail);
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    fn alice() -> Json {
        json!({
            "schemas": [USER_SCHEMA, ENTERPRISE],
            "id": "2819c223",
            "externalId": "alice-ext",
            "userName": "alice@contoso.com",
            "name": {"givenName": "Alice", "familyName": "Smith", "formatted": "Alice Smith"},
            "displayName": "Alice Smith",
            "active": true,
            "emails": [{"value": "alice@contoso.com", "type": "work", "primary": true}],
            "meta": {"resourceType": "User"}
        })
    }

    fn group() -> Json {
        json!({
            "schemas": [GROUP_SCHEMA],
            "id": "abf4dd94-a4c0-4f67-89c9-76b03340cb9b",
            "displayName": "Sales",
            "externalId": "8aa1a0c0",
            "meta": {"resourceType": "Group"}
        })
    }

    fn filter(text: &str) -> Filter {
        filter::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    // -- IDP-BEHAVIOR.md §1.5: Entra user updates -------------------------

    #[test]
    fn entra_tut_replace_email_filter_and_family_name() {
        let request = body(
            r#"{
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [
            {
            "op": "Replace",
            "path": "emails[type eq \"work\"].value",
            "value": "updatedEmail@microsoft.com"
            },
            {
            "op": "Replace",
            "path": "name.familyName",
            "value": "updatedFamilyName"
            }
    ]
}"#,
        );
        let doc = patch_user(alice(), request);
        assert_eq!(doc["emails"], json!([{"value": "updatedEmail@microsoft.com", "type": "work", "primary": true}]));
        assert_eq!(doc["name"], json!({"givenName": "Alice", "familyName": "updatedFamilyName", "formatted": "Alice Smith"}));
    }

    #[test]
    fn entra_replace_user_name_is_applied() {
        let request = body(
            r#"{
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{
        "op": "Replace",
        "path": "userName",
        "value": "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"
    }]
}"#,
        );
        let doc = patch_user(alice(), request);
        assert_eq!(doc["userName"], "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com");
    }

    #[test]
    fn entra_compat_multi_attribute_replace() {
        let request = body(
            r#"{
    "schemas": [
        "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    ],
    "Operations": [
        {
            "op": "Replace",
            "path": "displayName",
            "value": "Pvlo"
        },
        {
            "op": "Replace",
            "path": "emails[type eq \"work\"].value",
            "value": "TestBcwqnm@test.microsoft.com"
        },
        {
            "op": "Replace",
            "path": "name.givenName",
            "value": "Gtfd"
        },
        {
            "op": "Replace",
            "path": "name.familyName",
            "value": "Pkqf"
        },
        {
            "op": "Replace",
            "path": "externalId",
            "value": "Eqpj"
        },
        {
            "op": "Replace",
            "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
            "value": "Eqpj"
        }
    ]
}"#,
        );
        let doc = patch_user(alice(), request);
        assert_eq!(doc["displayName"], "Pvlo");
        assert_eq!(doc["emails"][0]["value"], "TestBcwqnm@test.microsoft.com");
        assert_eq!(doc["emails"].as_array().map(Vec::len), Some(1));
        assert_eq!(doc["name"], json!({"givenName": "Gtfd", "familyName": "Pkqf", "formatted": "Alice Smith"}));
        assert_eq!(doc["externalId"], "Eqpj");
        assert_eq!(doc[ENTERPRISE], json!({"employeeNumber": "Eqpj"}));
        // Untouched and server-owned fields survive.
        assert_eq!(doc["id"], "2819c223");
        assert_eq!(doc["userName"], "alice@contoso.com");
    }

    #[test]
    fn entra_add_nick_name() {
        let request = body(
            r#"{
    "schemas": [
        "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    ],
    "Operations": [
      {
        "op": "Add",
        "path": "nickName",
        "value": "Babs"
      }
    ]
  }"#,
        );
        let doc = patch_user(alice(), request);
        assert_eq!(doc["nickName"], "Babs");
        // `add` on a single-valued attribute replaces.
        let doc = patch_user(doc, ops(json!([{"op": "add", "path": "nickName", "value": "Bee"}])));
        assert_eq!(doc["nickName"], "Bee");
    }

    #[test]
    fn limosa_capture_upserts_address_and_adds_department() {
        let request = body(
            r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"emails[type eq \"work\"].value","value":"AdeleV2@REDACTED.onmicrosoft.com"},{"op":"Replace","path":"addresses[type eq \"work\"].formatted","value":"18/2111"},{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Retail"}]}"#,
        );
        let doc = patch_user(alice(), request);
        assert_eq!(doc["emails"][0]["value"], "AdeleV2@REDACTED.onmicrosoft.com");
        assert_eq!(doc["addresses"], json!([{"type": "work", "formatted": "18/2111"}]));
        assert_eq!(doc[ENTERPRISE], json!({"department": "Retail"}));
    }

    #[test]
    fn scim_sdk_680_sub_attribute_adds_merge_into_one_element() {
        let doc = patch_user(
            alice(),
            ops(json!([
                {"op": "Add", "path": "addresses[type eq \"work\"].formatted", "value": "1 Main St, Springfield"},
                {"op": "Add", "path": "addresses[type eq \"work\"].locality", "value": "Springfield"},
                {"op": "Add", "path": "addresses[type eq \"work\"].postalCode", "value": "12345"}
            ])),
        );
        assert_eq!(
            doc["addresses"],
            json!([{
                "type": "work",
                "formatted": "1 Main St, Springfield",
                "locality": "Springfield",
                "postalCode": "12345"
            }])
        );
    }

    #[test]
    fn filtered_replace_upserts_when_no_element_matches() {
        let mut start = alice();
        start["emails"] = json!([{"value": "alice@home.example", "type": "home"}]);
        let doc =
            patch_user(start, ops(json!([{"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "alice@contoso.com"}])));
        assert_eq!(
            doc["emails"],
            json!([
                {"value": "alice@home.example", "type": "home"},
                {"type": "work", "value": "alice@contoso.com"}
            ])
        );
        // Without any emails at all, the attribute is created.
        let mut bare = alice();
        object_mut(&mut bare).shift_remove("emails");
        let doc = patch_user(bare, ops(json!([{"op": "Add", "path": "phoneNumbers[type eq \"mobile\"].value", "value": "+1 555 0100"}])));
        assert_eq!(doc["phoneNumbers"], json!([{"type": "mobile", "value": "+1 555 0100"}]));
    }

    fn object_mut(value: &mut Json) -> &mut Object {
        value.as_object_mut().expect("object")
    }

    #[test]
    fn capitalised_sub_attributes_are_matched_and_written_canonically() {
        let mut start = alice();
        start["emails"] = json!([
            {"value": "alice@contoso.com", "type": "work", "primary": true},
            {"value": "old@other.example", "type": "other"}
        ]);
        let doc = patch_user(
            start,
            ops(json!([
                {"op": "Replace", "path": "emails[type eq \"other\"].Value", "value": "new@other.example"},
                {"op": "Replace", "path": "addresses[type eq \"other\"].Formatted", "value": "2 Side St"},
                {"op": "Replace", "path": "addresses[Type eq \"Other\"].Locality", "value": "Shelbyville"}
            ])),
        );
        assert_eq!(doc["emails"][1], json!({"value": "new@other.example", "type": "other"}));
        assert_eq!(doc["addresses"], json!([{"type": "other", "formatted": "2 Side St", "locality": "Shelbyville"}]));
    }

    #[test]
    fn manager_bare_string_becomes_object() {
        let doc = patch_user(
            alice(),
            body(
                r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2"}]}"#,
            ),
        );
        assert_eq!(doc[ENTERPRISE]["manager"], json!({"value": "2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2"}));
    }

    #[test]
    fn manager_object_array_and_unqualified_forms() {
        // An object is stored as given.
        let doc = patch_user(
            alice(),
            ops(json!([{
                "op": "replace",
                "path": format!("{ENTERPRISE}:manager"),
                "value": {"value": "m1", "displayName": "Boss One", "$ref": "https://x/Users/m1"}
            }])),
        );
        assert_eq!(doc[ENTERPRISE]["manager"], json!({"value": "m1", "displayName": "Boss One", "$ref": "https://x/Users/m1"}));
        // A new manager replaces the old one whole: no stale displayName.
        let doc = patch_user(doc, ops(json!([{"op": "Replace", "path": format!("{ENTERPRISE}:manager"), "value": "m2"}])));
        assert_eq!(doc[ENTERPRISE]["manager"], json!({"value": "m2"}));
        // Old E-TUT Example 5: unqualified `manager` with a one-element array.
        let doc = patch_user(
            doc,
            body(
                r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"manager","value":[{"$ref":"http://example.com/scim/Users/00aa","value":"00aa"}]}]}"#,
            ),
        );
        assert_eq!(doc[ENTERPRISE]["manager"], json!({"$ref": "http://example.com/scim/Users/00aa", "value": "00aa"}));
        assert!(doc.get("manager").is_none());
        // A sub-attribute path edits the object in place.
        let doc = patch_user(doc, ops(json!([{"op": "replace", "path": format!("{ENTERPRISE}:manager.displayName"), "value": "Boss"}])));
        assert_eq!(
            doc[ENTERPRISE]["manager"],
            json!({"$ref": "http://example.com/scim/Users/00aa", "value": "00aa", "displayName": "Boss"})
        );
        // Removing the manager removes the now-empty extension.
        let doc = patch_user(doc, ops(json!([{"op": "Remove", "path": format!("{ENTERPRISE}:manager")}])));
        assert!(doc.get(ENTERPRISE).is_none());
    }

    #[test]
    fn entra_roles_add_appends() {
        let mut start = alice();
        start["roles"] = json!([{"primary": true, "type": "WindowsAzureActiveDirectoryRole", "value": "Admin"}]);
        let doc = patch_user(
            start,
            ops(json!([body(
                r#"{"op":"Add","path":"roles","value":[{"value":"{\"id\":\"06b07648-ecfe-589f-9d2f-6325724a46ee\",\"value\":\"25\",\"displayName\":\"Role1234\"}"}]}"#
            )])),
        );
        assert_eq!(
            doc["roles"],
            json!([
                {"primary": true, "type": "WindowsAzureActiveDirectoryRole", "value": "Admin"},
                {"value": "{\"id\":\"06b07648-ecfe-589f-9d2f-6325724a46ee\",\"value\":\"25\",\"displayName\":\"Role1234\"}"}
            ])
        );
    }

    #[test]
    fn tolerated_forms_empty_roles_and_null_ref() {
        let mut start = alice();
        start["roles"] = json!([{"value": "Admin"}]);
        let doc = patch_user(
            start,
            ops(json!([
                {"op": "Replace", "path": "roles", "value": []},
                {"op": "Add", "path": "entitlements", "value": [{"value": "e1", "$ref": null}]},
                {"op": "replace", "value": {"roles": [], "meta": {"resourceType": "User"}}}
            ])),
        );
        assert!(doc.get("roles").is_none());
        assert_eq!(doc["entitlements"], json!([{"value": "e1"}]));
        assert_eq!(doc["meta"], json!({"resourceType": "User"}));
    }

    // -- §1.6: disable and re-enable ---------------------------------------

    #[test]
    fn entra_disable_with_string_false_and_enable_with_true() {
        let disable = body(
            r#"{
    "schemas": [
        "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    ],
    "Operations": [
        {
            "op": "Replace",
            "path": "active",
            "value": "False"
        }
    ]
  }"#,
        );
        let doc = patch_user(alice(), disable);
        assert_eq!(doc["active"], json!(false));
        let enable = ops(json!([{"op": "Replace", "path": "active", "value": "True"}]));
        let doc = patch_user(doc, enable);
        assert_eq!(doc["active"], json!(true));
    }

    #[test]
    fn active_accepts_every_boolean_spelling_and_add() {
        for (value, expected) in [
            (json!("false"), false),
            (json!("true"), true),
            (json!("FALSE"), false),
            (json!("tRuE"), true),
            (json!(false), false),
            (json!(true), true),
        ] {
            for op in ["Replace", "Add", "replace", "add"] {
                let doc = patch_user(alice(), ops(json!([{"op": op, "path": "active", "value": value}])));
                assert_eq!(doc["active"], json!(expected), "{op} {value}");
            }
        }
        // With the aadOptscim062020 flag: a real boolean, lower-case op.
        let doc = patch_user(
            alice(),
            body(
                r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}"#,
            ),
        );
        assert_eq!(doc["active"], json!(false));
    }

    #[test]
    fn active_rejects_non_booleans() {
        for value in [json!("maybe"), json!(""), json!(1), json!(["true"]), json!({"v": true})] {
            let err = user_error(alice(), ops(json!([{"op": "Replace", "path": "active", "value": value}])));
            assert_error(&err, ScimType::InvalidValue, "`active` must be true or false");
        }
        let err = user_error(alice(), ops(json!([{"op": "replace", "value": {"active": "yes"}}])));
        assert_error(&err, ScimType::InvalidValue, "Operations[0]: `active`");
    }

    #[test]
    fn other_strings_are_not_coerced() {
        let doc = patch_user(
            alice(),
            ops(json!([
                {"op": "replace", "path": "title", "value": "True"},
                {"op": "replace", "path": "nickName", "value": 5},
                {"op": "replace", "path": "locale", "value": false}
            ])),
        );
        assert_eq!(doc["title"], "True");
        assert_eq!(doc["nickName"], 5);
        assert_eq!(doc["locale"], false);
    }

    // -- §1.8: Entra groups ---------------------------------------------------

    #[test]
    fn entra_group_rename() {
        let (doc, members) = patch_group(
            group(),
            body(
                r#"{
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{
        "op": "Replace",
        "path": "displayName",
        "value": "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"
    }]
}"#,
            ),
        );
        assert_eq!(doc["displayName"], "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName");
        assert!(members.is_empty());
    }

    #[test]
    fn entra_add_members_with_null_ref() {
        let (doc, members) = patch_group(
            group(),
            body(
                r#"{
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{
        "op": "Add",
        "path": "members",
        "value": [{
            "$ref": null,
            "value": "f648f8d5ea4e4cd38e9c"
        }]
    }]
}"#,
            ),
        );
        assert_eq!(members, vec![MemberChange::Add(ids(&["f648f8d5ea4e4cd38e9c"]))]);
        assert_eq!(doc, group(), "membership is never stored in the document");
    }

    #[test]
    fn entra_adds_several_members_and_re_adds_are_passed_on() {
        let (_, members) = patch_group(
            group(),
            ops(json!([{"op": "Add", "path": "members", "value": [
                {"value": "u1"}, {"value": "u2", "display": "Two"}, {"value": "u1"}
            ]}])),
        );
        assert_eq!(members, vec![MemberChange::Add(ids(&["u1", "u2", "u1"]))]);
    }

    #[test]
    fn entra_remove_members_with_value_list_removes_only_those() {
        let (_, members) = patch_group(
            group(),
            body(
                r#"{
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{
        "op": "Remove",
        "path": "members",
        "value": [{
            "$ref": null,
            "value": "f648f8d5ea4e4cd38e9c"
        }]
    }]
}"#,
            ),
        );
        assert_eq!(members, vec![MemberChange::Remove(ids(&["f648f8d5ea4e4cd38e9c"]))]);
        // The table form of §1.10.
        let (_, members) = patch_group(group(), ops(json!([body(r#"{"op":"Remove","path":"members","value":[{"value":"u1091"}]}"#)])));
        assert_eq!(members, vec![MemberChange::Remove(ids(&["u1091"]))]);
    }

    #[test]
    fn entra_flag_form_remove_member_by_filter() {
        let (_, members) = patch_group(
            group(),
            body(
                r#"{
    "schemas": [
        "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    ],
    "Operations": [
        {
            "op": "remove",
            "path": "members[value eq \"7f4bc1a3-285e-48ae-8202-5accb43efb0e\"]"
        }
    ]
  }"#,
            ),
        );
        assert_eq!(members, vec![MemberChange::Remove(ids(&["7f4bc1a3-285e-48ae-8202-5accb43efb0e"]))]);
    }

    #[test]
    fn member_filter_with_or_and_unsupported_filters() {
        let (_, members) =
            patch_group(group(), ops(json!([{"op": "remove", "path": "members[value eq \"a\" or VALUE eq \"b\" or value eq 7]"}])));
        assert_eq!(members, vec![MemberChange::Remove(ids(&["a", "b", "7"]))]);
        for path in [
            "members[display eq \"Bob\"]",
            "members[value eq \"a\" and value eq \"b\"]",
            "members[value ne \"a\"]",
            "members[value pr]",
            "members[not (value eq \"a\")]",
        ] {
            let err = error(ResourceKind::Group, group(), ops(json!([{"op": "remove", "path": path}])));
            assert_error(&err, ScimType::InvalidFilter, "value eq");
        }
        let err =
            error(ResourceKind::Group, group(), ops(json!([{"op": "add", "path": "members[value eq \"a\"]", "value": [{"value": "a"}]}])));
        assert_error(&err, ScimType::InvalidPath, "only supported with `remove`");
        let err =
            error(ResourceKind::Group, group(), ops(json!([{"op": "replace", "path": "members[value eq \"a\"].display", "value": "x"}])));
        assert_error(&err, ScimType::InvalidPath, "sub-attributes of `members`");
    }

    #[test]
    fn remove_members_without_value_removes_all_but_empty_list_is_noop() {
        let (_, members) = patch_group(group(), ops(json!([{"op": "remove", "path": "members"}])));
        assert_eq!(members, vec![MemberChange::RemoveAll]);
        let (_, members) = patch_group(group(), ops(json!([{"op": "remove", "path": "members", "value": null}])));
        assert_eq!(members, vec![MemberChange::RemoveAll]);
        let (_, members) = patch_group(group(), ops(json!([{"op": "remove", "path": "members", "value": []}])));
        assert!(members.is_empty());
        let (_, members) = patch_group(group(), ops(json!([{"op": "add", "path": "members", "value": []}])));
        assert!(members.is_empty());
        // A single member object instead of an array is accepted.
        let (_, members) = patch_group(group(), ops(json!([{"op": "remove", "path": "members", "value": {"value": "u9"}}])));
        assert_eq!(members, vec![MemberChange::Remove(ids(&["u9"]))]);
    }

    #[test]
    fn member_objects_need_a_string_value() {
        for value in [json!([{"display": "no id"}]), json!([{"value": 42}]), json!([{"value": ""}]), json!([""]), json!([null]), json!(7)] {
            for op in ["add", "replace", "remove"] {
                let err = error(ResourceKind::Group, group(), ops(json!([{"op": op, "path": "members", "value": value}])));
                assert_error(&err, ScimType::InvalidValue, "string `value`");
            }
        }
    }

    #[test]
    fn a_bare_id_string_is_a_member() {
        for value in [json!("u1"), json!(["u1"])] {
            let (_, members) = patch_group(group(), ops(json!([{"op": "add", "path": "members", "value": value}])));
            assert_eq!(members, vec![MemberChange::Add(vec!["u1".into()])]);
        }
    }

    // -- §1.10: the aadOptscim062020 flag --------------------------------------

    #[test]
    fn entra_flag_pathless_dotted_and_urn_keys() {
        let request = body(
            r#"{
    "schemas": [
        "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    ],
    "Operations": [
        {
            "op": "replace",
            "path": "emails[type eq \"work\"].value",
            "value": "TestMhvaes@test.microsoft.com"
        },
        {
            "op": "replace",
            "value": {
                "displayName": "Bjfe",
                "name.givenName": "Kkom",
                "name.familyName": "Unua",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "Aklq"
            }
        }
    ]
  }"#,
        );
        let doc = patch_user(alice(), request);
        assert_eq!(doc["emails"][0]["value"], "TestMhvaes@test.microsoft.com");
        assert_eq!(doc["displayName"], "Bjfe");
        assert_eq!(doc["name"], json!({"givenName": "Kkom", "familyName": "Unua", "formatted": "Alice Smith"}));
        assert_eq!(doc[ENTERPRISE]["employeeNumber"], "Aklq");
        let fields = object(doc);
        assert!(!fields.contains_key("name.givenName"));
        assert!(!fields.keys().any(|k| k.ends_with(":employeeNumber")));
    }

    // -- §2.5, §2.10: Okta ------------------------------------------------------

    #[test]
    fn okta_deactivate_pathless() {
        let doc = patch_user(
            alice(),
            body(
                r#"{
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{
        "op": "replace",
        "value": {
            "active": false
        }
    }]
}"#,
            ),
        );
        assert_eq!(doc["active"], json!(false));
        let mut expected = alice();
        expected["active"] = json!(false);
        assert_eq!(doc, expected);
    }

    #[test]
    fn okta_group_rename_with_read_only_id() {
        let (doc, members) = patch_group(
            group(),
            body(
                r#"{
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{
        "op": "replace",
        "value": {
            "id": "abf4dd94-a4c0-4f67-89c9-76b03340cb9b",
            "displayName": "Test SCIMv2"
        }
    }]
}"#,
            ),
        );
        assert_eq!(doc["displayName"], "Test SCIMv2");
        assert_eq!(doc["id"], "abf4dd94-a4c0-4f67-89c9-76b03340cb9b");
        assert!(members.is_empty());
        // Even a different id is ignored, not applied and not rejected.
        let (doc, _) = patch_group(group(), ops(json!([{"op": "replace", "value": {"id": "other", "displayName": "X"}}])));
        assert_eq!(doc["id"], "abf4dd94-a4c0-4f67-89c9-76b03340cb9b");
    }

    #[test]
    fn okta_membership_delta() {
        let (doc, members) = patch_group(
            group(),
            body(
                r#"{
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [{
        "op": "remove",
        "path": "members[value eq \"89bb1940-b905-4575-9e7f-6f887cfb368e\"]"
        },
        {
        "op": "add",
        "path": "members",
        "value": [{
            "value": "23a35c27-23d3-4c03-b4c5-6443c09e7173",
            "display": "test.user@okta.local"
        }]
    }]
}"#,
            ),
        );
        assert_eq!(
            members,
            vec![
                MemberChange::Remove(ids(&["89bb1940-b905-4575-9e7f-6f887cfb368e"])),
                MemberChange::Add(ids(&["23a35c27-23d3-4c03-b4c5-6443c09e7173"])),
            ]
        );
        assert_eq!(doc, group());
    }

    #[test]
    fn okta_full_membership_replace_and_empty_replace() {
        let (_, members) = patch_group(
            group(),
            body(
                r#"{
  "schemas": [
    "urn:ietf:params:scim:api:messages:2.0:PatchOp"
  ],
  "Operations": [
    {
      "op": "replace",
      "path": "members",
      "value": [
        {
          "value": "23a35c27-23d3-4c03-b4c5-6443c09e7173",
          "display": "test.user@okta.local"
        },
        {
          "value": "89bb1940-b905-4575-9e7f-6f887cfb368e",
          "display": "test.user@okta.local"
        }
      ]
    }
  ]
}"#,
            ),
        );
        assert_eq!(
            members,
            vec![MemberChange::ReplaceAll(ids(&["23a35c27-23d3-4c03-b4c5-6443c09e7173", "89bb1940-b905-4575-9e7f-6f887cfb368e"]))]
        );
        let (_, members) = patch_group(group(), ops(json!([body(r#"{"op":"replace","path":"members","value":[]}"#)])));
        assert_eq!(members, vec![MemberChange::ReplaceAll(Vec::new())]);
    }

    #[test]
    fn group_pathless_members_and_attributes() {
        let (doc, members) = patch_group(
            group(),
            ops(json!([
                {"op": "add", "value": {"members": [{"value": "u1"}], "externalId": "new-ext"}},
                {"op": "replace", "value": {"id": "x", "displayName": "Renamed", "members": [{"value": "u2"}]}},
                {"op": "replace", "path": format!("{GROUP_SCHEMA}:displayName"), "value": "Qualified"}
            ])),
        );
        assert_eq!(members, vec![MemberChange::Add(ids(&["u1"])), MemberChange::ReplaceAll(ids(&["u2"])),]);
        assert_eq!(doc["externalId"], "new-ext");
        assert_eq!(doc["displayName"], "Qualified");
        assert!(doc.get("members").is_none());
    }

    #[test]
    fn group_rejects_user_schemas() {
        let err =
            error(ResourceKind::Group, group(), ops(json!([{"op": "add", "path": format!("{ENTERPRISE}:department"), "value": "x"}])));
        assert_error(&err, ScimType::InvalidPath, "unknown schema");
        let err =
            error(ResourceKind::Group, group(), ops(json!([{"op": "add", "path": format!("{USER_SCHEMA}:displayName"), "value": "x"}])));
        assert_error(&err, ScimType::InvalidPath, "unknown schema");
    }

    // -- semantics ---------------------------------------------------------------

    #[test]
    fn op_names_are_case_insensitive() {
        for (text, kind) in [
            ("Add", OpKind::Add),
            ("add", OpKind::Add),
            ("ADD", OpKind::Add),
            ("Replace", OpKind::Replace),
            ("REPLACE", OpKind::Replace),
            ("Remove", OpKind::Remove),
            ("rEmOvE", OpKind::Remove),
        ] {
            let parsed =
                parse_request(&ops(json!([{"op": text, "path": "title", "value": "x"}]))).unwrap_or_else(|e| panic!("{text}: {e:?}"));
            assert_eq!(parsed[0].op, kind);
        }
        for bad in [json!("copy"), json!("move"), json!("test"), json!(""), json!(1), json!(null), json!(["add"])] {
            let err = parse_request(&ops(json!([{"op": bad, "path": "title", "value": "x"}]))).expect_err("bad op");
            assert_error(&err, ScimType::InvalidSyntax, "op");
        }
    }

    #[test]
    fn request_envelope_validation() {
        let op = json!({"op": "add", "path": "title", "value": "x"});
        // Missing schemas is accepted; case-insensitive URN and key names.
        assert!(parse_request(&json!({"Operations": [op.clone()]})).is_ok());
        assert!(parse_request(&json!({"schemas": [PATCH_OP_SCHEMA.to_uppercase()], "operations": [op.clone()]})).is_ok());
        assert!(parse_request(&json!({"schemas": PATCH_OP_SCHEMA, "Operations": [op.clone()]})).is_ok());
        let err = parse_request(&json!({"schemas": [USER_SCHEMA], "Operations": [op.clone()]})).expect_err("schema");
        assert_error(&err, ScimType::InvalidSyntax, "PatchOp");
        let err = parse_request(&json!({"schemas": [PATCH_OP_SCHEMA]})).expect_err("no ops");
        assert_error(&err, ScimType::InvalidSyntax, "no `Operations`");
        let err = parse_request(&ops(json!([]))).expect_err("empty");
        assert_error(&err, ScimType::InvalidSyntax, "empty");
        let err = parse_request(&ops(json!({"op": "add"}))).expect_err("not array");
        assert_error(&err, ScimType::InvalidSyntax, "must be an array");
        let err = parse_request(&json!([op.clone()])).expect_err("array body");
        assert_error(&err, ScimType::InvalidSyntax, "JSON object");
        let err = parse_request(&ops(json!([op.clone(), "add"]))).expect_err("op not object");
        assert_error(&err, ScimType::InvalidSyntax, "Operations[1]: each operation");
    }

    #[test]
    fn operation_count_limit() {
        let op = json!({"op": "add", "path": "members", "value": [{"value": "u"}]});
        let at_limit = ops(Json::Array(vec![op.clone(); MAX_OPERATIONS]));
        let (_, members) = patch_group(group(), at_limit);
        assert_eq!(members.len(), MAX_OPERATIONS);
        let over = ops(Json::Array(vec![op; MAX_OPERATIONS + 1]));
        let err = parse_request(&over).expect_err("too many");
        assert_error(&err, ScimType::InvalidValue, "at most 1000");
    }

    #[test]
    fn value_is_required_for_add_and_replace_only() {
        for op in ["add", "replace"] {
            let err = parse_request(&ops(json!([{"op": op, "path": "title"}]))).expect_err("value");
            assert_error(&err, ScimType::InvalidSyntax, "needs a `value`");
        }
        let parsed = parse_request(&ops(json!([{"op": "remove", "path": "title"}]))).expect("remove");
        assert_eq!(parsed[0].value, None);
        let parsed = parse_request(&ops(json!([{"op": "add", "path": "title", "value": null}]))).expect("null");
        assert_eq!(parsed[0].value, Some(Json::Null));
        // `apply` checks too, for operations built by hand.
        let mut doc = object(alice());
        let err = apply(
            ResourceKind::User,
            &mut doc,
            &[Operation { op: OpKind::Replace, path: Some(parse_path("title").expect("path")), value: None }],
        )
        .expect_err("value");
        assert_error(&err, ScimType::InvalidSyntax, "needs a `value`");
    }

    #[test]
    fn path_must_be_a_valid_string() {
        for path in [json!(1), json!({"a": 1}), json!(["title"]), json!(true)] {
            let err = parse_request(&ops(json!([{"op": "add", "path": path, "value": "x"}]))).expect_err("path");
            assert_error(&err, ScimType::InvalidPath, "`path` must be a string");
        }
        let err = parse_request(&ops(json!([{"op": "add", "path": "bad path", "value": "x"}]))).expect_err("path");
        assert_error(&err, ScimType::InvalidPath, "Operations[0]: invalid path `bad path`");
    }

    #[test]
    fn parse_path_forms() {
        let attr = |schema: Option<&str>, name: &str, sub: Option<&str>| AttrPath {
            schema: schema.map(str::to_owned),
            name: name.to_owned(),
            sub_attr: sub.map(str::to_owned),
        };
        let parsed = parse_path("emails[type eq \"work\"].value").expect("path");
        assert_eq!(parsed.attr, attr(None, "emails", None));
        assert_eq!(parsed.filter, Some(filter("type eq \"work\"")));
        assert_eq!(parsed.sub_attr.as_deref(), Some("value"));

        assert_eq!(
            parse_path("name.givenName").expect("path"),
            PatchPath { attr: attr(None, "name", Some("givenName")), filter: None, sub_attr: None }
        );
        let enterprise_schema = Some(ENTERPRISE.rsplit_once(':').map_or(ENTERPRISE, |(s, _)| s));
        let department = parse_path(&format!("{ENTERPRISE}:department")).expect("path");
        assert_eq!(department.attr, attr(Some(ENTERPRISE), "department", None));
        let manager = parse_path(&format!("{ENTERPRISE}:manager.value")).expect("path");
        assert_eq!(manager.attr, attr(Some(ENTERPRISE), "manager", Some("value")));
        let whole = parse_path(ENTERPRISE).expect("path");
        assert_eq!(whole.attr, attr(enterprise_schema, "User", None));

        let member = parse_path("members[value eq \"id\"]").expect("path");
        assert_eq!(member.attr, attr(None, "members", None));
        assert_eq!(member.filter, Some(filter("value eq \"id\"")));
        assert_eq!(member.sub_attr, None);

        let address = parse_path("addresses[type eq \"work\"].formatted").expect("path");
        assert_eq!(address.sub_attr.as_deref(), Some("formatted"));

        let core = parse_path("urn:ietf:params:scim:schemas:core:2.0:User:name.familyName").expect("path");
        assert_eq!(core.attr, attr(Some(USER_SCHEMA), "name", Some("familyName")));

        let qualified_filter = parse_path(&format!("{USER_SCHEMA}:emails[type eq \"work\"].value")).expect("path");
        assert_eq!(qualified_filter.attr, attr(Some(USER_SCHEMA), "emails", None));

        // A `]` inside a quoted string does not close the filter.
        let tricky = parse_path("emails[value eq \"a]b\"].display").expect("path");
        assert_eq!(tricky.filter, Some(filter("value eq \"a]b\"")));
        assert_eq!(tricky.sub_attr.as_deref(), Some("display"));
        let escaped = parse_path(r#"emails[value eq "a\"]"].type"#).expect("path");
        assert_eq!(escaped.sub_attr.as_deref(), Some("type"));
    }

    #[test]
    fn parse_path_errors() {
        for bad in [
            "",
            "   ",
            "[type eq \"x\"]",
            "emails[",
            "emails[type eq \"work\"",
            "emails[]",
            "emails[type eq]",
            "emails[type eq \"work\"]value",
            "emails[type eq \"work\"].",
            "emails[type eq \"work\"].value.x",
            "emails[type eq \"work\"]. value",
            "emails[type eq \"work\"][type eq \"x\"]",
            "emails[addresses[type eq \"x\"]]",
            "name.givenName[type eq \"x\"]",
            "a.b.c",
            "foo:bar",
            "urn:",
            "1abc",
            "na me",
        ] {
            let err = parse_path(bad).expect_err(bad);
            assert_error(&err, ScimType::InvalidPath, "invalid path");
        }
        let long = "a".repeat(10_000);
        let err = parse_path(&long).expect_err("long");
        assert!(err.detail.len() < 400, "detail is shortened");
    }

    #[test]
    fn pathless_complex_values_merge_for_add_and_replace() {
        for op in ["add", "replace", "Replace"] {
            let doc = patch_user(alice(), ops(json!([{"op": op, "value": {"name": {"givenName": "Alicia", "MiddleName": "Q"}}}])));
            assert_eq!(
                doc["name"],
                json!({"givenName": "Alicia", "familyName": "Smith", "formatted": "Alice Smith", "middleName": "Q"}),
                "{op}"
            );
        }
        // With a path the same rule applies (RFC 7644 §3.5.2.3).
        let doc = patch_user(alice(), ops(json!([{"op": "replace", "path": "name", "value": {"familyName": "Jones"}}])));
        assert_eq!(doc["name"]["givenName"], "Alice");
        assert_eq!(doc["name"]["familyName"], "Jones");
    }

    #[test]
    fn pathless_extension_object_merges() {
        let mut start = alice();
        start[ENTERPRISE] = json!({"department": "Sales", "costCenter": "42"});
        let doc = patch_user(
            start,
            ops(json!([{"op": "replace", "value": {
                ENTERPRISE: {"department": "Retail", "manager": "m1", "Division": "EMEA"},
                CUSTOM_USER_SCHEMA: {"badgeColour": "Blue"}
            }}])),
        );
        assert_eq!(doc[ENTERPRISE], json!({"department": "Retail", "costCenter": "42", "manager": {"value": "m1"}, "division": "EMEA"}));
        assert_eq!(doc[CUSTOM_USER_SCHEMA], json!({"badgeColour": "Blue"}));
        // The extension URN as a path works the same way; remove drops it.
        let doc = patch_user(
            doc,
            ops(json!([
                {"op": "add", "path": ENTERPRISE, "value": {"organization": "Contoso"}},
                {"op": "remove", "path": CUSTOM_USER_SCHEMA}
            ])),
        );
        assert_eq!(doc[ENTERPRISE]["organization"], "Contoso");
        assert_eq!(doc[ENTERPRISE]["costCenter"], "42");
        assert!(doc.get(CUSTOM_USER_SCHEMA).is_none());
    }

    #[test]
    fn custom_extension_names_are_kept_as_written() {
        let doc = patch_user(
            alice(),
            ops(json!([
                {"op": "Add", "path": format!("{CUSTOM_USER_SCHEMA}:BadgeNumber"), "value": "B-7"},
                {"op": "Add", "path": format!("{CUSTOM_USER_SCHEMA}:Value"), "value": "kept"}
            ])),
        );
        assert_eq!(doc[CUSTOM_USER_SCHEMA], json!({"BadgeNumber": "B-7", "Value": "kept"}));
        // Later writes in another case update the same key.
        let doc = patch_user(doc, ops(json!([{"op": "Replace", "path": format!("{CUSTOM_USER_SCHEMA}:badgenumber"), "value": "B-8"}])));
        assert_eq!(doc[CUSTOM_USER_SCHEMA], json!({"BadgeNumber": "B-8", "Value": "kept"}));
    }

    #[test]
    fn attribute_names_are_case_insensitive() {
        let mut start = alice();
        object_mut(&mut start).insert("NickName".into(), json!("old"));
        let doc = patch_user(
            start,
            ops(json!([
                {"op": "replace", "path": "nickname", "value": "new"},
                {"op": "add", "path": "TITLE", "value": "CEO"},
                {"op": "replace", "path": "NAME.GIVENNAME", "value": "Al"},
                {"op": "replace", "path": "Emails[TYPE eq \"WORK\"].VALUE", "value": "al@contoso.com"},
                {"op": "replace", "path": format!("{}:DEPARTMENT", ENTERPRISE.to_lowercase()), "value": "R&D"}
            ])),
        );
        let fields = object(doc.clone());
        assert_eq!(fields.get("NickName"), Some(&json!("new")));
        assert!(!fields.contains_key("nickname") && !fields.contains_key("nickName"));
        assert_eq!(doc["title"], "CEO");
        assert_eq!(doc["name"]["givenName"], "Al");
        assert_eq!(doc["emails"], json!([{"value": "al@contoso.com", "type": "work", "primary": true}]));
        assert_eq!(doc[ENTERPRISE], json!({"department": "R&D"}));
    }

    #[test]
    fn read_only_attributes_are_ignored() {
        let mut start = alice();
        start["groups"] = json!([{"value": "g1"}]);
        let doc = patch_user(
            start.clone(),
            ops(json!([
                {"op": "replace", "path": "id", "value": "hijack"},
                {"op": "remove", "path": "meta"},
                {"op": "replace", "path": "meta.lastModified", "value": "2020-01-01"},
                {"op": "add", "path": "schemas", "value": ["urn:x"]},
                {"op": "add", "path": "groups", "value": [{"value": "g2"}]},
                {"op": "remove", "path": "groups[value eq \"g1\"]"},
                {"op": "replace", "path": format!("{USER_SCHEMA}:id"), "value": "hijack"},
                {"op": "replace", "value": {"id": "hijack", "meta": {}, "schemas": [], "groups": []}}
            ])),
        );
        assert_eq!(doc, start);
    }

    #[test]
    fn multi_valued_add_appends_dedupes_and_settles_primary() {
        let doc = patch_user(
            alice(),
            ops(json!([{"op": "add", "path": "emails", "value": [
                {"value": "alice@contoso.com", "type": "work", "primary": true},
                {"value": "a@home.example", "type": "home", "primary": "True"}
            ]}])),
        );
        assert_eq!(
            doc["emails"],
            json!([
                {"value": "alice@contoso.com", "type": "work", "primary": false},
                {"value": "a@home.example", "type": "home", "primary": true}
            ])
        );
        // A non-array value is wrapped; an exact duplicate is skipped.
        let doc = patch_user(
            doc,
            ops(json!([
                {"op": "add", "path": "phoneNumbers", "value": {"value": "555", "type": "work"}},
                {"op": "add", "path": "phoneNumbers", "value": {"value": "555", "type": "work"}}
            ])),
        );
        assert_eq!(doc["phoneNumbers"], json!([{"value": "555", "type": "work"}]));
        // Path-less add appends too.
        let doc = patch_user(doc, ops(json!([{"op": "add", "value": {"phoneNumbers": [{"value": "556", "type": "mobile"}]}}])));
        assert_eq!(doc["phoneNumbers"].as_array().map(Vec::len), Some(2));
    }

    #[test]
    fn multi_valued_replace_replaces_whole_array() {
        let doc = patch_user(
            alice(),
            ops(json!([{"op": "replace", "path": "emails", "value": [{"value": "x@y.z", "type": "other", "Primary": "false"}]}])),
        );
        assert_eq!(doc["emails"], json!([{"value": "x@y.z", "type": "other", "primary": false}]));
        let doc = patch_user(doc, ops(json!([{"op": "replace", "path": "emails", "value": {"value": "only@y.z"}}])));
        assert_eq!(doc["emails"], json!([{"value": "only@y.z"}]));
        let doc = patch_user(doc, ops(json!([{"op": "replace", "path": "emails", "value": []}])));
        assert!(doc.get("emails").is_none());
    }

    #[test]
    fn filtered_writes_on_matching_elements() {
        let mut start = alice();
        start["emails"] = json!([
            {"value": "w1@x", "type": "work"},
            {"value": "h1@x", "type": "home", "primary": true},
            {"value": "w2@x", "type": "WORK"}
        ]);
        // Every matching element is updated.
        let doc = patch_user(start, ops(json!([{"op": "replace", "path": "emails[type eq \"work\"].display", "value": "Work"}])));
        assert_eq!(doc["emails"][0]["display"], "Work");
        assert_eq!(doc["emails"][2]["display"], "Work");
        assert!(doc["emails"][1].get("display").is_none());
        // An object value without a sub-attribute merges into the match.
        let doc = patch_user(
            doc,
            ops(json!([{"op": "replace", "path": "emails[value eq \"w1@x\"]", "value": {"primary": "true", "display": null}}])),
        );
        assert_eq!(doc["emails"][0], json!({"value": "w1@x", "type": "work", "primary": true}));
        assert_eq!(doc["emails"][1]["primary"], json!(false), "only one primary");
        // ... and upserts when nothing matches.
        let doc = patch_user(doc, ops(json!([{"op": "add", "path": "emails[type eq \"other\"]", "value": {"value": "o@x"}}])));
        assert_eq!(doc["emails"][3], json!({"type": "other", "value": "o@x"}));
        // A scalar value for a sub-attribute-less filtered path is rejected.
        let err = user_error(doc, ops(json!([{"op": "replace", "path": "emails[type eq \"work\"]", "value": "x"}])));
        assert_error(&err, ScimType::InvalidValue, "object value");
    }

    #[test]
    fn upsert_template_from_and_of_equalities() {
        let doc = patch_user(
            alice(),
            ops(json!([{"op": "replace", "path": "phoneNumbers[type eq \"work\" and primary eq true].value", "value": "555"}])),
        );
        assert_eq!(doc["phoneNumbers"], json!([{"type": "work", "primary": true, "value": "555"}]));
        for path in [
            "emails[type ne \"work\"].value",
            "emails[type eq \"a\" or type eq \"b\"].value",
            "emails[value co \"@\"].display",
            "emails[type eq \"a\" and type eq \"b\"].value",
            "emails[type eq null].value",
        ] {
            let mut start = alice();
            object_mut(&mut start).shift_remove("emails");
            let err = user_error(start, ops(json!([{"op": "replace", "path": path, "value": "v"}])));
            assert_error(&err, ScimType::NoTarget, "none can be created");
        }
    }

    #[test]
    fn filtered_and_plain_removes() {
        let mut start = alice();
        start["emails"] = json!([
            {"value": "w@x", "type": "work", "primary": true},
            {"value": "h@x", "type": "home"},
            {"value": "o@x", "type": "other"}
        ]);
        let doc = patch_user(start.clone(), ops(json!([{"op": "remove", "path": "emails[type eq \"home\"]"}])));
        assert_eq!(doc["emails"].as_array().map(Vec::len), Some(2));
        let doc = patch_user(doc, ops(json!([{"op": "Remove", "path": "emails[type eq \"work\"].value"}])));
        assert_eq!(doc["emails"][0], json!({"type": "work", "primary": true}));
        // No match: no-op, not an error.
        let same = patch_user(
            doc.clone(),
            ops(json!([
                {"op": "remove", "path": "emails[type eq \"fax\"]"},
                {"op": "remove", "path": "addresses[type eq \"work\"].formatted"},
                {"op": "remove", "path": "nickName"},
                {"op": "remove", "path": "name.middleName"},
                {"op": "remove", "path": format!("{ENTERPRISE}:department")}
            ])),
        );
        assert_eq!(same, doc);
        // Plain path removes the attribute; sub-attribute removes just it.
        let doc = patch_user(
            start,
            ops(json!([
                {"op": "remove", "path": "emails"},
                {"op": "remove", "path": "name.formatted"},
                {"op": "remove", "path": "displayName"}
            ])),
        );
        assert!(doc.get("emails").is_none());
        assert!(doc.get("displayName").is_none());
        assert_eq!(doc["name"], json!({"givenName": "Alice", "familyName": "Smith"}));
        // Removing the last sub-attribute removes the complex attribute.
        let doc = patch_user(doc, ops(json!([{"op": "remove", "path": "name.givenName"}, {"op": "remove", "path": "name.familyName"}])));
        assert!(doc.get("name").is_none());
    }

    #[test]
    fn remove_with_value_list_on_user_attribute_removes_only_listed() {
        let mut start = alice();
        start["roles"] = json!([{"value": "Admin", "type": "t"}, {"value": "Reader", "type": "t"}]);
        let doc = patch_user(start.clone(), ops(json!([{"op": "Remove", "path": "roles", "value": [{"value": "Admin", "$ref": null}]}])));
        assert_eq!(doc["roles"], json!([{"value": "Reader", "type": "t"}]));
        // A listed object with only nulls names nothing.
        let doc = patch_user(start.clone(), ops(json!([{"op": "Remove", "path": "roles", "value": [{"value": null}]}])));
        assert_eq!(doc, start);
    }

    #[test]
    fn emails_value_without_filter_addresses_every_element() {
        let mut start = alice();
        start["emails"] = json!([{"value": "a@x", "type": "work"}, {"value": "b@x", "type": "home"}]);
        let doc = patch_user(start, ops(json!([{"op": "replace", "path": "emails.display", "value": "Mail"}])));
        assert_eq!(doc["emails"][0]["display"], "Mail");
        assert_eq!(doc["emails"][1]["display"], "Mail");
        let doc = patch_user(doc, ops(json!([{"op": "remove", "path": "emails.display"}])));
        assert!(doc["emails"][0].get("display").is_none());
        let mut bare = alice();
        object_mut(&mut bare).shift_remove("emails");
        let doc = patch_user(bare, ops(json!([{"op": "add", "path": "emails.value", "value": "n@x"}])));
        assert_eq!(doc["emails"], json!([{"value": "n@x"}]));
    }

    #[test]
    fn null_values_remove_on_replace_and_are_ignored_on_add() {
        let doc = patch_user(
            alice(),
            ops(json!([
                {"op": "replace", "path": "displayName", "value": null},
                {"op": "add", "path": "userName", "value": null},
                {"op": "replace", "path": "name.formatted", "value": null},
                {"op": "add", "path": "name.givenName", "value": null},
                {"op": "replace", "value": {"externalId": null, "nickName": null}},
                {"op": "add", "path": "emails[type eq \"home\"].value", "value": null},
                {"op": "replace", "path": "emails[type eq \"work\"].primary", "value": null}
            ])),
        );
        assert!(doc.get("displayName").is_none());
        assert_eq!(doc["userName"], "alice@contoso.com");
        assert_eq!(doc["name"], json!({"givenName": "Alice", "familyName": "Smith"}));
        assert!(doc.get("externalId").is_none());
        assert_eq!(doc["emails"], json!([{"value": "alice@contoso.com", "type": "work"}]));
        let doc = patch_user(doc, ops(json!([{"op": "replace", "path": "emails", "value": null}])));
        assert!(doc.get("emails").is_none());
    }

    #[test]
    fn remove_without_path_is_no_target() {
        let err = user_error(alice(), ops(json!([{"op": "Remove", "value": {"title": "x"}}])));
        assert_error(&err, ScimType::NoTarget, "`remove` needs a `path`");
    }

    #[test]
    fn pathless_needs_an_object() {
        for value in [json!("x"), json!([{"title": "x"}]), json!(null), json!(1)] {
            let err = user_error(alice(), ops(json!([{"op": "replace", "value": value}])));
            assert_error(&err, ScimType::InvalidValue, "without `path`");
        }
        let err = user_error(alice(), ops(json!([{"op": "replace", "value": {"bad key": 1}}])));
        assert_error(&err, ScimType::InvalidPath, "invalid path `bad key`");
    }

    #[test]
    fn unknown_schemas_and_impossible_paths_are_invalid_path() {
        let cases = [
            ("urn:ietf:params:scim:schemas:extension:other:2.0:User:x", "unknown schema"),
            ("urn:ietf:params:scim:schemas:core:2.0:Group:displayName", "unknown schema"),
            ("userName.first", "has no sub-attributes"),
            ("active.value", "has no sub-attributes"),
            ("name[givenName eq \"A\"].givenName", "not multi-valued"),
            ("displayName[value eq \"A\"]", "not multi-valued"),
        ];
        for (path, detail) in cases {
            let err = user_error(alice(), ops(json!([{"op": "replace", "path": path, "value": "x"}])));
            assert_error(&err, ScimType::InvalidPath, detail);
        }
        // Unknown attributes: scalar cannot take a sub-attribute or a filter.
        let mut start = alice();
        start["badge"] = json!("B1");
        let err = user_error(start.clone(), ops(json!([{"op": "add", "path": "badge.colour", "value": "x"}])));
        assert_error(&err, ScimType::InvalidPath, "not a complex attribute");
        let err = user_error(start, ops(json!([{"op": "add", "path": "badge[value eq \"B1\"].x", "value": "x"}])));
        assert_error(&err, ScimType::InvalidPath, "not multi-valued");
    }

    #[test]
    fn unknown_core_attributes_are_stored_as_written() {
        let doc = patch_user(
            alice(),
            ops(json!([
                {"op": "add", "path": "badgeColour", "value": "Blue"},
                {"op": "add", "path": "tags", "value": ["a", "b"]},
                {"op": "add", "path": "tags", "value": ["c", "a"]},
                {"op": "remove", "path": "tags[value eq \"b\"]"},
                {"op": "add", "path": "office.Floor", "value": 3}
            ])),
        );
        assert_eq!(doc["badgeColour"], "Blue");
        assert_eq!(doc["tags"], json!(["a", "c"]));
        assert_eq!(doc["office"], json!({"Floor": 3}));
    }

    #[test]
    fn legacy_dotted_extension_path() {
        let doc = patch_user(alice(), ops(json!([{"op": "Replace", "path": format!("{ENTERPRISE}.department"), "value": "Ops"}])));
        assert_eq!(doc[ENTERPRISE], json!({"department": "Ops"}));
    }

    #[test]
    fn core_urn_paths_and_keys() {
        let doc = patch_user(
            alice(),
            ops(json!([
                {"op": "replace", "path": format!("{USER_SCHEMA}:name.familyName"), "value": "Jones"},
                {"op": "replace", "value": {USER_SCHEMA: {"title": "CTO", "name.givenName": "Al"}}},
                {"op": "replace", "value": {format!("{USER_SCHEMA}:nickName"): "Ally"}}
            ])),
        );
        assert_eq!(doc["name"]["familyName"], "Jones");
        assert_eq!(doc["name"]["givenName"], "Al");
        assert_eq!(doc["title"], "CTO");
        assert_eq!(doc["nickName"], "Ally");
        assert!(doc.get(USER_SCHEMA).is_none());
    }

    #[test]
    fn a_failing_operation_leaves_the_document_unchanged() {
        let err = user_error(
            alice(),
            ops(json!([
                {"op": "replace", "path": "displayName", "value": "Changed"},
                {"op": "replace", "path": "active", "value": "nope"}
            ])),
        );
        assert_error(&err, ScimType::InvalidValue, "Operations[1]: ");
    }

    #[test]
    fn key_order_is_preserved() {
        let doc = patch_user(
            alice(),
            ops(json!([
                {"op": "replace", "path": "userName", "value": "x"},
                {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "y"},
                {"op": "replace", "path": "name.givenName", "value": "z"}
            ])),
        );
        let keys: Vec<&String> = doc.as_object().map(|o| o.keys().collect()).unwrap_or_default();
        let expected: Vec<String> = object(alice()).keys().cloned().collect();
        assert_eq!(keys, expected.iter().collect::<Vec<_>>());
    }

    // -- robustness ----------------------------------------------------------

    fn nested_arrays(depth: usize) -> Json {
        (0..depth).fold(json!(1), |inner, _| json!([inner]))
    }

    fn nested_objects(depth: usize) -> Json {
        (0..depth).fold(json!("leaf"), |inner, _| json!({"name": inner}))
    }

    fn odd_bodies() -> Vec<Json> {
        let mut bodies = vec![
            json!(null),
            json!(true),
            json!(1),
            json!("PatchOp"),
            json!([]),
            json!([{"op": "add"}]),
            json!({}),
            json!({"schemas": 1, "Operations": []}),
            json!({"schemas": [1, 2], "Operations": [{"op": "add", "value": {}}]}),
            json!({"schemas": {}, "Operations": [{"op": "add", "value": {}}]}),
            json!({"Operations": null}),
            json!({"Operations": {}}),
            json!({"Operations": "add"}),
            json!({"Operations": 1}),
            json!({"Operations": [null]}),
            json!({"Operations": [1]}),
            json!({"Operations": ["add"]}),
            json!({"Operations": [[]]}),
            json!({"Operations": [{}]}),
            json!({"Operations": [{"op": null}]}),
            json!({"Operations": [{"op": 1, "path": "title", "value": "x"}]}),
            json!({"Operations": [{"op": true, "value": {}}]}),
            json!({"Operations": [{"op": {"add": 1}, "value": {}}]}),
            json!({"Operations": [{"op": "", "value": {}}]}),
            json!({"Operations": [{"op": " add ", "path": "title", "value": "x"}]}),
            json!({"Operations": [{"op": "add", "path": {"a": 1}, "value": 1}]}),
            json!({"Operations": [{"op": "add", "path": [], "value": 1}]}),
            json!({"Operations": [{"op": "add", "path": 1, "value": 1}]}),
            json!({"Operations": [{"OP": "ADD", "PATH": "title", "VALUE": "x"}]}),
            ops(Json::Array(vec![json!({"op": "add", "path": "title", "value": "x"}); 2000])),
            ops(Json::Array(vec![json!({"op": "remove", "path": "members"}); 1001])),
            ops(json!([{"op": "add", "value": nested_objects(100)}])),
            ops(json!([{"op": "add", "value": {"name": nested_objects(100)}}])),
            ops(json!([{"op": "add", "path": "emails", "value": nested_arrays(100)}])),
            ops(json!([{"op": "add", "path": "members", "value": nested_arrays(100)}])),
            ops(json!([{"op": "add", "path": "manager", "value": nested_arrays(100)}])),
            ops(json!([{"op": "add", "path": "title", "value": nested_arrays(100)}])),
            ops(json!([{"op": "replace", "value": {USER_SCHEMA: {USER_SCHEMA: {USER_SCHEMA: {"active": "x"}}}}}])),
            ops(json!([{"op": "replace", "value": {GROUP_SCHEMA: {GROUP_SCHEMA: {"displayName": 1}}}}])),
            ops(json!([{"op": "add", "path": "emails", "value": vec![json!({"value": "x"}); 5000]}])),
            ops(json!([{"op": "add", "path": "members", "value": (0..5000).map(|i| json!({"value": i.to_string()})).collect::<Vec<_>>()}])),
        ];
        let paths = [
            "",
            " ",
            "[",
            "]",
            "a[",
            "a[]",
            "a[b]",
            "a[b pr",
            "emails[type eq \"work\"].",
            "emails[type eq \"work\"]x",
            "emails[type eq \"work\"].value.x",
            "urn:",
            "urn:x:y",
            USER_SCHEMA,
            GROUP_SCHEMA,
            ENTERPRISE,
            CUSTOM_USER_SCHEMA,
            "members",
            "members[value eq \"x\"]",
            "members[value eq \"x\"].value",
            "members.value",
            "a.b.c",
            "é",
            "\u{0}",
            "😀",
            "emails[emails[type eq \"x\"]]",
            "emails[not (type eq \"work\")].value",
            "emails[type eq \"work\" or type eq \"home\"].value",
            "name[givenName eq \"x\"]",
            "userName.x",
            "meta.created",
            "id",
            "groups[value eq \"x\"]",
            "manager.value",
            "manager",
            "x509Certificates[value pr]",
            "emails[primary eq true].primary",
            "emails[value eq \"a]\"].value",
            "active",
            "name",
            "name.givenName",
            "emails",
            "emails.value",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User.manager",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User[value eq \"x\"]",
            "displayName",
            "tags[value eq 1]",
            "roles[type eq \"x\" and value eq 1].display",
        ];
        let long_path = format!("emails[{}]", vec!["type eq \"x\""; 400].join(" or "));
        let values = [
            json!(null),
            json!(true),
            json!("True"),
            json!("False"),
            json!(0),
            json!(-1.5),
            json!(1e300),
            json!(""),
            json!([]),
            json!([null]),
            json!([1, "a", []]),
            json!({}),
            json!({"a": {"b": {"c": 1}}}),
            json!({"": 1}),
            json!({"name.givenName": {}}),
            json!({"value": "x"}),
            json!([{"value": "x"}]),
            json!([{"value": 1}]),
            json!({"id": 1, "members": 2}),
            json!({"members": [{"value": "u"}]}),
            json!({ENTERPRISE: "x"}),
            json!({ENTERPRISE: {"manager": [[]]}}),
            json!({"urn:x:y": 1}),
            json!({"emails[type eq \"work\"].value": "e"}),
            json!({"primary": "TRUE", "type": "work"}),
            nested_arrays(50),
        ];
        for path in paths.iter().map(|p| (*p).to_owned()).chain([long_path, "a".repeat(5000)]) {
            for value in &values {
                for op in ["add", "Replace", "remove"] {
                    bodies.push(ops(json!([{"op": op, "path": path, "value": value}])));
                }
            }
            bodies.push(ops(json!([{"op": "remove", "path": path}])));
        }
        for value in &values {
            for op in ["add", "replace", "remove"] {
                bodies.push(ops(json!([{"op": op, "value": value}])));
            }
        }
        bodies
    }

    #[test]
    fn odd_bodies_never_panic_and_errors_leave_the_document_alone() {
        let mut odd_user = alice();
        odd_user["emails"] = json!({"value": "single@object"});
        odd_user["name"] = json!("not an object");
        odd_user[ENTERPRISE] = json!("not an object");
        odd_user["roles"] = json!([]);
        odd_user["tags"] = json!(["a", 1, null, [], {}]);
        let docs = [
            (ResourceKind::User, alice()),
            (ResourceKind::User, odd_user),
            (ResourceKind::User, json!({})),
            (ResourceKind::Group, group()),
            (ResourceKind::Group, json!({"members": "stored by mistake"})),
        ];
        let bodies = odd_bodies();
        assert!(bodies.len() > 100, "{} bodies", bodies.len());
        let started = std::time::Instant::now();
        let mut accepted = 0;
        for request in &bodies {
            let operations = match parse_request(request) {
                Ok(operations) => operations,
                Err(err) => {
                    assert_eq!(err.status, 400);
                    assert!(err.scim_type.is_some());
                    continue;
                }
            };
            for (kind, doc) in &docs {
                let mut map = object(doc.clone());
                match apply(*kind, &mut map, &operations) {
                    Ok(_) => accepted += 1,
                    Err(err) => {
                        assert_eq!(err.status, 400, "{err:?}");
                        assert!(err.detail.starts_with("Operations["), "{err:?}");
                        assert_eq!(&Json::Object(map), doc);
                    }
                }
            }
        }
        assert!(accepted > 0);
        assert!(started.elapsed() < std::time::Duration::from_secs(60));
    }

    #[test]
    fn two_thousand_operations_are_refused() {
        let request = ops(Json::Array(vec![json!({"op": "add", "path": "title", "value": "x"}); 2000]));
        let err = parse_request(&request).expect_err("too many");
        assert_error(&err, ScimType::InvalidValue, "2000 operations");
    }
}
