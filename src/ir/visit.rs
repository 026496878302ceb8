//! Read-only traversal of typed expressions for the IR builder: the direct
//! children of a node in evaluation order, whether a tree contains effects,
//! and which locals it reads.

use crate::typeck::typed::{LocalId, Ref, TExpr, TExprKind, TTemplatePart};

/// Calls `f` on each direct child of `e`, in evaluation order.
pub fn children<'a>(e: &'a TExpr, f: &mut dyn FnMut(&'a TExpr)) {
    let opt = |x: &'a Option<Box<TExpr>>, f: &mut dyn FnMut(&'a TExpr)| {
        if let Some(x) = x {
            f(x);
        }
    };
    match &e.kind {
        TExprKind::Int(_)
        | TExprKind::Float(_)
        | TExprKind::Str(_)
        | TExprKind::Bool(_)
        | TExprKind::None
        | TExprKind::Var(_)
        | TExprKind::Error => {}
        TExprKind::Field { base, .. } => f(base),
        TExprKind::Record { fields, .. } | TExprKind::Variant { fields, .. } => {
            fields.iter().for_each(|(_, v)| f(v))
        }
        TExprKind::List(xs)
        | TExprKind::Do(xs)
        | TExprKind::Recur(xs)
        | TExprKind::Builtin { args: xs, .. } => xs.iter().for_each(f),
        TExprKind::Fmt(t) => t.parts.iter().for_each(|p| {
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
            arms.iter().for_each(|a| a.body.iter().for_each(&mut *f));
        }
        TExprKind::Let { bindings, body } => {
            bindings.iter().for_each(|b| f(&b.value));
            body.iter().for_each(f);
        }
        TExprKind::CallDefn { args, .. } | TExprKind::RenderPrompt { args, .. } => {
            args.iter().flatten().for_each(f)
        }
        TExprKind::ApplyValue { func, args } => {
            f(func);
            args.iter().for_each(f);
        }
        TExprKind::Command(c) => {
            c.argv.iter().for_each(&mut *f);
            c.env.iter().for_each(|(_, v)| f(v));
            opt(&c.stdin, f);
            opt(&c.opts.timeout, f);
        }
        TExprKind::Provider(p) => {
            f(&p.prompt);
            opt(&p.opts.timeout, f);
        }
        TExprKind::Human(h) => {
            f(&h.ask);
            opt(&h.opts.timeout, f);
        }
        TExprKind::Call(c) => {
            c.args.iter().flatten().for_each(&mut *f);
            opt(&c.opts.timeout, f);
        }
        TExprKind::Loop(l) => {
            opt(&l.max, f);
            l.state.iter().for_each(|b| f(&b.value));
            l.body.iter().for_each(&mut *f);
            opt(&l.exhausted, f);
        }
        TExprKind::ForEach(fe) => {
            f(&fe.list);
            opt(&fe.limit, f);
            fe.body.iter().for_each(f);
        }
        TExprKind::Parallel(p) => {
            p.bindings.iter().for_each(|b| f(&b.value));
            opt(&p.limit, f);
            p.body.iter().for_each(f);
        }
        TExprKind::Retry(r) => {
            opt(&r.attempts, f);
            opt(&r.backoff, f);
            r.body.iter().for_each(f);
        }
        TExprKind::Try(t) => {
            t.body.iter().for_each(&mut *f);
            t.handler.iter().for_each(f);
        }
        TExprKind::Phase { body, .. } => body.iter().for_each(f),
        TExprKind::Budget { tokens, usd, body } => {
            opt(tokens, f);
            opt(usd, f);
            body.iter().for_each(f);
        }
        TExprKind::Fail(m) => f(m),
        TExprKind::Assert { cond, message } => {
            f(cond);
            f(message);
        }
    }
}

