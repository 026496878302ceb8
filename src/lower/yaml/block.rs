//! Blocks and nodes in program order. Each node is lowered where the
//! DSL's nesting rules allow it, else lifted into a file of its own
//! (`lift`); its value goes where its `Dest` says. A block's result is
//! computed by a jq step unless a node of the block already delivers it
//! (the node that binds the result variable gets the block's `Dest`), and
//! not at all when the block ends in `recur` or `fail`.

use super::Lowering;
use super::cx::{CatchKind, Dest, Kind, Loc, Pos, Proj, Source, StepArt};
use super::model::{Bundle, Step};
use super::types::{bundle_fields, leaves};
use crate::ir::{Block, Node, NodeKind};
use crate::typeck::Builtin;
use crate::typeck::typed::{LocalId, Ref, TExpr, TExprKind};
use crate::typeck::types::Type;
use std::collections::HashSet;

/// A local id no program uses, for values the back end moves around.
pub(super) const SCRATCH: LocalId = LocalId(u32::MAX - 1);

/// The locals read by the nodes of `b` and by its result.
fn used_locals(b: &Block) -> HashSet<LocalId> {
    let mut all = Vec::new();
    super::walk::block_reads_all(b, &mut all);
    all.into_iter().collect()
}

/// How many nodes of `b` read local `id`.
fn readers(b: &Block, id: LocalId) -> usize {
    b.nodes()
        .filter(|(_, n)| {
            let mut r = Vec::new();
            super::walk::node_reads(&n.kind, &mut r);
            r.contains(&id)
        })
        .count()
}

/// Whether `b` never produces its result (it ends in `recur` or `fail`).
fn ends_never(b: &Block) -> bool {
    b.result.ty == Type::Never
        || b.nodes()
            .last()
            .is_some_and(|(_, n)| matches!(n.kind, NodeKind::Recur(_) | NodeKind::Fail(_)))
}

/// Whether evaluating pure `e` may fail (and so must run even if unused).
pub(super) fn may_fail(e: &TExpr) -> bool {
    let own = match &e.kind {
        TExprKind::Builtin { op, .. } => matches!(
            op,
            Builtin::Add
                | Builtin::Sub
                | Builtin::Mul
                | Builtin::Div
                | Builtin::Round
                | Builtin::Path
                | Builtin::Range
        ),
        TExprKind::CallDefn { .. }
        | TExprKind::ApplyValue { .. }
        | TExprKind::Loop(_)
        | TExprKind::Fail(_)
        | TExprKind::Assert { .. } => true,
        _ => false,
    };
    let mut found = own;
    crate::ir::children(e, &mut |c| found = found || may_fail(c));
    found
}

fn is_literal(e: &TExpr) -> bool {
    matches!(
        e.kind,
        TExprKind::Int(_)
            | TExprKind::Float(_)
            | TExprKind::Str(_)
            | TExprKind::Bool(_)
            | TExprKind::None
            | TExprKind::Var(Ref::EnumMember { .. })
    )
}

