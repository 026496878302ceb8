//! Values the DSL can name directly: workflow inputs (`${inputs.task}`,
//! `{ref: inputs.task}`) and the artifacts a visible step declares
//! (`${steps.tests.artifacts.failed}`, `{ref: root.steps.tests.artifacts.failed}`).
//! A step is visible from a list when it is in the same file and in that
//! list or at the file's top level. Before lowering a workflow, one pass
//! marks the locals used where only such names fit (argv items, `env`
//! values, conditions, match scrutinees, call arguments), so the jq steps
//! that compute them also declare them as artifacts.

use super::Lowering;
use super::cx::{Pos, Source, StepArt};
use super::names::snake;
use super::types::scalar;
use crate::ir::{Block, NodeKind};
use crate::typeck::typed::{LocalId, Ref, TExpr, TExprKind};
use crate::typeck::types::Name;
use std::collections::HashSet;

/// A DSL name for a scalar value.
#[derive(Debug, Clone, PartialEq)]
pub enum Art {
    Input(String),
    Step {
        prefix: &'static str,
        step: String,
        artifact: String,
    },
}

impl Art {
    /// As a `${…}` substitution.
    pub fn text(&self) -> String {
        match self {
            Art::Input(n) => format!("${{inputs.{n}}}"),
            Art::Step { step, artifact, .. } => format!("${{steps.{step}.artifacts.{artifact}}}"),
        }
    }

    /// As a structured `ref:`.
    pub fn path(&self) -> String {
        match self {
            Art::Input(n) => format!("inputs.{n}"),
            Art::Step {
                prefix,
                step,
                artifact,
            } => format!("{prefix}.{step}.artifacts.{artifact}"),
        }
    }
}

/// `x.a.b` as (the variable, `[a, b]`).
pub fn field_chain(e: &TExpr) -> Option<(&Ref, Vec<Name>)> {
    match &e.kind {
        TExprKind::Var(r) => Some((r, Vec::new())),
        TExprKind::Field { base, field, .. } => {
            let (r, mut path) = field_chain(base)?;
            path.push(field.clone());
            Some((r, path))
        }
        _ => None,
    }
}

/// Marks the locals `block` uses where a DSL name is needed.
pub fn mark_wanted(block: &Block, out: &mut HashSet<LocalId>) {
    let want = |e: &TExpr, out: &mut HashSet<LocalId>| {
        if let Some((Ref::Local { id, .. }, _)) = field_chain(e) {
            out.insert(*id);
        }
    };
    for (_, n) in block.nodes() {
        match &n.kind {
            NodeKind::Command(c) => {
                c.argv.iter().for_each(|a| want(a, out));
                c.env.iter().for_each(|(_, v)| want(v, out));
            }
            NodeKind::Call(c) => c.args.iter().flatten().for_each(|a| want(a, out)),
            NodeKind::If { cond, .. } => {
                want(cond, out);
                if let TExprKind::Builtin { args, .. } = &cond.kind {
                    args.iter().for_each(|a| want(a, out));
                }
            }
            NodeKind::Match { scrutinee, .. } => want(scrutinee, out),
            _ => {}
        }
        for (_, b) in n.kind.blocks() {
            mark_wanted(b, out);
        }
    }
}

impl Lowering<'_> {
    /// How `art` is referred to from `pos`: `root.steps` / `self.steps`, or
    /// `None` when the step is not visible there.
    fn visible(&self, art: &StepArt, pos: &Pos) -> Option<&'static str> {
        if art.list.file != pos.file() {
            return None;
        }
        if art.list == pos.list {
            Some(if pos.list.list == 0 {
                "root.steps"
            } else {
                "self.steps"
            })
        } else if art.list.list == 0 {
            Some("root.steps")
        } else {
            None
        }
    }

    /// The DSL name of scalar `e` at `pos`, if it has one.
    pub(super) fn artifact(&self, e: &TExpr, pos: &Pos) -> Option<Art> {
        scalar(&self.sub(&e.ty), self.tables)?;
        let (r, path) = field_chain(e)?;
        match r {
            Ref::Param { name, .. } if pos.file() == 0 => {
                let mut parts = vec![snake(name)];
                parts.extend(path.iter().map(|p| snake(p)));
                Some(Art::Input(parts.join("_")))
            }
            Ref::Local { id, .. } => {
                let Source::File {
                    step: Some(art), ..
                } = self.wf.sources.get(id)?
                else {
                    return None;
                };
                let prefix = self.visible(art, pos)?;
                let (_, artifact) = art.fields.iter().find(|(p, _)| *p == path)?;
                Some(Art::Step {
                    prefix,
                    step: art.name.clone(),
                    artifact: artifact.clone(),
                })
            }
            _ => None,
        }
    }
}
