//! The built-in functions and operators of the language (the "small standard
//! library" of the language notes): their names, and the signatures of
//! those with a plain polymorphic signature. Operators whose typing is not a
//! plain signature (`+`, `=`, `<`, `and`, `str`, `path` …) are `Special`
//! and typed case by case by the checker. Built-ins are pure.

use super::types::{Name, Type};
use std::sync::LazyLock;

macro_rules! builtins {
    ($($variant:ident => $name:literal,)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Builtin { $($variant,)* }

        impl Builtin {
            pub const ALL: &'static [Builtin] = &[$(Builtin::$variant,)*];

            /// The name as written in source: `starts-with?`.
            pub fn name(self) -> &'static str {
                match self { $(Builtin::$variant => $name,)* }
            }

            pub fn from_name(name: &str) -> Option<Builtin> {
                match name { $($name => Some(Builtin::$variant),)* _ => None }
            }
        }
    };
}

builtins! {
    Add => "+",
    Sub => "-",
    Mul => "*",
    Div => "/",
    Eq => "=",
    Ne => "!=",
    Lt => "<",
    Le => "<=",
    Gt => ">",
    Ge => ">=",
    And => "and",
    Or => "or",
    Not => "not",
    Str => "str",
    Concat => "concat",
    Join => "join",
    Split => "split",
    Trim => "trim",
    Upper => "upper",
    Lower => "lower",
    Contains => "contains?",
    StartsWith => "starts-with?",
    EndsWith => "ends-with?",
    Replace => "replace",
    StringLength => "string-length",
    Length => "length",
    IsEmpty => "empty?",
    First => "first",
    Last => "last",
    Nth => "nth",
    Append => "append",
    ListConcat => "list-concat",
    Take => "take",
    Drop => "drop",
    Reverse => "reverse",
    Map => "map",
    Filter => "filter",
    Range => "range",
    Some => "some",
    IsSome => "is-some",
    IsNone => "is-none",
    UnwrapOr => "unwrap-or",
    ToJson => "to-json",
    JsonStr => "json-str",
    JsonGet => "json-get",
    Path => "path",
    ToFloat => "to-float",
    Round => "round",
    Min => "min",
    Max => "max",
}

/// A plain signature: type parameters, parameter types, result type.
#[derive(Debug, Clone)]
pub struct Sig {
    /// The built-in's name, shared.
    pub name: Name,
    pub type_params: Vec<Name>,
    pub params: Vec<Type>,
    pub ret: Type,
}

/// Every built-in's signature, built once (indexed by `Builtin as usize`).
static SIGS: LazyLock<Vec<Option<Sig>>> =
    LazyLock::new(|| Builtin::ALL.iter().map(|b| b.make_sig()).collect());

impl Builtin {
    /// The plain signature, or `None` for operators typed case by case.
    pub fn sig(self) -> Option<&'static Sig> {
        SIGS.get(self as usize).and_then(Option::as_ref)
    }

    fn make_sig(self) -> Option<Sig> {
        use Builtin as B;
        use Type as T;
        let p = |n: &str| T::Param(n.into());
        let list = T::list;
        let opt = T::option;
        let s = T::String;
        let (type_params, params, ret): (&[&str], Vec<Type>, Type) = match self {
            B::Join => (&[], vec![s.clone(), list(s.clone())], s),
            B::Split => (&[], vec![s.clone(), s.clone()], list(s)),
            B::Trim | B::Upper | B::Lower => (&[], vec![s.clone()], s),
            B::Contains | B::StartsWith | B::EndsWith => (&[], vec![s.clone(), s], T::Bool),
            B::Replace => (&[], vec![s.clone(), s.clone(), s.clone()], s),
            B::StringLength => (&[], vec![s], T::Int),
            B::Length => (&["T"], vec![list(p("T"))], T::Int),
            B::IsEmpty => (&["T"], vec![list(p("T"))], T::Bool),
            B::First | B::Last => (&["T"], vec![list(p("T"))], opt(p("T"))),
            B::Nth => (&["T"], vec![list(p("T")), T::Int], opt(p("T"))),
            B::Append => (&["T"], vec![list(p("T")), p("T")], list(p("T"))),
            B::ListConcat => (&["T"], vec![list(p("T")), list(p("T"))], list(p("T"))),
            B::Take | B::Drop => (&["T"], vec![list(p("T")), T::Int], list(p("T"))),
            B::Reverse => (&["T"], vec![list(p("T"))], list(p("T"))),
            B::Map => (
                &["A", "B"],
                vec![T::Fn(vec![p("A")], Box::new(p("B"))), list(p("A"))],
                list(p("B")),
            ),
            B::Filter => (
                &["T"],
                vec![T::Fn(vec![p("T")], Box::new(T::Bool)), list(p("T"))],
                list(p("T")),
            ),
            B::Range => (&[], vec![T::Int, T::Int], list(T::Int)),
            B::Some => (&["T"], vec![p("T")], opt(p("T"))),
            B::IsSome | B::IsNone => (&["T"], vec![opt(p("T"))], T::Bool),
            B::UnwrapOr => (&["T"], vec![opt(p("T")), p("T")], p("T")),
            B::JsonGet => (&[], vec![T::Json, s], opt(T::Json)),
            B::ToFloat => (&[], vec![T::Int], T::Float),
            B::Round => (&[], vec![T::Float], T::Int),
            B::Not => (&[], vec![T::Bool], T::Bool),
            B::Add
            | B::Sub
            | B::Mul
            | B::Div
            | B::Eq
            | B::Ne
            | B::Lt
            | B::Le
            | B::Gt
            | B::Ge
            | B::And
            | B::Or
            | B::Str
            | B::Concat
            | B::ToJson
            | B::JsonStr
            | B::Path
            | B::Min
            | B::Max => return None,
        };
        Some(Sig {
            name: self.name().into(),
            type_params: type_params.iter().map(|&n| Name::from(n)).collect(),
            params,
            ret,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for &b in Builtin::ALL {
            assert_eq!(Builtin::from_name(b.name()), Some(b));
            if let Some(sig) = b.sig() {
                assert_eq!(&*sig.name, b.name());
            }
        }
        assert_eq!(Builtin::from_name("nope"), None);
    }
}
