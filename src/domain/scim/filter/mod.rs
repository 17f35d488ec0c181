//! SCIM 2.0 filter parser (RFC 7644 §3.4.2.2, ABNF in Figure 1).
//!
//! Turns an already percent-decoded `filter=` value into a [`Filter`] AST that
//! is compiled to SQL elsewhere and also evaluated in memory (PATCH value
//! paths such as `emails[type eq "work"]`). The parser is a small tokenizer
//! plus recursive descent; `and`/`or` chains are parsed in loops so only real
//! nesting (parentheses, `not`, value filters) uses the call stack, and that is
//! capped by [`MAX_DEPTH`].
//!
//! Deliberate leniencies, because real identity providers send them:
//! keywords and operators are case-insensitive, tokens need no whitespace
//! between them when a delimiter (`(`, `)`, `[`, `]`, `"`) separates them, and
//! an unquoted word in value position (`userName eq jyoung`) is a string.
//!
//! All error offsets are byte offsets into the input.

use std::fmt::{self, Write as _};

mod eval;
pub use eval::matches;

/// Maximum nesting: each parenthesised group, `not (...)`, value filter
/// `attr[...]` and `and`/`or` chain adds one level.
pub const MAX_DEPTH: usize = 16;
/// Maximum input length in bytes.
pub const MAX_LENGTH: usize = 4096;
/// Maximum number of AST nodes. Bounds the work of anything that walks the
/// tree recursively (a left-deep `or` chain is as tall as it is long).
pub const MAX_NODES: usize = 1000;

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

/// Parses a SCIM filter expression.
pub fn parse(input: &str) -> Result<Filter, FilterError> {
    parse_with_limit(input, MAX_LENGTH)
}

/// [`parse`] with a configurable length cap, so tests can prove the depth and
/// node limits hold on their own for inputs far beyond [`MAX_LENGTH`].
fn parse_with_limit(input: &str, max_length: usize) -> Result<Filter, FilterError> {
    if input.len() > max_length {
        return Err(FilterError::TooLong { len: input.len(), max: max_length });
    }
    let tokens = tokenize(input)?;
    if tokens.is_empty() {
        return Err(FilterError::Empty);
    }
    let mut parser = Parser { tokens, pos: 0, nodes: 0, input_len: input.len() };
    let (filter, _) = parser.parse_or(0, false)?;
    match parser.peek() {
        Some(tok) => Err(unexpected(tok, "`and`, `or` or end of filter")),
        None => Ok(filter),
    }
}

impl AttrPath {
    /// Parses a standalone attribute path, as used by the `attributes`,
    /// `excludedAttributes` and `sortBy` parameters. Surrounding spaces and
    /// tabs are ignored (clients often write `attributes=a, b`).
    pub fn parse(s: &str) -> Result<AttrPath, FilterError> {
        if s.len() > MAX_LENGTH {
            return Err(FilterError::TooLong { len: s.len(), max: MAX_LENGTH });
        }
        let after_leading = s.trim_start_matches([' ', '\t']);
        let offset = s.len() - after_leading.len();
        parse_attr_path(after_leading.trim_end_matches([' ', '\t']), offset)
    }
}

impl CompareOp {
    const ALL: [CompareOp; 9] = [
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

    fn from_keyword(word: &str) -> Option<CompareOp> {
        Self::ALL.into_iter().find(|op| word.eq_ignore_ascii_case(op.as_str()))
    }

    /// RFC 7644: ordering and substring operators on booleans are an
    /// `invalidFilter`; the same reasoning applies to `null`.
    fn accepts(self, value: &Value) -> bool {
        matches!(value, Value::String(_) | Value::Number(_)) || matches!(self, CompareOp::Eq | CompareOp::Ne)
    }
}

// ---------------------------------------------------------------------------
// Tokenizer

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    LParen,
    RParen,
    LBracket,
    RBracket,
    /// A JSON string literal, quotes included; decoded only where a value is
    /// expected.
    Str,
    /// Any other run of characters: attribute path, operator, keyword,
    /// number, literal or bare (unquoted) string value.
    Word,
}

#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    kind: Kind,
    /// The token exactly as written, for error messages.
    text: &'a str,
    offset: usize,
}

fn tokenize(input: &str) -> Result<Vec<Token<'_>>, FilterError> {
    // Rejected up front so no later stage (SQL, logs) ever sees them.
    if let Some((offset, ch)) = input.char_indices().find(|&(_, c)| c.is_control() && c != '\t') {
        return Err(FilterError::ControlCharacter { code: u32::from(ch), offset });
    }
    let bytes = input.as_bytes();
    let mut tokens = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        // All delimiters are ASCII, so every slice below is on a char boundary.
        let (kind, end) = match bytes[start] {
            b' ' | b'\t' => {
                start += 1;
                continue;
            }
            b'(' => (Kind::LParen, start + 1),
            b')' => (Kind::RParen, start + 1),
            b'[' => (Kind::LBracket, start + 1),
            b']' => (Kind::RBracket, start + 1),
            b'"' => match string_end(bytes, start) {
                Some(end) => (Kind::Str, end),
                None => return Err(FilterError::UnterminatedString { offset: start }),
            },
            _ => (Kind::Word, word_end(bytes, start)),
        };
        tokens.push(Token { kind, text: &input[start..end], offset: start });
        start = end;
    }
    Ok(tokens)
}

/// Index just past the closing quote of the string opening at `start`.
/// Escapes are only skipped here; the JSON decoder validates them later.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

