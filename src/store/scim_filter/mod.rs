//! Compiles a SCIM filter AST to a SQL `WHERE` clause with bound parameters.
//!
//! The lookups the IdPs make (`id`, `userName`, `externalId`, `displayName`, `emails.value`,
//! `members.value`) hit indexed columns; userName, displayName and emails compare on keys
//! case-folded in Rust (Unicode-correct, index-friendly). Anything else is read from the stored
//! SCIM document with SQLite's JSON table functions (see [`document`]). Values and attribute names
//! are always bound parameters, written together with their placeholders (see [`sql`]).

mod document;
mod sql;
mod target;

pub use sql::{Bind, Condition};

use crate::domain::scim::filter::{AttrPath, CompareOp, Filter, Value};
use crate::domain::scim::schema::ResourceKind;
use document::Aliases;
use sql::operator_template;
use target::{target, DocPath, Target};

/// SQLite allows 32,766 parameters in a statement; a filter the parser accepts stays far below.
const MAX_BINDS: usize = 30_000;

/// Why a filter cannot run. The message is shown to the client as `invalidFilter`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unsupported(pub String);

/// The `*_key` columns and the SQL fold function follow the schema's one case-folding rule.
pub use crate::domain::scim::schema::fold;

/// The SQL function that folds a document string for comparison, exactly as [`fold`] does.
fn fold_sql() -> &'static str {
    super::fold::FOLD
}

pub fn compile(filter: &Filter, resource: ResourceKind) -> Result<Condition, Unsupported> {
    let mut out = Condition::default();
    Compiler { resource, aliases: Aliases::default() }.filter(filter, None, &mut out)?;
    if out.binds.len() > MAX_BINDS {
        return Err(Unsupported(format!("the filter needs more than {MAX_BINDS} values; split it into several requests")));
    }
    Ok(out)
}

/// Columns with an index (see `migrations/`): an equality on one reads a few rows at most.
const INDEXED_COLUMNS: [&str; 4] = ["r.id", "r.user_name_key", "r.display_name_key", "r.external_id"];

/// Whether `filter` is one equality of an indexed column with a string (`userName eq "…"`, the
/// lookup an IdP makes before each create): bounded work, however many resources there are.
/// Not `eq null` (which may match every row), and not `emails.value` (its correlated EXISTS
/// visits every user).
pub fn is_indexed_lookup(filter: &Filter, resource: ResourceKind) -> bool {
    let Filter::Compare(path, CompareOp::Eq, Value::String(_)) = filter else { return false };
    matches!(target(resource, path), Ok(Target::Column { expr, .. }) if INDEXED_COLUMNS.contains(&expr.as_str()))
}

/// The ORDER BY terms for `sortBy` (RFC 7644 §3.4.2.3): unassigned values sort after assigned
/// ones when ascending, before them when descending.
pub fn sort_key(path: &AttrPath, resource: ResourceKind, descending: bool) -> Result<Condition, Unsupported> {
    let expr = match target(resource, path)? {
        Target::Column { expr, .. } | Target::Flag(expr) => Condition::raw(expr),
        Target::EmailValues => Condition::raw("r.email"),
        Target::Document(doc) => {
            let mut expr = Condition::raw("json_extract(r.resource, ");
            expr.bind(Bind::Text(json_path(&doc, path))).push(")");
            expr
        }
        Target::Members | Target::UserGroups => return Err(Unsupported(format!("cannot sort by `{path}`"))),
    };
    let direction = if descending { "DESC" } else { "ASC" };
    let mut out = Condition::default();
    out.fill(&format!("({{e}} IS NULL) {direction}, {{e}} {direction}"), &expr, &Bind::Int(0));
    Ok(out)
}

struct Compiler {
    resource: ResourceKind,
    aliases: Aliases,
}

impl Compiler {
    /// `element`: inside a value filter, the alias of the element row the paths are relative to.
    fn filter(&self, filter: &Filter, element: Option<&str>, out: &mut Condition) -> Result<(), Unsupported> {
        match filter {
            Filter::And(..) | Filter::Or(..) => {
                let is_and = matches!(filter, Filter::And(..));
                let operands = chain(filter, is_and);
                self.balanced(&operands, if is_and { " AND " } else { " OR " }, element, out)?;
            }
            Filter::Not(inner) => {
                // A column that is NULL makes a comparison NULL; `not` must then match.
                out.push("NOT COALESCE(");
                self.filter(inner, element, out)?;
                out.push(", 0)");
            }
            Filter::Present(path) => self.present(path, element, out)?,
            Filter::Compare(path, op, value) => self.compare(path, *op, value, element, out)?,
            Filter::ValuePath(path, inner) => self.value_path(path, inner, element, out)?,
        }
        Ok(())
    }

