//! Building the IR from the typed program. Each workflow body is lowered to
//! A-normal form: an expression that contains an effect is split so that
//! the effect becomes a node of the enclosing block, bound to a local, and
//! the expression reads that local instead. Effects keep their program
//! order; pure code stays in expressions. `cond` and short-circuit `and` /
//! `or` with effects in later operands become nested `if` nodes, so an
//! effect runs only when the source says it does.

use super::visit::{children, children_mut, has_effects, locals_read, recurs};
use super::{Block, Edge, Node, NodeKind, Program, Workflow};
use crate::diag::Span;
use crate::typeck::Builtin;
use crate::typeck::typed::{LocalId, Ref, StepId, StepSeg, TExpr, TExprKind, TPattern};
use crate::typeck::types::{Name, Type};
use crate::typeck::{FnInfo, Tables};
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Builds the IR of every workflow of a checked program.
pub fn build(tables: Arc<Tables>) -> Program {
    let workflows = tables
        .workflows
        .iter()
        .map(|(name, info)| (name.clone(), build_workflow(&tables, info)))
        .collect();
    Program { tables, workflows }
}

fn build_workflow(tables: &Tables, info: &FnInfo) -> Workflow {
    let mut max = 0;
    for e in &info.body {
        max_local(e, &mut max);
    }
    let mut b = Builder {
        tables,
        next_local: max + 1,
        first_fresh: max + 1,
        locals: HashMap::new(),
        scope: vec![StepSeg {
            name: info.name.clone(),
            repeats: false,
        }],
        in_loop: false,
    };
    let body = b.block(&info.body);
    Workflow {
        name: info.name.clone(),
        type_params: info.type_params.clone(),
        params: info.params.clone(),
        ret: info.ret.clone(),
        body,
        span: info.span,
        locals: b.next_local,
    }
}

/// The largest local id bound anywhere in `e`.
fn max_local(e: &TExpr, max: &mut u32) {
    let mut see = |id: LocalId| *max = (*max).max(id.0);
    match &e.kind {
        TExprKind::Let { bindings, .. } => bindings.iter().for_each(|b| see(b.id)),
        TExprKind::Loop(l) => l.state.iter().for_each(|b| see(b.id)),
        TExprKind::Parallel(p) => p.bindings.iter().for_each(|b| see(b.id)),
        TExprKind::ForEach(f) => see(f.var_id),
        TExprKind::Retry(r) => {
            see(r.attempt);
            see(r.failures);
        }
        TExprKind::Try(t) => see(t.var_id),
        TExprKind::Match { arms, .. } => {
            for arm in arms {
                if let TPattern::Variant {
                    binder: Some((_, id)),
                    ..
                }
                | TPattern::Member {
                    binder: Some((_, id)),
                    ..
                } = &arm.pattern
                {
                    see(*id);
                }
            }
        }
        _ => {}
    }
    children(e, &mut |c| max_local(c, max));
}

struct Builder<'t> {
    tables: &'t Tables,
    next_local: u32,
    /// Locals from here up are the builder's own (not from the source).
    first_fresh: u32,
    /// Every local bound so far, with its name and type.
    locals: HashMap<LocalId, (Name, Type)>,
    /// Step id segments of the enclosing structured nodes.
    scope: Vec<StepSeg>,
    /// Lowering the body of an IR loop: its `recur`s must become nodes.
    in_loop: bool,
}

/// A block under construction.
#[derive(Default)]
struct BlockBuilder {
    graph: DiGraph<Node, Edge>,
    producers: HashMap<LocalId, NodeIndex>,
    last_effect: Option<NodeIndex>,
}