fn word_end(bytes: &[u8], start: usize) -> usize {
    bytes[start..].iter().position(|b| matches!(b, b' ' | b'\t' | b'(' | b')' | b'[' | b']' | b'"')).map_or(bytes.len(), |len| start + len)
}

// ---------------------------------------------------------------------------
// Parser

/// A parsed sub-filter together with its nesting level, which is computed
/// bottom-up because a chain only turns out to be a chain after its first
/// operand has been parsed.
type Parsed = (Filter, usize);

/// Signature shared by `parse_or`/`parse_and` so both chains use one loop.
type OperandFn<'a> = fn(&mut Parser<'a>, usize, bool) -> Result<Parsed, FilterError>;

struct Parser<'a> {
    tokens: Vec<Token<'a>>,
    pos: usize,
    nodes: usize,
    input_len: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<Token<'a>> {
        self.tokens.get(self.pos).copied()
    }

    fn next_token(&mut self) -> Option<Token<'a>> {
        let tok = self.peek();
        if tok.is_some() {
            self.pos += 1;
        }
        tok
    }

    /// Consumes the next token if it is the given (case-insensitive) keyword.
    fn eat_keyword(&mut self, keyword: &str) -> bool {
        let found = self.peek().is_some_and(|t| t.kind == Kind::Word && t.text.eq_ignore_ascii_case(keyword));
        if found {
            self.pos += 1;
        }
        found
    }

    fn expect(&mut self, kind: Kind, expected: String) -> Result<(), FilterError> {
        match self.next_token() {
            Some(tok) if tok.kind == kind => Ok(()),
            Some(tok) => Err(unexpected(tok, expected)),
            None => Err(self.end_error(expected)),
        }
    }

    fn end_error(&self, expected: impl Into<String>) -> FilterError {
        FilterError::UnexpectedEnd { offset: self.input_len, expected: expected.into() }
    }

    fn count_node(&mut self) -> Result<(), FilterError> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(FilterError::TooManyNodes { max: MAX_NODES });
        }
        Ok(())
    }

    /// `depth` is the nesting level we are parsing at (checked top-down so
    /// deep input never recurses far); `in_value_filter` forbids `attr[...]`.
    fn parse_or(&mut self, depth: usize, in_value_filter: bool) -> Result<Parsed, FilterError> {
        self.parse_chain("or", Filter::Or, Parser::parse_and, depth, in_value_filter)
    }

    fn parse_and(&mut self, depth: usize, in_value_filter: bool) -> Result<Parsed, FilterError> {
        self.parse_chain("and", Filter::And, Parser::parse_unary, depth, in_value_filter)
    }

    /// Left-associative `operand (keyword operand)*`, built in a loop so long
    /// chains cost no stack. A chain of two or more operands adds a level.
    fn parse_chain(
        &mut self,
        keyword: &str,
        combine: fn(Box<Filter>, Box<Filter>) -> Filter,
        operand: OperandFn<'a>,
        depth: usize,
        in_value_filter: bool,
    ) -> Result<Parsed, FilterError> {
        let (mut left, mut level) = operand(self, depth, in_value_filter)?;
        let mut chained = false;
        while self.eat_keyword(keyword) {
            let (right, right_level) = operand(self, depth, in_value_filter)?;
            self.count_node()?;
            left = combine(Box::new(left), Box::new(right));
            level = level.max(right_level);
            chained = true;
        }
        if chained {
            level = check_depth(level + 1)?;
        }
        Ok((left, level))
    }

    fn parse_unary(&mut self, depth: usize, in_value_filter: bool) -> Result<Parsed, FilterError> {
        const EXPECTED: &str = "an attribute path, `not` or `(`";
        let tok = self.next_token().ok_or_else(|| self.end_error(EXPECTED))?;
        match tok.kind {
            Kind::LParen => self.parse_group(tok, depth, in_value_filter),
            // RFC 7644 only allows `not` directly before a parenthesised filter.
            Kind::Word if tok.text.eq_ignore_ascii_case("not") => {
                let open = self.next_token();
                let open = match open {
                    Some(open) if open.kind == Kind::LParen => open,
                    Some(other) => return Err(unexpected(other, "`(` after `not`")),
                    None => return Err(self.end_error("`(` after `not`")),
                };
                let (inner, level) = self.parse_group(open, depth, in_value_filter)?;
                self.count_node()?;
                Ok((Filter::Not(Box::new(inner)), level))
            }
            Kind::Word if is_logical_keyword(tok.text) => Err(unexpected(tok, EXPECTED)),
            Kind::Word => self.parse_attr_expr(tok, depth, in_value_filter),
            _ => Err(unexpected(tok, EXPECTED)),
        }
    }

    /// `( filter )`, with the opening parenthesis already consumed.
    fn parse_group(&mut self, open: Token<'a>, depth: usize, in_value_filter: bool) -> Result<Parsed, FilterError> {
        let (inner, level) = self.parse_or(check_depth(depth + 1)?, in_value_filter)?;
        self.expect(Kind::RParen, format!("`and`, `or` or `)` closing `(` at offset {}", open.offset))?;
        Ok((inner, check_depth(level + 1)?))
    }

    /// `attr pr`, `attr op value` or `attr[filter]`, with `attr` consumed.
    fn parse_attr_expr(&mut self, attr: Token<'a>, depth: usize, in_value_filter: bool) -> Result<Parsed, FilterError> {
        // `eq "x"`: an operator where the attribute should be. (`eq eq 1`
        // still works, in case a schema really has an attribute named `eq`.)
        let next_is_operator = self.peek().is_some_and(|t| t.kind == Kind::Word && is_operator(t.text));
        if is_operator(attr.text) && !next_is_operator {
            return Err(FilterError::MissingAttribute { op: attr.text.to_owned(), offset: attr.offset });
        }
        let path = parse_attr_path(attr.text, attr.offset)?;
        let expected = || format!("an operator after `{}`", attr.text);
        let tok = self.next_token().ok_or_else(|| self.end_error(expected()))?;
        match tok.kind {
            Kind::LBracket => self.parse_value_path(path, attr, depth, in_value_filter),
            Kind::Word if tok.text.eq_ignore_ascii_case("pr") => {
                self.count_node()?;
                Ok((Filter::Present(path), 0))
            }
            Kind::Word => {
                let op = CompareOp::from_keyword(tok.text)
                    .ok_or_else(|| FilterError::UnknownOperator { op: tok.text.to_owned(), offset: tok.offset })?;
                let value = self.parse_value(op, tok)?;
                self.count_node()?;
                Ok((Filter::Compare(path, op, value), 0))
            }
            _ => Err(unexpected(tok, expected())),
        }
    }

    /// `attr[filter]`, with `attr[` consumed.
    fn parse_value_path(&mut self, path: AttrPath, attr: Token<'a>, depth: usize, in_value_filter: bool) -> Result<Parsed, FilterError> {
        if in_value_filter {
            return Err(FilterError::NestedValueFilter { attr: attr.text.to_owned(), offset: attr.offset });
        }
        if path.sub_attr.is_some() {
            return Err(FilterError::InvalidAttrPath {
                path: attr.text.to_owned(),
                offset: attr.offset,
                reason: "a value filter must follow a multi-valued attribute, not a sub-attribute",
            });
        }
        let (inner, level) = self.parse_or(check_depth(depth + 1)?, true)?;
        self.expect(Kind::RBracket, format!("`and`, `or` or `]` closing `{}[`", attr.text))?;
        self.count_node()?;
        Ok((Filter::ValuePath(path, Box::new(inner)), check_depth(level + 1)?))
    }

    fn parse_value(&mut self, op: CompareOp, op_tok: Token<'a>) -> Result<Value, FilterError> {
        let expected = || format!("a value after `{}`", op_tok.text);
        let tok = self.next_token().ok_or_else(|| self.end_error(expected()))?;
        let value = match tok.kind {
            Kind::Str => Value::String(decode_string(tok)?),
            // `userName eq and ...` is far more likely a mistake than a value.
            Kind::Word if is_logical_keyword(tok.text) => return Err(unexpected(tok, expected())),
            Kind::Word => word_value(tok)?,
            _ => return Err(unexpected(tok, expected())),
        };
        if !op.accepts(&value) {
            return Err(FilterError::InvalidOperand { op, value: tok.text.to_owned(), offset: tok.offset });
        }
        Ok(value)
    }
}

