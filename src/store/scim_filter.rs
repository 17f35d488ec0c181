//! Compiles a SCIM filter AST to a SQL `WHERE` clause with bound parameters.
//!
//! The lookups the IdPs make (`id`, `userName`, `externalId`, `displayName`, `emails.value`,
//! `members.value`) hit indexed columns; userName, displayName and emails compare on keys
//! case-folded in Rust (Unicode-correct, index-friendly). Anything else is read from the stored
//! SCIM document with SQLite's JSON functions. Values are never spliced into the SQL.

use crate::domain::scim::filter::{AttrPath, CompareOp, Filter, Value};
use crate::domain::scim::{CUSTOM_USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA};

/// Which table the filter runs against; the query aliases it `r`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    User,
    Group,
}

/// A bound parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Bind {
    Text(String),
    Int(i64),
    Real(f64),
}

/// A compiled condition: SQL text with `?` placeholders, and what to bind to them, in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Condition {
    pub sql: String,
    pub binds: Vec<Bind>,
}

/// Why a filter cannot run. The message is shown to the client as `invalidFilter`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unsupported(pub String);

/// Folds a case-insensitive string the way the `*_key` columns were written.
pub fn fold(value: &str) -> String {
    value.to_lowercase()
}

pub fn compile(filter: &Filter, resource: Resource) -> Result<Condition, Unsupported> {
    let mut out = Condition::default();
    Compiler { resource }.filter(filter, &mut out)?;
    Ok(out)
}

/// The ORDER BY terms for `sortBy` (RFC 7644 §3.4.2.3): unassigned values sort after assigned
/// ones when ascending, before them when descending.
pub fn sort_key(path: &AttrPath, resource: Resource, descending: bool) -> Result<Condition, Unsupported> {
    let (expr, bind) = match (Compiler { resource }).target(path)? {
        Target::Column { expr, .. } | Target::Flag(expr) => (expr.to_owned(), None),
        Target::Json(json) => ("json_extract(r.resource, ?)".to_owned(), Some(json)),
        Target::EmailValues => ("r.email".to_owned(), None),
        Target::MultiValued(_) | Target::Members | Target::UserGroups => {
            return Err(Unsupported(format!("cannot sort by `{path}`")));
        }
    };
    let direction = if descending { "DESC" } else { "ASC" };
    let binds = bind.map(|b| vec![Bind::Text(b.clone()), Bind::Text(b)]).unwrap_or_default();
    Ok(Condition { sql: format!("({expr} IS NULL) {direction}, {expr} {direction}"), binds })
}

struct Compiler {
    resource: Resource,
}

/// Where an attribute's value lives.
enum Target {
    /// A column of the resource's table.
    Column {
        expr: &'static str,
        folded: bool,
    },
    /// A boolean column.
    Flag(&'static str),
    /// A value inside the stored SCIM document (`$."name"."givenName"`).
    Json(String),
    /// A multi-valued attribute of the document (`emails`, `addresses`, ...).
    MultiValued(String),
    /// User emails, with an index on the case-folded address.
    EmailValues,
    /// Group members / a user's groups, held as membership rows.
    Members,
    UserGroups,
}

impl Compiler {
    fn filter(&self, filter: &Filter, out: &mut Condition) -> Result<(), Unsupported> {
        match filter {
            Filter::And(a, b) | Filter::Or(a, b) => {
                let joiner = if matches!(filter, Filter::And(..)) { " AND " } else { " OR " };
                out.sql.push('(');
                self.filter(a, out)?;
                out.sql.push_str(joiner);
                self.filter(b, out)?;
                out.sql.push(')');
            }
            Filter::Not(inner) => {
                // A missing attribute makes the inner condition NULL; `not` must then match.
                out.sql.push_str("NOT COALESCE(");
                self.filter(inner, out)?;
                out.sql.push_str(", 0)");
            }
            Filter::Present(path) => self.present(path, out)?,
            Filter::Compare(path, op, value) => self.compare(path, *op, value, out)?,
            Filter::ValuePath(path, inner) => self.value_path(path, inner, out)?,
        }
        Ok(())
    }

