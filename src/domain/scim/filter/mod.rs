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

mod ast;
mod eval;
mod lexer;
mod parser;

pub use ast::{AttrPath, CompareOp, Filter, FilterError, Value};
pub use eval::matches;
#[cfg(test)]
use parser::parse_with_limit;
use parser::{parse_attr_path, parse_with_limit as parse_limited};

/// Maximum nesting: each parenthesised group, `not (...)`, value filter
/// `attr[...]` and `and`/`or` chain adds one level.
pub const MAX_DEPTH: usize = 16;
/// Maximum input length in bytes.
pub const MAX_LENGTH: usize = 4096;
/// Maximum number of AST nodes. Bounds the work of anything that walks the
/// tree recursively (a left-deep `or` chain is as tall as it is long).
pub const MAX_NODES: usize = 1000;

/// Parses a SCIM filter expression.
pub fn parse(input: &str) -> Result<Filter, FilterError> {
    parse_limited(input, MAX_LENGTH)
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

#[cfg(test)]
mod tests;
