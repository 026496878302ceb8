//! Inference variables and their solutions, for one item at a time.
//! `sub(found, expected)` relates two types by subtyping (a `defpath` type
//! fits `Path`, `Never` fits anything, `List`/`Option` and function results
//! are covariant, everything else is invariant) and binds variables on the
//! way; `unify` is the invariant version. Every binding is recorded on a
//! trail so a trial (`snapshot` … `rollback`) can be undone. A variable is
//! never bound to a type containing itself (occurs check), so resolving
//! always terminates.

use super::{Name, Type};
use crate::diag::Span;

/// Why a variable exists: what to say when nothing solves it (E0226).
#[derive(Debug, Clone, PartialEq)]
pub enum VarOrigin {
    /// The element type of `(list)`.
    EmptyList,
    /// The payload type of `none`.
    None,
    /// A type argument of a generic item or built-in, at a use of it.
    TypeArg { item: Name, param: Name },
    /// The type of a form whose branches never produce a value.
    Other,
}

impl VarOrigin {
    /// Higher means a more specific place to report an unsolved variable.
    fn rank(&self) -> u8 {
        match self {
            VarOrigin::EmptyList | VarOrigin::None => 2,
            VarOrigin::TypeArg { .. } => 1,
            VarOrigin::Other => 0,
        }
    }
}

#[derive(Debug)]
struct VarInfo {
    bound: Option<Type>,
    origin: VarOrigin,
    span: Span,
}

#[derive(Debug, Default)]
pub struct Subst {
    vars: Vec<VarInfo>,
    trail: Vec<u32>,
}

impl Subst {
    pub fn fresh(&mut self, origin: VarOrigin, span: Span) -> Type {
        let id = self.vars.len() as u32;
        self.vars.push(VarInfo {
            bound: None,
            origin,
            span,
        });
        Type::Var(id)
    }

    /// Forgets every variable (between items).
    pub fn clear(&mut self) {
        self.vars.clear();
        self.trail.clear();
    }

    pub fn origin(&self, var: u32) -> Option<(&VarOrigin, Span)> {
        self.vars.get(var as usize).map(|v| (&v.origin, v.span))
    }

    pub fn snapshot(&self) -> usize {
        self.trail.len()
    }

    /// Undoes every binding made since `snapshot`.
    pub fn rollback(&mut self, snapshot: usize) {
        while self.trail.len() > snapshot {
            if let Some(v) = self.trail.pop()
                && let Some(info) = self.vars.get_mut(v as usize)
            {
                info.bound = None;
            }
        }
    }

    fn bind(&mut self, var: u32, ty: Type) {
        if let Some(info) = self.vars.get_mut(var as usize) {
            info.bound = Some(ty);
            self.trail.push(var);
        }
    }

    /// Follows bound variables at the top of `ty`.
    pub fn shallow<'a>(&'a self, mut ty: &'a Type) -> &'a Type {
        while let Type::Var(v) = ty {
            match self.vars.get(*v as usize).and_then(|i| i.bound.as_ref()) {
                Some(next) => ty = next,
                None => break,
            }
        }
        ty
    }

    /// `ty` with every bound variable replaced by its solution, deeply.
    /// Unsolved variables stay.
    pub fn zonk(&self, ty: &Type) -> Type {
        match self.shallow(ty) {
            Type::List(t) => Type::list(self.zonk(t)),
            Type::Option(t) => Type::option(self.zonk(t)),
            Type::Record(n, args) => {
                Type::Record(n.clone(), args.iter().map(|a| self.zonk(a)).collect())
            }
            Type::Union(n, args) => {
                Type::Union(n.clone(), args.iter().map(|a| self.zonk(a)).collect())
            }
            Type::Fn(ps, r) => Type::Fn(
                ps.iter().map(|p| self.zonk(p)).collect(),
                Box::new(self.zonk(r)),
            ),
            other => other.clone(),
        }
    }

    fn occurs(&self, var: u32, ty: &Type) -> bool {
        match self.shallow(ty) {
            Type::Var(v) => *v == var,
            Type::List(t) | Type::Option(t) => self.occurs(var, t),
            Type::Record(_, args) | Type::Union(_, args) => {
                args.iter().any(|a| self.occurs(var, a))
            }
            Type::Fn(ps, r) => ps.iter().any(|p| self.occurs(var, p)) || self.occurs(var, r),
            _ => false,
        }
    }

    /// Whether a value of type `found` may be used where `expected` is
    /// wanted; binds variables to make it so.
    pub fn sub(&mut self, found: &Type, expected: &Type) -> bool {
        self.relate(found, expected, true)
    }

    /// Whether the two types are the same; binds variables to make it so.
    pub fn unify(&mut self, a: &Type, b: &Type) -> bool {
        self.relate(a, b, false)
    }

    /// `sub` as a trial: on failure every binding it made is undone.
    pub fn try_sub(&mut self, found: &Type, expected: &Type) -> bool {
        let snap = self.snapshot();
        let ok = self.sub(found, expected);
        if !ok {
            self.rollback(snap);
        }
        ok
    }

