//! Lexer errors and their conversion to the shared `Diagnostic`.

use crate::diag::{Code, Diagnostic, FileId, Span};
use std::ops::Range;

#[derive(Debug, Clone, PartialEq)]
pub enum LexError {
    UnexpectedChar { at: usize, ch: char },
    UnterminatedString { start: usize },
    BadEscape(Range<usize>),
    IntOutOfRange(Range<usize>),
    BadNumber(Range<usize>),
}

impl LexError {
    pub fn into_diagnostic(self, file: FileId) -> Diagnostic {
        match self {
            LexError::UnexpectedChar { at, ch } => Diagnostic::error(
                Code::E0101,
                Span::new(file, at, at + ch.len_utf8()),
                format!("unexpected character `{}`", ch.escape_debug()),
            )
            .with_primary("not part of any token"),
            LexError::UnterminatedString { start } => Diagnostic::error(
                Code::E0102,
                Span::new(file, start, start + 1),
                "unterminated string",
            )
            .with_primary("this string is never closed")
            .with_hint("add a closing `\"`"),
            LexError::BadEscape(r) => Diagnostic::error(
                Code::E0103,
                Span::new(file, r.start, r.end),
                "invalid escape sequence",
            )
            .with_primary("unknown escape")
            .with_hint(r#"valid escapes are \n \t \r \0 \\ \""#),
            LexError::IntOutOfRange(r) => Diagnostic::error(
                Code::E0107,
                Span::new(file, r.start, r.end),
                "integer literal out of range",
            )
            .with_primary("does not fit in a 64-bit signed integer"),
            LexError::BadNumber(r) => Diagnostic::error(
                Code::E0107,
                Span::new(file, r.start, r.end),
                "invalid number literal",
            )
            .with_primary("not a number")
            .with_hint("names cannot start with a digit; floats look like 1.5 or 2.0e3"),
        }
    }
}
