//! Reading one REPL input before it is checked: is it complete, and is it
//! a command, definitions, a binding or an expression? Completeness is the
//! reader's own judgement: input whose only lexing and reading errors are
//! an unterminated string (E0102) or an unclosed delimiter (E0105) — both
//! only ever found at the end of the input — is incomplete, and the front
//! end keeps reading lines. Any other error makes the input complete, so
//! that it is submitted and the error is shown.

use crate::diag::{Code, FileId};
use crate::lexer;
use crate::parser::sexpr::{self, Sexpr};

/// Heads of the top-level forms that define something.
pub use crate::parser::TOP_LEVEL_FORMS as DEF_HEADS;

/// What an input is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Whitespace and comments only.
    Empty,
    /// `:name rest…`
    Command { name: String, rest: String },
    /// One or more top-level definitions.
    Defs,
    /// `(def name expr)`: bind the value of `expr` to `name`.
    Bind,
    /// Anything else: one or more expressions, evaluated in order.
    Expr,
    /// Definitions and other forms mixed in one input.
    Mixed,
    /// More than one expression in one input.
    Many,
}

/// True when `text` ends inside a list or a string, so more lines are
/// needed before it can be read.
pub fn is_incomplete(text: &str) -> bool {
    let file = FileId(0);
    let (tokens, mut diags) = lexer::lex(file, text);
    let (_, read_diags) = sexpr::read(file, &tokens, text.len());
    diags.extend(read_diags);
    let at_end = |c: Code| matches!(c, Code::E0102 | Code::E0105);
    !diags.is_empty() && diags.iter().all(|d| at_end(d.code))
}

/// Classifies an input (which need not read cleanly: a malformed
/// expression is still an `Expr`, and its errors are reported later).
pub fn classify(text: &str) -> Kind {
    let trimmed = text.trim();
    if let Some(command) = trimmed.strip_prefix(':') {
        let (name, rest) = command
            .split_once(char::is_whitespace)
            .unwrap_or((command, ""));
        return Kind::Command {
            name: name.to_string(),
            rest: rest.trim().to_string(),
        };
    }
    let file = FileId(0);
    let (tokens, _) = lexer::lex(file, text);
    let (forms, _) = sexpr::read(file, &tokens, text.len());
    if forms.is_empty() {
        // Only comments, or nothing readable (a lone `)` is an expression
        // whose error the checker will show).
        return if tokens.is_empty() {
            Kind::Empty
        } else {
            Kind::Expr
        };
    }
    let heads: Vec<Option<&str>> = forms.iter().map(head).collect();
    let defs = heads
        .iter()
        .filter(|h| h.is_some_and(|h| DEF_HEADS.contains(&h)))
        .count();
    if defs == forms.len() {
        Kind::Defs
    } else if defs > 0 {
        Kind::Mixed
    } else if forms.len() > 1 {
        Kind::Many
    } else if heads[0] == Some("def") {
        Kind::Bind
    } else {
        Kind::Expr
    }
}

/// The head symbol of a list form.
fn head<'s>(form: &Sexpr<'s>) -> Option<&'s str> {
    form.as_list()?.first()?.as_symbol()
}

/// `(def name expr…)` split into the name and the text of the expression
/// (with its offset in `text`), or a message saying what is wrong.
pub fn split_bind(text: &str) -> Result<(String, usize, usize), String> {
    let file = FileId(0);
    let (tokens, _) = lexer::lex(file, text);
    let (forms, _) = sexpr::read(file, &tokens, text.len());
    let usage = "expected `(def NAME EXPR)`";
    let items = forms.first().and_then(Sexpr::as_list).ok_or(usage)?;
    let [_, name, expr] = items else {
        return Err(usage.to_string());
    };
    let name = name
        .as_symbol()
        .filter(|n| !n.contains('.'))
        .ok_or_else(|| format!("{usage}: `{}` is not a name", name.describe()))?;
    Ok((
        name.to_string(),
        expr.span.start as usize,
        expr.span.end as usize,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_lists_and_strings_are_incomplete() {
        assert!(is_incomplete("(defrecord Plan"));
        assert!(is_incomplete("(fmt \"abc"));
        assert!(is_incomplete("(a (b\n  \"x\" "));
        assert!(!is_incomplete("(+ 1 2)"));
        assert!(!is_incomplete("(+ 1 2))"));
        assert!(!is_incomplete("(a # (b"));
        assert!(!is_incomplete(""));
    }

    #[test]
    fn inputs_are_classified_by_their_heads() {
        assert_eq!(classify("   "), Kind::Empty);
        assert_eq!(classify("; note"), Kind::Empty);
        assert_eq!(classify("(+ 1 2)"), Kind::Expr);
        assert_eq!(classify("42"), Kind::Expr);
        assert_eq!(classify("(defenum A X) (defn f () -> Int 1)"), Kind::Defs);
        assert_eq!(classify("(defenum A X) 3"), Kind::Mixed);
        assert_eq!(classify("(def x 3)"), Kind::Bind);
        assert_eq!(
            classify(":load  a.wfl "),
            Kind::Command {
                name: "load".into(),
                rest: "a.wfl".into()
            }
        );
    }

    #[test]
    fn a_binding_splits_into_name_and_expression() {
        assert_eq!(split_bind("(def x (+ 1 2))"), Ok(("x".into(), 7, 14)));
        assert!(split_bind("(def 3 4)").is_err());
        assert!(split_bind("(def x)").is_err());
    }
}
