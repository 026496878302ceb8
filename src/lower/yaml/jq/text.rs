//! jq string literals. Text is escaped so jq reads it back exactly: `"` and
//! `\` are escaped, tabs and other control characters are `\t` / `\uXXXX`,
//! and newlines stay real newlines (jq accepts them inside strings), so a
//! prompt reads in the YAML as it reads in the source. A template becomes
//! one literal with `\(…)` holes, which jq fills with `tostring`: strings
//! as they are, anything else as JSON, as wfl's `fmt` does.

/// Escapes `s` for use between jq's double quotes; newlines stay real
/// newlines when `raw_newlines`.
fn escape_into(s: &str, out: &mut String, raw_newlines: bool) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' if raw_newlines => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
}

/// `s` as a jq string literal: text of several lines (a prompt) keeps
/// its newlines, a short separator like `"\n"` is escaped.
pub fn jq_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    escape_into(s, &mut out, s.lines().count() > 2);
    out.push('"');
    out
}

/// Text and jq expressions as one interpolated jq string literal.
pub fn template_string<'a>(parts: impl IntoIterator<Item = TemplatePiece<'a>>) -> String {
    let mut out = String::from("\"");
    for p in parts {
        match p {
            TemplatePiece::Text(t) => escape_into(t, &mut out, true),
            TemplatePiece::Expr(e) => {
                out.push_str("\\(");
                out.push_str(&e);
                out.push(')');
            }
        }
    }
    out.push('"');
    out
}

/// A piece of a template.
pub enum TemplatePiece<'a> {
    Text(&'a str),
    Expr(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(
            jq_string("a \"b\" \\(c)\n\td\u{1}"),
            "\"a \\\"b\\\" \\\\(c)\\n\\td\\u0001\""
        );
        assert_eq!(jq_string("a\nb\nc"), "\"a\nb\nc\"");
        let t = template_string([
            TemplatePiece::Text("x = "),
            TemplatePiece::Expr("$x.y".into()),
        ]);
        assert_eq!(t, "\"x = \\($x.y)\"");
    }
}
