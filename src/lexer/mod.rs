//! Lexer: source text to tokens with spans, built on logos. Comments (`;` to
//! end of line) and whitespace are skipped. Bad input never stops lexing: each
//! problem becomes a diagnostic and the offending text is skipped, so the
//! parser always sees a well-formed token stream. Strings are unescaped here;
//! templates re-read the raw text through `unescape_at` to keep exact spans.

mod error;

pub use error::LexError;

use crate::diag::{Diagnostic, FileId, Span};
use logos::Logos;
use std::borrow::Cow;

/// A token borrows its text from the source: symbols and keywords are
/// slices of it, and a string is borrowed unless it had escapes to decode.
#[derive(Debug, Clone, PartialEq)]
pub enum Token<'src> {
    LParen,
    RParen,
    LBracket,
    RBracket,
    /// Unescaped contents of a string literal.
    Str(Cow<'src, str>),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// `:name`, stored without the colon.
    Keyword(&'src str),
    /// Any other atom: `review`, `+`, `->`, `doc.path`.
    Symbol(&'src str),
}

impl Token<'_> {
    /// How the token is named in "expected …, found …" messages.
    pub fn describe(&self) -> String {
        match self {
            Token::LParen => "`(`".into(),
            Token::RParen => "`)`".into(),
            Token::LBracket => "`[`".into(),
            Token::RBracket => "`]`".into(),
            Token::Str(_) => "a string".into(),
            Token::Int(_) => "an integer".into(),
            Token::Float(_) => "a float".into(),
            Token::Bool(b) => format!("`{b}`"),
            Token::Keyword(k) => format!("keyword `:{k}`"),
            Token::Symbol(s) => format!("`{s}`"),
        }
    }
}

/// The raw token shapes logos recognises; `lex` turns them into `Token`s or
/// diagnostics.
#[derive(Logos, Debug, Clone, Copy, PartialEq)]
#[logos(skip r"[ \t\r\n\f]+")]
#[logos(skip(r";[^\n]*", allow_greedy = true))]
enum Raw {
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[regex(r#""([^"\\]|\\[^\n])*""#)]
    Str,
    #[regex(r#""([^"\\]|\\[^\n])*\\?"#, priority = 1, allow_greedy = true)]
    UnterminatedStr,
    #[regex(r"-?[0-9]+", priority = 5)]
    Int,
    #[regex(r"-?[0-9]+\.[0-9]+([eE][+-]?[0-9]+)?", priority = 5)]
    Float,
    /// A number run into letters (`3x`, `1.2.3`): one bad literal, not two tokens.
    #[regex(r"-?[0-9][0-9A-Za-z_.\-]*", priority = 2)]
    BadNumber,
    #[token("true", priority = 5)]
    True,
    #[token("false", priority = 5)]
    False,
    #[regex(r":[\p{L}_][\p{L}\p{N}_\-?!]*")]
    Keyword,
    #[regex(r"[\p{L}_+\-*/<>=!?&%$^~][\p{L}\p{N}_+\-*/<>=!?&%$^~.]*", priority = 3)]
    Symbol,
}

/// Lexes one file. Returns the tokens that could be read and a diagnostic for
/// every piece that could not.
pub fn lex(file: FileId, src: &str) -> (Vec<(Token<'_>, Span)>, Vec<Diagnostic>) {
    let mut tokens = Vec::with_capacity(src.len() / 4);
    let mut diags = Vec::new();
    let mut lexer = Raw::lexer(src);
    while let Some(raw) = lexer.next() {
        let range = lexer.span();
        let span = Span::new(file, range.start, range.end);
        let text = lexer.slice();
        let token = match raw {
            Ok(Raw::LParen) => Token::LParen,
            Ok(Raw::RParen) => Token::RParen,
            Ok(Raw::LBracket) => Token::LBracket,
            Ok(Raw::RBracket) => Token::RBracket,
            Ok(Raw::True) => Token::Bool(true),
            Ok(Raw::False) => Token::Bool(false),
            Ok(Raw::Keyword) => Token::Keyword(&text[1..]),
            Ok(Raw::Symbol) => Token::Symbol(text),
            Ok(Raw::Str) => match unescape(&text[1..text.len() - 1], span.start as usize + 1) {
                Ok(s) => Token::Str(s),
                Err(e) => {
                    diags.push(e.into_diagnostic(file));
                    Token::Str(Cow::Borrowed(""))
                }
            },
            Ok(Raw::UnterminatedStr) => {
                diags.push(
                    LexError::UnterminatedString { start: range.start }.into_diagnostic(file),
                );
                Token::Str(Cow::Borrowed(""))
            }
            Ok(Raw::Int) => match text.parse::<i64>() {
                Ok(n) => Token::Int(n),
                Err(_) => {
                    diags.push(LexError::IntOutOfRange(range).into_diagnostic(file));
                    Token::Int(0)
                }
            },
            Ok(Raw::Float) => match text.parse::<f64>() {
                Ok(x) if x.is_finite() => Token::Float(x),
                _ => {
                    diags.push(LexError::BadNumber(range).into_diagnostic(file));
                    Token::Float(0.0)
                }
            },
            Ok(Raw::BadNumber) => {
                diags.push(LexError::BadNumber(range).into_diagnostic(file));
                Token::Int(0)
            }
            Err(()) => {
                let ch = text.chars().next().unwrap_or('?');
                diags.push(
                    LexError::UnexpectedChar {
                        at: range.start,
                        ch,
                    }
                    .into_diagnostic(file),
                );
                continue;
            }
        };
        tokens.push((token, span));
    }
    (tokens, diags)
}

/// Decodes one escape sequence starting right after a backslash. Returns the
/// character and how many bytes of `rest` it used.
pub fn unescape_at(rest: &str) -> Option<(char, usize)> {
    let c = rest.chars().next()?;
    let decoded = match c {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        '0' => '\0',
        '\\' => '\\',
        '"' => '"',
        _ => return None,
    };
    Some((decoded, c.len_utf8()))
}

/// Unescapes the inside of a string literal. `base` is the byte offset of
/// `body` in the file, for the span of a bad escape.
fn unescape(body: &str, base: usize) -> Result<Cow<'_, str>, LexError> {
    if !body.contains('\\') {
        return Ok(Cow::Borrowed(body));
    }
    let mut out = String::with_capacity(body.len());
    let mut i = 0;
    while let Some(pos) = body[i..].find('\\') {
        out.push_str(&body[i..i + pos]);
        let at = i + pos;
        match unescape_at(&body[at + 1..]) {
            Some((c, used)) => {
                out.push(c);
                i = at + 1 + used;
            }
            None => {
                let len = body[at + 1..].chars().next().map_or(0, char::len_utf8);
                return Err(LexError::BadEscape(base + at..base + at + 1 + len));
            }
        }
    }
    out.push_str(&body[i..]);
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Token<'_>> {
        let (tokens, diags) = lex(FileId(0), src);
        assert!(diags.is_empty(), "{diags:?}");
        tokens.into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn lexes_atoms_and_delimiters() {
        assert_eq!(
            kinds("(defn f [S] :max -3 2.5 true doc.path -> \"a\\nb\") ; note"),
            vec![
                Token::LParen,
                Token::Symbol("defn"),
                Token::Symbol("f"),
                Token::LBracket,
                Token::Symbol("S"),
                Token::RBracket,
                Token::Keyword("max"),
                Token::Int(-3),
                Token::Float(2.5),
                Token::Bool(true),
                Token::Symbol("doc.path"),
                Token::Symbol("->"),
                Token::Str("a\nb".into()),
                Token::RParen,
            ]
        );
    }

    #[test]
    fn minus_alone_is_a_symbol() {
        assert_eq!(kinds("(- a 1)")[1], Token::Symbol("-"));
    }

    #[test]
    fn strings_span_lines() {
        assert_eq!(kinds("\"a\nb\""), vec![Token::Str("a\nb".into())]);
    }

    #[test]
    fn bad_input_is_reported_not_fatal() {
        let (tokens, diags) = lex(FileId(0), "(a # \"x\\q\" 3x \"open");
        let codes: Vec<_> = diags.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, vec!["E0101", "E0103", "E0107", "E0102"]);
        assert_eq!(tokens.len(), 5);
    }
}
