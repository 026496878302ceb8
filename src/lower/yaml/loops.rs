//! `loop` as `repeat_until`, and `recur`.
//!
//! A loop keeps its state in one file, `<loop>.json`: a start step writes
//! `{stop: false, state: {…}}`, each round's body ends by writing an
//! outcome (`recur` writes the next state, a value writes `{stop: true,
//! value: …}`), and the `round` step copies it into the loop file and
//! declares `stop` as an artifact, which is the loop's condition; the
//! last outcome is the loop's value (`outcome.json`, `.value`). A
//! literal `:max` is `max_iterations`; a computed one is checked against
//! `MAX_ROUNDS` at the start and ends the loop through a second output,
//! `last`. `:exhausted` runs after the loop, guarded by `stop` being
//! false (with a literal `:max` the DSL's `on_exhausted` sets it so); no
//! `:exhausted` and a literal `:max` leaves exhaustion to the DSL, which
//! fails the run as wfl does. A single step that runs only in some case
//! is guarded with `when`; several are wrapped in an `if` statement.

use super::Lowering;
use super::cx::{CatchKind, Dest, Kind, Loc, Pos, Proj, RecurTarget, Source};
use super::model::{
    Bundle, Contract, Field, OnExhausted, Predicate, Ref, RepeatUntil, Scalar, Step,
};
use super::names::step_id;
use crate::ir::{Node, NodeKind};
use crate::typeck::typed::{TExpr, TExprKind};
use indexmap::IndexMap;

/// The most rounds a loop with a computed `:max` may run in YAML.
pub const MAX_ROUNDS: u64 = 100;

fn bool_field(name: &str) -> Field {
    Field {
        name: name.into(),
        json_pointer: format!("/{name}"),
        ty: "bool",
        allowed: None,
        under: None,
        must_exist_target: None,
    }
}

fn bool_output(step: &str, name: &str) -> Contract {
    Contract {
        kind: Some("scalar"),
        ty: "bool",
        from: Some(Ref::new(format!("self.steps.{step}.artifacts.{name}"))),
        ..Contract::default()
    }
}