    fn target(&self, path: &AttrPath) -> Result<Target, Unsupported> {
        let name = path.name.to_ascii_lowercase();
        let sub = path.sub_attr.as_deref().map(str::to_ascii_lowercase);
        let schema = path.schema.as_deref().map(str::to_ascii_lowercase);
        let core = match self.resource {
            Resource::User => USER_SCHEMA,
            Resource::Group => GROUP_SCHEMA,
        };
        match schema.as_deref() {
            None => {}
            Some(s) if s == core.to_ascii_lowercase() => {}
            Some(s)
                if self.resource == Resource::User
                    && (s == ENTERPRISE_USER_SCHEMA.to_ascii_lowercase() || s == CUSTOM_USER_SCHEMA.to_ascii_lowercase()) =>
            {
                let urn = if s == ENTERPRISE_USER_SCHEMA.to_ascii_lowercase() { ENTERPRISE_USER_SCHEMA } else { CUSTOM_USER_SCHEMA };
                let mut keys = vec![urn.to_owned(), path.name.clone()];
                keys.extend(path.sub_attr.clone());
                return Ok(Target::Json(json_path(&keys)));
            }
            Some(_) => return Err(Unsupported(format!("unknown schema in attribute path `{path}`"))),
        }

        let common = match (name.as_str(), sub.as_deref()) {
            ("id", None) => Some(Target::Column { expr: "r.id", folded: false }),
            ("externalid", None) => Some(Target::Column { expr: "r.external_id", folded: false }),
            ("meta", Some("created")) => Some(Target::Column { expr: "r.created_at", folded: false }),
            ("meta", Some("lastmodified")) => Some(Target::Column { expr: "r.updated_at", folded: false }),
            ("meta", Some("resourcetype")) | ("meta", Some("location")) | ("meta", Some("version")) => {
                return Err(Unsupported(format!("filtering on `{path}` is not supported")))
            }
            _ => None,
        };
        if let Some(target) = common {
            return Ok(target);
        }

        Ok(match (self.resource, name.as_str(), sub.as_deref()) {
            (Resource::User, "username", None) => Target::Column { expr: "r.user_name_key", folded: true },
            (Resource::User, "displayname", None) => Target::Column { expr: "r.display_name_key", folded: true },
            (Resource::User, "active", None) => Target::Flag("r.active"),
            (Resource::User, "name", Some("givenname")) => Target::Column { expr: "r.given_name", folded: false },
            (Resource::User, "name", Some("familyname")) => Target::Column { expr: "r.family_name", folded: false },
            (Resource::User, "emails", None) => Target::EmailValues,
            (Resource::User, "emails", Some("value")) => Target::EmailValues,
            (Resource::User, "groups", None) | (Resource::User, "groups", Some("value")) => Target::UserGroups,
            (Resource::Group, "displayname", None) => Target::Column { expr: "r.display_name_key", folded: true },
            (Resource::Group, "members", None) | (Resource::Group, "members", Some("value")) => Target::Members,
            (Resource::User, multi, None) if is_multi_valued(multi) => Target::MultiValued(canonical(multi)),
            (Resource::User, multi, Some(_)) if is_multi_valued(multi) => {
                // `phoneNumbers.value eq "x"` means: some element's value is x.
                return Err(Unsupported(format!(
                    "write `{multi}[{} ...]` to filter on a sub-attribute of a multi-valued attribute",
                    path.sub_attr.as_deref().unwrap_or_default()
                )));
            }
            _ => {
                let mut keys = vec![path.name.clone()];
                keys.extend(path.sub_attr.clone());
                Target::Json(json_path(&keys))
            }
        })
    }

    fn present(&self, path: &AttrPath, out: &mut Condition) -> Result<(), Unsupported> {
        match self.target(path)? {
            Target::Column { expr, .. } => out.sql.push_str(&format!("({expr} IS NOT NULL AND {expr} <> '')")),
            Target::Flag(expr) => out.sql.push_str(&format!("({expr} IS NOT NULL)")),
            Target::Json(json) => {
                out.sql.push_str("(json_type(r.resource, ?) IS NOT NULL AND json_type(r.resource, ?) <> 'null' AND COALESCE(json_extract(r.resource, ?), '') <> '')");
                for _ in 0..3 {
                    out.binds.push(Bind::Text(json.clone()));
                }
            }
            Target::MultiValued(attr) => {
                out.sql.push_str("(COALESCE(json_array_length(r.resource, ?), 0) > 0)");
                out.binds.push(Bind::Text(json_path(&[attr])));
            }
            Target::EmailValues => out.sql.push_str("EXISTS (SELECT 1 FROM user_emails e WHERE e.user_id = r.id)"),
            Target::Members => out.sql.push_str("EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = r.id)"),
            Target::UserGroups => out.sql.push_str("EXISTS (SELECT 1 FROM group_members m WHERE m.user_id = r.id)"),
        }
        Ok(())
    }

