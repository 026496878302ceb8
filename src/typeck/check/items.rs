//! Checking of item bodies, in source order: provider timeouts, prompt
//! parameter defaults and templates, defn and workflow parameter defaults
//! and bodies (against the declared result type), and export lists. When an
//! item is done its inference variables are substituted away; one left
//! unsolved is E0226 at the place that introduced it (unless the item
//! already has errors, which usually explain it). Generic workflows called
//! with a function type argument are E0220.

use super::env::Local;
use super::{Checker, Edge, Expect};
use crate::diag::{Code, Diagnostic};
use crate::parser::ast::{Expr, Item, Param, Program};
use crate::typeck::items::{ParamInfo, Tables};
use crate::typeck::typed::{Ref, TExpr, TExprKind, TTemplate, TTemplatePart};
use crate::typeck::typed::{for_each_node_mut, for_each_type_mut};
use crate::typeck::types::{Name, Type, VarOrigin};
use std::collections::HashSet;

/// What checking one item produced, to be stored in the tables.
enum Done {
    Provider(Name, Option<TExpr>),
    Prompt(Name, Vec<Option<TExpr>>, TTemplate),
    /// A defn's or workflow's defaults and body.
    Body(Name, Vec<Option<TExpr>>, Vec<TExpr>),
}

/// Checks every kept item of `program`; fills in the bodies of `tables`
/// and returns the references between defns and workflows.
pub(crate) fn check_items(
    program: &Program,
    tables: &mut Tables,
    kept: &[bool],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Edge> {
    let mut done = Vec::new();
    let mut cx = Checker::new(tables);
    for (item, _) in program.items.iter().zip(kept).filter(|(_, k)| **k) {
        if let Some(d) = cx.item(item) {
            done.push(d);
        }
    }
    for item in &program.items {
        if let Item::Export(e) = item {
            for name in &e.names {
                if cx.tables.kind_of(&name.name).is_none() {
                    let d = super::report::unknown(
                        Code::E0201,
                        name.span,
                        "name",
                        &name.name,
                        cx.tables.scope.keys().map(|k| &**k),
                    );
                    cx.diags
                        .push(d.with_primary("nothing of this name is defined here"));
                }
            }
        }
    }
    let edges = std::mem::take(&mut cx.edges);
    diags.append(&mut cx.diags);
    drop(cx);
    for d in done {
        match d {
            Done::Provider(n, timeout) => {
                if let Some(p) = tables.providers.get_mut(&n) {
                    p.timeout = timeout;
                }
            }
            Done::Prompt(n, defaults, template) => {
                if let Some(p) = tables.prompts.get_mut(&n) {
                    set_defaults(&mut p.params, defaults);
                    p.template = template;
                }
            }
            Done::Body(n, defaults, body) => {
                let info = tables.fns.get_mut(&n);
                let info = match info {
                    Some(i) => Some(i),
                    None => tables.workflows.get_mut(&n),
                };
                if let Some(f) = info {
                    set_defaults(&mut f.params, defaults);
                    f.body = body;
                }
            }
        }
    }
    edges
}

fn set_defaults(params: &mut [ParamInfo], defaults: Vec<Option<TExpr>>) {
    for (p, d) in params.iter_mut().zip(defaults) {
        p.default = d;
    }
}

impl Checker<'_> {
    fn item(&mut self, item: &Item) -> Option<Done> {
        let tables = self.tables;
        let mark = self.diags.len();
        match item {
            Item::Provider(d) => {
                let name: Name = tables.canon(&d.name.name).into();
                self.start_item(&name, &[]);
                let mut timeout = d.timeout.as_ref().map(|t| self.check(t, Type::Int));
                self.finish(timeout.iter_mut(), mark);
                Some(Done::Provider(name, timeout))
            }
            Item::Prompt(d) => {
                let info = tables.prompts.get(tables.canon(&d.name.name))?;
                self.start_item(&info.name, &[]);
                let mut defaults = self.defaults(&d.params, &info.params);
                self.bind_params(&info.params);
                let mut template = self.template_with(&d.template, true);
                let holes = template.parts.iter_mut().filter_map(|p| match p {
                    TTemplatePart::Hole(h) => Some(h),
                    TTemplatePart::Text(_) => None,
                });
                self.finish(defaults.iter_mut().flatten().chain(holes), mark);
                Some(Done::Prompt(info.name.clone(), defaults, template))
            }
            Item::Fn(d) | Item::Workflow(d) => {
                let table = match item {
                    Item::Workflow(_) => &tables.workflows,
                    _ => &tables.fns,
                };
                let info = table.get(tables.canon(&d.name.name))?;
                let (defaults, body) = self.fn_body(
                    &info.name,
                    &info.type_params,
                    &d.params,
                    &info.params,
                    &info.ret,
                    info.ret_span,
                    &d.body,
                    mark,
                );
                Some(Done::Body(info.name.clone(), defaults, body))
            }
            _ => None,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn fn_body(
        &mut self,
        name: &Name,
        type_params: &[Name],
        params: &[Param],
        infos: &[ParamInfo],
        ret: &Type,
        ret_span: crate::diag::Span,
        body: &[Expr],
        mark: usize,
    ) -> (Vec<Option<TExpr>>, Vec<TExpr>) {
        self.start_item(name, type_params);
        let mut defaults = self.defaults(params, infos);
        self.bind_params(infos);
        let (mut body, _) = self.block(body, Some(&Expect::because(ret.clone(), ret_span)));
        self.finish(defaults.iter_mut().flatten().chain(body.iter_mut()), mark);
        (defaults, body)
    }

    /// Parameter defaults, checked before any parameter is in scope.
    fn defaults(&mut self, params: &[Param], infos: &[ParamInfo]) -> Vec<Option<TExpr>> {
        params
            .iter()
            .zip(infos)
            .map(|(p, info)| {
                let d = p.default.as_ref()?;
                Some(self.expr(d, Some(&Expect::because(info.ty.clone(), info.ty_span))))
            })
            .collect()
    }

    /// Binds the parameters (the first of two with one name wins; the
    /// second was reported as E0210).
    fn bind_params(&mut self, infos: &[ParamInfo]) {
        for (index, p) in infos.iter().enumerate() {
            if infos[..index].iter().any(|q| q.name == p.name) {
                continue;
            }
            self.env.bind(
                p.name.clone(),
                Local {
                    ty: p.ty.clone(),
                    r: Ref::Param {
                        name: p.name.clone(),
                        index,
                    },
                    span: p.span,
                    proven: None,
                },
            );
        }
    }

    /// Substitutes solved variables into the item's trees; reports the
    /// unsolved ones (E0226) and function type arguments of calls (E0220).
    fn finish<'e>(&mut self, exprs: impl Iterator<Item = &'e mut TExpr>, mark: usize) {
        let quiet = self.diags.len() > mark;
        let mut reported: HashSet<u32> = HashSet::new();
        let subst = &self.subst;
        let diags = &mut self.diags;
        for e in exprs {
            for_each_type_mut(e, &mut |ty: &mut Type, _| {
                let z = subst.zonk(ty);
                if !z.has_vars() {
                    *ty = z;
                    return;
                }
                let mut vars = Vec::new();
                z.vars(&mut vars);
                for v in vars {
                    if quiet || !reported.insert(v) {
                        continue;
                    }
                    if let Some((origin, span)) = subst.origin(v) {
                        let (msg, hint) = match origin {
                            VarOrigin::EmptyList => (
                                "cannot infer the element type of this empty list".to_string(),
                                "use `(list)` where its type is known, such as an argument or a record field".to_string(),
                            ),
                            VarOrigin::None => (
                                "cannot infer the type of `none`".to_string(),
                                "use `none` where an `(Option T)` is expected".to_string(),
                            ),
                            VarOrigin::TypeArg { item, param } => (
                                format!("cannot infer type argument `{param}` of `{item}`"),
                                format!("the arguments of `{item}` do not determine `{param}`; use the result where its type is known"),
                            ),
                            VarOrigin::Other => (
                                "cannot infer the type of this expression".to_string(),
                                "use it where its type is known".to_string(),
                            ),
                        };
                        diags.push(
                            Diagnostic::error(Code::E0226, span, msg)
                                .with_primary("type unknown here")
                                .with_hint(hint),
                        );
                    }
                }
                *ty = z.without_vars();
            });
            for_each_node_mut(e, &mut |node: &mut TExpr| {
                let (args, what) = match &node.kind {
                    TExprKind::Call(c) => {
                        (c.type_args.as_slice(), format!("workflow `{}`", c.workflow))
                    }
                    TExprKind::Record { name, .. } => match &node.ty {
                        Type::Record(_, a) => (a.as_slice(), format!("record `{name}`")),
                        _ => return,
                    },
                    TExprKind::Variant { union, .. } => match &node.ty {
                        Type::Union(_, a) => (a.as_slice(), format!("union `{union}`")),
                        _ => return,
                    },
                    _ => return,
                };
                if let Some(t) = args.iter().find(|t| t.contains_fn()) {
                    diags.push(crate::typeck::items::boundary_error(
                        node.span,
                        format!("{what} would hold a function of type `{t}`"),
                        t,
                    ));
                }
            });
        }
    }
}
