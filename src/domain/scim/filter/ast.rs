//! The filter AST, its errors, and its canonical printed form.

use std::fmt::{self, Write as _};

/// A parsed filter. Attribute paths inside [`Filter::ValuePath`] are relative
/// to the multi-valued attribute the value filter is attached to.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    /// `attr pr`
    Present(AttrPath),
    /// `attr op value`
    Compare(AttrPath, CompareOp, Value),
    /// `emails[type eq "work" and value co "@x"]`
    ValuePath(AttrPath, Box<Filter>),
}

/// Comparison operators (`pr` is [`Filter::Present`] since it takes no value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

/// A comparison value. Unquoted words that are not JSON literals or numbers
/// become [`Value::String`].
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(String),
    Number(serde_json::Number),
    Bool(bool),
    Null,
}

/// An attribute path such as `name.givenName` or
/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`.
/// Names are kept as written; callers compare them case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrPath {
    /// Full schema URN (everything before the last `:`), if qualified.
    pub schema: Option<String>,
    pub name: String,
    pub sub_attr: Option<String>,
}

/// Why a filter or attribute path was rejected. Every variant maps to SCIM
/// `400 invalidFilter` (or `invalidPath`/`invalidValue` for parameters);
/// the message is meant to be shown to the client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("filter is empty")]
    Empty,
    #[error("input is {len} bytes long, the limit is {max}")]
    TooLong { len: usize, max: usize },
    #[error("filter nests deeper than {max} levels")]
    TooDeep { max: usize },
    #[error("filter has more than {max} expressions")]
    TooManyNodes { max: usize },
    #[error("control character U+{code:04X} at offset {offset}")]
    ControlCharacter { code: u32, offset: usize },
    #[error("unterminated string starting at offset {offset}")]
    UnterminatedString { offset: usize },
    #[error("invalid string at offset {offset}: {reason}")]
    InvalidString { offset: usize, reason: String },
    #[error("invalid number `{text}` at offset {offset}")]
    InvalidNumber { text: String, offset: usize },
    #[error("unexpected token `{token}` at offset {offset}, expected {expected}")]
    UnexpectedToken { token: String, offset: usize, expected: String },
    #[error("unexpected end of filter at offset {offset}, expected {expected}")]
    UnexpectedEnd { offset: usize, expected: String },
    #[error("unknown operator `{op}` at offset {offset}")]
    UnknownOperator { op: String, offset: usize },
    #[error("missing attribute path before operator `{op}` at offset {offset}")]
    MissingAttribute { op: String, offset: usize },
    #[error("invalid attribute path `{path}` at offset {offset}: {reason}")]
    InvalidAttrPath { path: String, offset: usize, reason: &'static str },
    #[error(
        "operator `{op}` cannot be used with `{value}` at offset {offset}: \
         only `eq` and `ne` accept true, false and null"
    )]
    InvalidOperand { op: CompareOp, value: String, offset: usize },
    #[error("nested value filter `{attr}[` at offset {offset}: value filters cannot contain value filters")]
    NestedValueFilter { attr: String, offset: usize },
}

impl CompareOp {
    pub(super) const ALL: [CompareOp; 9] = [
        CompareOp::Eq,
        CompareOp::Ne,
        CompareOp::Co,
        CompareOp::Sw,
        CompareOp::Ew,
        CompareOp::Gt,
        CompareOp::Ge,
        CompareOp::Lt,
        CompareOp::Le,
    ];

    /// The canonical (lower-case) spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            CompareOp::Eq => "eq",
            CompareOp::Ne => "ne",
            CompareOp::Co => "co",
            CompareOp::Sw => "sw",
            CompareOp::Ew => "ew",
            CompareOp::Gt => "gt",
            CompareOp::Ge => "ge",
            CompareOp::Lt => "lt",
            CompareOp::Le => "le",
        }
    }

    pub(super) fn from_keyword(word: &str) -> Option<CompareOp> {
        Self::ALL.into_iter().find(|op| word.eq_ignore_ascii_case(op.as_str()))
    }

    /// RFC 7644: ordering and substring operators on booleans are an
    /// `invalidFilter`; the same reasoning applies to `null`.
    pub(super) fn accepts(self, value: &Value) -> bool {
        matches!(value, Value::String(_) | Value::Number(_)) || matches!(self, CompareOp::Eq | CompareOp::Ne)
    }
}

// ---------------------------------------------------------------------------
// Display: canonical form with lower-case keywords, quoted strings and only
// the parentheses needed, so `parse(&f.to_string()) == Ok(f)` for any `f`
// produced by `parse`.

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // `or` is the loosest operator and left-associative, so only a
            // right-hand `or` needs parentheses.
            Filter::Or(left, right) => {
                write!(f, "{left} or ")?;
                write_operand(f, right, matches!(**right, Filter::Or(..)))
            }
            Filter::And(left, right) => {
                write_operand(f, left, matches!(**left, Filter::Or(..)))?;
                f.write_str(" and ")?;
                write_operand(f, right, matches!(**right, Filter::Or(..) | Filter::And(..)))
            }
            Filter::Not(inner) => write!(f, "not ({inner})"),
            Filter::Present(path) => write!(f, "{path} pr"),
            Filter::Compare(path, op, value) => write!(f, "{path} {op} {value}"),
            Filter::ValuePath(path, inner) => write!(f, "{path}[{inner}]"),
        }
    }
}

fn write_operand(f: &mut fmt::Formatter<'_>, filter: &Filter, parenthesize: bool) -> fmt::Result {
    if parenthesize {
        write!(f, "({filter})")
    } else {
        write!(f, "{filter}")
    }
}

impl fmt::Display for CompareOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(schema) = &self.schema {
            write!(f, "{schema}:")?;
        }
        f.write_str(&self.name)?;
        if let Some(sub) = &self.sub_attr {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

/// Values print as JSON, so bare-word strings come back quoted.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(s) => {
                f.write_char('"')?;
                for c in s.chars() {
                    match c {
                        '"' => f.write_str("\\\"")?,
                        '\\' => f.write_str("\\\\")?,
                        c if c.is_control() => write!(f, "\\u{:04x}", u32::from(c))?,
                        c => f.write_char(c)?,
                    }
                }
                f.write_char('"')
            }
            Value::Number(n) => write!(f, "{n}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Null => f.write_str("null"),
        }
    }
}