    fn compare(&self, path: &AttrPath, op: CompareOp, value: &Value, out: &mut Condition) -> Result<(), Unsupported> {
        match self.target(path)? {
            Target::Column { expr, folded } => comparison(expr, folded, op, value, out),
            Target::Flag(expr) => match (op, value) {
                (CompareOp::Eq | CompareOp::Ne, Value::Bool(flag)) => {
                    let wanted = if op == CompareOp::Eq { *flag } else { !*flag };
                    out.sql.push_str(&format!("{expr} = ?"));
                    out.binds.push(Bind::Int(wanted as i64));
                    Ok(())
                }
                _ => Err(Unsupported(format!("`{path}` is a boolean: compare it with `eq true` or `eq false`"))),
            },
            Target::Json(json) => {
                out.binds.push(Bind::Text(json));
                match value {
                    // Case-insensitive by default (RFC 7643 §2.2); SQLite's lower() folds ASCII.
                    Value::String(_) => comparison("lower(json_extract(r.resource, ?))", true, op, value, out),
                    _ => comparison("json_extract(r.resource, ?)", false, op, value, out),
                }
            }
            Target::EmailValues if op == CompareOp::Eq => {
                let Value::String(address) = value else {
                    return Err(Unsupported("emails are compared with strings".into()));
                };
                out.sql.push_str("EXISTS (SELECT 1 FROM user_emails e WHERE e.user_id = r.id AND e.value_key = ?)");
                out.binds.push(Bind::Text(fold(address)));
                Ok(())
            }
            Target::EmailValues => {
                out.sql.push_str("EXISTS (SELECT 1 FROM user_emails e WHERE e.user_id = r.id AND ");
                comparison("e.value_key", true, op, value, out)?;
                out.sql.push(')');
                Ok(())
            }
            Target::Members => {
                out.sql.push_str("EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = r.id AND ");
                comparison("m.user_id", false, op, value, out)?;
                out.sql.push(')');
                Ok(())
            }
            Target::UserGroups => {
                out.sql.push_str("EXISTS (SELECT 1 FROM group_members m WHERE m.user_id = r.id AND ");
                comparison("m.group_id", false, op, value, out)?;
                out.sql.push(')');
                Ok(())
            }
            Target::MultiValued(attr) => {
                // `emails eq "x"` compares the primary sub-attribute `value` of any element.
                self.elements(&attr, out, |out| comparison("lower(json_extract(v.value, '$.value'))", true, op, value, out))
            }
        }
    }

    /// `attr[inner]`: some element of a multi-valued attribute satisfies `inner`.
    fn value_path(&self, path: &AttrPath, inner: &Filter, out: &mut Condition) -> Result<(), Unsupported> {
        match self.target(path)? {
            // `members[value eq "id"]`, `emails[value eq "a@b"]`: use the membership and email
            // indexes for the shapes the IdPs send.
            Target::Members | Target::UserGroups | Target::EmailValues => {
                let on_value = AttrPath { schema: path.schema.clone(), name: path.name.clone(), sub_attr: Some("value".into()) };
                match inner {
                    Filter::Compare(p, op, value) if p.schema.is_none() && p.sub_attr.is_none() && p.name.eq_ignore_ascii_case("value") => {
                        self.compare(&on_value, *op, value, out)
                    }
                    _ if matches!(self.target(path)?, Target::EmailValues) => {
                        self.elements("emails", out, |out| element_filter(inner, out))
                    }
                    _ => Err(Unsupported(format!("`{path}[...]` supports only `value` comparisons"))),
                }
            }
            Target::MultiValued(attr) => self.elements(&attr, out, |out| element_filter(inner, out)),
            _ => Err(Unsupported(format!("`{path}` is not a multi-valued attribute"))),
        }
    }