    /// A chain of `and` (or `or`) as a balanced tree of parentheses: a 500-term chain nests 9
    /// deep rather than 500, far inside SQLite's expression depth limit.
    fn balanced(&self, operands: &[&Filter], joiner: &str, element: Option<&str>, out: &mut Condition) -> Result<(), Unsupported> {
        if let [only] = operands {
            return self.filter(only, element, out);
        }
        let (left, right) = operands.split_at(operands.len() / 2);
        out.push("(");
        self.balanced(left, joiner, element, out)?;
        out.push(joiner);
        self.balanced(right, joiner, element, out)?;
        out.push(")");
        Ok(())
    }

    fn target(&self, path: &AttrPath, element: Option<&str>) -> Result<Target, Unsupported> {
        match element {
            None => target(self.resource, path),
            Some(_) if path.schema.is_some() => Err(Unsupported(format!("`{path}` is not a sub-attribute name"))),
            Some(_) => Ok(Target::Document(DocPath::of(None, path))),
        }
    }

    fn present(&self, path: &AttrPath, element: Option<&str>, out: &mut Condition) -> Result<(), Unsupported> {
        match self.target(path, element)? {
            Target::Column { expr, .. } => out.push(&format!("({expr} IS NOT NULL AND {expr} <> '')")),
            Target::Flag(expr) => out.push(&format!("({expr} IS NOT NULL)")),
            rows @ (Target::EmailValues | Target::Members | Target::UserGroups) => {
                return RowValues::of(&rows).expect("a row target").some(None, &Value::Null, path, out)
            }
            Target::Document(doc) => {
                return self.any_value(element, path, &doc, out, &mut |v, out| {
                    document::present(v, out);
                    Ok(())
                })
            }
        };
        Ok(())
    }

    fn compare(
        &self,
        path: &AttrPath,
        op: CompareOp,
        value: &Value,
        element: Option<&str>,
        out: &mut Condition,
    ) -> Result<(), Unsupported> {
        let target = self.target(path, element)?;
        match target {
            Target::Column { expr, folded } => column(&Condition::raw(expr), folded, op, value, path, out),
            Target::Flag(expr) => flag(&expr, op, value, path, out),
            Target::Members | Target::UserGroups if path.sub_attr.is_none() => {
                Err(Unsupported(format!("`{path}` holds objects: write `{path}[value eq \"...\"]`")))
            }
            Target::EmailValues | Target::Members | Target::UserGroups => {
                let rows = RowValues::of(&target).expect("a row target");
                let (negate, op) = polarity(op, value);
                out.push(if negate { "NOT " } else { "" });
                rows.some(op, value, path, out)
            }
            Target::Document(doc) => {
                let (negate, op) = polarity(op, value);
                if negate {
                    out.push("NOT ");
                }
                self.any_value(element, path, &doc, out, &mut |v, out| match op {
                    Some(op) => document::satisfies(v, op, value, out),
                    None => {
                        document::not_null(v, out);
                        Ok(())
                    }
                })
            }
        }
    }

    /// `attr[inner]`: some element of a multi-valued attribute satisfies `inner`.
    fn value_path(&self, path: &AttrPath, inner: &Filter, element: Option<&str>, out: &mut Condition) -> Result<(), Unsupported> {
        // `members[value eq "id"]`, `emails[value eq "a@b"]`: the membership and email indexes
        // serve the shapes the IdPs send.
        if let Filter::Compare(on, op, value) = inner {
            let on_value = AttrPath { sub_attr: Some("value".into()), ..path.clone() };
            let rows = RowValues::of(&self.target(&on_value, element)?);
            if let Some(rows) = rows.filter(|_| on.schema.is_none() && on.sub_attr.is_none() && on.name.eq_ignore_ascii_case("value")) {
                // Some element's value satisfies `op` (for `ne`: some value differs). Row values
                // are never null, so `value eq null` holds for no element.
                return match (op, value) {
                    (CompareOp::Eq, Value::Null) => {
                        out.push("0");
                        Ok(())
                    }
                    (CompareOp::Ne, Value::Null) => rows.some(None, value, &on_value, out),
                    (op, value) => rows.some(Some(*op), value, &on_value, out),
                };
            }
        }
        match self.target(path, element)? {
            Target::Document(doc) if path.sub_attr.is_none() => {
                document::exists(&self.aliases, None, &doc, out, &mut |v, out| self.filter(inner, Some(v), out))
            }
            Target::Members | Target::UserGroups => Err(Unsupported(format!("`{path}[...]` supports only `value` comparisons"))),
            _ => Err(Unsupported(format!("`{path}` is not a multi-valued attribute"))),
        }
    }

    /// Some value at `path` satisfies `condition`. Inside a value filter whose element is a
    /// plain value (`"emails": ["a@b"]`), `value` is the element itself.
    fn any_value(
        &self,
        element: Option<&str>,
        path: &AttrPath,
        doc: &DocPath,
        out: &mut Condition,
        condition: &mut dyn FnMut(&str, &mut Condition) -> Result<(), Unsupported>,
    ) -> Result<(), Unsupported> {
        let scalar_self = element.filter(|_| path.sub_attr.is_none() && path.name.eq_ignore_ascii_case("value"));
        if let Some(e) = scalar_self {
            out.push("(");
            document::exists(&self.aliases, element, doc, out, condition)?;
            out.push(&format!(" OR ({e}.type NOT IN ('object', 'array') AND "));
            condition(e, out)?;
            out.push("))");
            return Ok(());
        }
        document::exists(&self.aliases, element, doc, out, condition)
    }
}

