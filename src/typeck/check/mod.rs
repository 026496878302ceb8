//! The bidirectional checker of expressions. `expr(e, expect)` checks `e`
//! against an expected type when the context has one and infers it
//! otherwise; either way the result is a `TExpr` whose type fits the
//! expectation or an E0213 was reported. Errors give `Invalid`, which fits
//! everything, so one mistake is reported once. Inference variables (for
//! `none`, `(list)` and type arguments) are solved by unification and
//! substituted away when the item is finished (`items`).
//!
//! One `Checker` checks one file, item by item; per-item state (locals,
//! loops, step scopes, variables) is reset between items.

mod apply;
mod args;
mod builtin_calls;
mod control;
mod data;
mod effects;
mod env;
mod fields;
mod flow;
mod items;
mod matching;
mod names;
mod report;
mod steps;

pub(crate) use items::check_items;

use super::items::{Tables, TypeScope, resolve_type};
use super::typed::{LocalId, TExpr, TExprKind};
use super::types::{Name, Subst, Type};
use crate::diag::{Diagnostic, Span};
use crate::parser::ast::{Expr, ExprKind, Ident, TypeExpr};
use env::{Env, Local, Proven};
use steps::Steps;

/// What the context wants: a type, and optionally the place that makes it
/// so (for an "expected because of this" label).
#[derive(Debug, Clone)]
pub(crate) struct Expect {
    pub ty: Type,
    pub because: Option<Span>,
    /// Set when the type only comes from an earlier branch: a path of
    /// another path type (or a literal failing its refinement) then widens
    /// the branches' type to `Path` instead of being an error.
    pub widen: bool,
}

impl Expect {
    pub fn ty(ty: Type) -> Expect {
        Expect {
            ty,
            because: None,
            widen: false,
        }
    }

    pub fn because(ty: Type, span: Span) -> Expect {
        Expect {
            ty,
            because: Some(span),
            widen: false,
        }
    }

    /// Whether `found` may widen this expectation to `Path`.
    pub fn widens_to_path(&self, found: &Type) -> bool {
        self.widen && self.ty.is_pathlike() && found.is_pathlike()
    }
}

/// A reference from one defn/workflow to another (for E0302).
#[derive(Debug, Clone)]
pub(crate) struct Edge {
    pub from: Name,
    pub to: Name,
    pub span: Span,
}

/// The type of a form with several branches: checked against the
/// expectation, or else against the first branch that has a value (paths of
/// different path types widen that to `Path`).
pub(crate) struct Join {
    expect: Option<Expect>,
    found: Option<Expect>,
}

impl Join {
    pub fn new(expect: Option<&Expect>) -> Join {
        Join {
            expect: expect.cloned(),
            found: None,
        }
    }

    /// The expectation for the next branch.
    pub fn expect(&self) -> Option<&Expect> {
        self.expect.as_ref().or(self.found.as_ref())
    }

    pub fn add(&mut self, branch: &TExpr) {
        self.add_ty(&branch.ty, branch.span);
    }

    /// Adds a branch of type `ty` (spanning `span`).
    pub fn add_ty(&mut self, ty: &Type, span: Span) {
        if self.expect.is_some() || *ty == Type::Never {
            return;
        }
        match &mut self.found {
            None => {
                let mut x = Expect::because(ty.clone(), span);
                x.widen = true;
                self.found = Some(x);
            }
            Some(found) => {
                if found.widens_to_path(ty) && found.ty != *ty {
                    found.ty = Type::Path;
                }
            }
        }
    }

    /// Adds a body (see `Checker::block`).
    pub fn add_block(&mut self, body: &[TExpr], ty: &Type) {
        if let Some(last) = body.last() {
            self.add_ty(ty, last.span);
        }
    }

    /// The type of the whole form.
    pub fn ty(&self) -> Type {
        self.expect().map_or(Type::Never, |e| e.ty.clone())
    }
}

pub(crate) struct Checker<'a> {
    pub tables: &'a Tables,
    pub subst: Subst,
    pub env: Env,
    pub diags: Vec<Diagnostic>,
    /// The item being checked.
    pub item: Name,
    pub type_params: Vec<Name>,
    /// State variable types of the enclosing loops, innermost last.
    pub loops: Vec<Vec<Type>>,
    pub steps: Steps,
    /// The `let*`/`parallel` name the next expression is bound to.
    pub bound: Option<Ident>,
    pub edges: Vec<Edge>,
    /// Binding names already reported as duplicates: no E0303 for them.
    pub quiet_steps: std::collections::HashSet<Span>,
    next_local: u32,
}

impl<'a> Checker<'a> {
    pub fn new(tables: &'a Tables) -> Self {
        Checker {
            tables,
            subst: Subst::default(),
            env: Env::default(),
            diags: Vec::new(),
            item: "".into(),
            type_params: Vec::new(),
            loops: Vec::new(),
            steps: Steps::default(),
            bound: None,
            edges: Vec::new(),
            quiet_steps: std::collections::HashSet::new(),
            next_local: 0,
        }
    }

    /// Resets the per-item state before checking `item`.
    pub fn start_item(&mut self, item: &Name, type_params: &[Name]) {
        self.item = item.clone();
        self.type_params = type_params.to_vec();
        self.subst.clear();
        self.env.clear();
        self.loops.clear();
        let in_defn = self.tables.fns.contains_key(item);
        self.steps.start(item, in_defn);
        self.bound = None;
        self.next_local = 0;
    }

    pub fn resolve_te(&mut self, te: &TypeExpr) -> Type {
        let scope = TypeScope {
            tables: self.tables,
            type_params: &self.type_params,
        };
        resolve_type(scope, te, &mut self.diags)
    }

