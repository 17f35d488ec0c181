//! Splits a filter into tokens: brackets, JSON strings and words.

use super::FilterError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
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
pub(super) struct Token<'a> {
    pub(super) kind: Kind,
    /// The token exactly as written, for error messages.
    pub(super) text: &'a str,
    pub(super) offset: usize,
}

pub(super) fn tokenize(input: &str) -> Result<Vec<Token<'_>>, FilterError> {
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
