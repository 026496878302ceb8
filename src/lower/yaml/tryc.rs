//! `fail`, `assert`, `retry` and `try`.
//!
//! `fail` and `assert` are jq steps that exit non-zero with the message on
//! stderr. `retry` around one `command` or `provider` step is that step's
//! `retries`. `try` needs `on.failure.goto`, which the DSL allows at top
//! level only (nested, it is lifted first): every body step that can fail
//! routes its failure to a step that writes the `Error` value (its wfl
//! step id, a kind read from the exit code: 124 `TIMEOUT`, 127 `SPAWN`, 2
//! of a typed step `INVALID_OUTPUT`, else `EXIT`) and goes on into the
//! handler; a `fail`/`assert` in the body writes its own `Error` first.
//! The body's last step jumps over the handler to the try's end. The DSL
//! keeps no stderr in its state, so `Error.stderr` is empty in YAML.

use super::Lowering;
use super::cx::{CatchKind, Dest, Kind, Loc, Pos, Proj, Source};
use super::jq::jq_string;
use super::model::{Goto, On, Retries, Step};
use crate::ir::{Node, NodeKind};
use crate::typeck::typed::TExpr;

/// A block made only of pure computations, `fail` and `assert`, as one
/// expression (`let*` of its nodes, then its result).
fn pure_block(b: &crate::ir::Block) -> Option<TExpr> {
    use crate::typeck::typed::{TBinding, TExprKind};
    let mut bindings = Vec::new();
    for (_, n) in b.nodes() {
        let value = match &n.kind {
            NodeKind::Pure(e) => e.clone(),
            NodeKind::Fail(m) => {
                TExpr::new(TExprKind::Fail(Box::new(m.clone())), n.ty.clone(), n.span)
            }
            NodeKind::Assert { cond, message } => TExpr::new(
                TExprKind::Assert {
                    cond: Box::new(cond.clone()),
                    message: Box::new(message.clone()),
                },
                n.ty.clone(),
                n.span,
            ),
            _ => return None,
        };
        bindings.push(TBinding {
            name: n.name.clone(),
            id: n.out,
            value,
            span: n.span,
        });
    }
    let result = b.result.clone();
    Some(TExpr::new(
        TExprKind::Let {
            bindings,
            body: vec![result.clone()],
        },
        result.ty,
        result.span,
    ))
}

/// A `try` whose body and handler are pure, as one pure `try` expression
/// (a jq `try … catch`, no routing).
pub(super) fn pure_try(n: &Node) -> Option<TExpr> {
    use crate::typeck::typed::{TExprKind, TTry};
    let NodeKind::Try { body, var, handler } = &n.kind else {
        return None;
    };
    let t = TTry {
        body: vec![pure_block(body)?],
        var: "e".into(),
        var_id: *var,
        handler: vec![pure_block(handler)?],
    };
    Some(TExpr::new(TExprKind::Try(t), n.ty.clone(), n.span))
}

