//! Generic traversal of typed expressions: `for_each_node_mut` visits every
//! node of a tree (parents before children), `for_each_type_mut` every
//! `Type` stored in a tree (node types, type arguments, `:returns` types).
//! The checker uses the latter to replace solved inference variables.

use super::*;

fn opt(e: &mut Option<Box<TExpr>>, f: &mut dyn FnMut(&mut TExpr)) {
    if let Some(e) = e {
        for_each_node_mut(e, f);
    }
}

fn all(es: &mut [TExpr], f: &mut dyn FnMut(&mut TExpr)) {
    for e in es {
        for_each_node_mut(e, f);
    }
}

fn bindings(bs: &mut [TBinding], f: &mut dyn FnMut(&mut TExpr)) {
    for b in bs {
        for_each_node_mut(&mut b.value, f);
    }
}

/// Calls `f` on `e` and then on every node below it.
pub fn for_each_node_mut(e: &mut TExpr, f: &mut dyn FnMut(&mut TExpr)) {
    f(e);
    match &mut e.kind {
        TExprKind::Int(_)
        | TExprKind::Float(_)
        | TExprKind::Str(_)
        | TExprKind::Bool(_)
        | TExprKind::None
        | TExprKind::Var(_)
        | TExprKind::Error => {}
        TExprKind::Field { base, .. } => for_each_node_mut(base, f),
        TExprKind::Record { fields, .. } | TExprKind::Variant { fields, .. } => {
            for (_, v) in fields {
                for_each_node_mut(v, f);
            }
        }
        TExprKind::List(xs)
        | TExprKind::Do(xs)
        | TExprKind::Recur(xs)
        | TExprKind::Builtin { args: xs, .. } => all(xs, f),
        TExprKind::Fmt(t) => {
            for part in &mut t.parts {
                if let TTemplatePart::Hole(h) = part {
                    for_each_node_mut(h, f);
                }
            }
        }
        TExprKind::If { cond, then, els } => {
            for_each_node_mut(cond, f);
            for_each_node_mut(then, f);
            for_each_node_mut(els, f);
        }
        TExprKind::Cond { arms, els } => {
            for (c, v) in arms {
                for_each_node_mut(c, f);
                for_each_node_mut(v, f);
            }
            for_each_node_mut(els, f);
        }
        TExprKind::Match { scrutinee, arms } => {
            for_each_node_mut(scrutinee, f);
            for arm in arms {
                all(&mut arm.body, f);
            }
        }
        TExprKind::Let { bindings: bs, body } => {
            bindings(bs, f);
            all(body, f);
        }
        TExprKind::CallDefn { args, .. } | TExprKind::RenderPrompt { args, .. } => {
            for a in args.iter_mut().flatten() {
                for_each_node_mut(a, f);
            }
        }
        TExprKind::ApplyValue { func, args } => {
            for_each_node_mut(func, f);
            all(args, f);
        }
        TExprKind::Command(c) => {
            all(&mut c.argv, f);
            for (_, v) in &mut c.env {
                for_each_node_mut(v, f);
            }
            opt(&mut c.stdin, f);
            opt(&mut c.opts.timeout, f);
        }
        TExprKind::Provider(p) => {
            for_each_node_mut(&mut p.prompt, f);
            opt(&mut p.opts.timeout, f);
        }
        TExprKind::Human(h) => {
            for_each_node_mut(&mut h.ask, f);
            opt(&mut h.opts.timeout, f);
        }
        TExprKind::Call(c) => {
            for a in c.args.iter_mut().flatten() {
                for_each_node_mut(a, f);
            }
            opt(&mut c.opts.timeout, f);
        }
        TExprKind::Loop(l) => {
            opt(&mut l.max, f);
            bindings(&mut l.state, f);
            all(&mut l.body, f);
            opt(&mut l.exhausted, f);
        }
        TExprKind::ForEach(fe) => {
            for_each_node_mut(&mut fe.list, f);
            opt(&mut fe.limit, f);
            all(&mut fe.body, f);
        }
        TExprKind::Parallel(p) => {
            bindings(&mut p.bindings, f);
            opt(&mut p.limit, f);
            all(&mut p.body, f);
        }
        TExprKind::Retry(r) => {
            opt(&mut r.attempts, f);
            opt(&mut r.backoff, f);
            all(&mut r.body, f);
        }
        TExprKind::Try(t) => {
            all(&mut t.body, f);
            all(&mut t.handler, f);
        }
        TExprKind::Phase { body, .. } => all(body, f),
        TExprKind::Budget { tokens, usd, body } => {
            opt(tokens, f);
            opt(usd, f);
            all(body, f);
        }
        TExprKind::Fail(m) => for_each_node_mut(m, f),
        TExprKind::Assert { cond, message } => {
            for_each_node_mut(cond, f);
            for_each_node_mut(message, f);
        }
    }
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