impl Builder<'_> {
    fn fresh(&mut self) -> LocalId {
        let id = LocalId(self.next_local);
        self.next_local += 1;
        id
    }

    /// Whether `e` must be split into nodes.
    fn structural(&self, e: &TExpr) -> bool {
        has_effects(e) || (self.in_loop && recurs(e))
    }

    fn block(&mut self, exprs: &[TExpr]) -> Block {
        let mut bb = BlockBuilder::default();
        let result = match exprs.split_last() {
            Some((last, init)) => {
                for e in init {
                    self.stmt(e, &mut bb);
                }
                self.expr(last, &mut bb, None)
            }
            None => TExpr::new(TExprKind::Do(Vec::new()), Type::Unit, Span::default()),
        };
        Block {
            graph: bb.graph,
            result,
        }
    }

    /// A sub-block in a new step scope (`None`: same scope), with `in_loop`
    /// set for the body of an IR loop only.
    fn sub_block(&mut self, exprs: &[TExpr], step: Option<&StepId>, in_loop: bool) -> Block {
        let saved_scope = step.map(|s| std::mem::replace(&mut self.scope, s.segments.clone()));
        let saved_loop = std::mem::replace(&mut self.in_loop, in_loop);
        let block = self.block(exprs);
        self.in_loop = saved_loop;
        if let Some(scope) = saved_scope {
            self.scope = scope;
        }
        block
    }

    /// A form whose value is not used: kept as a node only if it can do
    /// something (an effect, or a pure computation that may fail).
    fn stmt(&mut self, e: &TExpr, bb: &mut BlockBuilder) {
        let residual = self.expr(e, bb, None);
        let trivial = matches!(
            residual.kind,
            TExprKind::Var(_)
                | TExprKind::Int(_)
                | TExprKind::Float(_)
                | TExprKind::Str(_)
                | TExprKind::Bool(_)
                | TExprKind::None
        );
        if !trivial {
            let out = self.fresh();
            self.push(
                bb,
                NodeKind::Pure(residual.clone()),
                out,
                None,
                None,
                &residual,
            );
        }
    }

    /// Lowers `e` into `bb` and returns the pure expression for its value.
    /// `name` is the `let*` binding the value goes to, if any.
    fn expr(&mut self, e: &TExpr, bb: &mut BlockBuilder, name: Option<&Name>) -> TExpr {
        if !self.structural(e) {
            return e.clone();
        }
        let kind = match &e.kind {
            TExprKind::Let { bindings, body } => {
                for b in bindings {
                    let value = self.expr(&b.value, bb, Some(&b.name));
                    self.bind(bb, b.id, &b.name, value, b.span);
                }
                let Some((last, init)) = body.split_last() else {
                    return e.clone();
                };
                for s in init {
                    self.stmt(s, bb);
                }
                return self.expr(last, bb, name);
            }
            TExprKind::Do(xs) => {
                let Some((last, init)) = xs.split_last() else {
                    return e.clone();
                };
                for s in init {
                    self.stmt(s, bb);
                }
                return self.expr(last, bb, name);
            }
            TExprKind::Command(_)
            | TExprKind::Provider(_)
            | TExprKind::Human(_)
            | TExprKind::Call(_) => {
                let mut step = e.clone();
                self.hoist_children(&mut step, bb);
                match step.kind {
                    TExprKind::Command(c) => NodeKind::Command(c),
                    TExprKind::Provider(p) => NodeKind::Provider(p),
                    TExprKind::Human(h) => NodeKind::Human(h),
                    TExprKind::Call(c) => NodeKind::Call(c),
                    _ => return step,
                }
            }
            TExprKind::ApplyValue { .. } => {
                let mut apply = e.clone();
                self.hoist_children(&mut apply, bb);
                let TExprKind::ApplyValue { func, args } = apply.kind else {
                    return apply;
                };
                let own = name.cloned().unwrap_or_else(|| match &func.kind {
                    TExprKind::Var(Ref::Param { name, .. } | Ref::Local { name, .. }) => {
                        name.clone()
                    }
                    _ => Name::from("apply"),
                });
                let mut segments = self.scope.clone();
                segments.push(StepSeg {
                    name: own,
                    repeats: false,
                });
                NodeKind::Apply {
                    step: StepId { segments },
                    func: *func,
                    args,
                }
            }
            TExprKind::If { cond, then, els } => {
                let cond = self.expr(cond, bb, None);
                NodeKind::If {
                    cond,
                    then: self.sub_block(std::slice::from_ref(then), None, self.in_loop),
                    els: self.sub_block(std::slice::from_ref(els), None, self.in_loop),
                }
            }
            TExprKind::Cond { arms, els } => {
                let Some(((c, v), rest)) = arms.split_first() else {
                    return self.expr(els, bb, name);
                };
                let cond = self.expr(c, bb, None);
                let rest = TExpr::new(
                    TExprKind::Cond {
                        arms: rest.to_vec(),
                        els: els.clone(),
                    },
                    e.ty.clone(),
                    e.span,
                );
                NodeKind::If {
                    cond,
                    then: self.sub_block(std::slice::from_ref(v), None, self.in_loop),
                    els: self.sub_block(&[rest], None, self.in_loop),
                }
            }
            TExprKind::Builtin {
                op: op @ (Builtin::And | Builtin::Or),
                args,
            } if args.len() > 1 && args[1..].iter().any(|a| self.structural(a)) => {
                // (and a b…) = (if a (and b…) false); (or a b…) = (if a true (or b…))
                let cond = self.expr(&args[0], bb, None);
                let rest = TExpr::new(
                    TExprKind::Builtin {
                        op: *op,
                        args: args[1..].to_vec(),
                    },
                    Type::Bool,
                    e.span,
                );
                let rest = if args.len() == 2 {
                    args[1].clone()
                } else {
                    rest
                };
                let constant = TExpr::new(TExprKind::Bool(*op == Builtin::Or), Type::Bool, e.span);
                let (then, els) = if *op == Builtin::And {
                    (rest, constant)
                } else {
                    (constant, rest)
                };
                NodeKind::If {
                    cond,
                    then: self.sub_block(&[then], None, self.in_loop),
                    els: self.sub_block(&[els], None, self.in_loop),
                }
            }
            TExprKind::Match { scrutinee, arms } => {
                let scrutinee = self.expr(scrutinee, bb, None);
                let arms = arms
                    .iter()
                    .map(|arm| {
                        self.bind_pattern(&arm.pattern, &scrutinee.ty);
                        (
                            arm.pattern.clone(),
                            self.sub_block(&arm.body, None, self.in_loop),
                        )
                    })
                    .collect();
                NodeKind::Match { scrutinee, arms }
            }
            TExprKind::Loop(l) => {
                let max = l.max.as_ref().map(|m| self.expr(m, bb, None));
                let state = l
                    .state
                    .iter()
                    .map(|s| {
                        let init = self.expr(&s.value, bb, None);
                        self.locals
                            .insert(s.id, (s.name.clone(), s.value.ty.clone()));
                        (s.id, s.name.clone(), init)
                    })
                    .collect();
                let body = self.sub_block(&l.body, Some(&l.step), true);
                let exhausted = l
                    .exhausted
                    .as_ref()
                    .map(|x| self.sub_block(std::slice::from_ref(x), Some(&l.step), false));
                NodeKind::Loop {
                    step: l.step.clone(),
                    max,
                    state,
                    body,
                    exhausted,
                }
            }
            TExprKind::Recur(args) => {
                NodeKind::Recur(args.iter().map(|a| self.expr(a, bb, None)).collect())
            }
            TExprKind::ForEach(f) => {
                let list = self.expr(&f.list, bb, None);
                let limit = f.limit.as_ref().map(|l| self.expr(l, bb, None));
                let elem = match &f.list.ty {
                    Type::List(t) => (**t).clone(),
                    other => other.clone(),
                };
                self.locals.insert(f.var_id, (f.var.clone(), elem));
                NodeKind::ForEach {
                    step: f.step.clone(),
                    var: f.var_id,
                    list,
                    limit,
                    body: self.sub_block(&f.body, Some(&f.step), false),
                }
            }
            TExprKind::Parallel(p) => {
                let limit = p.limit.as_ref().map(|l| self.expr(l, bb, None));
                let branches = p
                    .bindings
                    .iter()
                    .map(|b| {
                        let block = self.sub_block(std::slice::from_ref(&b.value), None, false);
                        (b.id, b.name.clone(), block)
                    })
                    .collect();
                for b in &p.bindings {
                    self.locals
                        .insert(b.id, (b.name.clone(), b.value.ty.clone()));
                }
                NodeKind::Parallel {
                    branches,
                    limit,
                    body: self.sub_block(&p.body, None, self.in_loop),
                }
            }
            TExprKind::Retry(r) => {
                let attempts = r.attempts.as_ref().map(|a| self.expr(a, bb, None));
                let backoff = r.backoff.as_ref().map(|a| self.expr(a, bb, None));
                self.locals.insert(r.attempt, ("attempt".into(), Type::Int));
                let failures = Type::list(Type::Record("Error".into(), Vec::new()));
                self.locals
                    .insert(r.failures, ("failures".into(), failures));
                NodeKind::Retry {
                    step: r.step.clone(),
                    attempts,
                    backoff,
                    attempt: r.attempt,
                    failures: r.failures,
                    body: self.sub_block(&r.body, Some(&r.step), false),
                }
            }
            TExprKind::Try(t) => {
                let body = self.sub_block(&t.body, None, false);
                let error = Type::Record("Error".into(), Vec::new());
                self.locals.insert(t.var_id, (t.var.clone(), error));
                NodeKind::Try {
                    body,
                    var: t.var_id,
                    handler: self.sub_block(&t.handler, None, self.in_loop),
                }
            }
            TExprKind::Phase { step, name, body } => NodeKind::Phase {
                step: step.clone(),
                name: name.clone(),
                body: self.sub_block(body, Some(step), self.in_loop),
            },
            TExprKind::Budget { tokens, usd, body } => NodeKind::Budget {
                tokens: tokens.as_ref().map(|t| self.expr(t, bb, None)),
                usd: usd.as_ref().map(|u| self.expr(u, bb, None)),
                body: self.sub_block(body, None, self.in_loop),
            },
            TExprKind::Fail(m) => NodeKind::Fail(self.expr(m, bb, None)),
            TExprKind::Assert { cond, message } => NodeKind::Assert {
                cond: self.expr(cond, bb, None),
                message: self.expr(message, bb, None),
            },
            _ => {
                // A pure constructor around effects: hoist them, keep the rest.
                let mut rebuilt = e.clone();
                self.hoist_children(&mut rebuilt, bb);
                return rebuilt;
            }
        };
        let out = self.fresh();
        let step = node_step(&kind);
        self.push(bb, kind, out, step, name, e);
        TExpr::new(
            TExprKind::Var(Ref::Local {
                name: name.cloned().unwrap_or_else(|| Name::from("_")),
                id: out,
            }),
            e.ty.clone(),
            e.span,
        )
    }

    /// Replaces each structural child of `e` by the local of its node.
    fn hoist_children(&mut self, e: &mut TExpr, bb: &mut BlockBuilder) {
        children_mut(e, &mut |child: &mut TExpr| {
            if self.structural(child) {
                *child = self.expr(child, bb, None);
            }
        });
    }

    /// Records the types of a match arm's binder for lineage.
    fn bind_pattern(&mut self, pattern: &TPattern, ty: &Type) {
        if let TPattern::Variant {
            binder: Some((name, id)),
            ..
        }
        | TPattern::Member {
            binder: Some((name, id)),
            ..
        } = pattern
        {
            self.locals.insert(*id, (name.clone(), ty.clone()));
        }
    }

    /// Binds `id` to `value`: when `value` is the fresh local of the node
    /// just pushed, that node is renamed to bind `id`; else a pure node binds it.
    fn bind(&mut self, bb: &mut BlockBuilder, id: LocalId, name: &Name, value: TExpr, span: Span) {
        if let TExprKind::Var(Ref::Local { id: fresh, .. }) = &value.kind
            && fresh.0 >= self.first_fresh
            && let Some(index) = bb.graph.node_indices().next_back()
            && bb.graph[index].out == *fresh
        {
            bb.graph[index].out = id;
            bb.graph[index].name = name.clone();
            bb.producers.remove(fresh);
            bb.producers.insert(id, index);
            self.locals.remove(fresh);
            self.locals.insert(id, (name.clone(), value.ty.clone()));
            return;
        }
        let ty = value.ty.clone();
        let mut origin = value.clone();
        origin.span = span;
        self.push(bb, NodeKind::Pure(value), id, None, Some(name), &origin);
        self.locals.insert(id, (name.clone(), ty));
    }

    fn push(
        &mut self,
        bb: &mut BlockBuilder,
        kind: NodeKind,
        out: LocalId,
        step: Option<StepId>,
        name: Option<&Name>,
        origin: &TExpr,
    ) {
        // The source expression gives what the node reads from outside; its
        // own (hoisted) expressions add the locals of nodes hoisted out of it.
        let mut reads = Vec::new();
        locals_read(origin, &mut reads);
        for e in kind.exprs() {
            locals_read(e, &mut reads);
        }
        reads.retain(|id| self.locals.contains_key(id) && *id != out);
        let consumes = reads
            .iter()
            .filter_map(|id| {
                let (name, ty) = self.locals.get(id)?;
                carries_paths(self.tables, ty, &mut HashSet::new()).then(|| (*id, name.clone()))
            })
            .collect();
        let display = name
            .cloned()
            .or_else(|| step.as_ref().map(|s| Name::from(s.name())))
            .unwrap_or_else(|| Name::from(kind.label()));
        let is_effect = kind.is_effect();
        let node = Node {
            kind,
            out,
            name: display.clone(),
            ty: origin.ty.clone(),
            span: origin.span,
            step,
            reads: reads.clone(),
            consumes,
            produces_paths: carries_paths(self.tables, &origin.ty, &mut HashSet::new()),
        };
        let index = bb.graph.add_node(node);
        for id in &reads {
            if let Some(&from) = bb.producers.get(id) {
                bb.graph.add_edge(from, index, Edge::Data(*id));
            }
        }
        if is_effect {
            // Program order matters only where no data edge implies it.
            if let Some(prev) = bb
                .last_effect
                .filter(|p| !bb.graph.contains_edge(*p, index))
            {
                bb.graph.add_edge(prev, index, Edge::Seq);
            }
            bb.last_effect = Some(index);
        }
        bb.producers.insert(out, index);
        self.locals.insert(out, (display, origin.ty.clone()));
    }
}

