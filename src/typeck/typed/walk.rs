//! Generic traversal of typed expressions: `children` and `children_mut`
//! give a node's direct children in evaluation order, `for_each_node_mut`
//! visits every node of a tree (parents before children), and
//! `for_each_type_mut` every `Type` stored in a tree (node types, type
//! arguments, `:returns` types), which the checker uses to replace solved
//! inference variables.

use super::*;

/// Defines a function that calls `f` on each direct child of a node, in
/// evaluation order: `children` (shared) and `children_mut` (mutable) are
/// the same walk, written once.
macro_rules! children_fn {
    ($(#[$doc:meta])* $name:ident, $iter:ident $(, $m:tt)?) => {
        $(#[$doc])*
        pub fn $name<'a>(e: &'a $($m)? TExpr, f: &mut dyn FnMut(&'a $($m)? TExpr)) {
            let opt = |x: &'a $($m)? Option<Box<TExpr>>, f: &mut dyn FnMut(&'a $($m)? TExpr)| {
                if let Some(x) = x {
                    f(x);
                }
            };
            match & $($m)? e.kind {
                TExprKind::Int(_)
                | TExprKind::Float(_)
                | TExprKind::Str(_)
                | TExprKind::Bool(_)
                | TExprKind::None
                | TExprKind::Var(_)
                | TExprKind::Error => {}
                TExprKind::Field { base, .. } => f(base),
                TExprKind::Record { fields, .. } | TExprKind::Variant { fields, .. } => {
                    fields.$iter().for_each(|(_, v)| f(v))
                }
                TExprKind::List(xs)
                | TExprKind::Do(xs)
                | TExprKind::Recur(xs)
                | TExprKind::Builtin { args: xs, .. } => xs.$iter().for_each(f),
                TExprKind::Fmt(t) => t.parts.$iter().for_each(|p| {
                    if let TTemplatePart::Hole(h) = p {
                        f(h)
                    }
                }),
                TExprKind::If { cond, then, els } => {
                    f(cond);
                    f(then);
                    f(els);
                }
                TExprKind::Cond { arms, els } => {
                    for (c, v) in arms {
                        f(c);
                        f(v);
                    }
                    f(els);
                }
                TExprKind::Match { scrutinee, arms } => {
                    f(scrutinee);
                    arms.$iter().for_each(|a| a.body.$iter().for_each(&mut *f));
                }
                TExprKind::Let { bindings, body } => {
                    bindings.$iter().for_each(|b| f(& $($m)? b.value));
                    body.$iter().for_each(f);
                }
                TExprKind::CallDefn { args, .. } | TExprKind::RenderPrompt { args, .. } => {
                    args.$iter().flatten().for_each(f)
                }
                TExprKind::ApplyValue { func, args } => {
                    f(func);
                    args.$iter().for_each(f);
                }
                TExprKind::Command(c) => {
                    c.argv.$iter().for_each(&mut *f);
                    c.env.$iter().for_each(|(_, v)| f(v));
                    opt(& $($m)? c.stdin, f);
                    opt(& $($m)? c.opts.timeout, f);
                }
                TExprKind::Provider(p) => {
                    f(& $($m)? p.prompt);
                    opt(& $($m)? p.opts.timeout, f);
                }
                TExprKind::Human(h) => {
                    f(& $($m)? h.ask);
                    opt(& $($m)? h.opts.timeout, f);
                }
                TExprKind::Call(c) => {
                    c.args.$iter().flatten().for_each(&mut *f);
                    opt(& $($m)? c.opts.timeout, f);
                }
                TExprKind::Loop(l) => {
                    opt(& $($m)? l.max, f);
                    l.state.$iter().for_each(|b| f(& $($m)? b.value));
                    l.body.$iter().for_each(&mut *f);
                    opt(& $($m)? l.exhausted, f);
                }
                TExprKind::ForEach(fe) => {
                    f(& $($m)? fe.list);
                    opt(& $($m)? fe.limit, f);
                    fe.body.$iter().for_each(f);
                }
                TExprKind::Parallel(p) => {
                    p.bindings.$iter().for_each(|b| f(& $($m)? b.value));
                    opt(& $($m)? p.limit, f);
                    p.body.$iter().for_each(f);
                }
                TExprKind::Retry(r) => {
                    opt(& $($m)? r.attempts, f);
                    opt(& $($m)? r.backoff, f);
                    r.body.$iter().for_each(f);
                }
                TExprKind::Try(t) => {
                    t.body.$iter().for_each(&mut *f);
                    t.handler.$iter().for_each(f);
                }
                TExprKind::Phase { body, .. } => body.$iter().for_each(f),
                TExprKind::Budget { tokens, usd, body } => {
                    opt(tokens, f);
                    opt(usd, f);
                    body.$iter().for_each(f);
                }
                TExprKind::Fail(m) => f(m),
                TExprKind::Assert { cond, message } => {
                    f(cond);
                    f(message);
                }
            }
        }
    };
}

children_fn!(
    /// Calls `f` on each direct child of `e`, in evaluation order.
    children, iter
);
children_fn!(
    /// `children`, mutable: for rewriting a node's children in place.
    children_mut, iter_mut, mut
);

/// Calls `f` on `e` and then on every node below it.
pub fn for_each_node_mut(e: &mut TExpr, f: &mut dyn FnMut(&mut TExpr)) {
    f(e);
    children_mut(e, &mut |c| for_each_node_mut(c, f));
}

/// Calls `f` on every `Type` stored in the tree under `e`, with the span of
/// the node that holds it.
pub fn for_each_type_mut(e: &mut TExpr, f: &mut dyn FnMut(&mut Type, Span)) {
    for_each_node_mut(e, &mut |node: &mut TExpr| {
        let span = node.span;
        f(&mut node.ty, span);
        let extra: &mut [Type] = match &mut node.kind {
            TExprKind::Var(Ref::Defn { type_args, .. })
            | TExprKind::Var(Ref::Workflow { type_args, .. })
            | TExprKind::Var(Ref::Builtin { type_args, .. })
            | TExprKind::CallDefn { type_args, .. } => type_args,
            TExprKind::Call(c) => &mut c.type_args,
            TExprKind::Command(TCommand {
                returns: Some(t), ..
            })
            | TExprKind::Provider(TProvider { returns: t, .. })
            | TExprKind::Human(THuman { returns: t, .. }) => std::slice::from_mut(t),
            _ => &mut [],
        };
        for t in extra {
            f(t, span);
        }
    });
}
