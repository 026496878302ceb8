//! Effect steps: `command` (argv items are Strings or paths; without
//! `:returns` the result is a `CommandResult`), `provider` (declared by
//! `defprovider`, E0230; the prompt is a String), `human` (asks a String)
//! and `call` (a declared workflow, E0232; keyword arguments bind its
//! parameters and its type arguments are inferred). Each step gets its id:
//! the binding it is bound to, else `:name`, else a default.

use super::args::ArgRef;
use super::{Checker, Expect, report};
use crate::diag::{Code, Span};
use crate::parser::ast::{
    CallStep, CommandStep, HumanStep, Ident, ProviderStep, StepOpts, TypeExpr,
};
use crate::typeck::items::ItemKind;
use crate::typeck::typed::{StepId, TCall, TCommand, THuman, TProvider, TStepOpts};
use crate::typeck::typed::{TExpr, TExprKind};
use crate::typeck::types::{Name, Type};

impl Checker<'_> {
    /// The step id of an effect: bound name, else `:name`, else `default`.
    fn step_id(
        &mut self,
        bound: Option<Ident>,
        opts: &StepOpts,
        default: &str,
        span: Span,
    ) -> StepId {
        let (name, span): (Name, Span) = match (bound, &opts.name) {
            (Some(b), _) => (b.name.as_str().into(), b.span),
            (None, Some(n)) => (n.name.as_str().into(), n.span),
            (None, None) => (default.into(), span),
        };
        if self.quiet_steps.contains(&span) {
            let mut ignored = Vec::new();
            return self.steps.take(&name, span, &mut ignored);
        }
        self.steps.take(&name, span, &mut self.diags)
    }

    fn step_opts(&mut self, opts: &StepOpts) -> TStepOpts {
        TStepOpts {
            timeout: opts
                .timeout
                .as_ref()
                .map(|t| Box::new(self.check(t, Type::Int))),
            idempotent: opts.idempotent,
        }
    }

    /// A `:returns` type: it crosses a run boundary, so no functions (E0220).
    fn returns(&mut self, te: &TypeExpr) -> Type {
        let ty = self.resolve_te(te);
        if ty.contains_fn() {
            self.diags.push(crate::typeck::items::boundary_error(
                te.span,
                "a step cannot return a function".into(),
                &ty,
            ));
            return Type::Invalid;
        }
        ty
    }

    /// An argv item: a String or a path.
    fn argv_item(&mut self, e: &crate::parser::ast::Expr) -> TExpr {
        let t = self.infer(e);
        let ty = self.shallow(&t.ty);
        let ok = matches!(
            ty,
            Type::String | Type::Path | Type::Refined(_) | Type::Invalid | Type::Never
        ) || self.subst.unify(&t.ty, &Type::String);
        if !ok && let Some(d) = report::mismatch(self, t.span, &Type::String, &t.ty, None) {
            self.diags.push(
                d.with_hint("argv items are Strings or paths; format other values with `(str x)`"),
            );
        }
        t
    }

    pub fn command(&mut self, c: &CommandStep, span: Span, bound: Option<Ident>) -> TExpr {
        let argv = c.argv.iter().map(|a| self.argv_item(a)).collect();
        let env = c
            .env
            .iter()
            .map(|(k, v)| (k.value.clone(), self.check(v, Type::String)))
            .collect();
        let stdin = c
            .stdin
            .as_ref()
            .map(|s| Box::new(self.check(s, Type::String)));
        let returns = c.returns.as_ref().map(|r| self.returns(r));
        let opts = self.step_opts(&c.opts);
        let step = self.step_id(bound, &c.opts, "command", span);
        let ty = returns
            .clone()
            .unwrap_or_else(|| Type::Record("CommandResult".into(), Vec::new()));
        TExpr::new(
            TExprKind::Command(TCommand {
                step,
                argv,
                returns,
                env,
                stdin,
                shell: c.shell,
                opts,
            }),
            ty,
            span,
        )
    }

    pub fn provider(&mut self, p: &ProviderStep, span: Span, bound: Option<Ident>) -> TExpr {
        let tables = self.tables;
        let name: Name = tables.canon(&p.provider.name).into();
        if !tables.providers.contains_key(&name) {
            let mut d = report::unknown(
                Code::E0230,
                p.provider.span,
                "provider",
                &p.provider.name,
                tables.visible(|k| k == ItemKind::Provider).map(|k| &**k),
            );
            if let Some(kind) = tables.kind_of(&name) {
                d.message = format!("`{name}` is {}, not a provider", kind.describe());
            }
            if tables.providers.is_empty() {
                d = d.with_hint("declare it with `(defprovider name :argv (\"program\" …))`");
            }
            self.diags.push(d);
        }
        let prompt = self.check(&p.prompt, Type::String);
        let returns = self.returns(&p.returns);
        let opts = self.step_opts(&p.opts);
        let step = self.step_id(bound, &p.opts, &p.provider.name, span);
        TExpr::new(
            TExprKind::Provider(TProvider {
                step,
                provider: name,
                prompt: Box::new(prompt),
                returns: returns.clone(),
                opts,
            }),
            returns,
            span,
        )
    }

    pub fn human(&mut self, h: &HumanStep, span: Span, bound: Option<Ident>) -> TExpr {
        let ask = self.check(&h.ask, Type::String);
        let returns = self.returns(&h.returns);
        let opts = self.step_opts(&h.opts);
        let step = self.step_id(bound, &h.opts, "human", span);
        TExpr::new(
            TExprKind::Human(THuman {
                step,
                ask: Box::new(ask),
                returns: returns.clone(),
                opts,
            }),
            returns,
            span,
        )
    }

    pub fn call(
        &mut self,
        c: &CallStep,
        span: Span,
        bound: Option<Ident>,
        expect: Option<&Expect>,
    ) -> TExpr {
        let tables = self.tables;
        let args = ArgRef::from_fields(&c.args);
        let Some(info) = tables.workflows.get(tables.canon(&c.workflow.name)) else {
            let imported = tables.kind_of(&c.workflow.name) == Some(ItemKind::Imported);
            if !imported {
                let mut d = report::unknown(
                    Code::E0232,
                    c.workflow.span,
                    "workflow",
                    &c.workflow.name,
                    tables.visible(|k| k == ItemKind::Workflow).map(|k| &**k),
                );
                if let Some(kind) = tables.kind_of(&c.workflow.name) {
                    d.message = format!(
                        "`{}` is {}, not a workflow",
                        c.workflow.name,
                        kind.describe()
                    );
                    if kind == ItemKind::Fn {
                        d = d.with_hint(format!(
                            "apply a function directly: `({} …)`",
                            c.workflow.name
                        ));
                    }
                    if let Some(def) = tables.def_span(&c.workflow.name) {
                        d = d.with_label(def, "defined here");
                    }
                }
                self.diags.push(d);
            }
            self.step_id(bound, &c.opts, &c.workflow.name, span);
            return self.stray_args(&args, span);
        };
        let (type_args, args, ret) =
            self.apply_signature(info, "workflow", c.workflow.span, &args, expect);
        let opts = self.step_opts(&c.opts);
        // By default a call is named after the workflow's own name, without
        // the import prefix (`rv/review-loop` → `review-loop`), which would
        // read as one more scope in the step id.
        let own_name = info.name.rsplit_once(':').map_or(&*info.name, |(_, n)| n);
        let step = self.step_id(bound, &c.opts, own_name, span);
        TExpr::new(
            TExprKind::Call(TCall {
                step,
                workflow: info.name.clone(),
                type_args,
                args,
                opts,
            }),
            ret,
            span,
        )
    }
}