/// Fails once a nesting level exceeds [`MAX_DEPTH`]; returns the level.
fn check_depth(level: usize) -> Result<usize, FilterError> {
    if level > MAX_DEPTH {
        return Err(FilterError::TooDeep { max: MAX_DEPTH });
    }
    Ok(level)
}

fn unexpected(tok: Token<'_>, expected: impl Into<String>) -> FilterError {
    FilterError::UnexpectedToken { token: tok.text.to_owned(), offset: tok.offset, expected: expected.into() }
}

fn is_logical_keyword(word: &str) -> bool {
    ["and", "or", "not"].iter().any(|kw| word.eq_ignore_ascii_case(kw))
}

fn is_operator(word: &str) -> bool {
    word.eq_ignore_ascii_case("pr") || CompareOp::from_keyword(word).is_some()
}

/// Decodes a JSON string literal (quotes included), reusing serde_json so
/// escapes and surrogate pairs behave exactly as in JSON bodies.
fn decode_string(tok: Token<'_>) -> Result<String, FilterError> {
    serde_json::from_str::<String>(tok.text).map_err(|err| {
        // serde_json appends " at line 1 column N"; report our own offset.
        let message = err.to_string();
        let reason = message.split_once(" at line ").map_or(message.as_str(), |(reason, _)| reason);
        FilterError::InvalidString { offset: tok.offset + err.column().saturating_sub(1), reason: reason.to_owned() }
    })
}

/// Interprets an unquoted value: JSON literal, JSON number, or (leniency for
/// clients that do not quote) a plain string.
fn word_value(tok: Token<'_>) -> Result<Value, FilterError> {
    let word = tok.text;
    let value = if word.eq_ignore_ascii_case("true") {
        Value::Bool(true)
    } else if word.eq_ignore_ascii_case("false") {
        Value::Bool(false)
    } else if word.eq_ignore_ascii_case("null") {
        Value::Null
    } else if is_json_number(word) {
        let number = parse_number(word).ok_or_else(|| FilterError::InvalidNumber { text: word.to_owned(), offset: tok.offset })?;
        Value::Number(number)
    } else {
        Value::String(word.to_owned())
    };
    Ok(value)
}

