//! Where a workflow may be passed by reference. A workflow named as a value
//! runs its steps when applied, so it may only be handed to another
//! workflow through `call` (whose function-typed parameters are applied as
//! steps). Anywhere else — an argument of a `defn`, of `map`/`filter`, a
//! value bound or returned in a `defn` — it would run effects inside pure
//! code, so it is reported (E0301) with the way to do it instead.

use super::Tables;
use super::typed::{Ref, TExpr, TExprKind, for_each_node_mut};
use crate::diag::{Code, Diagnostic, FileId, Span};
use std::collections::HashSet;

/// Reports every workflow value outside a direct argument of `call`.
/// Only items of `file` are looked at: imported ones were checked with
/// their own module.
pub fn check_workflow_values(tables: &mut Tables, file: FileId, diags: &mut Vec<Diagnostic>) {
    let mut bodies: Vec<(bool, &mut Vec<TExpr>)> = Vec::new();
    let own = |span: Span| span.file == file;
    bodies.extend(
        tables
            .fns
            .values_mut()
            .filter(|f| own(f.span))
            .map(|f| (true, &mut f.body)),
    );
    bodies.extend(
        tables
            .workflows
            .values_mut()
            .filter(|w| own(w.span))
            .map(|w| (false, &mut w.body)),
    );
    for (in_defn, body) in bodies {
        let mut allowed: HashSet<Span> = HashSet::new();
        for e in body.iter_mut() {
            for_each_node_mut(e, &mut |node: &mut TExpr| match &node.kind {
                TExprKind::Call(c) => {
                    for arg in c.args.iter().flatten() {
                        if matches!(arg.kind, TExprKind::Var(Ref::Workflow { .. })) {
                            allowed.insert(arg.span);
                        }
                    }
                }
                TExprKind::Var(Ref::Workflow { name, .. }) if !allowed.contains(&node.span) => {
                    let hint = if in_defn {
                        "a defn is pure; take the workflow as a parameter of a workflow instead"
                    } else {
                        "pass it to another workflow with `call`, or run it per element with `for-each` and `call`"
                    };
                    diags.push(
                        Diagnostic::error(
                            Code::E0301,
                            node.span,
                            format!("workflow `{name}` passed where a pure function is expected"),
                        )
                        .with_primary("applying this would run steps inside pure code")
                        .with_hint(hint),
                    );
                }
                _ => {}
            });
        }
    }
}
