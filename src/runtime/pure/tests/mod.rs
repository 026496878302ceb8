//! Unit tests of pure evaluation. Every expression under test is the body
//! of a `defn main` in a small checked program, so the typed trees are the
//! checker's own; the value is compared through its JSON form or directly.

mod builtins;
mod control;

use super::*;
use crate::diag::FileId;
use crate::runtime::value::to_json;
use crate::typeck::{Builtin, Checked, Type, check};
use serde_json::Value as Json;

/// The declarations every program here starts with.
pub const DECLS: &str = r#"
(defenum Severity LOW HIGH)
(defpath DesignDoc :under "docs" :ext ".md")
(defrecord Finding (severity Severity) (text String) (line (Option Int)))
(defunion Review (APPROVE (report Path)) (REVISE (findings (List Finding))))
(defrecord (Pair A B) (left A) (right B))
(defn double ((x Int)) -> Int (* x 2))
(defn even ((x Int)) -> Bool (= (* (/ x 2) 2) x))
(defn greeting ((name String) (punct String :default "!")) -> String
  (concat "hello " name punct))
(defn twice ((f (-> (Int) Int)) (x Int)) -> Int (f (f x)))
(defprompt greet ((name String) (mood String :default "kind"))
  "Dear {name}, in a {mood} way.")
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
    assert!(
        diags.is_empty(),
        "unexpected diagnostics: {shown:#?}\n{src}"
    );
    checked
}

/// Evaluates `body` as `(defn main () -> TY body)` after `DECLS` and
/// `extra`.
pub fn run_with(extra: &str, ty: &str, body: &str) -> Result<Value, Interrupt> {
    let src = format!("{DECLS}\n{extra}\n(defn main () -> {ty}\n  {body})\n");
    let checked = checked(&src);
    let main = checked.defn("main").unwrap();
    call_defn(main, Vec::new(), &PureCtx::new(&checked.tables))
}

pub fn run(ty: &str, body: &str) -> Result<Value, Interrupt> {
    run_with("", ty, body)
}

/// The value of `body`, which must not fail.
pub fn ok(ty: &str, body: &str) -> Value {
    run(ty, body).unwrap_or_else(|e| panic!("{body}: {e}"))
}

/// The JSON of the value of `body`.
pub fn js(ty: &str, body: &str) -> Json {
    to_json(&ok(ty, body))
}

/// The failure `body` ends in.
pub fn failure(ty: &str, body: &str) -> Failure {
    match run(ty, body) {
        Err(Interrupt::Fail(f)) => f,
        other => panic!("{body}: expected a failure, got {other:?}"),
    }
}

#[test]
fn env_slots_grow_on_demand() {
    let mut env = Env::new(vec![Value::Int(1)]);
    assert_eq!(env.param(0), Some(&Value::Int(1)));
    assert_eq!(env.param(1), None);
    assert_eq!(env.local(crate::typeck::typed::LocalId(5)), None);
    env.set_local(crate::typeck::typed::LocalId(5), Value::Bool(true));
    assert_eq!(
        env.local(crate::typeck::typed::LocalId(5)),
        Some(&Value::Bool(true))
    );
    assert_eq!(env.local(crate::typeck::typed::LocalId(4)), None);
    assert_eq!(env.params(), &[Value::Int(1)]);
}

#[test]
fn failures_become_error_values() {
    let f = Failure::new(ErrorKind::Exit, "exit 2").at(Default::default());
    let v = f.to_error_value("stack/build", 3);
    assert_eq!(
        to_json(&v),
        serde_json::json!({"step": "stack/build", "kind": "EXIT", "message": "exit 2",
                           "stderr": "", "attempt": 3})
    );
    let back = Failure::from_error_value(&v).unwrap();
    assert_eq!(
        (back.kind, back.message.as_str()),
        (ErrorKind::Exit, "exit 2")
    );
    assert_eq!(back.step.as_deref(), Some("stack/build"));
    let mut own = Failure::fail("x");
    own.step = Some("a/b".into());
    assert_eq!(
        own.to_error_value("ignored", 1).field("step"),
        Some(&Value::str("a/b"))
    );
    assert_eq!(Failure::from_error_value(&Value::Int(1)), None);
    for k in ErrorKind::ALL {
        assert_eq!(ErrorKind::from_name(k.name()), Some(k));
    }
    assert_eq!(f.to_string(), "EXIT: exit 2");
}

#[test]
fn error_kinds_match_the_checker() {
    let tables = checked("").tables;
    let kinds: Vec<&str> = tables.enums["ErrorKind"]
        .members
        .iter()
        .map(|m| &*m.name)
        .collect();
    let ours: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.name()).collect();
    assert_eq!(kinds, ours);
    let fields: Vec<&str> = tables.records["Error"]
        .fields
        .iter()
        .map(|f| &*f.name)
        .collect();
    let v = Failure::fail("m").to_error_value("s", 1);
    let Value::Record(r) = &v else { panic!() };
    let ours: Vec<&str> = r.fields.iter().map(|(n, _)| &**n).collect();
    assert_eq!(fields, ours);
    crate::runtime::value::from_json(
        &to_json(&v),
        &crate::typeck::Type::Record("Error".into(), vec![]),
        &tables,
    )
    .unwrap();
}