impl Lowering<'_> {
    /// The wfl step id a step at `pos` named `name` reports.
    fn wfl_id(&self, n: Option<&Node>, name: &str, pos: &Pos) -> String {
        n.and_then(|n| n.step.as_ref()).map_or_else(
            || {
                let mut parts = vec![self.wf.name.to_string()];
                parts.extend(pos.scope.iter().cloned());
                parts.push(name.to_string());
                parts.join("/")
            },
            ToString::to_string,
        )
    }

    /// A jq step that fails with message `m` (after writing its `Error`
    /// when inside a `try` body).
    pub(super) fn fail_text(&mut self, m: &TExpr, base: &str, pos: &Pos, out: &mut Vec<Step>) {
        let name = self.fresh_name(base, pos);
        let mut jb = self.jq_reading(&[m], pos);
        let msg = jb.jq.expr(m);
        let id = self.wfl_id(None, &name, pos);
        let (body, loc, kind) = match &pos.try_error {
            Some(loc) => (
                msg.map(|m| error_record(&id, "FAIL", &m)),
                Some(loc.clone()),
                CatchKind::SelfReporting,
            ),
            None => (msg.map(|m| format!("error({m})")), None, CatchKind::Pure),
        };
        if let Some(cmd) = self.jq_command(jb, body, false) {
            out.push(self.command_step(&name, cmd, loc.as_ref(), pos, kind));
        }
    }

    pub(super) fn fail(&mut self, n: &Node, m: &TExpr, pos: &Pos, out: &mut Vec<Step>) {
        self.fail_text(m, &n.name, pos, out);
    }

    pub(super) fn assert(
        &mut self,
        n: &Node,
        cond: &TExpr,
        message: &TExpr,
        pos: &Pos,
        out: &mut Vec<Step>,
    ) {
        let name = self.fresh_name(&n.name, pos);
        let mut jb = self.jq_reading(&[cond, message], pos);
        let c = jb.jq.expr(cond);
        let m = jb.jq.expr(message);
        let id = self.wfl_id(Some(n), &name, pos);
        let try_loc = pos.try_error.clone();
        let body = c.and_then(|c| {
            m.map(|m| {
                let fail = match &try_loc {
                    Some(_) => error_record(&id, "ASSERT", &m),
                    None => format!("error({m})"),
                };
                format!("if {c} then empty else {fail} end")
            })
        });
        let kind = if try_loc.is_some() {
            CatchKind::SelfReporting
        } else {
            CatchKind::Pure
        };
        if let Some(cmd) = self.jq_command(jb, body, false) {
            out.push(self.command_step(&name, cmd, try_loc.as_ref(), pos, kind));
        }
    }

    pub(super) fn retry(&mut self, n: &Node, pos: &Pos, dest: Dest, out: &mut Vec<Step>) {
        let NodeKind::Retry {
            attempts,
            backoff,
            attempt,
            failures,
            body,
            ..
        } = &n.kind
        else {
            return;
        };
        if let Some(id) = super::walk::block_reads(body, &[*attempt, *failures]) {
            let what = if id == *attempt {
                "attempt"
            } else {
                "failures"
            };
            let span = super::walk::first_read(body, id).unwrap_or(n.span);
            return self.refuse_retry_context(span, what);
        }
        let effects: Vec<&Node> = body
            .nodes()
            .map(|(_, n)| n)
            .filter(|n| n.kind.is_effect())
            .collect();
        let one_step = matches!(
            effects.as_slice(),
            [only] if matches!(only.kind, NodeKind::Command(_) | NodeKind::Provider(_))
        );
        if !one_step {
            return self.refuse_retry_shape(n.span);
        }
        let Some(attempts) = self.literal_int(attempts.as_ref(), ":attempts") else {
            return;
        };
        let delay_ms = backoff
            .as_ref()
            .map(|b| self.literal_int(Some(b), ":backoff").unwrap_or(0) * 1000);
        let mut inner = pos.clone();
        inner.retries = Some(Retries {
            max: attempts.saturating_sub(1),
            delay_ms,
        });
        self.block(body, &inner, dest, out);
    }

    pub(super) fn try_(&mut self, n: &Node, pos: &Pos, dest: Dest, out: &mut Vec<Step>) {
        let NodeKind::Try { body, var, handler } = &n.kind else {
            return;
        };
        let name = self.fresh_name(&n.name, pos);
        let error = Loc {
            rel: pos.rel(&format!("{}.error.json", super::cx::file_safe(&name))),
            ..pos.loc(&name)
        };
        let (dest, bound) = match dest {
            Dest::Bind(id) => {
                let loc = pos.loc(&name);
                (Dest::Write(loc.clone()), Some((id, loc)))
            }
            d => (d, None),
        };
        let mut body_pos = pos.clone();
        body_pos.kind = Kind::TryBody;
        body_pos.try_error = Some(error.clone());
        body_pos.label = Some(format!("{name}-value"));
        let mut body_steps = Vec::new();
        self.block(body, &body_pos, dest.clone(), &mut body_steps);
        self.wf.sources.insert(
            *var,
            Source::File {
                loc: error.clone(),
                proj: Proj::Whole,
                step: None,
            },
        );
        let mut handler_steps = Vec::new();
        let mut handler_pos = pos.clone();
        handler_pos.label = Some(format!("{name}-caught"));
        self.block(handler, &handler_pos, dest, &mut handler_steps);
        if handler_steps.is_empty() {
            let skip = self.fresh_name("nothing", pos);
            let mut s = Step::named(skip);
            s.command = Some(vec!["true".into()]);
            handler_steps.push(s);
        }
        let handler_start = handler_steps[0].name.clone();
        let end = self.fresh_name(&format!("{name}-end"), pos);
        // Catch steps, one per body step that can fail.
        let mut catches = Vec::new();
        // The catch step of the last process step: its check's failure
        // goes there too (exit code 0 there means the check failed).
        let mut process: Option<(String, String)> = None;
        for step in &mut body_steps {
            let Some((id, kind)) = self.file(pos.file()).catch.get(&step.name).cloned() else {
                continue;
            };
            let target = match (kind, &process) {
                (CatchKind::SelfReporting, _) => handler_start.clone(),
                (CatchKind::Invalid, Some((pid, caught))) if *pid == id => caught.clone(),
                _ => {
                    let caught = self.fresh_name(&format!("{}-failed", step.name), pos);
                    let typed = step.output_bundle.is_some() || step.variant_output.is_some();
                    catches
                        .push(self.catch_step(&caught, &step.name, &id, kind, typed, &error, pos));
                    if matches!(kind, CatchKind::Process { .. }) {
                        process = Some((id.clone(), caught.clone()));
                    }
                    caught
                }
            };
            step.on.get_or_insert_with(On::default).failure = Some(Goto { goto: target });
        }
        let count = catches.len();
        for (i, c) in catches.iter_mut().enumerate() {
            if i + 1 < count {
                c.on = Some(On {
                    success: Some(Goto {
                        goto: handler_start.clone(),
                    }),
                    failure: None,
                });
            }
        }
        if body_steps.is_empty() {
            let skip = self.fresh_name("nothing", pos);
            let mut s = Step::named(skip);
            s.command = Some(vec!["true".into()]);
            body_steps.push(s);
        }
        if let Some(last) = body_steps.last_mut() {
            last.on.get_or_insert_with(On::default).success = Some(Goto { goto: end.clone() });
        }
        out.extend(body_steps);
        out.extend(catches);
        out.extend(handler_steps);
        let mut join = Step::named(end);
        join.command = Some(vec!["true".into()]);
        out.push(join);
        if let Some((id, loc)) = bound {
            self.wf.sources.insert(
                id,
                Source::File {
                    loc,
                    proj: Proj::Whole,
                    step: None,
                },
            );
        }
    }

    /// The step that turns the failure of step `failed` into an `Error`.
    #[allow(clippy::too_many_arguments)]
    fn catch_step(
        &mut self,
        name: &str,
        failed: &str,
        id: &str,
        kind: CatchKind,
        typed: bool,
        error: &Loc,
        pos: &Pos,
    ) -> Step {
        let mut jb = self.jq_reading(&[], pos);
        let (body, attempts) = match kind {
            CatchKind::Process { attempts } => {
                let code = jb.arg("code", format!("${{steps.{failed}.exit_code}}"), true);
                let invalid = if typed {
                    format!("elif {code} == 2 or {code} == 0 then \"INVALID_OUTPUT\" ")
                } else {
                    String::new()
                };
                (
                    format!(
                        "{{step: {}, kind: (if {code} == 124 then \"TIMEOUT\" elif {code} == 127 then \"SPAWN\" {invalid}else \"EXIT\" end), message: (if {code} == 0 then \"the result of step {1} does not fit its type\" else \"step {1} failed with exit code \\({code})\" end), stderr: \"\", attempt: {attempts}}}",
                        jq_string(id),
                        failed.replace(['"', '\\'], "")
                    ),
                    attempts,
                )
            }
            CatchKind::Invalid => (
                format!(
                    "{{step: {}, kind: \"INVALID_OUTPUT\", message: \"the result does not fit its type\", stderr: \"\", attempt: 1}}",
                    jq_string(id)
                ),
                1,
            ),
            CatchKind::Call => (
                format!(
                    "{{step: {}, kind: \"EXIT\", message: \"the called workflow failed\", stderr: \"\", attempt: 1}}",
                    jq_string(id)
                ),
                1,
            ),
            _ => (
                format!(
                    "{{step: {}, kind: \"FAIL\", message: \"the computation failed\", stderr: \"\", attempt: 1}}",
                    jq_string(id)
                ),
                1,
            ),
        };
        let _ = attempts;
        let cmd = self.jq_command(jb, Ok(body), false).unwrap_or_default();
        let mut step = Step::named(name);
        step.command = Some(cmd);
        step.output_file = Some(self.spell(error, pos));
        step
    }
}

/// A jq body that prints an `Error` value (for the try's error file) and
/// then fails with its message.
fn error_record(id: &str, kind: &str, message: &str) -> String {
    format!(
        "{{step: {}, kind: \"{kind}\", message: {message}, stderr: \"\", attempt: 1}} | ., error(.message)",
        jq_string(id)
    )
}
