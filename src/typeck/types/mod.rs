//! The semantic `Type` of the checker and of the typed program. A `Type` is a
//! small owned tree; names are shared `Arc<str>`s so clones are cheap.
//! `Display` prints a type the way the user writes it (`(List String)`,
//! `(-> (S Int) Review)`). Inference variables (`Var`) live only while an
//! item is being checked: every type that reaches `Checked` is free of them
//! (unsolved ones are reported and replaced by `Invalid`).

mod subst;

pub use subst::{Subst, VarOrigin};

use std::fmt;
use std::sync::Arc;

/// A shared name: of a type, item, field, variant, member or local.
pub type Name = Arc<str>;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Type {
    String,
    Int,
    Float,
    Bool,
    Json,
    /// A workspace-relative path.
    Path,
    /// The value of `assert` and other forms run for their effect; JSON null.
    Unit,
    /// The type of `fail` and `recur`: no value, fits anywhere.
    Never,
    /// The type of an expression that already has an error; fits anywhere
    /// and is never reported again.
    Invalid,
    /// A `defpath` refinement of `Path`.
    Refined(Name),
    List(Box<Type>),
    Option(Box<Type>),
    /// A record with its type arguments (empty unless generic).
    Record(Name, Vec<Type>),
    Union(Name, Vec<Type>),
    Enum(Name),
    /// `(-> (A B) R)`
    Fn(Vec<Type>, Box<Type>),
    /// A type parameter of the item being checked (rigid inside it).
    Param(Name),
    /// An inference variable (only while checking one item).
    Var(u32),
}

impl Type {
    pub fn list(elem: Type) -> Type {
        Type::List(Box::new(elem))
    }

    pub fn option(elem: Type) -> Type {
        Type::Option(Box::new(elem))
    }

    /// `Path` or a `defpath` refinement.
    pub fn is_pathlike(&self) -> bool {
        matches!(self, Type::Path | Type::Refined(_))
    }

    /// Whether a function type occurs anywhere inside.
    pub fn contains_fn(&self) -> bool {
        match self {
            Type::Fn(..) => true,
            Type::List(t) | Type::Option(t) => t.contains_fn(),
            Type::Record(_, args) | Type::Union(_, args) => args.iter().any(Type::contains_fn),
            _ => false,
        }
    }

    /// Whether an inference variable occurs anywhere inside.
    pub fn has_vars(&self) -> bool {
        match self {
            Type::Var(_) => true,
            Type::List(t) | Type::Option(t) => t.has_vars(),
            Type::Record(_, args) | Type::Union(_, args) => args.iter().any(Type::has_vars),
            Type::Fn(params, ret) => params.iter().any(Type::has_vars) || ret.has_vars(),
            _ => false,
        }
    }

    /// Whether `Invalid` occurs anywhere inside (the type came from an error).
    pub fn has_invalid(&self) -> bool {
        match self {
            Type::Invalid => true,
            Type::List(t) | Type::Option(t) => t.has_invalid(),
            Type::Record(_, args) | Type::Union(_, args) => args.iter().any(Type::has_invalid),
            Type::Fn(params, ret) => params.iter().any(Type::has_invalid) || ret.has_invalid(),
            _ => false,
        }
    }

    /// Collects the inference variables inside, in order.
    pub fn vars(&self, out: &mut Vec<u32>) {
        match self {
            Type::Var(v) => out.push(*v),
            Type::List(t) | Type::Option(t) => t.vars(out),
            Type::Record(_, args) | Type::Union(_, args) => args.iter().for_each(|a| a.vars(out)),
            Type::Fn(params, ret) => {
                params.iter().for_each(|p| p.vars(out));
                ret.vars(out);
            }
            _ => {}
        }
    }

    /// This type with every inference variable replaced by `Invalid`.
    pub fn without_vars(&self) -> Type {
        match self {
            Type::Var(_) => Type::Invalid,
            Type::List(t) => Type::list(t.without_vars()),
            Type::Option(t) => Type::option(t.without_vars()),
            Type::Record(n, args) => {
                Type::Record(n.clone(), args.iter().map(Type::without_vars).collect())
            }
            Type::Union(n, args) => {
                Type::Union(n.clone(), args.iter().map(Type::without_vars).collect())
            }
            Type::Fn(params, ret) => Type::Fn(
                params.iter().map(Type::without_vars).collect(),
                Box::new(ret.without_vars()),
            ),
            other => other.clone(),
        }
    }

    /// Replaces the type parameters `params[i]` by `args[i]` (a parameter
    /// without an argument is left alone).
    pub fn substitute(&self, params: &[Name], args: &[Type]) -> Type {
        if params.is_empty() {
            return self.clone();
        }
        match self {
            Type::Param(p) => match params.iter().position(|q| q == p) {
                Some(i) => args.get(i).cloned().unwrap_or_else(|| self.clone()),
                None => self.clone(),
            },
            Type::List(t) => Type::list(t.substitute(params, args)),
            Type::Option(t) => Type::option(t.substitute(params, args)),
            Type::Record(n, xs) => Type::Record(
                n.clone(),
                xs.iter().map(|x| x.substitute(params, args)).collect(),
            ),
            Type::Union(n, xs) => Type::Union(
                n.clone(),
                xs.iter().map(|x| x.substitute(params, args)).collect(),
            ),
            Type::Fn(ps, r) => Type::Fn(
                ps.iter().map(|x| x.substitute(params, args)).collect(),
                Box::new(r.substitute(params, args)),
            ),
            _ => self.clone(),
        }
    }
}

fn write_app(f: &mut fmt::Formatter<'_>, name: &str, args: &[Type]) -> fmt::Result {
    if args.is_empty() {
        return f.write_str(name);
    }
    write!(f, "({name}")?;
    for a in args {
        write!(f, " {a}")?;
    }
    f.write_str(")")
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::String => f.write_str("String"),
            Type::Int => f.write_str("Int"),
            Type::Float => f.write_str("Float"),
            Type::Bool => f.write_str("Bool"),
            Type::Json => f.write_str("Json"),
            Type::Path => f.write_str("Path"),
            Type::Unit => f.write_str("Unit"),
            Type::Never => f.write_str("Never"),
            Type::Invalid => f.write_str("?"),
            Type::Var(_) => f.write_str("_"),
            Type::Refined(n) | Type::Enum(n) | Type::Param(n) => f.write_str(n),
            Type::List(t) => write!(f, "(List {t})"),
            Type::Option(t) => write!(f, "(Option {t})"),
            Type::Record(n, args) | Type::Union(n, args) => write_app(f, n, args),
            Type::Fn(params, ret) => {
                f.write_str("(-> (")?;
                for (i, p) in params.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write!(f, "{p}")?;
                }
                write!(f, ") {ret})")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_in_source_syntax() {
        let reviewed = Type::Record("Reviewed".into(), vec![Type::Param("S".into())]);
        let f = Type::Fn(
            vec![reviewed.clone(), Type::Int],
            Box::new(Type::list(Type::String)),
        );
        assert_eq!(f.to_string(), "(-> ((Reviewed S) Int) (List String))");
        assert_eq!(Type::option(Type::Path).to_string(), "(Option Path)");
        assert_eq!(
            Type::Fn(vec![], Box::new(Type::Unit)).to_string(),
            "(-> () Unit)"
        );
    }

    #[test]
    fn substitutes_parameters() {
        let t = Type::list(Type::Param("T".into()));
        let s = t.substitute(&["T".into()], &[Type::Int]);
        assert_eq!(s, Type::list(Type::Int));
        assert!(Type::list(Type::Fn(vec![], Box::new(Type::Int))).contains_fn());
    }
}
