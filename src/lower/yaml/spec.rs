//! Specialising generic workflows and workflows that take functions. wfl
//! resolves function values at compile time, so a `call` of such a
//! workflow is lowered with its type parameters and function parameters
//! fixed by the call: a file of its own per distinct specialisation
//! (`review-loop.check-text.pad.yaml`), whose inputs are the parameters
//! that are not functions, with their types substituted. Inside it, a
//! function parameter applied is the function passed: a workflow becomes a
//! `call`, a defn, prompt or built-in a jq application.

use super::Lowering;
use super::cx::{Dest, Pos};
use super::model::Step;
use crate::ir::{Node, NodeKind};
use crate::typeck::typed::{Ref, TCall, TExpr, TExprKind, TStepOpts};
use crate::typeck::types::{Name, Type};
use std::collections::HashMap;

/// What a call fixes of a generic or higher-order workflow.
#[derive(Debug, Clone, Default)]
pub struct Spec {
    pub type_params: Vec<Name>,
    pub type_args: Vec<Type>,
    /// Function parameters, by index, and the function each is.
    pub funcs: HashMap<usize, TExpr>,
}

impl Spec {
    pub fn ty(&self, t: &Type) -> Type {
        t.substitute(&self.type_params, &self.type_args)
    }

    /// Distinguishes specialisations in file names and the memo:
    /// `check-text.pad` (or the type arguments when no function is passed).
    pub fn key(&self) -> String {
        let mut funcs: Vec<(&usize, &TExpr)> = self.funcs.iter().collect();
        funcs.sort_by_key(|(i, _)| **i);
        let names: Vec<String> = funcs
            .iter()
            .map(|(_, f)| match &f.kind {
                TExprKind::Var(
                    Ref::Defn { name, .. } | Ref::Workflow { name, .. } | Ref::Prompt { name },
                ) => name.to_string(),
                TExprKind::Var(Ref::Builtin { op, .. }) => op.name().to_string(),
                _ => "fn".into(),
            })
            .collect();
        if names.is_empty() {
            self.type_args
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(".")
        } else {
            names.join(".")
        }
    }
}

/// Whether a workflow with these parameters and type parameters must be
/// specialised per call.
pub fn needs_spec(type_params: &[Name], params: &[crate::typeck::ParamInfo]) -> bool {
    !type_params.is_empty() || params.iter().any(|p| matches!(p.ty, Type::Fn(..)))
}

impl Lowering<'_> {
    /// `ty` with the current specialisation's type arguments in place.
    pub(super) fn sub(&self, ty: &Type) -> Type {
        match &self.wf.spec {
            Some(s) => s.ty(ty),
            None => ty.clone(),
        }
    }

    /// The function a function-typed expression is at compile time: a
    /// named workflow, defn, prompt or built-in, or a function parameter
    /// of the current specialisation.
    pub(super) fn known_function(&self, e: &TExpr) -> Option<TExpr> {
        match &e.kind {
            TExprKind::Var(Ref::Param { index, .. }) => {
                self.wf.spec.as_ref()?.funcs.get(index).cloned()
            }
            TExprKind::Var(Ref::Workflow { name, type_args }) => {
                let type_args = type_args.iter().map(|t| self.sub(t)).collect();
                let r = Ref::Workflow {
                    name: name.clone(),
                    type_args,
                };
                Some(TExpr::new(TExprKind::Var(r), self.sub(&e.ty), e.span))
            }
            TExprKind::Var(Ref::Defn { .. } | Ref::Prompt { .. } | Ref::Builtin { .. }) => {
                Some(e.clone())
            }
            _ => None,
        }
    }

    /// The specialisation a call of `c` needs, or `None` for a plain
    /// workflow; `Err` after refusing an argument that is no known function.
    pub(super) fn call_spec(
        &mut self,
        c: &TCall,
        span: crate::diag::Span,
    ) -> Result<Option<Spec>, ()> {
        let Some(callee) = self.program.workflows.get(&c.workflow) else {
            return Ok(None);
        };
        if !needs_spec(&callee.type_params, &callee.params) {
            return Ok(None);
        }
        let mut spec = Spec {
            type_params: callee.type_params.clone(),
            type_args: c.type_args.iter().map(|t| self.sub(t)).collect(),
            funcs: HashMap::new(),
        };
        for (i, (p, arg)) in callee.params.iter().zip(&c.args).enumerate() {
            if !matches!(p.ty, Type::Fn(..)) {
                continue;
            }
            match arg.as_ref().and_then(|a| self.known_function(a)) {
                Some(f) => {
                    spec.funcs.insert(i, f);
                }
                None => {
                    let span = arg.as_ref().map_or(span, |a| a.span);
                    self.refuse_function(span, &format!("the function passed as `{}`", p.name));
                    return Err(());
                }
            }
        }
        Ok(Some(spec))
    }

    /// A function value applied (`(review doc round)` in a workflow that
    /// takes `review`): a call of the workflow it is, or a jq application.
    pub(super) fn apply(&mut self, n: &Node, pos: &Pos, dest: Dest, out: &mut Vec<Step>) {
        let NodeKind::Apply { step, func, args } = &n.kind else {
            return;
        };
        let Some(f) = self.known_function(func) else {
            return self.refuse_function(n.span, "applying a function value");
        };
        if let TExprKind::Var(Ref::Workflow { name, type_args }) = &f.kind {
            let count = self
                .program
                .workflows
                .get(name)
                .map_or(args.len(), |w| w.params.len());
            let mut call_args: Vec<Option<TExpr>> = args.iter().cloned().map(Some).collect();
            call_args.resize(count.max(args.len()), None);
            let call = TCall {
                step: step.clone(),
                workflow: name.clone(),
                type_args: type_args.clone(),
                args: call_args,
                opts: TStepOpts::default(),
            };
            return self.call(n, &call, pos, dest, out);
        }
        let applied = TExpr::new(
            TExprKind::ApplyValue {
                func: Box::new(f),
                args: args.to_vec(),
            },
            self.sub(&n.ty),
            n.span,
        );
        let name = n.name.to_string();
        self.finish(&applied, &name, pos, dest, out);
    }
}
