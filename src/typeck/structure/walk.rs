//! The one visitor of the structural checks. It walks an item's
//! expressions once, carrying a small context: the `defn` being walked (for
//! E0301), whether an enclosing effect was already reported (so a `retry`
//! full of commands is one report, not many), and a stack of frames, the
//! enclosing loops and step scopes (for `recur`).
//!
//! What holds: `tail` is true exactly when the expression's value is the
//! value of a round of the innermost frame, and that frame is a loop. Tail
//! position passes only through the last form of a loop body, both branches
//! of `if`, the arms and `else` of `cond`, the arm bodies of `match`, and
//! the last form of `let*`/`do`; everything else (arguments, conditions,
//! bindings, bounds, step options) is walked with `tail = false`. Step
//! scopes (`for-each`, `parallel`, `retry`, `try`, `phase`, `budget`) push
//! a scope frame, which `recur` cannot cross, and a loop's `:exhausted`
//! value its own frame, where `recur` cannot start another round.
//! Loop bounds and state initialisers are walked outside the loop's frame.
//! The reader caps nesting at 128, so plain recursion is safe.

use super::recur::{Frame, check_recur};
use super::{bounds, effects};
use crate::diag::Diagnostic;
use crate::parser::ast::{Arg, Expr, ExprKind, Ident, Param};

pub(super) struct Walker<'a, 'd> {
    diags: &'d mut Vec<Diagnostic>,
    /// The `defn` whose body is walked: effects here are E0301.
    pure_fn: Option<&'a Ident>,
    /// Inside an effect already reported as E0301.
    in_reported_effect: bool,
    /// Enclosing loops and step scopes, innermost last.
    frames: Vec<Frame<'a>>,
}

impl<'a, 'd> Walker<'a, 'd> {
    pub fn new(diags: &'d mut Vec<Diagnostic>) -> Self {
        Walker {
            diags,
            pure_fn: None,
            in_reported_effect: false,
            frames: Vec::new(),
        }
    }

    /// Walks as the body of the pure function `name`.
    pub fn in_pure_fn(mut self, name: &'a Ident) -> Self {
        self.pure_fn = Some(name);
        self
    }

    /// The default values of a parameter list.
    pub fn params(&mut self, params: &'a [Param]) {
        for param in params {
            if let Some(default) = &param.default {
                self.expr(default, false);
            }
        }
    }

    /// A sequence of forms whose last one gives the value: only the last
    /// inherits `tail`.
    pub fn body(&mut self, forms: &'a [Expr], tail: bool) {
        if let Some((last, init)) = forms.split_last() {
            for form in init {
                self.expr(form, false);
            }
            self.expr(last, tail);
        }
    }

    fn all(&mut self, exprs: impl IntoIterator<Item = &'a Expr>) {
        for e in exprs {
            self.expr(e, false);
        }
    }

    /// Walks `body` inside a new frame, never in tail position of an outer
    /// loop.
    fn scoped(&mut self, frame: Frame<'a>, body: &'a [Expr]) {
        self.frames.push(frame);
        self.all(body);
        self.frames.pop();
    }

    pub fn expr(&mut self, e: &'a Expr, tail: bool) {
        // An effect in a defn is reported once, at the outermost effect.
        let outer_reported = self.in_reported_effect;
        if let Some(defn) = self.pure_fn
            && !self.in_reported_effect
            && let Some(diag) = effects::in_pure_fn(e, defn)
        {
            self.diags.push(diag);
            self.in_reported_effect = true;
        }
        self.expr_kind(e, tail);
        self.in_reported_effect = outer_reported;
    }