    fn elements(
        &self,
        attr: &str,
        out: &mut Condition,
        condition: impl FnOnce(&mut Condition) -> Result<(), Unsupported>,
    ) -> Result<(), Unsupported> {
        out.sql.push_str("EXISTS (SELECT 1 FROM json_each(r.resource, ?) v WHERE ");
        out.binds.push(Bind::Text(json_path(&[attr.to_owned()])));
        condition(out)?;
        out.sql.push(')');
        Ok(())
    }
}

/// The filter inside `attr[...]`, against the element `v.value` of a `json_each`.
fn element_filter(filter: &Filter, out: &mut Condition) -> Result<(), Unsupported> {
    match filter {
        Filter::And(a, b) | Filter::Or(a, b) => {
            let joiner = if matches!(filter, Filter::And(..)) { " AND " } else { " OR " };
            out.sql.push('(');
            element_filter(a, out)?;
            out.sql.push_str(joiner);
            element_filter(b, out)?;
            out.sql.push(')');
        }
        Filter::Not(inner) => {
            out.sql.push_str("NOT COALESCE(");
            element_filter(inner, out)?;
            out.sql.push_str(", 0)");
        }
        Filter::Present(path) => {
            out.sql.push_str("(COALESCE(json_extract(v.value, ?), '') <> '')");
            out.binds.push(Bind::Text(element_path(path)?));
        }
        Filter::Compare(path, op, value) => {
            out.binds.push(Bind::Text(element_path(path)?));
            match value {
                Value::String(_) => comparison("lower(json_extract(v.value, ?))", true, *op, value, out)?,
                _ => comparison("json_extract(v.value, ?)", false, *op, value, out)?,
            }
        }
        Filter::ValuePath(..) => return Err(Unsupported("value filters cannot nest".into())),
    }
    Ok(())
}

fn element_path(path: &AttrPath) -> Result<String, Unsupported> {
    if path.schema.is_some() || path.sub_attr.is_some() {
        return Err(Unsupported(format!("`{path}` is not a sub-attribute name")));
    }
    Ok(json_path(&[canonical(&path.name.to_ascii_lowercase())]))
}

/// `expr op ?`, with the bind. `folded`: expr holds case-folded text, so fold the value too.
/// `co`/`sw`/`ew` use instr/substr rather than LIKE, which would ignore case on exact columns.
fn comparison(expr: &str, folded: bool, op: CompareOp, value: &Value, out: &mut Condition) -> Result<(), Unsupported> {
    let bind = match value {
        Value::String(s) => Bind::Text(if folded { fold(s) } else { s.clone() }),
        Value::Bool(b) => Bind::Int(*b as i64),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Bind::Int(i),
            None => Bind::Real(n.as_f64().unwrap_or_default()),
        },
        Value::Null => {
            match op {
                CompareOp::Eq => out.sql.push_str(&format!("({expr} IS NULL)")),
                CompareOp::Ne => out.sql.push_str(&format!("({expr} IS NOT NULL)")),
                _ => return Err(Unsupported(format!("`{}` cannot compare with null", op.as_str()))),
            }
            return Ok(());
        }
    };
    let sql = match op {
        CompareOp::Eq => format!("{expr} = ?"),
        CompareOp::Ne => format!("({expr} IS NULL OR {expr} <> ?)"),
        CompareOp::Co => format!("instr({expr}, ?) > 0"),
        CompareOp::Sw => format!("substr({expr}, 1, length(?)) = ?"),
        CompareOp::Ew => format!("substr({expr}, -length(?)) = ?"),
        CompareOp::Gt => format!("{expr} > ?"),
        CompareOp::Ge => format!("{expr} >= ?"),
        CompareOp::Lt => format!("{expr} < ?"),
        CompareOp::Le => format!("{expr} <= ?"),
    };
    let uses = sql.matches('?').count();
    out.sql.push_str(&sql);
    for _ in 0..uses {
        out.binds.push(bind.clone());
    }
    Ok(())
}

const MULTI_VALUED: [&str; 8] = ["emails", "phoneNumbers", "addresses", "ims", "photos", "entitlements", "roles", "x509Certificates"];

fn is_multi_valued(lowercase: &str) -> bool {
    MULTI_VALUED.iter().any(|m| m.eq_ignore_ascii_case(lowercase))
}

/// The stored spelling of a known attribute name (documents are written in canonical case).
fn canonical(lowercase: &str) -> String {
    const KNOWN: [&str; 16] = [
        "value",
        "type",
        "primary",
        "display",
        "formatted",
        "streetAddress",
        "locality",
        "region",
        "postalCode",
        "country",
        "phoneNumbers",
        "emails",
        "addresses",
        "ims",
        "photos",
        "roles",
    ];
    KNOWN
        .iter()
        .chain(MULTI_VALUED.iter())
        .find(|k| k.eq_ignore_ascii_case(lowercase))
        .map(|k| (*k).to_owned())
        .unwrap_or_else(|| lowercase.to_owned())
}

