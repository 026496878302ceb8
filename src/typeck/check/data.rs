//! Data constructors: string literals (which become paths where a path is
//! expected, with their refinements checked now: E0222), `(record …)` and
//! `(variant …)` with every field exactly once (E0203 unknown, E0228 twice,
//! E0229 missing) and type arguments inferred for generic types, and
//! `(list …)`, whose element type comes from the context or the first
//! element (E0226 when neither says).

use super::{Checker, Expect, Join, report};
use crate::diag::{Code, Diagnostic, Span};
use crate::parser::ast::{FieldInit, Ident, TypeExpr, TypeExprKind};
use crate::typeck::items::{FieldInfo, ItemKind};
use crate::typeck::typed::{TExpr, TExprKind};
use crate::typeck::types::{Name, Type, VarOrigin};
use std::collections::HashMap;

/// Why `lit` is not a valid path of type `ty` (refined by `under`/`ext`).
pub fn path_problem(lit: &str, under: Option<&str>, ext: Option<&str>) -> Option<String> {
    if lit.is_empty() {
        return Some("a path cannot be empty".into());
    }
    if lit.starts_with('/') || lit.starts_with('\\') || lit.get(1..3) == Some(":\\") {
        return Some("paths are workspace-relative; this one is absolute".into());
    }
    if lit.split(['/', '\\']).any(|c| c == "..") {
        return Some("paths may not leave the workspace with `..`".into());
    }
    let clean = lit.trim_start_matches("./");
    if let Some(under) = under {
        let dir = under.trim_start_matches("./").trim_end_matches('/');
        if !dir.is_empty() && dir != "." && !clean.starts_with(&format!("{dir}/")) {
            return Some(format!("must be under `{dir}/`"));
        }
    }
    if let Some(ext) = ext {
        let ext = if ext.starts_with('.') {
            ext.to_string()
        } else {
            format!(".{ext}")
        };
        if !clean.ends_with(&ext) || clean.ends_with(&format!("/{ext}")) {
            return Some(format!("must end with `{ext}`"));
        }
    }
    None
}

