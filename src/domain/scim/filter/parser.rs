//! Recursive descent over the tokens. `and`/`or` chains are parsed in loops so only real nesting
//! (parentheses, `not`, value filters) uses the call stack, and that is capped by [`MAX_DEPTH`].

use super::lexer::{tokenize, Kind, Token};
use super::{AttrPath, CompareOp, Filter, FilterError, Value, MAX_DEPTH, MAX_NODES};

/// [`parse`] with a configurable length cap, so tests can prove the depth and
/// node limits hold on their own for inputs far beyond [`MAX_LENGTH`].
pub(super) fn parse_with_limit(input: &str, max_length: usize) -> Result<Filter, FilterError> {
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
pub(super) fn parse_attr_path(text: &str, offset: usize) -> Result<AttrPath, FilterError> {
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