/// The operands of a chain of one kind of operator, left to right, without recursion.
fn chain(filter: &Filter, is_and: bool) -> Vec<&Filter> {
    let mut operands = Vec::new();
    let mut stack = vec![filter];
    while let Some(node) = stack.pop() {
        match node {
            Filter::And(a, b) if is_and => stack.extend([&**b, &**a]),
            Filter::Or(a, b) if !is_and => stack.extend([&**b, &**a]),
            other => operands.push(other),
        }
    }
    operands
}

/// A text column compared with a string (or null).
fn column(expr: &Condition, folded: bool, op: CompareOp, value: &Value, path: &AttrPath, out: &mut Condition) -> Result<(), Unsupported> {
    match value {
        Value::String(text) => {
            out.fill(operator_template(op), expr, &Bind::Text(if folded { fold(text) } else { text.clone() }));
        }
        Value::Null if op == CompareOp::Eq => {
            out.push("(").append(expr).push(" IS NULL)");
        }
        Value::Null => {
            out.push("(").append(expr).push(" IS NOT NULL)");
        }
        _ => return Err(Unsupported(format!("`{path}` is a string: compare it with a quoted value"))),
    }
    Ok(())
}

/// A boolean column: `eq`/`ne` with true or false (or their strings, as Entra sends them).
fn flag(expr: &str, op: CompareOp, value: &Value, path: &AttrPath, out: &mut Condition) -> Result<(), Unsupported> {
    let wanted = match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    };
    match (op, wanted) {
        (CompareOp::Eq | CompareOp::Ne, Some(flag)) => {
            out.push(&format!("{expr} = ")).bind(Bind::Int(i64::from(flag == (op == CompareOp::Eq))));
            Ok(())
        }
        _ => Err(Unsupported(format!("`{path}` is a boolean: compare it with `eq true` or `eq false`"))),
    }
}

/// The values of a multi-valued attribute kept as rows of another table: emails (folded) and
/// memberships. A resource row `r` matches when its id is among the rows' owners: written as
/// `r.id IN (…)` rather than a correlated EXISTS, so an equality uses the value's index instead
/// of visiting every resource.
struct RowValues {
    /// The owners' ids, from the rows.
    owners: &'static str,
    column: &'static str,
    folded: bool,
}

impl RowValues {
    fn of(target: &Target) -> Option<RowValues> {
        let (owners, column, folded) = match target {
            Target::EmailValues => ("SELECT e.user_id FROM user_emails e", "e.value_key", true),
            Target::Members => ("SELECT m.group_id FROM group_members m", "m.user_id", false),
            Target::UserGroups => ("SELECT m.user_id FROM group_members m", "m.group_id", false),
            _ => return None,
        };
        Some(RowValues { owners, column, folded })
    }

    /// Some row's value satisfies `op value`; with no `op`, some row exists.
    fn some(&self, op: Option<CompareOp>, value: &Value, path: &AttrPath, out: &mut Condition) -> Result<(), Unsupported> {
        out.push("r.id IN (").push(self.owners);
        if let Some(op) = op {
            out.push(" WHERE ");
            column(&Condition::raw(self.column), self.folded, op, value, path, out)?;
        }
        out.push(")");
        Ok(())
    }
}

/// How a test on a multi-valued attribute is written (RFC 7644 §3.4.2.2, as the in-memory
/// evaluator reads it): `ne x` holds when no value equals x, `eq null` when no value is set,
/// `ne null` when some value is. `(negate, Some(op))`: (NOT) EXISTS a value satisfying `op`;
/// `None`: a value that is not null.
fn polarity(op: CompareOp, value: &Value) -> (bool, Option<CompareOp>) {
    match (op, value) {
        (CompareOp::Eq, Value::Null) => (true, None),
        (CompareOp::Ne, Value::Null) => (false, None),
        (CompareOp::Ne, _) => (true, Some(CompareOp::Eq)),
        (op, _) => (false, Some(op)),
    }
}

/// A JSON path for `json_extract`, every key quoted so URNs with dots and colons stay one key.
fn json_path(doc: &DocPath, path: &AttrPath) -> String {
    let keys = doc.extension.into_iter().map(str::to_owned).chain(std::iter::once(path.name.clone())).chain(path.sub_attr.clone());
    let mut out = String::from("$");
    for key in keys {
        out.push_str(".\"");
        out.push_str(&key.replace('\\', "\\\\").replace('"', "\\\""));
        out.push('"');
    }
    out
}

#[cfg(test)]
mod tests;