impl Lowering<'_> {
    /// A step name unique in the current file: `base`, else numbered.
    pub(super) fn fresh_name(&mut self, base: &str, pos: &Pos) -> String {
        self.file(pos.file()).names.fresh(base, None)
    }

    /// The step name of node `n`: its name, else its step id below the
    /// workflow (`reviewing/review`), else numbered.
    pub(super) fn node_name(&mut self, n: &Node, pos: &Pos) -> String {
        let alt = n.step.as_ref().map(|s| {
            s.segments
                .iter()
                .skip(1)
                .map(|g| g.name.to_string())
                .collect::<Vec<_>>()
                .join("/")
        });
        let alt = alt.filter(|a| a.as_str() != &*n.name);
        self.file(pos.file()).names.fresh(&n.name, alt.as_deref())
    }

    pub(super) fn block(&mut self, b: &Block, pos: &Pos, dest: Dest, out: &mut Vec<Step>) {
        let used = used_locals(b);
        let tail = match (&dest, &b.result.kind) {
            (Dest::Discard, _) => None,
            (_, TExprKind::Var(Ref::Local { id, .. })) => {
                let readers = readers(b, *id);
                b.nodes()
                    .find(|(_, n)| n.out == *id)
                    .filter(|_| readers == 0)
                    .map(|(i, _)| i)
            }
            _ => None,
        };
        for (i, n) in b.nodes() {
            let d = if Some(i) == tail {
                dest.clone()
            } else if used.contains(&n.out) {
                Dest::Bind(n.out)
            } else {
                Dest::Discard
            };
            self.node(n, pos, d, out);
        }
        if tail.is_none() && !ends_never(b) {
            // Named after its branch, or the file it writes (`safe.json`
            // → `safe`).
            let base = match &dest {
                Dest::Write(_) if pos.label.is_some() => pos.label.clone().unwrap_or_default(),
                Dest::Write(l) => l
                    .rel
                    .rsplit('/')
                    .next()
                    .and_then(|f| f.strip_suffix(".json"))
                    .filter(|f| !f.contains('$') && !f.contains('.'))
                    .unwrap_or("value")
                    .to_string(),
                _ => "value".to_string(),
            };
            self.finish(&b.result, &base, pos, dest, out);
        }
    }

    pub(super) fn node(&mut self, n: &Node, pos: &Pos, dest: Dest, out: &mut Vec<Step>) {
        let refused = self.diags.len();
        self.node_kind(n, pos, dest, out);
        if self.diags.len() > refused && !self.wf.sources.contains_key(&n.out) {
            // Refused: later steps may still read the value; no cascade.
            self.wf.sources.insert(n.out, Source::Const("null".into()));
        }
    }

    fn node_kind(&mut self, n: &Node, pos: &Pos, dest: Dest, out: &mut Vec<Step>) {
        if let Some(e) = super::tryc::pure_try(n) {
            let name = n.name.to_string();
            return self.finish(&e, &name, pos, dest, out);
        }
        if !self.allowed_here(&n.kind, pos) {
            return self.lift(n, pos, dest, out);
        }
        match &n.kind {
            NodeKind::Pure(e) => {
                let name = n.name.to_string();
                self.finish(e, &name, pos, dest, out)
            }
            NodeKind::Command(c) => self.command(n, c, pos, dest, out),
            NodeKind::Provider(p) => self.provider(n, p, pos, dest, out),
            NodeKind::Human(_) => self.refuse_human(n.span),
            NodeKind::Call(c) => self.call(n, c, pos, dest, out),
            NodeKind::Apply { .. } => self.apply(n, pos, dest, out),
            NodeKind::If { cond, then, els } => self.if_(n, cond, then, els, pos, dest, out),
            NodeKind::Match { scrutinee, arms } => self.match_(n, scrutinee, arms, pos, dest, out),
            NodeKind::Loop { .. } => self.loop_(n, pos, dest, out),
            NodeKind::Recur(args) => self.recur(n, args, pos, out),
            NodeKind::ForEach { .. } => self.for_each(n, pos, dest, out),
            NodeKind::Parallel { branches, body, .. } => {
                for (id, _, b) in branches {
                    self.block(b, pos, Dest::Bind(*id), out);
                }
                self.block(body, pos, dest, out);
            }
            NodeKind::Retry { .. } => self.retry(n, pos, dest, out),
            NodeKind::Try { .. } => self.try_(n, pos, dest, out),
            NodeKind::Phase { name, body, .. } => {
                let mut inner = pos.clone();
                inner.scope.push(name.to_string());
                self.block(body, &inner, dest, out);
            }
            NodeKind::Budget { .. } => self.refuse_budget(n.span),
            NodeKind::Fail(m) => self.fail(n, m, pos, out),
            NodeKind::Assert { cond, message } => {
                self.assert(n, cond, message, pos, out);
                self.deliver(Source::Const("null".into()), "value", pos, dest, out);
            }
        }
    }

    /// Whether the DSL allows node `kind` in the list at `pos`.
    fn allowed_here(&self, kind: &NodeKind, pos: &Pos) -> bool {
        match kind {
            NodeKind::If { .. } | NodeKind::Match { .. } => {
                matches!(pos.kind, Kind::Top | Kind::LoopBody)
            }
            NodeKind::Loop { .. } | NodeKind::Try { .. } => pos.kind == Kind::Top,
            NodeKind::ForEach { .. } => pos.kind == Kind::Top,
            _ => true,
        }
    }

    /// Delivers the value of pure `e` to `dest`.
    pub(super) fn finish(
        &mut self,
        e: &TExpr,
        base: &str,
        pos: &Pos,
        dest: Dest,
        out: &mut Vec<Step>,
    ) {
        match dest {
            Dest::Discard => {
                if may_fail(e) {
                    let name = self.fresh_name(base, pos);
                    out.extend(self.jq_value_step(&name, e, None, pos));
                }
            }
            Dest::Bind(id) => {
                if is_literal(e) {
                    let mut jq = super::jq::Jq::new(self.tables);
                    if let Ok(c) = jq.expr(e) {
                        self.wf.sources.insert(id, Source::Const(c));
                        return;
                    }
                }
                if let TExprKind::Var(Ref::Local { id: from, .. }) = &e.kind
                    && let Some(s) = self.wf.sources.get(from).cloned()
                {
                    self.wf.sources.insert(id, s);
                    return;
                }
                let name = self.fresh_name(base, pos);
                let loc = pos.loc(&name);
                if let Some(mut step) = self.jq_value_step(&name, e, Some(&loc), pos) {
                    let ty = self.sub(&e.ty);
                    let art = self.expose(&mut step, id, &ty, &name, pos);
                    out.push(step);
                    self.wf.sources.insert(
                        id,
                        Source::File {
                            loc,
                            proj: Proj::Whole,
                            step: art,
                        },
                    );
                }
            }
            Dest::Write(loc) => {
                let name = self.fresh_name(base, pos);
                out.extend(self.jq_value_step(&name, e, Some(&loc), pos));
            }
            Dest::Outcome(loc) => {
                let name = self.fresh_name("stop", pos);
                let mut jb = self.jq_reading(&[e], pos);
                let body = jb.jq.expr(e).map(|v| format!("{{stop: true, value: {v}}}"));
                if let Some(cmd) = self.jq_command(jb, body, false) {
                    out.push(self.command_step(&name, cmd, Some(&loc), pos, CatchKind::of(e)));
                }
            }
        }
    }

    /// Adds an output bundle to a jq step whose value `id` some step wants
    /// as artifacts (its scalar leaves), and says what it declares.
    fn expose(
        &mut self,
        step: &mut Step,
        id: LocalId,
        ty: &Type,
        name: &str,
        pos: &Pos,
    ) -> Option<StepArt> {
        if !self.wf.wants_artifact.contains(&id) {
            return None;
        }
        let fields = bundle_fields(ty, self.tables);
        if fields.is_empty() {
            return None;
        }
        let path = step.output_file.clone()?;
        let art = StepArt {
            name: name.to_string(),
            list: pos.list,
            fields: leaves(ty, self.tables)
                .into_iter()
                .filter(|l| l.scalar.is_some())
                .map(|l| {
                    let n = if l.path.is_empty() {
                        "value".into()
                    } else {
                        l.name(None)
                    };
                    (l.path, n)
                })
                .collect(),
        };
        step.output_bundle = Some(Bundle { path, fields });
        Some(art)
    }

    /// Delivers a value that is already somewhere (`produced`) to `dest`.
    pub(super) fn deliver(
        &mut self,
        produced: Source,
        base: &str,
        pos: &Pos,
        dest: Dest,
        out: &mut Vec<Step>,
    ) {
        let (loc, outcome) = match dest {
            Dest::Discard => return,
            Dest::Bind(id) => {
                self.wf.sources.insert(id, produced);
                return;
            }
            Dest::Write(loc) => (loc, false),
            Dest::Outcome(loc) => (loc, true),
        };
        out.extend(self.copy_step(&produced, base, &loc, outcome, pos));
    }

    /// A jq step copying `from` into `to` (wrapped as a loop outcome).
    pub(super) fn copy_step(
        &mut self,
        from: &Source,
        base: &str,
        to: &Loc,
        outcome: bool,
        pos: &Pos,
    ) -> Option<Step> {
        if !outcome && matches!(from, Source::File { loc, proj: Proj::Whole, .. } if loc == to) {
            return None;
        }
        let name = self.fresh_name(if outcome { "stop" } else { base }, pos);
        self.wf.sources.insert(SCRATCH, from.clone());
        let mut jb = self.jq_reading(&[], pos);
        self.bind_local(&mut jb, SCRATCH, base, pos);
        let v = jb.jq.expr(&TExpr::new(
            TExprKind::Var(Ref::Local {
                name: base.into(),
                id: SCRATCH,
            }),
            Type::Json,
            crate::diag::Span::default(),
        ));
        let body = v.map(|v| {
            if outcome {
                format!("{{stop: true, value: {v}}}")
            } else {
                v
            }
        });
        let cmd = self.jq_command(jb, body, false)?;
        Some(self.command_step(&name, cmd, Some(to), pos, CatchKind::Safe))
    }
}