    /// The type with its top-level variables followed.
    pub fn shallow(&self, ty: &Type) -> Type {
        self.subst.shallow(ty).clone()
    }

    pub fn zonk(&self, ty: &Type) -> Type {
        self.subst.zonk(ty)
    }

    /// Binds a new local in the current scope.
    pub fn bind_local(&mut self, name: &Ident, ty: Type, proven: Option<Proven>) -> LocalId {
        let id = LocalId(self.next_local);
        self.next_local += 1;
        let n: Name = name.name.as_str().into();
        self.env.bind(
            n.clone(),
            Local {
                ty,
                r: super::typed::Ref::Local { name: n, id },
                span: name.span,
                proven,
            },
        );
        id
    }

    pub fn infer(&mut self, e: &Expr) -> TExpr {
        self.expr(e, None)
    }

    pub fn check(&mut self, e: &Expr, ty: Type) -> TExpr {
        self.expr(e, Some(&Expect::ty(ty)))
    }

    /// Checks `e` against `expect`, or infers it.
    pub fn expr(&mut self, e: &Expr, expect: Option<&Expect>) -> TExpr {
        let bound = self.bound.take();
        let t = self.expr_inner(e, expect, bound);
        match expect {
            Some(x) => self.coerce(t, x),
            None => t,
        }
    }

    /// Reports E0213 unless `t` fits `x`.
    pub fn coerce(&mut self, t: TExpr, x: &Expect) -> TExpr {
        if !self.subst.sub(&t.ty, &x.ty) && !x.widens_to_path(&self.shallow(&t.ty)) {
            let d = report::mismatch(self, t.span, &x.ty, &t.ty, x.because);
            if let Some(d) = d {
                self.diags.push(d);
            }
        }
        t
    }

    /// A body: every form in order, the last one's value is the result.
    /// An empty body (already reported by the parser) is `Invalid`.
    pub fn block(&mut self, body: &[Expr], expect: Option<&Expect>) -> (Vec<TExpr>, Type) {
        let Some((last, init)) = body.split_last() else {
            return (Vec::new(), Type::Invalid);
        };
        let mut out = Vec::with_capacity(body.len());
        for e in init {
            out.push(self.infer(e));
        }
        let last = self.expr(last, expect);
        let ty = match expect {
            Some(x) if last.ty != Type::Never => x.ty.clone(),
            _ => last.ty.clone(),
        };
        out.push(last);
        (out, ty)
    }

    /// A block in its own scope of locals.
    pub fn scoped_block(&mut self, body: &[Expr], expect: Option<&Expect>) -> (Vec<TExpr>, Type) {
        self.env.push_scope();
        let r = self.block(body, expect);
        self.env.pop_scope();
        r
    }

    fn expr_inner(&mut self, e: &Expr, expect: Option<&Expect>, bound: Option<Ident>) -> TExpr {
        let span = e.span;
        match &e.kind {
            ExprKind::Int(n) => TExpr::new(TExprKind::Int(*n), Type::Int, span),
            ExprKind::Float(x) => TExpr::new(TExprKind::Float(*x), Type::Float, span),
            ExprKind::Bool(b) => TExpr::new(TExprKind::Bool(*b), Type::Bool, span),
            ExprKind::Str(s) => self.string_lit(s, span, expect),
            ExprKind::Var(id) => self.var(id, expect),
            ExprKind::Field(base, field) => self.field_expr(base, field, span),
            ExprKind::Record { ty, fields } => self.record(ty, fields, span, expect),
            ExprKind::Variant {
                ty,
                variant,
                fields,
            } => self.variant(ty, variant, fields, span, expect),
            ExprKind::List(items) => self.list(items, span, expect),
            ExprKind::Fmt(t) => {
                let t = self.template(t);
                TExpr::new(TExprKind::Fmt(t), Type::String, span)
            }
            ExprKind::If { cond, then, els } => self.if_expr(cond, then, els, span, expect),
            ExprKind::Cond { arms, els } => self.cond_expr(arms, els, span, expect),
            ExprKind::Match { scrutinee, arms } => self.match_expr(scrutinee, arms, span, expect),
            ExprKind::Let { bindings, body } => self.let_expr(bindings, body, span, expect),
            ExprKind::Do(body) => {
                let (body, ty) = self.block(body, expect);
                TExpr::new(TExprKind::Do(body), ty, span)
            }
            ExprKind::Apply { func, args } => self.apply(func, args, span, expect, bound),
            ExprKind::Command(c) => self.command(c, span, bound),
            ExprKind::Provider(p) => self.provider(p, span, bound),
            ExprKind::Human(h) => self.human(h, span, bound),
            ExprKind::Call(c) => self.call(c, span, bound, expect),
            ExprKind::Loop(l) => self.loop_expr(l, span, expect),
            ExprKind::Recur(args) => self.recur(args, span),
            ExprKind::ForEach(f) => self.for_each(f, span, expect),
            ExprKind::Parallel(p) => self.parallel(p, span, expect),
            ExprKind::Retry(r) => self.retry(r, span, expect),
            ExprKind::Try(t) => self.try_expr(t, span, expect),
            ExprKind::Phase { name, body } => self.phase(name, body, span, expect),
            ExprKind::Budget(b) => self.budget(b, span, expect),
            ExprKind::Fail(msg) => {
                let msg = self.check(msg, Type::String);
                TExpr::new(TExprKind::Fail(Box::new(msg)), Type::Never, span)
            }
            ExprKind::Assert { cond, message } => {
                let cond = self.condition(cond);
                let message = self.check(message, Type::String);
                TExpr::new(
                    TExprKind::Assert {
                        cond: Box::new(cond),
                        message: Box::new(message),
                    },
                    Type::Unit,
                    span,
                )
            }
            ExprKind::Error => TExpr::error(span),
        }
    }
}
