//! Unit tests of the value layer: equality and ordering, JSON round trips
//! for every type shape, strict validation with exact JSONPaths, path
//! rules, and the output contract. Types and tables come from checking a
//! small wfl program, so they are exactly what the checker produces.

mod boundary;
mod json;

use super::*;
use crate::diag::FileId;
use crate::typeck::{Checked, Tables, check};
use std::sync::Arc;

/// The declarations every test here uses.
pub const DECLS: &str = r#"
(defenum Severity LOW HIGH)
(defpath DesignDoc :under "docs" :ext ".md")
(defpath Existing :must-exist true)
(defrecord Finding (severity Severity) (text String) (line (Option Int)))
(defunion Review (APPROVE (report Path)) (REVISE (findings (List Finding))))
(defrecord Plan (doc DesignDoc) (steps (List String)) (score Float) (ok Bool) (meta Json) (review Review))
(defrecord (Box T) (item T) (items (List T)))
(defunion (Res T) (OK (value T)) (ERR (message String)))
(defrecord Node (name String) (children (List Node)))
(defrecord Kept (file Existing) (more (List Existing)))
"#;

/// Parses and checks `src`, which must be clean.
pub fn checked(src: &str) -> Checked {
    let (program, diags) = crate::parser::parse(FileId(0), src);
    assert!(diags.is_empty(), "parse errors: {diags:#?}");
    let (checked, diags) = check(&program);
    let shown: Vec<String> = diags
        .iter()
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    assert!(diags.is_empty(), "unexpected diagnostics: {shown:#?}");
    checked
}

pub fn tables() -> Tables {
    checked(DECLS).tables
}

pub fn rec(name: &str) -> Type {
    Type::Record(name.into(), Vec::new())
}

pub fn union(name: &str) -> Type {
    Type::Union(name.into(), Vec::new())
}

#[test]
fn values_are_small_and_shareable() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Value>();
    assert!(std::mem::size_of::<Value>() <= 24);
}

#[test]
fn equality_is_structural() {
    let a = Value::record(
        "R".into(),
        vec![
            ("x".into(), Value::Int(1)),
            ("y".into(), Value::list(vec!["a".into()])),
        ],
    );
    let b = Value::record(
        "R".into(),
        vec![
            ("x".into(), Value::Int(1)),
            ("y".into(), Value::list(vec!["a".into()])),
        ],
    );
    assert_eq!(a, b);
    assert_ne!(
        a,
        Value::record("R".into(), vec![("x".into(), Value::Int(2))])
    );
    assert_ne!(Value::Int(1), Value::Float(1.0));
    assert_eq!(Value::Float(0.0), Value::Float(-0.0));
    assert_eq!(Value::None, Value::None);
    assert_ne!(Value::None, Value::Unit);
    assert_eq!(
        Value::enum_member("E".into(), "A".into()),
        Value::enum_member("E".into(), "A".into())
    );
    assert_eq!(
        Value::json(serde_json::json!({"a": [1]})),
        Value::json(serde_json::json!({"a": [1]}))
    );
}

#[test]
fn ordering_within_one_shape() {
    assert!(Value::Int(1) < Value::Int(2));
    assert!(Value::Float(-1.5) < Value::Float(0.0));
    assert!(Value::str("apple") < Value::str("banana"));
    assert!(Value::str("Z") < Value::str("a"));
    assert!(Value::list(vec![1.into(), 2.into()]) < Value::list(vec![1.into(), 3.into()]));
    assert!(Value::list(vec![1.into()]) < Value::list(vec![1.into(), 0.into()]));
    assert_eq!(Value::Int(1).partial_cmp(&Value::str("1")), None);
}

#[test]
fn fields_of_records_and_variants() {
    let name: Name = "x".into();
    let r = Value::record("R".into(), vec![(name.clone(), Value::Int(7))]);
    assert_eq!(r.field(&name), Some(&Value::Int(7)));
    assert_eq!(r.field("x"), Some(&Value::Int(7)));
    assert_eq!(r.field("y"), None);
    let v = Value::variant("U".into(), "A".into(), vec![("p".into(), Value::str("f"))]);
    assert_eq!(v.field("p"), Some(&Value::str("f")));
    assert_eq!(Value::Int(1).field("x"), None);
}

#[test]
fn text_of_values() {
    assert_eq!(Value::str("hi \"there\"").to_text(), "hi \"there\"");
    assert_eq!(Value::Int(-3).to_text(), "-3");
    assert_eq!(Value::Float(2.5).to_text(), "2.5");
    assert_eq!(Value::Bool(true).to_text(), "true");
    assert_eq!(Value::None.to_text(), "null");
    assert_eq!(
        Value::enum_member("S".into(), "LOW".into()).to_text(),
        "LOW"
    );
    assert_eq!(
        Value::list(vec!["a".into(), 1.into()]).to_text(),
        r#"["a",1]"#
    );
    let r = Value::record("R".into(), vec![("b".into(), 1.into())]);
    assert_eq!(r.to_text(), r#"{"b":1}"#);
}

#[test]
fn function_values_never_cross() {
    let f = Value::func(Func::Defn {
        name: "slug".into(),
        type_args: vec![],
    });
    let err = try_to_json(&Value::list(vec![f.clone()])).unwrap_err();
    assert_eq!(err.name, "slug");
    assert!(err.to_string().contains("never cross a run boundary"));
    assert_eq!(to_json(&f), serde_json::json!("<defn slug>"));
    assert!(matches!(&f, Value::Func(a) if Arc::strong_count(a) == 1));
}