    fn bind_var(&mut self, var: u32, ty: &Type) -> bool {
        if let Type::Var(other) = ty {
            // Keep the variable with the more specific origin as the root,
            // so an unsolved one is reported where the user can fix it.
            let rank = |v: u32| self.vars.get(v as usize).map_or(0, |i| i.origin.rank());
            if rank(var) > rank(*other) {
                self.bind(*other, Type::Var(var));
            } else {
                self.bind(var, ty.clone());
            }
            return true;
        }
        if self.occurs(var, ty) {
            return false;
        }
        self.bind(var, ty.clone());
        true
    }

    fn relate(&mut self, a: &Type, b: &Type, sub: bool) -> bool {
        if a == b {
            // Identical types (even with the same variables) are related;
            // this is by far the most common case, and needs no clone.
            return true;
        }
        let a = self.shallow(a).clone();
        let b = self.shallow(b).clone();
        match (&a, &b) {
            (Type::Var(x), Type::Var(y)) if x == y => true,
            (Type::Invalid, Type::Var(v)) | (Type::Var(v), Type::Invalid) => {
                self.bind(*v, Type::Invalid);
                true
            }
            (Type::Invalid, _) | (_, Type::Invalid) => true,
            (Type::Never, Type::Never) => true,
            (Type::Never, _) if sub => true,
            // Only unreachable code is expected to be `Never` (the state of
            // a loop started with `fail`, an operand after one): anything fits.
            (_, Type::Never) if sub => true,
            (Type::Var(v), t) | (t, Type::Var(v)) => self.bind_var(*v, t),
            (Type::Refined(_), Type::Path) if sub => true,
            (Type::Refined(p), Type::Refined(q)) => p == q,
            (Type::List(x), Type::List(y)) | (Type::Option(x), Type::Option(y)) => {
                self.relate(x, y, sub)
            }
            (Type::Record(n, xs), Type::Record(m, ys))
            | (Type::Union(n, xs), Type::Union(m, ys)) => {
                n == m && xs.len() == ys.len() && self.all_equal(xs, ys)
            }
            (Type::Enum(n), Type::Enum(m)) | (Type::Param(n), Type::Param(m)) => n == m,
            (Type::Fn(ps, r), Type::Fn(qs, s)) => {
                ps.len() == qs.len() && self.all_equal(ps, qs) && self.relate(r, s, sub)
            }
            _ => a == b,
        }
    }

    fn all_equal(&mut self, xs: &[Type], ys: &[Type]) -> bool {
        let mut ok = true;
        for (x, y) in xs.iter().zip(ys) {
            ok &= self.relate(x, y, false);
        }
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span() -> Span {
        Span::default()
    }

    #[test]
    fn binds_and_resolves_variables() {
        let mut s = Subst::default();
        let v = s.fresh(VarOrigin::EmptyList, span());
        assert!(s.sub(&Type::list(Type::Int), &Type::list(v.clone())));
        assert_eq!(s.zonk(&Type::option(v)), Type::option(Type::Int));
    }

    #[test]
    fn refinements_fit_path_covariantly_but_not_invariantly() {
        let mut s = Subst::default();
        let doc = Type::Refined("Doc".into());
        assert!(s.sub(&doc, &Type::Path));
        assert!(s.sub(&Type::list(doc.clone()), &Type::list(Type::Path)));
        assert!(!s.sub(&Type::Path, &doc));
        let rec = |t: Type| Type::Record("R".into(), vec![t]);
        assert!(!s.sub(&rec(doc.clone()), &rec(Type::Path)));
    }

    #[test]
    fn never_fits_anything_without_binding() {
        let mut s = Subst::default();
        let v = s.fresh(VarOrigin::Other, span());
        assert!(s.sub(&Type::Never, &v));
        assert!(s.sub(&Type::String, &v));
        assert_eq!(s.zonk(&v), Type::String);
    }

    #[test]
    fn occurs_check_refuses_infinite_types() {
        let mut s = Subst::default();
        let v = s.fresh(VarOrigin::Other, span());
        assert!(!s.unify(&v, &Type::list(v.clone())));
        assert!(matches!(s.zonk(&v), Type::Var(_)));
    }

    #[test]
    fn rollback_undoes_a_failed_trial() {
        let mut s = Subst::default();
        let a = s.fresh(VarOrigin::Other, span());
        let f = Type::Fn(vec![a.clone()], Box::new(Type::Int));
        let g = Type::Fn(vec![Type::String], Box::new(Type::Bool));
        assert!(!s.try_sub(&f, &g));
        assert!(matches!(s.zonk(&a), Type::Var(_)));
    }

    #[test]
    fn unsolved_root_keeps_the_most_specific_origin() {
        let mut s = Subst::default();
        let arg = s.fresh(
            VarOrigin::TypeArg {
                item: "length".into(),
                param: "T".into(),
            },
            span(),
        );
        let elem = s.fresh(VarOrigin::EmptyList, span());
        assert!(s.unify(&arg, &elem));
        let Type::Var(root) = s.zonk(&arg) else {
            panic!("expected a variable")
        };
        assert_eq!(
            s.origin(root).map(|o| o.0.clone()),
            Some(VarOrigin::EmptyList)
        );
    }
}
