//! Conditions on values inside the stored SCIM document, with SQLite's JSON table functions.
//!
//! The document keeps the names the IdP sent, in its case, so keys are matched with `lower()`
//! (attribute names are ASCII) rather than with a fixed `json_extract` path. The values a path
//! denotes are: each member of the object whose name matches, and if that member is an array,
//! each of its elements instead (one level, as the in-memory evaluator flattens).

use super::sql::{operator_template, Bind, Condition};
use super::target::DocPath;
use super::{fold_sql, Unsupported};
use crate::domain::scim::filter::{CompareOp, Value};

/// Writes SQL aliases: each JSON table in a query gets its own number.
#[derive(Default)]
pub struct Aliases(std::cell::Cell<usize>);

impl Aliases {
    fn next(&self) -> usize {
        let n = self.0.get();
        self.0.set(n + 1);
        n
    }
}

/// `EXISTS` a value at `path` under `base` (an alias of a JSON table row, or the document root
/// when `None`) for which `condition` holds; `condition` gets the alias of the value row.
pub fn exists(
    aliases: &Aliases,
    base: Option<&str>,
    path: &DocPath,
    out: &mut Condition,
    condition: &mut dyn FnMut(&str, &mut Condition) -> Result<(), Unsupported>,
) -> Result<(), Unsupported> {
    match (path.extension, base) {
        (Some(urn), None) => {
            // The extension object, by its URN in any case; then the path inside it.
            let n = aliases.next();
            out.push(&format!("EXISTS (SELECT 1 FROM json_each(r.resource) x{n} WHERE x{n}.type = 'object' AND lower(x{n}.key) = "));
            out.bind(Bind::Text(urn.to_ascii_lowercase())).push(" AND ");
            let inner = DocPath { extension: None, keys: path.keys.clone() };
            exists(aliases, Some(&format!("x{n}")), &inner, out, condition)?;
            out.push(")");
            Ok(())
        }
        _ => keys(aliases, base, &path.keys, out, condition),
    }
}

fn keys(
    aliases: &Aliases,
    base: Option<&str>,
    keys_left: &[String],
    out: &mut Condition,
    condition: &mut dyn FnMut(&str, &mut Condition) -> Result<(), Unsupported>,
) -> Result<(), Unsupported> {
    let Some((key, rest)) = keys_left.split_first() else {
        return Ok(());
    };
    let n = aliases.next();
    let members = match base {
        None => "json_each(r.resource)".to_owned(),
        Some(base) => format!("json_each(r.resource, {base}.fullkey)"),
    };
    // json_tree from the member: the member itself unless it is an array, else its elements.
    out.push(&format!(
        "EXISTS (SELECT 1 FROM {members} a{n} JOIN json_tree(r.resource, a{n}.fullkey) v{n} \
         ON (v{n}.parent IS NULL AND v{n}.type <> 'array') OR (a{n}.type = 'array' AND v{n}.path = a{n}.fullkey) \
         WHERE lower(a{n}.key) = "
    ));
    out.bind(Bind::Text(key.clone())).push(" AND ");
    let value = format!("v{n}");
    if rest.is_empty() {
        condition(&value, out)?;
    } else {
        keys(aliases, Some(&value), rest, out, condition)?;
    }
    out.push(")");
    Ok(())
}

/// A value row that is present: not null, and not "", [] or {}.
pub fn present(v: &str, out: &mut Condition) {
    out.push(&format!(
        "(({v}.type NOT IN ('null', 'array', 'object') AND ({v}.type <> 'text' OR {v}.atom <> '')) \
         OR ({v}.type IN ('array', 'object') AND EXISTS (SELECT 1 FROM json_each(r.resource, {v}.fullkey))))"
    ));
}

/// A value row that is not null.
pub fn not_null(v: &str, out: &mut Condition) {
    out.push(&format!("{v}.type <> 'null'"));
}

/// A value row that satisfies `op value` (never `ne` or null, which the caller turns into
/// `NOT EXISTS` of `eq` and type tests). Strings compare without regard to case; a boolean also
/// matches the strings "true"/"false" and the other way round, for `eq` only.
pub fn satisfies(v: &str, op: CompareOp, value: &Value, out: &mut Condition) -> Result<(), Unsupported> {
    match value {
        Value::String(text) => {
            out.push(&format!("(({v}.type = 'text' AND "));
            let atom = Condition::raw(format!("{}({v}.atom)", fold_sql()));
            out.fill(operator_template(op), &atom, &Bind::Text(super::fold(text))).push(")");
            if let (CompareOp::Eq, Some(flag)) = (op, parse_bool(text)) {
                out.push(&format!(" OR {v}.type = '{flag}'"));
            }
            out.push(")");
        }
        // Substring operators read text; the in-memory evaluator never matches them on numbers.
        Value::Number(_) if matches!(op, CompareOp::Co | CompareOp::Sw | CompareOp::Ew) => {
            return Err(Unsupported(format!("`{}` compares strings: quote the value (`\"{value}\"`)", op.as_str())));
        }
        Value::Number(number) => {
            out.push(&format!("({v}.type IN ('integer', 'real') AND "));
            let bind = match number.as_i64() {
                Some(i) => Bind::Int(i),
                None => Bind::Real(number.as_f64().unwrap_or_default()),
            };
            out.fill(operator_template(op), &Condition::raw(format!("{v}.atom")), &bind).push(")");
        }
        Value::Bool(flag) if op == CompareOp::Eq => {
            out.push(&format!("({v}.type = '{flag}' OR ({v}.type = 'text' AND lower({v}.atom) = '{flag}'))"));
        }
        Value::Bool(_) | Value::Null => return Err(Unsupported(format!("`{}` cannot compare with `{value}`", op.as_str()))),
    }
    Ok(())
}

fn parse_bool(text: &str) -> Option<bool> {
    ["false", "true"].iter().position(|word| text.eq_ignore_ascii_case(word)).map(|i| i == 1)
}
