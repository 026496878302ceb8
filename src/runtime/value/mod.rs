//! The runtime value of wfl. A `Value` is 24 bytes, cheap to clone (every
//! compound value sits behind an `Arc`), and `Send + Sync`, so the
//! interpreter can share values between concurrent branches.
//!
//! What holds: an absent `(Option T)` is `Value::None` and a present one is
//! the inner value itself, exactly as in JSON (so `(Option (Option T))`
//! cannot tell `(some none)` from `none`). String and Path values are both
//! `Str`; the static type tells them apart. Floats are always finite (the
//! built-ins fail rather than produce an infinity or NaN, and JSON has
//! none), so equality and ordering are well behaved. Equality is
//! structural; ordering is defined between values of one shape (numbers,
//! strings, lists and records lexicographically) and `None` across shapes.
//! JSON conversion lives in `json`, shape errors and path rules in
//! `shape`, and what a provider is told to reply and how its reply is found
//! in `reply`.

mod json;
mod reply;
mod shape;

#[cfg(test)]
mod tests;

pub use json::{FuncInJson, from_json, to_json, try_to_json};
pub use reply::{last_json_object, output_contract};
pub use shape::{ShapeError, check_must_exist, check_path, path_exists};

use crate::typeck::Builtin;
use crate::typeck::types::{Name, Type};
use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

/// A runtime value.
#[derive(Debug, Clone)]
pub enum Value {
    /// The value of `assert` and forms run for their effect; JSON null.
    Unit,
    Bool(bool),
    Int(i64),
    /// Always finite.
    Float(f64),
    /// A String or a Path (workspace-relative).
    Str(Arc<str>),
    List(Arc<Vec<Value>>),
    Record(Arc<RecordValue>),
    Variant(Arc<VariantValue>),
    Enum(Arc<EnumValue>),
    /// An absent `(Option T)`; a present one is the inner value.
    None,
    Json(Arc<serde_json::Value>),
    /// A function value; never crosses a run boundary.
    Func(Arc<Func>),
}

/// A record: its type's name and its fields in declaration order.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
pub struct RecordValue {
    pub name: Name,
    pub fields: Vec<(Name, Value)>,
}

/// A union value: the union's name, the variant, the variant's fields in
/// declaration order.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
pub struct VariantValue {
    pub union: Name,
    pub variant: Name,
    pub fields: Vec<(Name, Value)>,
}

/// An enum member (`Severity.LOW`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EnumValue {
    pub enum_name: Name,
    pub member: Name,
}

/// What a function value refers to, with its type arguments at the use
/// (as in `typed::Ref`).
#[derive(Debug, Clone, PartialEq)]
pub enum Func {
    Defn { name: Name, type_args: Vec<Type> },
    Workflow { name: Name, type_args: Vec<Type> },
    Prompt { name: Name },
    Builtin { op: Builtin, type_args: Vec<Type> },
}

impl Func {
    /// The name as written in source.
    pub fn name(&self) -> &str {
        match self {
            Func::Defn { name, .. } | Func::Workflow { name, .. } | Func::Prompt { name } => name,
            Func::Builtin { op, .. } => op.name(),
        }
    }

    /// `defn`, `workflow`, `prompt` or `builtin`.
    pub fn kind(&self) -> &'static str {
        match self {
            Func::Defn { .. } => "defn",
            Func::Workflow { .. } => "workflow",
            Func::Prompt { .. } => "prompt",
            Func::Builtin { .. } => "builtin",
        }
    }
}

