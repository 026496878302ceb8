//! Typed expressions as jq terms. Every result is usable as an operand:
//! an atom (`$x`, `$x.doc`, a literal, `[…]`, `{…}`, `f(…)`) or a
//! parenthesised term. `let*` and `match` bind jq variables with `as`
//! (lexical like wfl's), a pure `loop` is a local recursive `def` whose
//! last parameter counts rounds, `fail` is `error(message)` and `try` is
//! jq's `try … catch`, with the caught error as an `Error` record.

use super::text::{TemplatePiece, jq_string, template_string};
use super::{Jq, Jr, Untranslatable};
use crate::lower::yaml::names::jq_ident;
use crate::typeck::typed::{Ref, TExpr, TExprKind, TPattern, TTemplatePart};
use crate::typeck::types::Type;

/// `.name` or `."name-with-dashes"`.
pub fn field(base: &str, name: &str) -> String {
    let ident = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let base = if base.starts_with('$') && !base.contains(' ') {
        base.to_string()
    } else {
        format!("({base})")
    };
    if ident {
        format!("{base}.{name}")
    } else {
        format!("{base}.{}", jq_string(name))
    }
}

/// `.name` or `."name-with-dashes"`, to follow a term.
pub fn field_suffix(name: &str) -> String {
    field("$", name).trim_start_matches('$').to_string()
}

/// An object key: bare when it is an identifier.
pub fn key(name: &str) -> String {
    let ident = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ident {
        name.to_string()
    } else {
        jq_string(name)
    }
}