    fn expr_kind(&mut self, e: &'a Expr, tail: bool) {
        match &e.kind {
            ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Str(_)
            | ExprKind::Bool(_)
            | ExprKind::Var(_)
            | ExprKind::Fmt(_)
            | ExprKind::Error => {}
            ExprKind::Field(base, _) => self.expr(base, false),
            ExprKind::Record { fields, .. } | ExprKind::Variant { fields, .. } => {
                self.all(fields.iter().map(|f| &f.value));
            }
            ExprKind::List(items) => self.all(items),
            ExprKind::If { cond, then, els } => {
                self.expr(cond, false);
                self.expr(then, tail);
                self.expr(els, tail);
            }
            ExprKind::Cond { arms, els } => {
                for (cond, value) in arms {
                    self.expr(cond, false);
                    self.expr(value, tail);
                }
                self.expr(els, tail);
            }
            ExprKind::Match { scrutinee, arms } => {
                self.expr(scrutinee, false);
                for arm in arms {
                    self.body(&arm.body, tail);
                }
            }
            ExprKind::Let { bindings, body } => {
                self.all(bindings.iter().map(|b| &b.value));
                self.body(body, tail);
            }
            ExprKind::Do(forms) => self.body(forms, tail),
            ExprKind::Apply { args, .. } => {
                self.all(args.iter().map(|arg| match arg {
                    Arg::Positional(value) | Arg::Keyword(_, value) => value,
                }));
            }
            ExprKind::Command(step) => {
                self.all(&step.argv);
                self.all(step.env.iter().map(|(_, value)| value));
                self.all(step.stdin.as_deref());
                self.all(step.opts.timeout.as_deref());
            }
            ExprKind::Provider(step) => {
                self.expr(&step.prompt, false);
                self.all(step.opts.timeout.as_deref());
            }
            ExprKind::Human(step) => {
                self.expr(&step.ask, false);
                self.all(step.opts.timeout.as_deref());
            }
            ExprKind::Call(step) => {
                self.all(step.args.iter().map(|a| &a.value));
                self.all(step.opts.timeout.as_deref());
            }
            ExprKind::Loop(lp) => {
                bounds::loop_max(lp, self.diags);
                self.all(lp.max.as_deref());
                self.all(lp.state.iter().map(|b| &b.value));
                self.frames.push(Frame::Loop(lp));
                self.body(&lp.body, true);
                self.frames.pop();
                if let Some(exhausted) = &lp.exhausted {
                    self.frames.push(Frame::Exhausted(lp, exhausted.span));
                    self.expr(exhausted, false);
                    self.frames.pop();
                }
            }
            ExprKind::Recur(values) => {
                check_recur(&self.frames, e.span, values, tail, self.diags);
                self.all(values);
            }
            ExprKind::ForEach(fe) => {
                bounds::for_each_limit(fe, self.diags);
                self.expr(&fe.list, false);
                self.all(fe.limit.as_deref());
                self.scoped(Frame::scope("for-each", Some(&fe.name), e.span), &fe.body);
            }
            ExprKind::Parallel(par) => {
                bounds::parallel_limit(par, self.diags);
                self.all(par.limit.as_deref());
                self.frames.push(Frame::scope("parallel", None, e.span));
                self.all(par.bindings.iter().map(|b| &b.value));
                self.all(&par.body);
                self.frames.pop();
            }
            ExprKind::Retry(rt) => {
                bounds::retry_attempts(rt, self.diags);
                self.all(rt.attempts.as_deref());
                self.all(rt.backoff.as_deref());
                self.scoped(Frame::scope("retry", Some(&rt.name), e.span), &rt.body);
            }
            ExprKind::Try(tr) => {
                self.frames.push(Frame::scope("try", None, e.span));
                self.all(&tr.body);
                self.all(&tr.catch.body);
                self.frames.pop();
            }
            ExprKind::Phase { name, body } => {
                self.scoped(Frame::scope("phase", Some(name), e.span), body);
            }
            ExprKind::Budget(bg) => {
                bounds::budget_caps(bg, e.span, self.diags);
                self.all(bg.tokens.as_deref());
                self.all(bg.usd.as_deref());
                self.scoped(Frame::scope("budget", None, e.span), &bg.body);
            }
            ExprKind::Fail(message) => self.expr(message, false),
            ExprKind::Assert { cond, message } => {
                self.expr(cond, false);
                self.expr(message, false);
            }
        }
    }
}