// Edge cases through `call_builtin`.

fn call(op: Builtin, args: Vec<Value>, ty: Type) -> Result<Value, Interrupt> {
    let tables = checked("").tables;
    call_builtin(op, args, &ty, &PureCtx::new(&tables))
}

fn message(r: Result<Value, Interrupt>) -> String {
    match r {
        Err(Interrupt::Fail(f)) => {
            assert_eq!(f.kind, ErrorKind::Fail);
            f.message
        }
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn extreme_numbers() {
    let min = Value::Int(i64::MIN);
    let r = call(Builtin::Div, vec![min.clone(), Value::Int(-1)], Type::Int);
    assert_eq!(
        message(r),
        "integer overflow in (/ -9223372036854775808 -1)"
    );
    let r = call(Builtin::Sub, vec![min, Value::Int(1)], Type::Int);
    assert!(message(r).starts_with("integer overflow"));
    let big = Value::Float(f64::MAX);
    let r = call(
        Builtin::Mul,
        vec![big.clone(), Value::Float(2.0)],
        Type::Float,
    );
    assert!(message(r).starts_with("float overflow in (* "));
    let r = call(Builtin::Add, vec![big.clone(), big], Type::Float);
    assert!(message(r).starts_with("float overflow"));
    let r = call(Builtin::Round, vec![Value::Float(1e19)], Type::Int);
    assert_eq!(
        message(r),
        "(round 10000000000000000000): the result is outside the Int range"
    );
    let r = call(Builtin::Round, vec![Value::Float(-9.2e18)], Type::Int);
    assert_eq!(r, Ok(Value::Int(-9_200_000_000_000_000_000)));
    let r = call(Builtin::ToFloat, vec![Value::Int(i64::MAX)], Type::Float);
    assert_eq!(r, Ok(Value::Float(9.223372036854776e18)));
}

#[test]
fn min_and_max_prefer_the_first_on_ties() {
    let a = Value::Float(0.0);
    let b = Value::Float(-0.0);
    let r = call(Builtin::Min, vec![a.clone(), b.clone()], Type::Float).unwrap();
    assert!(matches!(r, Value::Float(x) if x.is_sign_positive()));
    let r = call(Builtin::Max, vec![b, a], Type::Float).unwrap();
    assert!(matches!(r, Value::Float(x) if x.is_sign_negative()));
}

#[test]
fn malformed_applications_fail_instead_of_panicking() {
    let r = call(Builtin::Add, vec![Value::Int(1)], Type::Int);
    assert_eq!(message(r), "internal: `+` takes 2 arguments, got 1");
    let r = call(
        Builtin::Add,
        vec![Value::Int(1), Value::str("x")],
        Type::Int,
    );
    assert_eq!(message(r), "internal: `+` applied to String");
    let r = call(
        Builtin::Lt,
        vec![Value::Int(1), Value::str("x")],
        Type::Bool,
    );
    assert_eq!(message(r), "internal: `<` cannot order Int and String");
    let r = call(Builtin::Length, vec![Value::Int(1)], Type::Int);
    assert_eq!(message(r), "internal: `length` applied to Int");
    let r = call(
        Builtin::Map,
        vec![Value::Int(1), Value::list(vec![])],
        Type::list(Type::Int),
    );
    assert_eq!(message(r), "internal: `map` applied to Int");
    let r = call(
        Builtin::Concat,
        vec![Value::str("a"), Value::Unit],
        Type::String,
    );
    assert_eq!(message(r), "internal: `concat` applied to Unit");
    let r = call(
        Builtin::JsonGet,
        vec![Value::Int(1), Value::str("k")],
        Type::Json,
    );
    assert_eq!(message(r), "internal: `json-get` applied to Int");
    for &op in Builtin::ALL {
        // No arguments at all: every built-in must refuse, not panic.
        let r = call(op, vec![], Type::Invalid);
        if !matches!(op, Builtin::And | Builtin::Or | Builtin::Concat) {
            assert!(r.is_err(), "{} accepted no arguments", op.name());
        }
    }
}

#[test]
fn strict_and_or_and_sharing() {
    let t = Value::Bool(true);
    let f = Value::Bool(false);
    let r = call(Builtin::And, vec![t.clone(), f.clone()], Type::Bool);
    assert_eq!(r, Ok(Value::Bool(false)));
    let r = call(Builtin::Or, vec![f, t], Type::Bool);
    assert_eq!(r, Ok(Value::Bool(true)));
    let xs = Value::list(vec![Value::Int(1), Value::Int(2)]);
    let r = call(
        Builtin::Take,
        vec![xs.clone(), Value::Int(2)],
        Type::list(Type::Int),
    )
    .unwrap();
    let (Value::List(a), Value::List(b)) = (&xs, &r) else {
        panic!()
    };
    assert!(std::sync::Arc::ptr_eq(a, b));
    let j = Value::json(serde_json::json!({"a": 1}));
    let r = call(Builtin::ToJson, vec![j.clone()], Type::Json).unwrap();
    assert_eq!(r, j);
}
