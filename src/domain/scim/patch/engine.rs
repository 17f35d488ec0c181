//! Applying operations: one engine for add, replace and remove, with and without a path, on
//! single-valued, complex and multi-valued attributes and on Group members.

use super::errors::shorten;
use super::errors::{at_operation, invalid_path, invalid_value, no_target, syntax};
use super::map::{get_ci, put_items, put_object, remove_ci, set_ci, take_items, take_object};
use super::path::{attr_target, resolve, AttrTarget, Target};
use super::values::{
    active_value, elements_of, ids_in_filter, is_listed, manager_value, member_ids, merge_fields, non_empty, normalize_element,
    remove_selected, settle_primary, upsert_template,
};
use super::{parse_path, MemberChange, Object, OpKind, Operation, Outcome, ResourceKind};
use crate::domain::scim::filter::matches;
use crate::domain::scim::filter::Filter;
use crate::domain::scim::schema::{AttrType, SchemaId};
use crate::domain::scim::ScimError;
use serde_json::Value as Json;

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
    fn extension(&mut self, doc: &mut Object, schema: SchemaId, key: &str, value: Option<&Json>) -> Result<(), ScimError> {
        match (self.op, value) {
            (OpKind::Remove, _) | (OpKind::Replace, Some(Json::Null)) => {
                remove_ci(doc, key);
                Ok(())
            }
            (_, Some(Json::Null)) => Ok(()),
            (_, Some(Json::Object(values))) => {
                for (name, value) in values {
                    // scim2-tester sends the extension with its own `schemas`: server-owned, ignored.
                    if name.trim().eq_ignore_ascii_case("schemas") {
                        continue;
                    }
                    let path = parse_path(name)?;
                    if path.attr.schema.is_some() {
                        return Err(invalid_path(format!("keys inside `{key}` must be attribute names, not `{}`", shorten(name))));
                    }
                    let sub = path.attr.sub_attr.as_deref().or(path.sub_attr.as_deref());
                    let attr = attr_target(self.kind, Some(schema), &path.attr.name, sub, path.filter.as_ref())?;
                    self.attribute(doc, &attr, Some(value))?;
                }
                // Adding the extension itself makes the resource carry it, attributes or not: a
                // client reads back the (empty) extension object it sent.
                if get_ci(doc, key).is_none() {
                    set_ci(doc, key, Json::Object(Object::new()));
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
        if attr.attribute.multi_valued {
            return self.multi_valued(map, attr, value);
        }
        if attr.filter.is_some() {
            return Err(invalid_path(format!("`{}` is not multi-valued, so it cannot take a `[filter]`", attr.name)));
        }
        match attr.sub {
            Some(sub) => self.sub_attribute(map, attr, sub, value),
            None => self.single(map, attr, value),
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
            Json::Object(fields) if !attr.is(SchemaId::Enterprise, "manager") => self.merge_into(map, attr, &fields)?,
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
                let fields = Object::from_iter([(sub.to_owned(), value.clone())]);
                return self.merge_into(map, attr, &fields);
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

    fn merge_into(&self, map: &mut Object, attr: &AttrTarget<'_>, fields: &Object) -> Result<(), ScimError> {
        let mut current = take_object(map, &attr.name);
        let merged = merge_fields(&mut current, fields, attr.attribute, &attr.name, self.op);
        put_object(map, &attr.name, current);
        merged
    }

    /// Value rules: `active` must end up a boolean, `manager` an object, a complex attribute
    /// takes an object and a simple one a single value, never an object or an array.
    fn normalize(&self, attr: &AttrTarget<'_>, value: &Json) -> Result<Json, ScimError> {
        if self.kind == ResourceKind::User && attr.is(SchemaId::Core, "active") {
            return active_value(value);
        }
        if attr.is(SchemaId::Enterprise, "manager") {
            return manager_value(attr.attribute, value);
        }
        match (attr.attribute.kind, value) {
            (AttrType::Complex, Json::Object(_) | Json::Null) => Ok(value.clone()),
            (AttrType::Complex, other) => {
                Err(invalid_value(format!("`{}` is complex: its value must be an object, not {}", attr.name, shorten(&other.to_string()))))
            }
            (_, Json::Object(_) | Json::Array(_)) => {
                Err(invalid_value(format!("`{}` takes a single value, not {}", attr.name, shorten(&value.to_string()))))
            }
            _ => Ok(value.clone()),
        }
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
                    let listed = elements_of(listed).map(|l| normalize_element(l, attr)).collect::<Result<Vec<Json>, _>>()?;
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
                    let element = normalize_element(element, attr)?;
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
                let items = elements_of(value).map(|e| normalize_element(e, attr)).collect::<Result<_, _>>()?;
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
            (Some(sub), value) => Object::from_iter([(sub.to_owned(), value.clone())]),
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
            merge_fields(&mut element, &fields, attr.attribute, &attr.name, self.op)?;
            items.push(Json::Object(element));
            vec![items.len() - 1]
        } else {
            for &index in selected {
                if let Some(Json::Object(element)) = items.get_mut(index) {
                    merge_fields(element, &fields, attr.attribute, &attr.name, self.op)?;
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