/// A JSON path for SQLite: every key quoted, so URNs with dots and colons stay one key.
fn json_path(keys: &[String]) -> String {
    let mut path = String::from("$");
    for key in keys {
        path.push_str(".\"");
        path.push_str(&key.replace('\\', "\\\\").replace('"', "\\\""));
        path.push('"');
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scim::filter::parse;

    fn users(filter: &str) -> Condition {
        compile(&parse(filter).unwrap(), Resource::User).unwrap()
    }

    #[test]
    fn user_name_eq_uses_the_folded_key() {
        let c = users(r#"userName eq "Ann@Example.COM""#);
        assert_eq!(c.sql, "r.user_name_key = ?");
        assert_eq!(c.binds, vec![Bind::Text("ann@example.com".into())]);
    }

    #[test]
    fn external_id_is_case_exact() {
        let c = users(r#"externalId eq "JYoung""#);
        assert_eq!(c.sql, "r.external_id = ?");
        assert_eq!(c.binds, vec![Bind::Text("JYoung".into())]);
    }

    #[test]
    fn and_or_not_nest_with_parentheses() {
        let c = users(r#"userName eq "a" and not (active eq false) or displayName sw "B""#);
        assert_eq!(c.sql, "((r.user_name_key = ? AND NOT COALESCE(r.active = ?, 0)) OR substr(r.display_name_key, 1, length(?)) = ?)");
        assert_eq!(c.binds.len(), 4);
    }

    #[test]
    fn emails_use_the_email_index() {
        for filter in [r#"emails.value eq "A@x.io""#, r#"emails[value eq "A@x.io"]"#, r#"emails eq "A@x.io""#] {
            let c = users(filter);
            assert!(c.sql.contains("user_emails"), "{filter}: {}", c.sql);
            assert_eq!(c.binds, vec![Bind::Text("a@x.io".into())], "{filter}");
        }
    }

    #[test]
    fn value_filters_on_other_attributes_walk_the_document() {
        let c = users(r#"emails[type eq "work" and value co "@x.io"]"#);
        assert!(c.sql.starts_with("EXISTS (SELECT 1 FROM json_each(r.resource, ?) v WHERE"), "{}", c.sql);
        assert_eq!(c.binds[0], Bind::Text("$.\"emails\"".into()));
    }

    #[test]
    fn extension_attributes_are_json_paths_keyed_by_urn() {
        let c = users(r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Retail""#);
        assert_eq!(c.binds[0], Bind::Text("$.\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\".\"department\"".into()));
        assert_eq!(c.binds[1], Bind::Text("retail".into()));
    }

    #[test]
    fn group_members_use_membership_rows() {
        let c = compile(&parse(r#"members[value eq "u1"]"#).unwrap(), Resource::Group).unwrap();
        assert_eq!(c.sql, "EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = r.id AND m.user_id = ?)");
        let c = compile(&parse(r#"DisplayName eq "Sales""#).unwrap(), Resource::Group).unwrap();
        assert_eq!(c.sql, "r.display_name_key = ?");
    }

    #[test]
    fn unknown_schemas_and_bad_booleans_are_refused() {
        assert!(compile(&parse(r#"urn:x:y:z eq "a""#).unwrap(), Resource::User).is_err());
        assert!(compile(&parse(r#"active gt true"#).unwrap_or_else(|_| parse("active co \"x\"").unwrap()), Resource::User).is_err());
    }

    #[test]
    fn sort_keys_use_columns_or_the_document() {
        let path = crate::domain::scim::filter::AttrPath::parse("userName").unwrap();
        let key = sort_key(&path, Resource::User, false).unwrap();
        assert_eq!(key.sql, "(r.user_name_key IS NULL) ASC, r.user_name_key ASC");
        let path = crate::domain::scim::filter::AttrPath::parse("title").unwrap();
        let key = sort_key(&path, Resource::User, true).unwrap();
        assert_eq!(key.sql, "(json_extract(r.resource, ?) IS NULL) DESC, json_extract(r.resource, ?) DESC");
        assert_eq!(key.binds.len(), 2);
        assert!(sort_key(&crate::domain::scim::filter::AttrPath::parse("members").unwrap(), Resource::Group, false).is_err());
    }

    #[test]
    fn null_comparisons_become_is_null() {
        let c = users("externalId eq null");
        assert_eq!(c.sql, "(r.external_id IS NULL)");
        assert!(c.binds.is_empty());
    }
}