fn node_step(kind: &NodeKind) -> Option<StepId> {
    match kind {
        NodeKind::Command(c) => Some(c.step.clone()),
        NodeKind::Provider(p) => Some(p.step.clone()),
        NodeKind::Human(h) => Some(h.step.clone()),
        NodeKind::Call(c) => Some(c.step.clone()),
        NodeKind::Apply { step, .. }
        | NodeKind::Loop { step, .. }
        | NodeKind::ForEach { step, .. }
        | NodeKind::Retry { step, .. }
        | NodeKind::Phase { step, .. } => Some(step.clone()),
        _ => None,
    }
}

/// Whether values of `ty` may hold paths (artifacts).
pub(super) fn carries_paths(tables: &Tables, ty: &Type, seen: &mut HashSet<Name>) -> bool {
    match ty {
        Type::Path | Type::Refined(_) => true,
        Type::List(t) | Type::Option(t) => carries_paths(tables, t, seen),
        Type::Record(name, args) => {
            if !seen.insert(name.clone()) {
                return false;
            }
            let params = tables.type_params(name);
            tables.records.get(name).is_some_and(|r| {
                r.fields
                    .iter()
                    .any(|f| carries_paths(tables, &f.ty.substitute(params, args), seen))
            })
        }
        Type::Union(name, args) => {
            if !seen.insert(name.clone()) {
                return false;
            }
            let params = tables.type_params(name);
            tables.unions.get(name).is_some_and(|u| {
                u.variants.iter().any(|v| {
                    v.fields
                        .iter()
                        .any(|f| carries_paths(tables, &f.ty.substitute(params, args), seen))
                })
            })
        }
        _ => false,
    }
}