impl Checker<'_> {
    pub fn string_lit(&mut self, s: &str, span: Span, expect: Option<&Expect>) -> TExpr {
        let ty = match expect.map(|x| self.shallow(&x.ty)) {
            Some(t @ (Type::Path | Type::Refined(_))) => t,
            _ => return TExpr::new(TExprKind::Str(s.to_string()), Type::String, span),
        };
        let info = match &ty {
            Type::Refined(name) => self.tables.paths.get(name),
            _ => None,
        };
        let problem = path_problem(
            s,
            info.and_then(|i| i.under.as_deref()),
            info.and_then(|i| i.ext.as_deref()),
        );
        let widen = expect.is_some_and(|x| x.widen) && info.is_some();
        if widen && problem.is_some() && path_problem(s, None, None).is_none() {
            // Another branch's path type, not the context's: a plain path.
            return TExpr::new(TExprKind::Str(s.to_string()), Type::Path, span);
        }
        if let Some(problem) = problem {
            let mut d =
                Diagnostic::error(Code::E0222, span, format!("\"{s}\" is not a valid `{ty}`"))
                    .with_primary(problem);
            if let Some(def) = info.and_then(|i| self.tables.def_span(&i.name)) {
                d = d.with_label(def, format!("`{ty}` defined here"));
            }
            self.diags.push(d);
        }
        TExpr::new(TExprKind::Str(s.to_string()), ty, span)
    }

    /// The type named at the head of `(record T …)` / `(variant T …)`,
    /// which must be of kind `want`; its type arguments are given or fresh.
    fn ctor_head(&mut self, te: &TypeExpr, want: ItemKind) -> Option<(Name, Vec<Type>)> {
        let (id, args): (&Ident, &[TypeExpr]) = match &te.kind {
            TypeExprKind::Named(id) => (id, &[]),
            TypeExprKind::App(id, args) => (id, args),
            TypeExprKind::Fn(..) | TypeExprKind::Error => {
                if matches!(te.kind, TypeExprKind::Fn(..)) {
                    self.resolve_te(te);
                }
                return None;
            }
        };
        let (form, build) = match want {
            ItemKind::Record => ("record", "record"),
            _ => ("union", "variant"),
        };
        match self.tables.kind_of(&id.name) {
            Some(k) if k == want => {}
            Some(ItemKind::Imported) => return None,
            other => {
                let candidates: Vec<&str> =
                    self.tables.visible(|k| k == want).map(|n| &**n).collect();
                let d = match other {
                    None => report::unknown(
                        Code::E0202,
                        id.span,
                        &format!("{form} type"),
                        &id.name,
                        candidates,
                    ),
                    Some(k) => Diagnostic::error(
                        Code::E0202,
                        id.span,
                        format!("`{}` is {}, not a {form} type", id.name, k.describe()),
                    )
                    .with_primary(format!("`({build} …)` needs a {form} type"))
                    .with_hint(match k {
                        ItemKind::Union => {
                            format!("build a union value with `(variant {} VARIANT …)`", id.name)
                        }
                        ItemKind::Record => {
                            format!("build a record with `(record {} :field value …)`", id.name)
                        }
                        _ => format!("`{build}` builds values of `def{form}` types"),
                    }),
                };
                self.diags.push(d);
                return None;
            }
        }
        let params = self.tables.type_params(&id.name).to_vec();
        let name: Name = self.tables.canon(&id.name).into();
        if args.is_empty() {
            let fresh = self.instantiate(&name, &params, te.span);
            return Some((name, fresh));
        }
        let resolved = self.resolve_te(te);
        match resolved {
            Type::Record(_, args) | Type::Union(_, args) => Some((name, args)),
            _ => None,
        }
    }

    /// Checks `inits` against `fields`; the values in declaration order.
    fn field_values(
        &mut self,
        fields: &[FieldInfo],
        params: &[Name],
        args: &[Type],
        inits: &[FieldInit],
        what: &str,
        head: Span,
    ) -> Vec<(Name, TExpr)> {
        let mut given: Vec<Option<TExpr>> = vec![None; fields.len()];
        let mut seen: HashMap<&str, Span> = HashMap::new();
        let mut typos: Vec<&str> = Vec::new();
        let mut unknown: Vec<Diagnostic> = Vec::new();
        for init in inits {
            let key = init.name.name.as_str();
            if let Some(first) = seen.get(key) {
                self.diags.push(
                    Diagnostic::error(Code::E0228, init.name.span, format!("`:{key}` given twice"))
                        .with_primary("repeated here")
                        .with_label(*first, "first given here"),
                );
                self.infer(&init.value);
                continue;
            }
            seen.insert(key, init.name.span);
            match fields.iter().position(|f| &*f.name == key) {
                Some(i) => {
                    let f = &fields[i];
                    let ty = f.ty.substitute(params, args);
                    let x = match f.span {
                        s if s == Span::default() => Expect::ty(ty),
                        s => Expect::because(ty, s),
                    };
                    given[i] = Some(self.expr(&init.value, Some(&x)));
                }
                None => {
                    let mut d = report::unknown(
                        Code::E0203,
                        init.name.span,
                        "field",
                        key,
                        fields.iter().map(|f| &*f.name),
                    );
                    d.message = format!("{what} has no field `{key}`");
                    if let Some(c) = crate::diag::closest(key, fields.iter().map(|f| &*f.name)) {
                        typos.push(c);
                    }
                    unknown.push(d);
                    self.infer(&init.value);
                }
            }
        }
        let mut missing: Vec<&str> = fields
            .iter()
            .zip(&given)
            .filter(|(f, g)| g.is_none() && !typos.contains(&&*f.name))
            .map(|(f, _)| &*f.name)
            .collect();
        if let ([d], [m]) = (unknown.as_mut_slice(), missing.as_slice()) {
            // One unknown field and one missing field: one mistake.
            d.hint = Some(format!("did you mean `{m}`? It is the one field not given"));
            missing.clear();
        }
        self.diags.append(&mut unknown);
        if !missing.is_empty() {
            let list = missing
                .iter()
                .map(|m| format!("`:{m}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let s = if missing.len() == 1 { "" } else { "s" };
            self.diags.push(
                Diagnostic::error(
                    Code::E0229,
                    head,
                    format!("{what} is missing field{s} {list}"),
                )
                .with_primary(format!("missing {list}"))
                .with_hint("every field must be given exactly once"),
            );
        }
        fields
            .iter()
            .zip(given)
            .filter_map(|(f, g)| Some((f.name.clone(), g?)))
            .collect()
    }

    /// Lets the expected type inform the type arguments of a constructor.
    fn pre_unify(&mut self, ty: &Type, expect: Option<&Expect>) {
        if let Some(x) = expect
            && ty.has_vars()
        {
            self.subst.try_sub(ty, &x.ty);
        }
    }

    pub fn record(
        &mut self,
        te: &TypeExpr,
        inits: &[FieldInit],
        span: Span,
        expect: Option<&Expect>,
    ) -> TExpr {
        let Some((name, args)) = self.ctor_head(te, ItemKind::Record) else {
            for i in inits {
                self.infer(&i.value);
            }
            return TExpr::error(span);
        };
        let tables = self.tables;
        let Some(info) = tables.records.get(&name) else {
            return TExpr::error(span);
        };
        let ty = Type::Record(name.clone(), args.clone());
        self.pre_unify(&ty, expect);
        let what = format!("record `{name}`");
        let fields = self.field_values(
            &info.fields,
            &info.type_params,
            &args,
            inits,
            &what,
            te.span,
        );
        TExpr::new(TExprKind::Record { name, fields }, ty, span)
    }

    pub fn variant(
        &mut self,
        te: &TypeExpr,
        variant: &Ident,
        inits: &[FieldInit],
        span: Span,
        expect: Option<&Expect>,
    ) -> TExpr {
        let Some((name, args)) = self.ctor_head(te, ItemKind::Union) else {
            for i in inits {
                self.infer(&i.value);
            }
            return TExpr::error(span);
        };
        let tables = self.tables;
        let Some(info) = tables.unions.get(&name) else {
            return TExpr::error(span);
        };
        let Some(v) = info.variants.iter().find(|v| *v.name == *variant.name) else {
            let mut d = report::unknown(
                Code::E0204,
                variant.span,
                "variant",
                &variant.name,
                info.variants.iter().map(|v| &*v.name),
            );
            d.message = format!("`{name}` has no variant `{}`", variant.name);
            if let Some(def) = tables.def_span(&name) {
                d = d.with_label(def, "defined here");
            }
            self.diags.push(d);
            for i in inits {
                self.infer(&i.value);
            }
            return TExpr::error(span);
        };
        let ty = Type::Union(name.clone(), args.clone());
        self.pre_unify(&ty, expect);
        let what = format!("variant `{}` of `{name}`", v.name);
        let head = te.span.to(variant.span);
        let fields = self.field_values(&v.fields, &info.type_params, &args, inits, &what, head);
        TExpr::new(
            TExprKind::Variant {
                union: name,
                variant: v.name.clone(),
                fields,
            },
            ty,
            span,
        )
    }

    pub fn list(
        &mut self,
        items: &[crate::parser::ast::Expr],
        span: Span,
        expect: Option<&Expect>,
    ) -> TExpr {
        let elem = match expect.map(|x| self.shallow(&x.ty)) {
            Some(Type::List(t)) => Some(Expect::ty(*t)),
            _ => None,
        };
        if items.is_empty() {
            // A fresh variable even when the context knows the type: if the
            // context's type is itself unsolved, E0226 points here.
            let elem = self.subst.fresh(VarOrigin::EmptyList, span);
            return TExpr::new(TExprKind::List(Vec::new()), Type::list(elem), span);
        }
        let mut join = Join::new(elem.as_ref());
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let t = self.expr(item, join.expect());
            join.add(&t);
            out.push(t);
        }
        TExpr::new(TExprKind::List(out), Type::list(join.ty()), span)
    }
}

#[cfg(test)]
mod tests {
    use super::path_problem;

    #[test]
    fn path_literals_are_checked_against_refinements() {
        assert_eq!(path_problem("docs/a.md", Some("docs"), Some(".md")), None);
        assert_eq!(path_problem("./docs/a.md", Some("docs/"), Some("md")), None);
        assert!(path_problem("src/a.md", Some("docs"), None).is_some());
        assert!(path_problem("docs/a.txt", None, Some(".md")).is_some());
        assert!(path_problem("/etc/passwd", None, None).is_some());
        assert!(path_problem("docs/../../x", None, None).is_some());
        assert!(path_problem("", None, None).is_some());
        assert!(path_problem("docs/.md", None, Some(".md")).is_some());
    }
}
