//! The S-expression reader: tokens to a tree of atoms and lists, built with
//! chumsky. It recovers from every error it can: a list missing its closing
//! delimiter at end of input is kept (and reported), a list closed by the
//! wrong delimiter is kept (and reported), and a stray closer at top level is
//! skipped. Nesting deeper than `MAX_DEPTH` is refused before chumsky runs,
//! so no input can exhaust the stack of this or any later phase.

use crate::diag::{Code, Diagnostic, FileId, Span};
use crate::lexer::Token;
use chumsky::error::Simple;
use chumsky::input::{Input as _, MappedInput};
use chumsky::prelude::*;
use std::borrow::Cow;

/// Deepest nesting of lists accepted. Real workflows nest a few dozen deep.
pub const MAX_DEPTH: usize = 128;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delim {
    Paren,
    Bracket,
}

/// How a list ended. Anything but `Closed` has been reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closing {
    Closed,
    /// Closed by the other kind of delimiter, at this byte offset.
    Mismatched(u32),
    /// Input ended first.
    Unclosed,
}

/// Atoms borrow their text from the source (the tree lives only while the
/// file is lowered), so reading allocates nothing but the lists.
#[derive(Debug, Clone, PartialEq)]
pub enum SexprKind<'src> {
    Symbol(&'src str),
    Keyword(&'src str),
    Str(Cow<'src, str>),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// `( … )` or `[ … ]`.
    List {
        delim: Delim,
        items: Vec<Sexpr<'src>>,
        close: Closing,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sexpr<'src> {
    pub kind: SexprKind<'src>,
    pub span: Span,
}

impl<'src> Sexpr<'src> {
    pub fn as_symbol(&self) -> Option<&'src str> {
        match self.kind {
            SexprKind::Symbol(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_keyword(&self) -> Option<&'src str> {
        match self.kind {
            SexprKind::Keyword(s) => Some(s),
            _ => None,
        }
    }

    /// Items of a `( … )` list.
    pub fn as_list(&self) -> Option<&[Sexpr<'src>]> {
        match &self.kind {
            SexprKind::List {
                delim: Delim::Paren,
                items,
                ..
            } => Some(items),
            _ => None,
        }
    }

    /// Items of a `[ … ]` list.
    pub fn as_vector(&self) -> Option<&[Sexpr<'src>]> {
        match &self.kind {
            SexprKind::List {
                delim: Delim::Bracket,
                items,
                ..
            } => Some(items),
            _ => None,
        }
    }

    /// How the node is named in "expected …, found …" messages.
    pub fn describe(&self) -> String {
        match &self.kind {
            SexprKind::Symbol(s) => format!("`{s}`"),
            SexprKind::Keyword(k) => format!("keyword `:{k}`"),
            SexprKind::Str(_) => "a string".into(),
            SexprKind::Int(_) => "an integer".into(),
            SexprKind::Float(_) => "a float".into(),
            SexprKind::Bool(b) => format!("`{b}`"),
            SexprKind::List {
                delim: Delim::Paren,
                ..
            } => "a list".into(),
            SexprKind::List {
                delim: Delim::Bracket,
                ..
            } => "a `[…]` list".into(),
        }
    }
}

type Tokens<'t, 'src> = MappedInput<'t, Token<'src>, Span, &'t [(Token<'src>, Span)]>;
/// `Simple` errors keep only the span and the token found, which is all the
/// messages below use; `Rich` would also collect every expected
/// alternative at every failed branch, the reader's largest cost.
type Extra<'t, 'src> = extra::Err<Simple<'t, Token<'src>, Span>>;

fn reader<'t, 'src: 't>() -> impl Parser<'t, Tokens<'t, 'src>, Vec<Sexpr<'src>>, Extra<'t, 'src>> {
    let sexpr = recursive(|sexpr| {
        let atom = select! {
            Token::Symbol(s) => SexprKind::Symbol(s),
            Token::Keyword(k) => SexprKind::Keyword(k),
            Token::Str(s) => SexprKind::Str(s),
            Token::Int(n) => SexprKind::Int(n),
            Token::Float(x) => SexprKind::Float(x),
            Token::Bool(b) => SexprKind::Bool(b),
        }
        .map_with(|kind, e| Sexpr {
            kind,
            span: e.span(),
        });

        let list = |open: Token<'src>, close: Token<'src>, wrong: Token<'src>, delim: Delim| {
            let closing = just(close)
                .to(Closing::Closed)
                .or(just(wrong).map_with(|_, e| {
                    let span: Span = e.span();
                    Closing::Mismatched(span.start)
                }))
                .or(end().to(Closing::Unclosed));
            just(open)
                .ignore_then(sexpr.clone().repeated().collect::<Vec<_>>())
                .then(closing)
                .map_with(move |(items, close), e| Sexpr {
                    kind: SexprKind::List {
                        delim,
                        items,
                        close,
                    },
                    span: e.span(),
                })
        };
        atom.or(list(
            Token::LParen,
            Token::RParen,
            Token::RBracket,
            Delim::Paren,
        ))
        .or(list(
            Token::LBracket,
            Token::RBracket,
            Token::RParen,
            Delim::Bracket,
        ))
    });
    sexpr
        .recover_with(skip_then_retry_until(any().ignored(), end()))
        .repeated()
        .collect()
        .then_ignore(end())
}

