//! SQL text and its bound parameters, written together: every `?` is pushed with its value, so
//! the placeholders and the binds can never drift apart (a JSON path bound inside an expression
//! once shifted every later value down to LIMIT and OFFSET).

use crate::domain::scim::filter::CompareOp;

/// A bound parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Bind {
    Text(String),
    Int(i64),
    Real(f64),
}

impl Bind {
    /// The value as a reader thread binds it.
    pub fn to_value(&self) -> rusqlite::types::Value {
        match self {
            Bind::Text(text) => rusqlite::types::Value::Text(text.clone()),
            Bind::Int(int) => rusqlite::types::Value::Integer(*int),
            Bind::Real(real) => rusqlite::types::Value::Real(*real),
        }
    }
}

/// SQL text with `?` placeholders and what to bind to them, in order. Also used for
/// sub-expressions, which are appended with their binds wherever they are used.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Condition {
    pub sql: String,
    pub binds: Vec<Bind>,
}

impl Condition {
    /// Plain SQL, no placeholders.
    pub fn raw(sql: impl Into<String>) -> Condition {
        Condition { sql: sql.into(), binds: Vec::new() }
    }

    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    /// A `?` and its value.
    pub fn bind(&mut self, bind: Bind) -> &mut Self {
        self.sql.push('?');
        self.binds.push(bind);
        self
    }

    /// Another fragment, with its binds, at this point of the text.
    pub fn append(&mut self, other: &Condition) -> &mut Self {
        self.sql.push_str(&other.sql);
        self.binds.extend(other.binds.iter().cloned());
        self
    }

    /// Writes `template`, replacing each `{e}` with `expr` and each `{v}` with a placeholder for
    /// `value`, each with its binds.
    pub fn fill(&mut self, template: &str, expr: &Condition, value: &Bind) -> &mut Self {
        let mut rest = template;
        while let Some(at) = rest.find('{') {
            self.push(&rest[..at]);
            match &rest[at..at + 3] {
                "{e}" => self.append(expr),
                _ => self.bind(value.clone()),
            };
            rest = &rest[at + 3..];
        }
        self.push(rest)
    }
}

/// `expr op value` as a template for [`Condition::fill`]. `co`/`sw`/`ew` use instr/substr rather
/// than LIKE, which would ignore ASCII case on exact values and treat `%` and `_` as wildcards.
pub fn operator_template(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Eq => "{e} = {v}",
        CompareOp::Ne => "({e} IS NULL OR {e} <> {v})",
        CompareOp::Co => "instr({e}, {v}) > 0",
        CompareOp::Sw => "substr({e}, 1, length({v})) = {v}",
        CompareOp::Ew => "(length({e}) >= length({v}) AND substr({e}, length({e}) - length({v}) + 1) = {v})",
        CompareOp::Gt => "{e} > {v}",
        CompareOp::Ge => "{e} >= {v}",
        CompareOp::Lt => "{e} < {v}",
        CompareOp::Le => "{e} <= {v}",
    }
}