impl Lowering<'_> {
    pub(super) fn loop_(&mut self, n: &Node, pos: &Pos, dest: Dest, out: &mut Vec<Step>) {
        let NodeKind::Loop {
            max,
            state,
            body,
            exhausted,
            ..
        } = &n.kind
        else {
            return;
        };
        let name = self.node_name(n, pos);
        let id = step_id(&mut self.file(pos.file()).ids, &name);
        let file = pos.loc(&name);
        let literal = match max.as_ref().map(|m| &m.kind) {
            Some(TExprKind::Int(m)) if *m > 0 => Some(*m as u64),
            _ => None,
        };
        // Start: the initial state (and the check of a computed :max).
        let inits: Vec<&TExpr> = state.iter().map(|(_, _, e)| e).chain(max.iter()).collect();
        let mut jb = self.jq_reading(&inits, pos);
        let mut fields = Vec::new();
        for (_, var, init) in state {
            match jb.jq.expr(init) {
                Ok(v) => fields.push(format!("{}: {v}", super::jq::key(var))),
                Err(u) => return self.refuse_untranslatable(u),
            }
        }
        let start = format!("{{stop: false, state: {{{}}}}}", fields.join(", "));
        let body_text = match (literal, max) {
            (None, Some(m)) => jb.jq.expr(m).map(|m| {
                format!(
                    "if {m} > {MAX_ROUNDS} then error(\"loop {}: :max is above {MAX_ROUNDS}, the most rounds a YAML loop runs\") else {start} end",
                    n.name
                )
            }),
            _ => Ok(start),
        };
        let start_name = self.fresh_name(&format!("{name}-start"), pos);
        let Some(cmd) = self.jq_command(jb, body_text, false) else {
            return;
        };
        out.push(self.command_step(&start_name, cmd, Some(&file), pos, CatchKind::Pure));
        for (local, var, _) in state {
            self.wf.sources.insert(
                *local,
                Source::File {
                    loc: file.clone(),
                    proj: Proj::Key(vec!["state".into(), var.to_string()]),
                    step: None,
                },
            );
        }
        // The body, ending in an outcome, then the round step.
        let mut inner = self.nested(pos, Kind::LoopBody);
        inner.dir = pos.rel(&super::cx::file_safe(&name));
        inner.in_loop = true;
        inner.scope.push(n.name.to_string());
        let outcome = Loc {
            file: pos.file(),
            rel: inner.rel("outcome.json"),
            indexed: false,
        };
        inner.recur = Some(RecurTarget {
            dest: outcome.clone(),
            state: state.iter().map(|(_, v, _)| v.clone()).collect(),
        });
        let mut steps = Vec::new();
        self.block(body, &inner, Dest::Outcome(outcome.clone()), &mut steps);
        let value_file = outcome.clone();
        let round = self.fresh_name("round", &inner);
        let max_exprs: Vec<&TExpr> = max.iter().filter(|_| literal.is_none()).collect();
        let mut jb = self.jq_reading(&max_exprs, &inner);
        self.wf.sources.insert(
            super::block::SCRATCH,
            Source::File {
                loc: outcome,
                proj: Proj::Whole,
                step: None,
            },
        );
        self.bind_local(&mut jb, super::block::SCRATCH, "outcome", &inner);
        let mut round_fields = vec![bool_field("stop")];
        let round_body = match (literal, max) {
            (None, Some(m)) => {
                round_fields.push(bool_field("last"));
                let i = jb.arg("index", "${loop.index}".into(), true);
                jb.jq
                    .expr(m)
                    .map(|m| format!("$outcome + {{last: ($outcome.stop or {i} + 1 >= {m})}}"))
            }
            _ => Ok("$outcome".into()),
        };
        let Some(cmd) = self.jq_command(jb, round_body, false) else {
            return;
        };
        let mut round_step = self.command_step(&round, cmd, Some(&file), &inner, CatchKind::Safe);
        round_step.output_bundle = Some(Bundle {
            path: self.spell(&file, &inner),
            fields: round_fields,
        });
        steps.push(round_step);
        let mut outputs = IndexMap::new();
        outputs.insert("stop".to_string(), bool_output(&round, "stop"));
        let (max_iterations, condition, on_exhausted) = match literal {
            Some(m) => (
                m,
                Predicate::artifact_bool("self.outputs.stop"),
                exhausted.is_some().then(|| OnExhausted {
                    outputs: [("stop".to_string(), Scalar::Bool(false))]
                        .into_iter()
                        .collect(),
                }),
            ),
            None => {
                outputs.insert("last".to_string(), bool_output(&round, "last"));
                (
                    MAX_ROUNDS,
                    Predicate::artifact_bool("self.outputs.last"),
                    None,
                )
            }
        };
        let mut step = Step::named(&name);
        step.id = Some(id.clone());
        step.repeat_until = Some(RepeatUntil {
            max_iterations,
            outputs,
            condition,
            on_exhausted,
            steps,
        });
        out.push(step);
        // After the loop: :exhausted (or the failure of a computed :max).
        let stopped = Predicate::artifact_bool(format!(
            "{}.{name}.artifacts.stop",
            if pos.list.list == 0 {
                "root.steps"
            } else {
                "self.steps"
            }
        ));
        let guard = Predicate::negate(stopped);
        let mut after = Vec::new();
        let branch = self.nested(pos, Kind::Branch);
        match exhausted {
            Some(b) => self.block(b, &branch, Dest::Outcome(value_file.clone()), &mut after),
            None if literal.is_none() => {
                let msg = crate::typeck::typed::TExpr::new(
                    TExprKind::Str(format!("loop {}: no value after its :max rounds", n.name)),
                    crate::typeck::types::Type::String,
                    n.span,
                );
                self.fail_text(&msg, &format!("{name}-exhausted"), &branch, &mut after);
            }
            None => {}
        }
        if let [only] = after.as_mut_slice()
            && only.name.starts_with("stop")
        {
            only.name = self.fresh_name(&format!("{name}-exhausted"), pos);
        }
        self.guarded(after, guard, &format!("{name}-exhausted"), pos, out);
        // The last outcome holds the value (`:exhausted` writes one too).
        let source = Source::File {
            loc: value_file,
            proj: Proj::Key(vec!["value".into()]),
            step: None,
        };
        self.deliver(source, &name, pos, dest, out);
    }

    /// Steps that run only when `guard` holds: `when` on a single step,
    /// else an `if` statement whose `else` does nothing.
    pub(super) fn guarded(
        &mut self,
        steps: Vec<Step>,
        guard: Predicate,
        name: &str,
        pos: &Pos,
        out: &mut Vec<Step>,
    ) {
        match <[Step; 1]>::try_from(steps) {
            Ok([mut one])
                if one.if_.is_none() && one.match_.is_none() && one.repeat_until.is_none() =>
            {
                one.when = Some(guard);
                out.push(one);
            }
            Ok([one]) => self.guarded_if(vec![one], guard, name, pos, out),
            Err(steps) if steps.is_empty() => {}
            Err(steps) => self.guarded_if(steps, guard, name, pos, out),
        }
    }

    fn guarded_if(
        &mut self,
        steps: Vec<Step>,
        guard: Predicate,
        name: &str,
        pos: &Pos,
        out: &mut Vec<Step>,
    ) {
        let name = self.fresh_name(name, pos);
        let id = step_id(&mut self.file(pos.file()).ids, &name);
        let skip = self.fresh_name("nothing", pos);
        let mut nothing = Step::named(skip);
        nothing.command = Some(vec!["true".into()]);
        let mut step = Step::named(&name);
        step.id = Some(id.clone());
        step.if_ = Some(guard);
        step.then = Some(steps);
        step.else_ = Some(vec![nothing]);
        out.push(step);
    }

    /// `recur`: the next round's state, as the round's outcome.
    pub(super) fn recur(&mut self, n: &Node, args: &[TExpr], pos: &Pos, out: &mut Vec<Step>) {
        let Some(target) = pos.recur.clone() else {
            return self.refuse_function(n.span, "this `recur`");
        };
        let refs: Vec<&TExpr> = args.iter().collect();
        let mut jb = self.jq_reading(&refs, pos);
        let mut fields = Vec::new();
        for (var, a) in target.state.iter().zip(args) {
            match jb.jq.expr(a) {
                Ok(v) => fields.push(format!("{}: {v}", super::jq::key(var))),
                Err(u) => return self.refuse_untranslatable(u),
            }
        }
        let body = format!("{{stop: false, state: {{{}}}}}", fields.join(", "));
        let name = self.fresh_name("recur", pos);
        let catch = if args.iter().any(super::block::may_fail) {
            CatchKind::Pure
        } else {
            CatchKind::Safe
        };
        if let Some(cmd) = self.jq_command(jb, Ok(body), false) {
            out.push(self.command_step(&name, cmd, Some(&target.dest), pos, catch));
        }
    }
}