impl Jq<'_> {
    pub(super) fn unsupported(&self, e: &TExpr, what: impl Into<String>) -> Untranslatable {
        Untranslatable {
            span: e.span,
            what: what.into(),
        }
    }

    /// The value of a body: earlier forms are evaluated (they may fail),
    /// the last is the value.
    pub fn body(&mut self, forms: &[TExpr], span: crate::diag::Span) -> Jr {
        let Some((last, init)) = forms.split_last() else {
            let _ = span;
            return Ok("null".into());
        };
        let mut out = String::new();
        for f in init {
            out.push_str(&format!("{} as $_ | ", self.expr(f)?));
        }
        let value = self.expr(last)?;
        if out.is_empty() {
            Ok(value)
        } else {
            Ok(format!("({out}{value})"))
        }
    }

    /// `e` as a jq term.
    pub fn expr(&mut self, e: &TExpr) -> Jr {
        Ok(match &e.kind {
            TExprKind::Int(n) if *n < 0 => format!("({n})"),
            TExprKind::Int(n) => n.to_string(),
            TExprKind::Float(x) if *x < 0.0 => format!("({x:?})"),
            TExprKind::Float(x) => format!("{x:?}"),
            TExprKind::Str(s) => jq_string(s),
            TExprKind::Bool(b) => b.to_string(),
            TExprKind::None => "null".into(),
            TExprKind::Var(r) => self.var(r, e)?,
            TExprKind::Field { base, field: f, .. } => {
                let b = self.expr(base)?;
                field(&b, f)
            }
            TExprKind::Record { fields, .. } => self.object(None, fields)?,
            TExprKind::Variant {
                variant, fields, ..
            } => self.object(Some(variant), fields)?,
            TExprKind::List(xs) => {
                let items: Result<Vec<_>, _> = xs.iter().map(|x| self.expr(x)).collect();
                format!("[{}]", items?.join(", "))
            }
            TExprKind::Fmt(t) => self.template(&t.parts)?,
            TExprKind::If { cond, then, els } => format!(
                "(if {} then {} else {} end)",
                self.expr(cond)?,
                self.expr(then)?,
                self.expr(els)?
            ),
            TExprKind::Cond { arms, els } => {
                let mut out = String::from("(if ");
                for (i, (c, v)) in arms.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" elif ");
                    }
                    out.push_str(&format!("{} then {}", self.expr(c)?, self.expr(v)?));
                }
                if arms.is_empty() {
                    return self.expr(els);
                }
                format!("{out} else {} end)", self.expr(els)?)
            }
            TExprKind::Match { scrutinee, arms } => {
                let arms: Vec<(&TPattern, &[TExpr])> =
                    arms.iter().map(|a| (&a.pattern, &a.body[..])).collect();
                self.match_(scrutinee, &arms)?
            }
            TExprKind::Let { bindings, body } => {
                let mut out = String::from("(");
                for b in bindings {
                    let value = self.expr(&b.value)?;
                    let var = format!("${}", jq_ident(&b.name));
                    self.bind_local(b.id, var.clone());
                    out.push_str(&format!("{value} as {var} | "));
                }
                format!("{out}{})", self.body(body, e.span)?)
            }
            TExprKind::Do(xs) => self.body(xs, e.span)?,
            TExprKind::Builtin { op, args } => self.builtin(*op, args, e)?,
            TExprKind::CallDefn { name, args, .. } => self.call_defn(name, args, e)?,
            TExprKind::RenderPrompt { name, args } => {
                let args: Vec<Option<&TExpr>> = args.iter().map(Option::as_ref).collect();
                self.prompt(name, &args, e)?
            }
            TExprKind::ApplyValue { func, args } => self.apply(func, args, e)?,
            TExprKind::Loop(l) => self.pure_loop(l, e)?,
            TExprKind::Recur(args) => {
                let Some(f) = self.loops.last().cloned() else {
                    return Err(self.unsupported(e, "`recur` outside a loop"));
                };
                let mut parts = Vec::new();
                for a in args {
                    parts.push(self.expr(a)?);
                }
                parts.push("$round + 1".into());
                format!("{f}({})", parts.join("; "))
            }
            TExprKind::Try(t) => self.pure_try(t, e)?,
            TExprKind::Fail(m) => format!("error({})", self.expr(m)?),
            TExprKind::Assert { cond, message } => format!(
                "(if {} then null else error({}) end)",
                self.expr(cond)?,
                self.expr(message)?
            ),
            TExprKind::Error => {
                return Err(self.unsupported(e, "an expression that did not check"));
            }
            _ => return Err(self.unsupported(e, "a step inside a pure expression")),
        })
    }

    fn var(&mut self, r: &Ref, e: &TExpr) -> Jr {
        match r {
            Ref::Local { id, name } => {
                self.locals.get(id).cloned().ok_or_else(|| {
                    self.unsupported(e, format!("the local `{name}` (not in scope)"))
                })
            }
            Ref::Param { index, name }
                if self.filters.contains(index) || self.param_funcs.contains_key(index) =>
            {
                Err(self.unsupported(
                    e,
                    format!(
                        "the function parameter `{name}` used as a value (apply it, or pass it on)"
                    ),
                ))
            }
            Ref::Param { index, name } => self
                .params
                .get(*index)
                .cloned()
                .ok_or_else(|| self.unsupported(e, format!("the parameter `{name}`"))),
            Ref::EnumMember { member, .. } => Ok(jq_string(member)),
            Ref::Defn { name, .. } | Ref::Workflow { name, .. } | Ref::Prompt { name } => Err(self
                .unsupported(
                    e,
                    format!("`{name}` used as a value (apply it, or pass it to map/filter)"),
                )),
            Ref::Builtin { op, .. } => {
                Err(self.unsupported(e, format!("the built-in `{}` used as a value", op.name())))
            }
        }
    }

    fn object(
        &mut self,
        variant: Option<&str>,
        fields: &[(crate::typeck::types::Name, TExpr)],
    ) -> Jr {
        let mut parts = Vec::new();
        if let Some(v) = variant {
            parts.push(format!("variant: {}", jq_string(v)));
        }
        for (name, value) in fields {
            parts.push(format!("{}: {}", key(name), self.expr(value)?));
        }
        Ok(format!("{{{}}}", parts.join(", ")))
    }

    pub(super) fn template(&mut self, parts: &[TTemplatePart]) -> Jr {
        let mut pieces = Vec::new();
        for p in parts {
            pieces.push(match p {
                TTemplatePart::Text(t) => TemplatePiece::Text(t),
                TTemplatePart::Hole(h) => TemplatePiece::Expr(self.expr(h)?),
            });
        }
        Ok(template_string(pieces))
    }

    /// `match` over a union (`.variant`) or an enum (the member string).
    pub fn match_(&mut self, scrutinee: &TExpr, arms: &[(&TPattern, &[TExpr])]) -> Jr {
        let s = self.expr(scrutinee)?;
        let (var, bind) = if s.starts_with('$') && !s.contains(['.', ' ', '[']) {
            (s, String::new())
        } else {
            let v = self.fresh("m");
            (v.clone(), format!("{s} as {v} | "))
        };
        let test = match scrutinee.ty {
            Type::Union(..) => format!("{var}.variant"),
            _ => var.clone(),
        };
        let mut out = format!("({bind}");
        let count = arms.len();
        for (i, (pattern, body)) in arms.iter().enumerate() {
            let name = match pattern {
                TPattern::Variant { name, binder, .. } | TPattern::Member { name, binder, .. } => {
                    if let Some((_, id)) = binder {
                        self.bind_local(*id, var.clone());
                    }
                    Some(name)
                }
                TPattern::Wildcard => None,
            };
            let value = self.body(body, scrutinee.span)?;
            let otherwise = i + 1 == count || name.is_none();
            match (i, otherwise, name) {
                (0, true, _) => {
                    out.push_str(&value);
                    break;
                }
                (_, true, _) => {
                    out.push_str(&format!(" else {value} end"));
                    break;
                }
                (0, false, Some(n)) => {
                    out.push_str(&format!("if {test} == {} then {value}", jq_string(n)))
                }
                (_, _, n) => out.push_str(&format!(
                    " elif {test} == {} then {value}",
                    jq_string(n.map_or("", |n| &**n))
                )),
            }
        }
        out.push(')');
        Ok(out)
    }

    fn call_defn(
        &mut self,
        name: &crate::typeck::types::Name,
        args: &[Option<TExpr>],
        e: &TExpr,
    ) -> Jr {
        let Some(info) = self.tables.fns.get(name) else {
            return Err(self.unsupported(e, format!("the definition of `{name}`")));
        };
        let mut parts = Vec::new();
        for (i, a) in args.iter().enumerate() {
            let function = info
                .params
                .get(i)
                .is_some_and(|p| matches!(p.ty, Type::Fn(..)));
            let value = match a {
                Some(a) if function => self.fn_filter(a)?,
                Some(a) => self.expr(a)?,
                None => match info.params.get(i).and_then(|p| p.default.as_ref()) {
                    Some(d) => self.expr(d)?,
                    None => return Err(self.unsupported(e, format!("an argument of `{name}`"))),
                },
            };
            parts.push(value);
        }
        self.defns.insert(name.clone());
        let ident = jq_ident(name);
        Ok(if parts.is_empty() {
            ident
        } else {
            format!("{ident}({})", parts.join("; "))
        })
    }
}