/// Reads the token stream of one file into top-level S-expressions.
pub fn read<'src>(
    file: FileId,
    tokens: &[(Token<'src>, Span)],
    src_len: usize,
) -> (Vec<Sexpr<'src>>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    if let Some(span) = too_deep(tokens) {
        diags.push(
            Diagnostic::error(
                Code::E0106,
                span,
                format!("nesting deeper than {MAX_DEPTH} levels"),
            )
            .with_primary("too deep from here on")
            .with_hint("split the expression into named definitions or `let*` bindings"),
        );
        return (Vec::new(), diags);
    }
    let eoi = Span::new(file, src_len, src_len);
    let (output, errors) = reader()
        .parse(tokens.split_token_span(eoi))
        .into_output_errors();
    let sexprs = output.unwrap_or_default();
    for s in &sexprs {
        report_unclosed(s, &mut diags);
    }
    for err in errors {
        diags.push(reader_error(&err));
    }
    (sexprs, diags)
}

fn report_unclosed(s: &Sexpr<'_>, diags: &mut Vec<Diagnostic>) {
    if let SexprKind::List {
        items,
        close,
        delim,
    } = &s.kind
    {
        let (open, closer, wrong) = match delim {
            Delim::Paren => ('(', ')', ']'),
            Delim::Bracket => ('[', ']', ')'),
        };
        match close {
            Closing::Closed => {}
            Closing::Unclosed => diags.push(
                Diagnostic::error(Code::E0105, s.span.sub(0, 1), format!("unclosed `{open}`"))
                    .with_primary("opened here and never closed")
                    .with_label(
                        s.span.after(),
                        format!("expected `{closer}` before the end of the file"),
                    ),
            ),
            Closing::Mismatched(at) => {
                let at = Span::new(s.span.file, *at as usize, *at as usize + 1);
                diags.push(
                    Diagnostic::error(
                        Code::E0104,
                        at,
                        format!("mismatched closing delimiter `{wrong}`"),
                    )
                    .with_primary(format!("expected `{closer}`"))
                    .with_label(s.span.sub(0, 1), "the list opened here"),
                )
            }
        }
        for item in items {
            report_unclosed(item, diags);
        }
    }
}

/// The span of the first token that opens a list nested too deep, if any.
fn too_deep(tokens: &[(Token<'_>, Span)]) -> Option<Span> {
    let mut depth = 0usize;
    for (tok, span) in tokens {
        match tok {
            Token::LParen | Token::LBracket => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(*span);
                }
            }
            Token::RParen | Token::RBracket => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn reader_error(err: &Simple<'_, Token<'_>, Span>) -> Diagnostic {
    let span = *err.span();
    match err.found() {
        Some(found @ (Token::RParen | Token::RBracket)) => {
            let closer = if *found == Token::RParen { ')' } else { ']' };
            Diagnostic::error(Code::E0104, span, format!("unmatched `{closer}`"))
                .with_primary("this closes nothing that is open")
        }
        found => {
            let found = found.map_or("end of input".to_string(), Token::describe);
            Diagnostic::error(Code::E0104, span, format!("unexpected {found}"))
                .with_primary("the enclosing list is closed with the wrong delimiter")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexer::lex;

    fn read_str(src: &str) -> (Vec<Sexpr<'_>>, Vec<&'static str>) {
        let (tokens, _) = lex(FileId(0), src);
        let (sexprs, diags) = read(FileId(0), &tokens, src.len());
        (sexprs, diags.iter().map(|d| d.code.as_str()).collect())
    }

    #[test]
    fn reads_nested_lists_with_spans() {
        let (sexprs, codes) = read_str("(a [b] (c 1))");
        assert!(codes.is_empty());
        assert_eq!(sexprs.len(), 1);
        let items = sexprs[0].as_list().unwrap();
        assert_eq!(items[1].as_vector().unwrap()[0].as_symbol(), Some("b"));
        assert_eq!(items[2].span.range(), 7..12);
    }

    #[test]
    fn recovers_from_stray_and_missing_closers() {
        let (sexprs, codes) = read_str("(a)) (b (c]) (d");
        let mut codes = codes;
        codes.sort();
        assert_eq!(codes, vec!["E0104", "E0104", "E0105"]);
        let spans: Vec<_> = sexprs.iter().map(|s| s.span.range()).collect();
        assert_eq!(spans, vec![0..3, 5..12, 13..15]);
    }

    #[test]
    fn refuses_deep_nesting() {
        let src = "(".repeat(100_000);
        let (_, codes) = read_str(&src);
        assert_eq!(codes, vec!["E0106"]);
    }
}