/// Integers stay exact when they fit in i64/u64; everything else becomes an
/// f64 via std's correctly rounded parser, so printing and re-parsing yields
/// the same value. `None` for out-of-range numbers such as `1e999`.
fn parse_number(word: &str) -> Option<serde_json::Number> {
    if !word.contains(['.', 'e', 'E']) {
        if let Ok(i) = word.parse::<i64>() {
            return Some(i.into());
        }
        if let Ok(u) = word.parse::<u64>() {
            return Some(u.into());
        }
    }
    word.parse::<f64>().ok().and_then(serde_json::Number::from_f64)
}

/// JSON number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
/// Anything else (`007`, `1.`, `0x1f`) is treated as a bare string.
fn is_json_number(s: &str) -> bool {
    fn digits(b: &[u8], i: &mut usize) -> usize {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    }
    let b = s.as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(b, &mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(b, &mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(b, &mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Parses `[urn:...:]name[.subAttr]`. A path is URN-qualified when it starts
/// with `urn:` (any case); the schema is then everything before the LAST
/// colon, so dots inside the URN (`2.0`) are never taken as sub-attributes.
fn parse_attr_path(text: &str, offset: usize) -> Result<AttrPath, FilterError> {
    let invalid = |reason| FilterError::InvalidAttrPath { path: text.to_owned(), offset, reason };
    if text.is_empty() {
        return Err(invalid("attribute path is empty"));
    }
    let is_urn = text.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:"));
    let (schema, attr) = match text.rsplit_once(':') {
        Some((schema, attr)) if is_urn => {
            let well_formed = schema.len() > 4 && !schema.split(':').any(str::is_empty) && schema.bytes().all(is_urn_byte);
            if !well_formed {
                return Err(invalid("malformed schema URN"));
            }
            (Some(schema.to_owned()), attr)
        }
        Some(_) => {
            return Err(invalid("`:` is only allowed in a path qualified by a `urn:` schema"));
        }
        None => (None, text),
    };
    let (name, sub_attr) = match attr.split_once('.') {
        Some((name, sub)) => (name, Some(sub)),
        None => (attr, None),
    };
    if !is_attr_name(name) {
        return Err(invalid("attribute names start with a letter and contain only letters, digits, `-` and `_`"));
    }
    if sub_attr.is_some_and(|sub| !is_attr_name(sub)) {
        return Err(invalid("sub-attribute names start with a letter and contain only letters, digits, `-` and `_`"));
    }
    Ok(AttrPath { schema, name: name.to_owned(), sub_attr: sub_attr.map(str::to_owned) })
}

/// RFC 7644 ATTRNAME (`ALPHA *(ALPHA / DIGIT / "-" / "_")`) plus `$ref`.
fn is_attr_name(s: &str) -> bool {
    if s.eq_ignore_ascii_case("$ref") {
        return true;
    }
    let mut bytes = s.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic()) && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn is_urn_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b':' | b'-' | b'.' | b'_' | b'~' | b'+' | b'%')
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    const CORE_USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

    fn path(name: &str) -> AttrPath {
        AttrPath { schema: None, name: name.into(), sub_attr: None }
    }

    fn sub(name: &str, sub_attr: &str) -> AttrPath {
        AttrPath { sub_attr: Some(sub_attr.into()), ..path(name) }
    }

    fn urn(schema: &str, name: &str) -> AttrPath {
        AttrPath { schema: Some(schema.into()), ..path(name) }
    }

    fn s(v: &str) -> Value {
        Value::String(v.into())
    }

    fn n(v: i64) -> Value {
        Value::Number(v.into())
    }

    fn cmp(p: AttrPath, op: CompareOp, v: Value) -> Filter {
        Filter::Compare(p, op, v)
    }

    fn eq(name: &str, v: Value) -> Filter {
        cmp(path(name), CompareOp::Eq, v)
    }

    fn pr(name: &str) -> Filter {
        Filter::Present(path(name))
    }

    fn and(l: Filter, r: Filter) -> Filter {
        Filter::And(Box::new(l), Box::new(r))
    }

    fn or(l: Filter, r: Filter) -> Filter {
        Filter::Or(Box::new(l), Box::new(r))
    }

    fn not(f: Filter) -> Filter {
        Filter::Not(Box::new(f))
    }

    fn ok(input: &str) -> Filter {
        parse(input).unwrap_or_else(|e| panic!("{input:?} should parse: {e}"))
    }

    /// Asserts `input` fails and the message contains `needle` (case-insensitive).
    fn err(input: &str, needle: &str) -> FilterError {
        match parse(input) {
            Ok(f) => panic!("{input:?} should fail, got {f:?}"),
            Err(e) => {
                let msg = e.to_string();
                assert!(msg.to_lowercase().contains(&needle.to_lowercase()), "{input:?}: message {msg:?} should mention {needle:?}");
                e
            }
        }
    }

    fn assert_round_trip(input: &str) {
        let ast = ok(input);
        let printed = ast.to_string();
        let reparsed = parse(&printed).unwrap_or_else(|e| panic!("{printed:?} (from {input:?}) should parse: {e}"));
        assert_eq!(reparsed, ast, "round trip of {input:?} via {printed:?}");
        assert_eq!(reparsed.to_string(), printed, "canonical form is stable");
    }

    #[test]
    fn idp_filters() {
        assert_eq!(ok(r#"userName eq "7d420df3-9995-4831-a406-ecf8166f5f6a""#), eq("userName", s("7d420df3-9995-4831-a406-ecf8166f5f6a")));
        assert_eq!(ok(r#"externalId eq "johnwong""#), eq("externalId", s("johnwong")));
        assert_eq!(ok(r#"displayName eq "Group One""#), eq("displayName", s("Group One")));
        assert_eq!(ok(r#"userName eq "test.user@okta.local""#), eq("userName", s("test.user@okta.local")));
    }

    #[test]
    fn case_insensitive_keywords_keep_names_as_written() {
        assert_eq!(ok(r#"userName EQ "x""#), eq("userName", s("x")));
        assert_eq!(ok(r#"USERNAME Eq "x""#), eq("USERNAME", s("x")));
        assert_eq!(ok("a PR And b pr"), and(pr("a"), pr("b")));
        assert_eq!(ok("a pr OR b Pr"), or(pr("a"), pr("b")));
        assert_eq!(ok("Not (a pr)"), not(pr("a")));
        assert_eq!(ok("NOT(a pr)"), not(pr("a")));
        assert_eq!(ok("a eq TRUE"), eq("a", Value::Bool(true)));
        assert_eq!(ok("a ne False"), cmp(path("a"), CompareOp::Ne, Value::Bool(false)));
        assert_eq!(ok("a eq NULL"), eq("a", Value::Null));
        for (word, op) in [
            ("Ne", CompareOp::Ne),
            ("CO", CompareOp::Co),
            ("sW", CompareOp::Sw),
            ("EW", CompareOp::Ew),
            ("GT", CompareOp::Gt),
            ("Ge", CompareOp::Ge),
            ("lT", CompareOp::Lt),
            ("LE", CompareOp::Le),
        ] {
            assert_eq!(ok(&format!("a {word} 1")), cmp(path("a"), op, n(1)));
        }
    }

    #[test]
    fn urn_qualified_paths() {
        assert_eq!(ok(&format!(r#"{ENTERPRISE}:department eq "Sales""#)), cmp(urn(ENTERPRISE, "department"), CompareOp::Eq, s("Sales")));
        assert_eq!(
            ok(&format!(r#"{CORE_USER}:name.givenName sw "J""#)),
            cmp(
                AttrPath { schema: Some(CORE_USER.into()), name: "name".into(), sub_attr: Some("givenName".into()) },
                CompareOp::Sw,
                s("J")
            )
        );
        let ivanti = "urn:ietf:params:scim:schemas:extension:ivanti:2.0:User";
        assert_eq!(ok(&format!("{ivanti}:costCenter eq 4130")), cmp(urn(ivanti, "costCenter"), CompareOp::Eq, n(4130)));
        assert_eq!(
            ok(&format!("{ENTERPRISE}:manager.value pr")),
            Filter::Present(AttrPath { sub_attr: Some("value".into()), ..urn(ENTERPRISE, "manager") })
        );
        let upper = "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER";
        assert_eq!(ok(&format!("{upper}:userName pr")), Filter::Present(urn(upper, "userName")));
        assert_eq!(
            ok(&format!(r#"{CORE_USER}:emails[type eq "work"]"#)),
            Filter::ValuePath(urn(CORE_USER, "emails"), Box::new(eq("type", s("work"))))
        );
    }

    #[test]
    fn value_filters() {
        assert_eq!(
            ok(r#"emails[type eq "work" and primary eq true]"#),
            Filter::ValuePath(path("emails"), Box::new(and(eq("type", s("work")), eq("primary", Value::Bool(true)))))
        );
        assert_eq!(
            ok(r#"emails[type eq "work" and value co "@example.com"]"#),
            Filter::ValuePath(path("emails"), Box::new(and(eq("type", s("work")), cmp(path("value"), CompareOp::Co, s("@example.com")))))
        );
        assert_eq!(ok(r#"members[value eq "abc"]"#), Filter::ValuePath(path("members"), Box::new(eq("value", s("abc")))));
        assert_eq!(
            ok(r#"userName eq "x" or emails[ type eq work ] and active eq true"#),
            or(
                eq("userName", s("x")),
                and(Filter::ValuePath(path("emails"), Box::new(eq("type", s("work")))), eq("active", Value::Bool(true)))
            )
        );
        assert_eq!(
            ok(r#"emails[not (type eq "home") and (primary pr)]"#),
            Filter::ValuePath(path("emails"), Box::new(and(not(eq("type", s("home"))), pr("primary"))))
        );
    }

    #[test]
    fn not_binds_tighter_than_and() {
        assert_eq!(
            ok(r#"not (active eq false) and userName sw "j""#),
            and(not(eq("active", Value::Bool(false))), cmp(path("userName"), CompareOp::Sw, s("j")))
        );
    }

    #[test]
    fn precedence_and_associativity() {
        let (a, b, c) = (eq("a", n(1)), eq("b", n(2)), eq("c", n(3)));
        assert_eq!(ok("a eq 1 or b eq 2 and c eq 3"), or(a.clone(), and(b.clone(), c.clone())));
        assert_eq!(ok("a eq 1 and b eq 2 or c eq 3"), or(and(a.clone(), b.clone()), c.clone()));
        assert_eq!(ok("a eq 1 or b eq 2 or c eq 3"), or(or(a.clone(), b.clone()), c.clone()));
        assert_eq!(ok("a eq 1 and b eq 2 and c eq 3"), and(and(a.clone(), b.clone()), c.clone()));
        assert_eq!(ok("(a eq 1 or b eq 2) and c eq 3"), and(or(a, b), c));
    }

    #[test]
    fn nested_parentheses() {
        assert_eq!(ok("((a pr))"), pr("a"));
        assert_eq!(ok("a pr and (b pr or (c pr and d pr))"), and(pr("a"), or(pr("b"), and(pr("c"), pr("d")))));
        assert_eq!(ok("(a pr or b pr) and not ((c pr) or d pr)"), and(or(pr("a"), pr("b")), not(or(pr("c"), pr("d")))));
    }

    #[test]
    fn sub_attributes_and_dates() {
        assert_eq!(
            ok(r#"meta.lastModified gt "2011-05-13T04:42:34Z""#),
            cmp(sub("meta", "lastModified"), CompareOp::Gt, s("2011-05-13T04:42:34Z"))
        );
        assert_eq!(ok(r#"name.familyName co "O'Malley""#), cmp(sub("name", "familyName"), CompareOp::Co, s("O'Malley")));
        assert_eq!(ok("members.$ref pr"), Filter::Present(sub("members", "$ref")));
    }

    #[test]
    fn string_and_number_values() {
        assert_eq!(ok(r#"a eq "a\"b""#), eq("a", s("a\"b")));
        assert_eq!(ok(r#"a eq "\u00e9\\\/""#), eq("a", s("é\\/")));
        assert_eq!(ok(r#"a eq "\ud83d\ude00""#), eq("a", s("😀")));
        assert_eq!(ok(r#"a eq "(x) [y] and or""#), eq("a", s("(x) [y] and or")));
        assert_eq!(ok(r#"a eq """#), eq("a", s("")));
        assert_eq!(ok("a eq 42"), eq("a", n(42)));
        assert_eq!(ok("a gt -7"), cmp(path("a"), CompareOp::Gt, n(-7)));
        assert_eq!(ok("a eq 0"), eq("a", n(0)));
        assert_eq!(ok("a eq 18446744073709551615"), eq("a", Value::Number(u64::MAX.into())));
        for (lit, expected) in [("2.75", 2.75), ("1e3", 1000.0), ("-2.5E-3", -0.0025), ("1E+2", 100.0)] {
            let expected = Value::Number(serde_json::Number::from_f64(expected).unwrap());
            assert_eq!(ok(&format!("a le {lit}")), cmp(path("a"), CompareOp::Le, expected));
        }
    }

    #[test]
    fn unquoted_values_are_strings() {
        assert_eq!(ok("userName eq Test_User_abc"), eq("userName", s("Test_User_abc")));
        assert_eq!(ok("DisplayName eq Group1DisplayName"), eq("DisplayName", s("Group1DisplayName")));
        assert_eq!(ok("externalId eq jyoung"), eq("externalId", s("jyoung")));
        assert_eq!(ok("id eq 7d420df3-9995-4831"), eq("id", s("7d420df3-9995-4831")));
        assert_eq!(ok("employeeNumber eq 007"), eq("employeeNumber", s("007")));
        assert_eq!(ok("mail eq a@b.com and x pr"), and(eq("mail", s("a@b.com")), pr("x")));
        assert_eq!(ok("(userName eq bob)"), eq("userName", s("bob")));
    }

    #[test]
    fn whitespace_is_flexible() {
        assert_eq!(ok("  userName   eq\t\"x\"  "), eq("userName", s("x")));
        assert_eq!(ok("not(a pr)and(b pr)"), and(not(pr("a")), pr("b")));
        assert_eq!(ok("( a pr )"), pr("a"));
    }

    #[test]
    fn error_cases() {
        err("userName eq", "value after `eq`");
        err(r#"eq "x""#, "missing attribute path before operator `eq`");
        err(r#"userName "x""#, r#"unexpected token `"x"` at offset 9"#);
        err(r#"(userName eq "x""#, "expected `and`, `or` or `)`");
        err(r#"userName eq "x")"#, "unexpected token `)` at offset 15");
        err(r#"userName zz "x""#, "unknown operator `zz`");
        err(r#"userName eqq "x""#, "unknown operator `eqq`");
        err("userName pr extra", "unexpected token `extra`");
        err(r#"userName pr "x""#, "unexpected token");
        assert_eq!(parse(""), Err(FilterError::Empty));
        assert_eq!(parse(" \t "), Err(FilterError::Empty));
        err("and", "unexpected token `and` at offset 0");
        err("a pr or", "unexpected end of filter");
        err(r#"userName eq "x" and"#, "unexpected end");
        err(r#"userName eq "abc"#, "unterminated string");
        err(r#"userName eq "abc\""#, "unterminated string");
        err("userName eq \"a\nb\"", "control character U+000A");
        err("userName\0eq 1", "control character U+0000 at offset 8");
        err("a eq 1\u{7f}", "control character");
        err(&format!("a eq \"{}\"", "x".repeat(MAX_LENGTH)), "limit is 4096");
        err(&format!("{}a pr{}", "(".repeat(17), ")".repeat(17)), "deeper than 16 levels");
        err("a gt true", "operator `gt` cannot be used with `true`");
        err("a co null", "cannot be used");
        err("a sw False", "cannot be used");
        err(r#"emails[type[value eq "x"]]"#, "nested value filter");
        err(r#"emails[type eq "work"]]"#, "unexpected token `]`");
        err(r#"emails[type eq "work""#, "closing `emails[`");
        err("emails[]", "unexpected token `]`");
        err(r#"name.givenName[value eq "x"]"#, "not a sub-attribute");
        err("not a pr", "`(` after `not`");
        err("not", "`(` after `not`");
        err("()", "unexpected token `)` at offset 1");
        err("a eq and", "value after `eq`");
        err(r#"a eq "\q""#, "invalid string at offset 7: invalid escape");
        err(r#"a eq "\ud800""#, "invalid string");
        err("a eq 1e999", "invalid number `1e999`");
        err("1abc eq 1", "invalid attribute path `1abc`");
        err("a.b.c eq 1", "sub-attribute");
        err("foo:bar eq 1", "only allowed in a path qualified");
        err("urn: eq 1", "malformed schema");
        err("urn:a::b:c eq 1", "malformed schema");
        err("a eq 1 b eq 2", "unexpected token `b`");
        err(r#"emails[type eq "work"].value eq "x""#, "unexpected token `.value`");
    }

    #[test]
    fn errors_are_structured() {
        assert_eq!(
            parse(r#"userName eq "x")"#),
            Err(FilterError::UnexpectedToken { token: ")".into(), offset: 15, expected: "`and`, `or` or end of filter".into() })
        );
        assert_eq!(parse(r#"userName eqq "x""#), Err(FilterError::UnknownOperator { op: "eqq".into(), offset: 9 }));
        assert_eq!(parse(r#"a eq "x"#), Err(FilterError::UnterminatedString { offset: 5 }));
    }

    #[test]
    fn display_is_canonical() {
        assert_eq!(ok(r#"userName EQ "x""#).to_string(), r#"userName eq "x""#);
        assert_eq!(ok("userName eq bob").to_string(), r#"userName eq "bob""#);
        assert_eq!(ok("((a pr) AND (b pr))").to_string(), "a pr and b pr");
        assert_eq!(ok("a pr or (b pr or c pr)").to_string(), "a pr or (b pr or c pr)");
        assert_eq!(ok("(a pr or b pr) or c pr").to_string(), "a pr or b pr or c pr");
        assert_eq!(ok("(a pr or b pr) and c pr").to_string(), "(a pr or b pr) and c pr");
        assert_eq!(ok("a pr and (b pr and c pr)").to_string(), "a pr and (b pr and c pr)");
        assert_eq!(ok("NOT(a pr)").to_string(), "not (a pr)");
        assert_eq!(ok(r#"a eq "q\"\\\u0001""#).to_string(), r#"a eq "q\"\\\u0001""#);
        assert_eq!(ok(&format!("{ENTERPRISE}:manager.value eq 1.5")).to_string(), format!("{ENTERPRISE}:manager.value eq 1.5"));
    }

    #[test]
    fn display_round_trips() {
        let inputs = [
            r#"userName eq "7d420df3-9995-4831-a406-ecf8166f5f6a""#,
            r#"emails[type eq "work" and primary eq true]"#,
            r#"not (active eq false) and userName sw "j""#,
            "a eq 1 or b eq 2 and c eq 3",
            "(a eq 1 or b eq 2) and (c eq 3 or d eq 4)",
            "a pr or (b pr or (c pr and (d pr and e pr)))",
            "not (not (a pr or b pr)) and x ne null",
            r#"meta.lastModified gt "2011-05-13T04:42:34Z""#,
            r#"a eq "a\"b\u00e9\t""#,
            "a eq -2.5E-3 or b lt 1e20 or c ge 123456789012345678901234",
            "userName eq Test_User_abc",
            "members.$ref pr",
            r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "x""#,
            r#"urn:ietf:params:scim:schemas:core:2.0:User:emails[not (type eq "home")]"#,
            r#"emails[(type eq "a" or type eq "b") and value ew ".org"] or name.givenName co x"#,
        ];
        for input in inputs {
            assert_round_trip(input);
        }
    }

    /// `(a pr or (a pr or (...)))`: each level is one paren group plus one chain.
    fn nested_chains(levels: usize) -> String {
        (0..levels).fold("a pr".to_owned(), |inner, _| format!("a pr or ({inner})"))
    }

    #[test]
    fn depth_limit() {
        let parens = |k: usize| format!("{}a pr{}", "(".repeat(k), ")".repeat(k));
        assert!(parse(&parens(MAX_DEPTH)).is_ok());
        assert_eq!(parse(&parens(MAX_DEPTH + 1)), Err(FilterError::TooDeep { max: MAX_DEPTH }));

        let nots = |k: usize| format!("{}a pr{}", "not (".repeat(k), ")".repeat(k));
        assert!(parse(&nots(MAX_DEPTH)).is_ok());
        assert_eq!(parse(&nots(MAX_DEPTH + 1)), Err(FilterError::TooDeep { max: MAX_DEPTH }));

        // Chains count too: 8 levels of paren + chain = 16, 9 levels = 18.
        assert_round_trip(&nested_chains(8));
        assert_eq!(parse(&nested_chains(9)), Err(FilterError::TooDeep { max: MAX_DEPTH }));

        // A value filter is one level.
        let vf = format!("emails[{}]", parens(MAX_DEPTH - 1));
        assert!(parse(&vf).is_ok());
        let vf = format!("emails[{}]", parens(MAX_DEPTH));
        assert_eq!(parse(&vf), Err(FilterError::TooDeep { max: MAX_DEPTH }));
    }

    #[test]
    fn deep_nesting_beyond_length_limit_does_not_recurse() {
        let deep = format!("{}a pr{}", "(".repeat(100_000), ")".repeat(100_000));
        assert_eq!(parse(&deep), Err(FilterError::TooLong { len: deep.len(), max: MAX_LENGTH }));
        assert_eq!(parse_with_limit(&deep, usize::MAX), Err(FilterError::TooDeep { max: MAX_DEPTH }));
        let unclosed = "not (".repeat(50_000);
        assert_eq!(parse_with_limit(&unclosed, usize::MAX), Err(FilterError::TooDeep { max: MAX_DEPTH }));
    }

    #[test]
    fn node_limit() {
        let chain = |terms: usize| vec!["a pr"; terms].join(" or ");
        // 500 leaves + 499 `or` nodes = 999.
        assert!(parse(&chain(500)).is_ok());
        let too_many = chain(501);
        assert!(too_many.len() <= MAX_LENGTH);
        let e = parse(&too_many).unwrap_err();
        assert_eq!(e, FilterError::TooManyNodes { max: MAX_NODES });
        assert!(e.to_string().contains("more than 1000 expressions"));
    }

    #[test]
    fn ten_thousand_term_or_chain_is_rejected_quickly() {
        let chain = (0..10_000).map(|i| format!("userName eq \"user{i}\"")).collect::<Vec<_>>().join(" or ");
        let started = Instant::now();
        assert!(matches!(parse(&chain), Err(FilterError::TooLong { .. })));
        // Without the length cap the chain is parsed iteratively and stopped
        // by the node limit rather than by a stack overflow.
        assert_eq!(parse_with_limit(&chain, usize::MAX), Err(FilterError::TooManyNodes { max: MAX_NODES }));
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn attr_path_parse() {
        assert_eq!(AttrPath::parse("name.givenName"), Ok(sub("name", "givenName")));
        assert_eq!(AttrPath::parse("emails.value"), Ok(sub("emails", "value")));
        assert_eq!(AttrPath::parse(" userName\t"), Ok(path("userName")));
        assert_eq!(AttrPath::parse(&format!("{ENTERPRISE}:department")), Ok(urn(ENTERPRISE, "department")));
        assert_eq!(AttrPath::parse("manager.$ref"), Ok(sub("manager", "$ref")));
        assert_eq!(
            AttrPath::parse("urn:ietf:params:scim:schemas:core:2.0:User:name.familyName"),
            Ok(AttrPath { schema: Some(CORE_USER.into()), name: "name".into(), sub_attr: Some("familyName".into()) })
        );
        for bad in ["", "  ", "a b", "emails[", "a.b.c", "1a", "a.", ".a", "a:b", "urn:x", "na\"me", "é"] {
            assert!(matches!(AttrPath::parse(bad), Err(FilterError::InvalidAttrPath { .. })), "{bad:?} should be rejected");
        }
        match AttrPath::parse("  1a") {
            Err(FilterError::InvalidAttrPath { offset, .. }) => assert_eq!(offset, 2),
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(AttrPath::parse(&"a".repeat(MAX_LENGTH + 1)), Err(FilterError::TooLong { .. })));
    }

    /// Deterministic fuzz: glue random grammar fragments together and check
    /// that nothing panics and every accepted filter round-trips.
    #[test]
    fn garbage_never_panics() {
        const FRAGMENTS: &[&str] = &[
            "(",
            ")",
            "[",
            "]",
            "\"",
            "\\",
            " ",
            "\t",
            "not",
            "NOT(",
            "and",
            "or",
            "eq",
            "pr",
            "gt",
            "a",
            "b.c",
            "urn:",
            ":",
            ".",
            "$ref",
            "1",
            "-",
            "1e999",
            "-0.5e3",
            "true",
            "null",
            "\"x\"",
            "\"\\u\"",
            "\"\\ud800\"",
            "é",
            "😀",
            "\u{0}",
            "\n",
            "emails[",
            "type eq \"w\"",
            "]",
            "urn:x:y:z",
            "0x1f",
            "\"\\",
            "e",
            "+",
        ];
        let mut handpicked: Vec<String> = [
            "",
            "(",
            ")",
            "[]",
            "\"",
            "\\",
            "not",
            "not(",
            "not()",
            "a",
            "a eq",
            "a eq (",
            "a[",
            "a[b",
            "a[b pr",
            "a[b pr]]",
            "urn:",
            "urn::",
            "urn:a:",
            ":",
            ".",
            "a..b pr",
            "a pr and and b pr",
            "a pr or or",
            "\"a\" eq \"b\"",
            "a eq \"\\u12\"",
            "a eq -",
            "a eq 1.",
            "a eq .5",
            "é eq 1",
            "a eq é",
            "a eq 😀",
            "a\u{85}b",
            "((((",
            "))))",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();

        let mut seed: u64 = 0x5eed_cafe_f00d_d00d;
        let mut next = move || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize
        };
        for _ in 0..200 {
            let len = next() % 12;
            handpicked.push((0..len).map(|_| FRAGMENTS[next() % FRAGMENTS.len()]).collect::<Vec<_>>().join(if next() % 2 == 0 {
                " "
            } else {
                ""
            }));
        }

        let mut accepted = 0;
        for input in &handpicked {
            let _ = AttrPath::parse(input);
            if let Ok(ast) = parse(input) {
                accepted += 1;
                assert_eq!(parse(&ast.to_string()), Ok(ast), "round trip of {input:?}");
            }
        }
        assert!(handpicked.len() >= 200);
        // Sanity check that the generator reaches the success path at all.
        assert!(accepted > 0, "fuzz corpus never produced a valid filter");
    }
}