/// Finds a field by name: pointer comparison first, then the text.
fn find_field<'v>(fields: &'v [(Name, Value)], name: &str) -> Option<&'v Value> {
    fields
        .iter()
        .find(|(n, _)| std::ptr::eq(n.as_ptr(), name.as_ptr()) || **n == *name)
        .map(|(_, v)| v)
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Arc::from(s))
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Arc::new(items))
    }

    pub fn record(name: Name, fields: Vec<(Name, Value)>) -> Value {
        Value::Record(Arc::new(RecordValue { name, fields }))
    }

    pub fn variant(union: Name, variant: Name, fields: Vec<(Name, Value)>) -> Value {
        Value::Variant(Arc::new(VariantValue {
            union,
            variant,
            fields,
        }))
    }

    pub fn enum_member(enum_name: Name, member: Name) -> Value {
        Value::Enum(Arc::new(EnumValue { enum_name, member }))
    }

    pub fn json(j: serde_json::Value) -> Value {
        Value::Json(Arc::new(j))
    }

    pub fn func(f: Func) -> Value {
        Value::Func(Arc::new(f))
    }

    /// A present option holding `v`, or `None`.
    pub fn option(v: Option<Value>) -> Value {
        v.unwrap_or(Value::None)
    }

    /// A field of a record or of a union variant.
    pub fn field(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Record(r) => find_field(&r.fields, name),
            Value::Variant(v) => find_field(&v.fields, name),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub fn as_float(&self) -> Option<f64> {
        match self {
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// The text of a String or Path value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(xs) => Some(xs),
            _ => None,
        }
    }

    pub fn is_none(&self) -> bool {
        matches!(self, Value::None)
    }

    /// What kind of value this is, for messages: `Int`, `a list`, `Plan` …
    pub fn describe(&self) -> String {
        match self {
            Value::Unit => "Unit".into(),
            Value::Bool(_) => "Bool".into(),
            Value::Int(_) => "Int".into(),
            Value::Float(_) => "Float".into(),
            Value::Str(_) => "String".into(),
            Value::List(_) => "List".into(),
            Value::Record(r) => r.name.to_string(),
            Value::Variant(v) => format!("{}.{}", v.union, v.variant),
            Value::Enum(e) => e.enum_name.to_string(),
            Value::None => "none".into(),
            Value::Json(_) => "Json".into(),
            Value::Func(f) => format!("{} `{}`", f.kind(), f.name()),
        }
    }

    /// The text `str` and templates give: strings, paths and enum members
    /// as they are, anything else as compact JSON (`none` is `null`).
    pub fn to_text(&self) -> String {
        match self {
            Value::Str(s) => s.to_string(),
            other => other.to_string(),
        }
    }
}

/// `str` and template semantics (see `Value::to_text`).
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => f.write_str(s),
            Value::Enum(e) => f.write_str(&e.member),
            other => write!(f, "{}", to_json(other)),
        }
    }
}

/// Structural equality, the language's `=`. Floats compare by `==`.
impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Unit, Value::Unit) | (Value::None, Value::None) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::List(a), Value::List(b)) => Arc::ptr_eq(a, b) || a == b,
            (Value::Record(a), Value::Record(b)) => Arc::ptr_eq(a, b) || a == b,
            (Value::Variant(a), Value::Variant(b)) => Arc::ptr_eq(a, b) || a == b,
            (Value::Enum(a), Value::Enum(b)) => a == b,
            (Value::Json(a), Value::Json(b)) => a == b,
            (Value::Func(a), Value::Func(b)) => a == b,
            _ => false,
        }
    }
}

/// The language's `<`: numbers and strings (by code point), and
/// structurally lists, records, variants (by declaration order of the
/// variant name only when the variants agree) and enum members (by name).
/// Values of different shapes are unordered.
impl PartialOrd for Value {
    fn partial_cmp(&self, other: &Value) -> Option<Ordering> {
        match (self, other) {
            (Value::Unit, Value::Unit) | (Value::None, Value::None) => Some(Ordering::Equal),
            (Value::Bool(a), Value::Bool(b)) => a.partial_cmp(b),
            (Value::Int(a), Value::Int(b)) => a.partial_cmp(b),
            (Value::Float(a), Value::Float(b)) => a.partial_cmp(b),
            (Value::Str(a), Value::Str(b)) => a.partial_cmp(b),
            (Value::List(a), Value::List(b)) => a.as_slice().partial_cmp(b.as_slice()),
            (Value::Record(a), Value::Record(b)) if a.name == b.name => {
                a.fields.partial_cmp(&b.fields)
            }
            (Value::Variant(a), Value::Variant(b)) if a.union == b.union => {
                if a.variant == b.variant {
                    a.fields.partial_cmp(&b.fields)
                } else {
                    None
                }
            }
            (Value::Enum(a), Value::Enum(b)) if a.enum_name == b.enum_name => {
                a.member.partial_cmp(&b.member)
            }
            _ => None,
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::str(s)
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Str(Arc::from(s))
    }
}

impl From<Vec<Value>> for Value {
    fn from(items: Vec<Value>) -> Value {
        Value::list(items)
    }
}