/// `children`, mutable: the IR builder replaces effectful children by the
/// locals of the nodes it hoists them into.
pub fn children_mut(e: &mut TExpr, f: &mut dyn FnMut(&mut TExpr)) {
    let opt = |x: &mut Option<Box<TExpr>>, f: &mut dyn FnMut(&mut TExpr)| {
        if let Some(x) = x {
            f(x);
        }
    };
    match &mut e.kind {
        TExprKind::Int(_)
        | TExprKind::Float(_)
        | TExprKind::Str(_)
        | TExprKind::Bool(_)
        | TExprKind::None
        | TExprKind::Var(_)
        | TExprKind::Error => {}
        TExprKind::Field { base, .. } => f(base),
        TExprKind::Record { fields, .. } | TExprKind::Variant { fields, .. } => {
            fields.iter_mut().for_each(|(_, v)| f(v))
        }
        TExprKind::List(xs)
        | TExprKind::Do(xs)
        | TExprKind::Recur(xs)
        | TExprKind::Builtin { args: xs, .. } => xs.iter_mut().for_each(f),
        TExprKind::Fmt(t) => t.parts.iter_mut().for_each(|p| {
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
            arms.iter_mut()
                .for_each(|a| a.body.iter_mut().for_each(&mut *f));
        }
        TExprKind::Let { bindings, body } => {
            bindings.iter_mut().for_each(|b| f(&mut b.value));
            body.iter_mut().for_each(f);
        }
        TExprKind::CallDefn { args, .. } | TExprKind::RenderPrompt { args, .. } => {
            args.iter_mut().flatten().for_each(f)
        }
        TExprKind::ApplyValue { func, args } => {
            f(func);
            args.iter_mut().for_each(f);
        }
        TExprKind::Command(c) => {
            c.argv.iter_mut().for_each(&mut *f);
            c.env.iter_mut().for_each(|(_, v)| f(v));
            opt(&mut c.stdin, f);
            opt(&mut c.opts.timeout, f);
        }
        TExprKind::Provider(p) => {
            f(&mut p.prompt);
            opt(&mut p.opts.timeout, f);
        }
        TExprKind::Human(h) => {
            f(&mut h.ask);
            opt(&mut h.opts.timeout, f);
        }
        TExprKind::Call(c) => {
            c.args.iter_mut().flatten().for_each(&mut *f);
            opt(&mut c.opts.timeout, f);
        }
        TExprKind::Loop(l) => {
            opt(&mut l.max, f);
            l.state.iter_mut().for_each(|b| f(&mut b.value));
            l.body.iter_mut().for_each(&mut *f);
            opt(&mut l.exhausted, f);
        }
        TExprKind::ForEach(fe) => {
            f(&mut fe.list);
            opt(&mut fe.limit, f);
            fe.body.iter_mut().for_each(f);
        }
        TExprKind::Parallel(p) => {
            p.bindings.iter_mut().for_each(|b| f(&mut b.value));
            opt(&mut p.limit, f);
            p.body.iter_mut().for_each(f);
        }
        TExprKind::Retry(r) => {
            opt(&mut r.attempts, f);
            opt(&mut r.backoff, f);
            r.body.iter_mut().for_each(f);
        }
        TExprKind::Try(t) => {
            t.body.iter_mut().for_each(&mut *f);
            t.handler.iter_mut().for_each(f);
        }
        TExprKind::Phase { body, .. } => body.iter_mut().for_each(f),
        TExprKind::Budget { tokens, usd, body } => {
            opt(tokens, f);
            opt(usd, f);
            body.iter_mut().for_each(f);
        }
        TExprKind::Fail(m) => f(m),
        TExprKind::Assert { cond, message } => {
            f(cond);
            f(message);
        }
    }
}

/// Whether evaluating `e` may do anything but compute a value: run a step,
/// enter a structured control node, fail, or apply a function value (which
/// may be a workflow). `recur` is not an effect: see `recurs`.
pub fn has_effects(e: &TExpr) -> bool {
    let own = matches!(
        e.kind,
        TExprKind::Command(_)
            | TExprKind::Provider(_)
            | TExprKind::Human(_)
            | TExprKind::Call(_)
            | TExprKind::ApplyValue { .. }
            | TExprKind::ForEach(_)
            | TExprKind::Parallel(_)
            | TExprKind::Retry(_)
            | TExprKind::Try(_)
            | TExprKind::Phase { .. }
            | TExprKind::Budget { .. }
            | TExprKind::Fail(_)
            | TExprKind::Assert { .. }
    );
    if own {
        return true;
    }
    let mut found = false;
    children(e, &mut |c| found = found || has_effects(c));
    found
}

/// Whether `e` contains a `recur` of the loop it is in (not one of a loop
/// nested inside it).
pub fn recurs(e: &TExpr) -> bool {
    match &e.kind {
        TExprKind::Recur(_) => true,
        TExprKind::Loop(_) => false,
        _ => {
            let mut found = false;
            children(e, &mut |c| found = found || recurs(c));
            found
        }
    }
}

/// Every local `e` reads, in first-read order, without duplicates.
pub fn locals_read(e: &TExpr, out: &mut Vec<LocalId>) {
    if let TExprKind::Var(Ref::Local { id, .. }) = &e.kind
        && !out.contains(id)
    {
        out.push(*id);
    }
    children(e, &mut |c| locals_read(c, out));
}
