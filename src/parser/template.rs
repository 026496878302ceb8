//! Templates: the strings of `fmt` and `defprompt`, with `{name.field}`
//! placeholders. They are parsed from the raw source text of the string
//! literal (not its unescaped value) so every placeholder gets its exact
//! span. `{{` and `}}` stand for literal braces.

use super::ast::{Ident, Template, TemplatePart};
use crate::diag::{Code, Diagnostic, Span};
use crate::lexer::unescape_at;

/// Parses the string literal at `span` (quotes included) of `src`.
pub fn parse_template(src: &str, span: Span, diags: &mut Vec<Diagnostic>) -> Template {
    let start = span.start as usize + 1;
    let end = (span.end as usize).saturating_sub(1).max(start);
    let body = src.get(start..end).unwrap_or("");
    let at = |i: usize, len: usize| Span::new(span.file, start + i, start + i + len);
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match unescape_at(&body[i + 1..]) {
                Some((decoded, used)) => {
                    text.push(decoded);
                    // Skip the escaped character(s); the lexer already
                    // reported bad escapes.
                    while chars.peek().is_some_and(|&(j, _)| j < i + 1 + used) {
                        chars.next();
                    }
                }
                None => text.push('\\'),
            },
            '{' if chars.peek().is_some_and(|&(_, n)| n == '{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek().is_some_and(|&(_, n)| n == '}') => {
                chars.next();
                text.push('}');
            }
            '}' => diags.push(
                Diagnostic::error(Code::E0111, at(i, 1), "unmatched `}` in template")
                    .with_primary("no `{` opens this placeholder")
                    .with_hint("write `}}` for a literal brace"),
            ),
            '{' => {
                let Some(close) = body[i + 1..].find(['}', '{', '"']) else {
                    diags.push(
                        Diagnostic::error(Code::E0111, at(i, 1), "unclosed `{` in template")
                            .with_primary("this placeholder is never closed")
                            .with_hint("write `{{` for a literal brace"),
                    );
                    text.push_str(&body[i..]);
                    break;
                };
                let inner_start = i + 1;
                let inner = &body[inner_start..inner_start + close];
                let hole_span = at(i, close + 2);
                if !body[inner_start + close..].starts_with('}') {
                    diags.push(
                        Diagnostic::error(Code::E0111, at(i, 1), "unclosed `{` in template")
                            .with_primary("this placeholder is never closed")
                            .with_hint("write `{{` for a literal brace"),
                    );
                    text.push('{');
                    continue;
                }
                match hole_path(inner, |o, l| at(inner_start + o, l)) {
                    Some(path) => {
                        if !text.is_empty() {
                            parts.push(TemplatePart::Text(std::mem::take(&mut text)));
                        }
                        parts.push(TemplatePart::Hole {
                            path,
                            span: hole_span,
                        });
                    }
                    None => diags.push(
                        Diagnostic::error(
                            Code::E0111,
                            hole_span,
                            format!("`{{{inner}}}` is not a placeholder"),
                        )
                        .with_primary("expected a name such as `{doc}` or `{plan.doc}`")
                        .with_hint("write `{{` and `}}` for literal braces"),
                    ),
                }
                while chars.peek().is_some_and(|&(j, _)| j <= inner_start + close) {
                    chars.next();
                }
            }
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        parts.push(TemplatePart::Text(text));
    }
    Template { parts, span }
}

/// Splits `doc.path` into identifiers; `None` if any segment is not a name.
fn hole_path(inner: &str, at: impl Fn(usize, usize) -> Span) -> Option<Vec<Ident>> {
    let trimmed = inner.trim();
    if trimmed.is_empty() {
        return None;
    }
    let offset = inner.len() - inner.trim_start().len();
    let mut path = Vec::new();
    let mut pos = offset;
    for seg in trimmed.split('.') {
        let valid = seg
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && seg
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '?' | '!'));
        if !valid {
            return None;
        }
        path.push(Ident {
            name: seg.to_string(),
            span: at(pos, seg.len()),
        });
        pos += seg.len() + 1;
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::FileId;

    fn parse(src: &str) -> (Template, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let t = parse_template(src, Span::new(FileId(0), 0, src.len()), &mut diags);
        (t, diags)
    }

    #[test]
    fn splits_text_and_holes_with_spans() {
        let src = r#""Review {doc.path}\n{{ok}} {x}""#;
        let (t, diags) = parse(src);
        assert!(diags.is_empty());
        assert_eq!(t.parts.len(), 4);
        assert_eq!(t.parts[0], TemplatePart::Text("Review ".into()));
        let TemplatePart::Hole { path, span } = &t.parts[1] else {
            panic!("expected a hole")
        };
        assert_eq!(path[1].name, "path");
        assert_eq!(&src[span.range()], "{doc.path}");
        assert_eq!(&src[path[1].span.range()], "path");
        assert_eq!(t.parts[2], TemplatePart::Text("\n{ok} ".into()));
    }

    #[test]
    fn reports_bad_placeholders() {
        for src in [r#""a {b""#, r#""a }""#, r#""{1x}""#, r#""{}""#] {
            let (_, diags) = parse(src);
            assert_eq!(diags.len(), 1, "{src}");
            assert_eq!(diags[0].code, Code::E0111);
        }
    }
}
