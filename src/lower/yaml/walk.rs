//! Read-only walks over IR nodes the lowering needs: the expressions a
//! node holds directly, the names its locals have in the source, and where
//! a local is first read.

use crate::ir::{Block, NodeKind};
use crate::typeck::typed::{LocalId, TExpr, TExprKind};

/// Calls `f` on each expression a node holds directly.
pub(super) fn node_exprs(kind: &NodeKind, f: &mut dyn FnMut(&TExpr)) {
    match kind {
        NodeKind::Pure(e) | NodeKind::Fail(e) => f(e),
        NodeKind::Command(c) => {
            c.argv.iter().for_each(&mut *f);
            c.env.iter().for_each(|(_, v)| f(v));
            if let Some(s) = &c.stdin {
                f(s);
            }
        }
        NodeKind::Provider(p) => f(&p.prompt),
        NodeKind::Human(h) => f(&h.ask),
        NodeKind::Call(c) => c.args.iter().flatten().for_each(f),
        NodeKind::Apply { func, args, .. } => {
            f(func);
            args.iter().for_each(f);
        }
        NodeKind::If { cond, .. } => f(cond),
        NodeKind::Match { scrutinee, .. } => f(scrutinee),
        NodeKind::Loop { max, state, .. } => {
            max.iter().for_each(&mut *f);
            state.iter().for_each(|(_, _, e)| f(e));
        }
        NodeKind::Recur(args) => args.iter().for_each(f),
        NodeKind::ForEach { list, limit, .. } => {
            f(list);
            limit.iter().for_each(f);
        }
        NodeKind::Parallel { limit, .. } => limit.iter().for_each(f),
        NodeKind::Retry {
            attempts, backoff, ..
        } => {
            attempts.iter().for_each(&mut *f);
            backoff.iter().for_each(f);
        }
        NodeKind::Try { .. } | NodeKind::Phase { .. } => {}
        NodeKind::Budget { tokens, usd, .. } => {
            tokens.iter().for_each(&mut *f);
            usd.iter().for_each(f);
        }
        NodeKind::Assert { cond, message } => {
            f(cond);
            f(message);
        }
    }
}

pub(super) fn collect_names(e: &TExpr, out: &mut Vec<(crate::typeck::typed::LocalId, String)>) {
    if let TExprKind::Var(crate::typeck::typed::Ref::Local { id, name }) = &e.kind {
        out.push((*id, name.to_string()));
    }
    crate::ir::children(e, &mut |c| collect_names(c, out));
}

pub(super) fn collect_block_names(
    b: &crate::ir::Block,
    out: &mut Vec<(crate::typeck::typed::LocalId, String)>,
) {
    collect_names(&b.result, out);
    for (_, n) in b.nodes() {
        node_exprs(&n.kind, &mut |e| collect_names(e, out));
        for (_, sub) in n.kind.blocks() {
            collect_block_names(sub, out);
        }
    }
}

/// Whether any node of `b` (at any depth) or its result reads one of `ids`.
pub(super) fn block_reads(b: &Block, ids: &[LocalId]) -> Option<LocalId> {
    let mut result = Vec::new();
    crate::ir::locals_read(&b.result, &mut result);
    if let Some(id) = result.iter().find(|r| ids.contains(r)) {
        return Some(*id);
    }
    for (_, n) in b.nodes() {
        if let Some(id) = n.reads.iter().find(|r| ids.contains(r)) {
            return Some(*id);
        }
        for (_, sub) in n.kind.blocks() {
            if let Some(id) = block_reads(sub, ids) {
                return Some(id);
            }
        }
    }
    None
}

/// The span of the first read of local `id` in `b`.
pub(super) fn first_read(b: &Block, id: LocalId) -> Option<crate::diag::Span> {
    fn walk(e: &TExpr, id: LocalId, out: &mut Option<crate::diag::Span>) {
        if out.is_some() {
            return;
        }
        if let crate::typeck::typed::TExprKind::Var(crate::typeck::typed::Ref::Local {
            id: i, ..
        }) = &e.kind
            && *i == id
        {
            *out = Some(e.span);
        }
        crate::ir::children(e, &mut |c| walk(c, id, out));
    }
    let mut out = None;
    for (_, n) in b.nodes() {
        node_exprs(&n.kind, &mut |e| walk(e, id, &mut out));
        for (_, sub) in n.kind.blocks() {
            if out.is_none() {
                out = first_read(sub, id);
            }
        }
    }
    if out.is_none() {
        walk(&b.result, id, &mut out);
    }
    out
}

/// Every local a node reads, at any depth (its expressions and its
/// blocks' nodes and results), hoisted locals included: the IR's `reads`
/// come from the expression before effects were hoisted out of it.
pub(super) fn node_reads(kind: &NodeKind, out: &mut Vec<LocalId>) {
    node_exprs(kind, &mut |e| crate::ir::locals_read(e, out));
    for (_, b) in kind.blocks() {
        block_reads_all(b, out);
    }
}

/// Every local a block's nodes and result read.
pub(super) fn block_reads_all(b: &Block, out: &mut Vec<LocalId>) {
    for (_, n) in b.nodes() {
        node_reads(&n.kind, out);
    }
    crate::ir::locals_read(&b.result, out);
}
