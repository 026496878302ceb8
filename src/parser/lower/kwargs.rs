//! Splitting a special form's items into keyword options and positional
//! items. A `:kw` consumes the next item as its value wherever it appears.
//! Unknown keywords (with a "did you mean"), repeated keywords and keywords
//! without a value are reported here, once, for every form.

use super::Lowerer;
use crate::diag::{Code, Diagnostic, Span, closest};
use crate::parser::ast::Ident;
use crate::parser::sexpr::Sexpr;

pub(super) struct KwArgs<'s> {
    pub positional: Vec<&'s Sexpr<'s>>,
    keywords: Vec<(Ident, &'s Sexpr<'s>)>,
}

impl<'s> KwArgs<'s> {
    /// Splits `items`; `allowed` lists the keywords `form` accepts (without
    /// the colon).
    pub fn split(lw: &mut Lowerer, form: &str, items: &'s [Sexpr<'s>], allowed: &[&str]) -> Self {
        let mut positional = Vec::new();
        let mut keywords: Vec<(Ident, &'s Sexpr<'s>)> = Vec::new();
        let mut iter = items.iter();
        while let Some(item) = iter.next() {
            let Some(key) = item.as_keyword() else {
                positional.push(item);
                continue;
            };
            let Some(value) = iter.next() else {
                lw.diags.push(
                    Diagnostic::error(Code::E0113, item.span, format!("`:{key}` has no value"))
                        .with_primary("a keyword argument needs a value after it"),
                );
                break;
            };
            let ident = Ident {
                name: key.to_string(),
                span: item.span,
            };
            if !allowed.contains(&key) {
                let d = Diagnostic::error(
                    Code::E0206,
                    item.span,
                    format!("`{form}` has no keyword `:{key}`"),
                )
                .with_primary("unknown keyword")
                .with_hint(keyword_hint(key, allowed));
                lw.diags.push(d);
                continue;
            }
            if let Some((first, _)) = keywords.iter().find(|(k, _)| k.name == key) {
                lw.diags.push(
                    Diagnostic::error(Code::E0228, item.span, format!("`:{key}` given twice"))
                        .with_primary("repeated here")
                        .with_label(first.span, "first given here"),
                );
                continue;
            }
            keywords.push((ident, value));
        }
        KwArgs {
            positional,
            keywords,
        }
    }

    pub fn get(&self, key: &str) -> Option<&'s Sexpr<'s>> {
        self.keywords
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| *v)
    }

    /// The value of a keyword the form cannot do without.
    pub fn require(
        &self,
        lw: &mut Lowerer,
        form: &str,
        form_span: Span,
        key: &str,
    ) -> Option<&'s Sexpr<'s>> {
        let value = self.get(key);
        if value.is_none() {
            lw.diags.push(
                Diagnostic::error(Code::E0212, form_span, format!("`{form}` needs `:{key}`"))
                    .with_primary(format!("missing `:{key}`")),
            );
        }
        value
    }
}

/// "did you mean `:max`?", or what the form accepts when nothing is close.
pub(super) fn keyword_hint(key: &str, allowed: &[&str]) -> String {
    match closest(key, allowed.iter().copied()) {
        Some(c) => format!("did you mean `:{c}`?"),
        None if allowed.is_empty() => "this form takes no keyword arguments".into(),
        None => {
            let list: Vec<String> = allowed.iter().map(|k| format!(":{k}")).collect();
            format!("expected one of {}", list.join(" "))
        }
    }
}
