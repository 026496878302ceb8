//! JSON round trips for every type shape, and strict validation: each
//! rejection names the exact JSONPath, what was expected and what was found.

use super::{rec, tables, union};
use crate::runtime::value::{Value, from_json, to_json};
use crate::typeck::Type;
use serde_json::{Value as Json, json};

/// Reads `j` as `ty`, writes it back, and checks both directions agree.
fn round_trip(j: Json, ty: &Type) -> Value {
    let t = tables();
    let v = from_json(&j, ty, &t).unwrap_or_else(|e| panic!("{ty}: {e}"));
    assert_eq!(to_json(&v), j, "{ty}");
    let again = from_json(&to_json(&v), ty, &t).unwrap();
    assert_eq!(again, v);
    v
}

/// The error text for reading `j` as `ty`.
fn reject(j: Json, ty: &Type) -> String {
    match from_json(&j, ty, &tables()) {
        Ok(v) => panic!("accepted {j} as {ty}: {v:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn primitives_round_trip() {
    assert_eq!(round_trip(json!("hi"), &Type::String), Value::str("hi"));
    assert_eq!(round_trip(json!(-42), &Type::Int), Value::Int(-42));
    assert_eq!(
        round_trip(json!(i64::MAX), &Type::Int),
        Value::Int(i64::MAX)
    );
    assert_eq!(round_trip(json!(2.5), &Type::Float), Value::Float(2.5));
    assert_eq!(round_trip(json!(true), &Type::Bool), Value::Bool(true));
    assert_eq!(round_trip(json!(null), &Type::Unit), Value::Unit);
    assert_eq!(
        round_trip(json!("src/a.rs"), &Type::Path),
        Value::str("src/a.rs")
    );
    let j = json!({"any": [1, "x", null, {"k": false}]});
    assert_eq!(round_trip(j.clone(), &Type::Json), Value::json(j));
}

#[test]
fn float_accepts_integers() {
    let v = from_json(&json!(3), &Type::Float, &tables()).unwrap();
    assert_eq!(v, Value::Float(3.0));
    assert_eq!(to_json(&v), json!(3.0));
}

#[test]
fn lists_and_options_round_trip() {
    let ty = Type::list(Type::option(Type::Int));
    let v = round_trip(json!([1, null, 3]), &ty);
    assert_eq!(v, Value::list(vec![1.into(), Value::None, 3.into()]));
    round_trip(json!([]), &ty);
    assert_eq!(
        round_trip(json!(null), &Type::option(Type::String)),
        Value::None
    );
    assert_eq!(
        round_trip(json!("x"), &Type::option(Type::String)),
        Value::str("x")
    );
}

#[test]
fn enums_records_and_unions_round_trip() {
    let sev = round_trip(json!("HIGH"), &Type::Enum("Severity".into()));
    assert_eq!(sev, Value::enum_member("Severity".into(), "HIGH".into()));
    let plan = json!({
        "doc": "docs/design.md",
        "steps": ["a", "b"],
        "score": 0.5,
        "ok": false,
        "meta": {"x": 1},
        "review": {"variant": "REVISE", "findings": [
            {"severity": "LOW", "text": "typo", "line": 3},
            {"severity": "HIGH", "text": "wrong", "line": null}
        ]}
    });
    let v = round_trip(plan, &rec("Plan"));
    let Value::Record(r) = &v else {
        panic!("{v:?}")
    };
    let names: Vec<&str> = r.fields.iter().map(|(n, _)| &**n).collect();
    assert_eq!(names, ["doc", "steps", "score", "ok", "meta", "review"]);
    let review = v.field("review").unwrap();
    let Value::Variant(u) = review else {
        panic!("{review:?}")
    };
    assert_eq!((&*u.union, &*u.variant), ("Review", "REVISE"));
    round_trip(
        json!({"variant": "APPROVE", "report": "out/r.md"}),
        &union("Review"),
    );
}

#[test]
fn absent_option_field_reads_as_none() {
    let v = from_json(
        &json!({"severity": "LOW", "text": "t"}),
        &rec("Finding"),
        &tables(),
    )
    .unwrap();
    assert_eq!(v.field("line"), Some(&Value::None));
    assert_eq!(
        to_json(&v),
        json!({"severity": "LOW", "text": "t", "line": null})
    );
}

#[test]
fn generic_records_and_unions_substitute_their_arguments() {
    let boxed = Type::Record("Box".into(), vec![Type::Int]);
    round_trip(json!({"item": 1, "items": [2, 3]}), &boxed);
    assert_eq!(
        reject(json!({"item": "1", "items": []}), &boxed),
        "at $.item: expected Int, found \"1\""
    );
    let res = Type::Union(
        "Res".into(),
        vec![Type::list(Type::Enum("Severity".into()))],
    );
    round_trip(json!({"variant": "OK", "value": ["LOW"]}), &res);
    round_trip(json!({"variant": "ERR", "message": "no"}), &res);
    assert_eq!(
        reject(json!({"variant": "OK", "value": ["MID"]}), &res),
        "at $.value[0]: expected one of LOW, HIGH (Severity), found \"MID\""
    );
}

#[test]
fn recursive_records_round_trip() {
    let tree = json!({"name": "a", "children": [{"name": "b", "children": []}]});
    round_trip(tree, &rec("Node"));
}

#[test]
fn wrong_primitives_name_expected_and_found() {
    assert_eq!(
        reject(json!("three"), &Type::Int),
        "at $: expected Int, found \"three\""
    );
    assert_eq!(
        reject(json!(1.5), &Type::Int),
        "at $: expected Int, found 1.5"
    );
    assert_eq!(
        reject(json!(2.0), &Type::Int),
        "at $: expected Int, found 2.0"
    );
    assert_eq!(
        reject(json!(u64::MAX), &Type::Int),
        "at $: expected Int, found 18446744073709551615 (out of range)"
    );
    assert_eq!(
        reject(json!("1"), &Type::Float),
        "at $: expected Float, found \"1\""
    );
    assert_eq!(
        reject(json!(1), &Type::String),
        "at $: expected String, found 1"
    );
    assert_eq!(
        reject(json!(0), &Type::Bool),
        "at $: expected Bool, found 0"
    );
    assert_eq!(
        reject(json!(false), &Type::Unit),
        "at $: expected null, found false"
    );
    assert_eq!(
        reject(json!({"a": 1}), &Type::list(Type::Int)),
        "at $: expected (List Int), found an object"
    );
    let long = "x".repeat(100);
    let msg = reject(json!(long), &Type::Int);
    assert!(msg.ends_with("xxx\"…"), "{msg}");
}

#[test]
fn nested_errors_have_exact_paths() {
    let plan = |review: Json| {
        json!({"doc": "docs/d.md", "steps": [], "score": 1, "ok": true, "meta": null,
               "review": review})
    };
    let findings = json!({"variant": "REVISE", "findings": [
        {"severity": "LOW", "text": "ok"},
        {"severity": "LOW", "text": "ok"},
        {"severity": "LOW", "text": 3}
    ]});
    assert_eq!(
        reject(plan(findings), &rec("Plan")),
        "at $.review.findings[2].text: expected String, found 3"
    );
    assert_eq!(
        reject(plan(json!({"findings": []})), &rec("Plan")),
        "at $.review.variant: expected one of APPROVE, REVISE (Review), \
         found nothing (the field is missing)"
    );
    assert_eq!(
        reject(plan(json!({"variant": "MAYBE"})), &rec("Plan")),
        "at $.review.variant: expected one of APPROVE, REVISE (Review), found \"MAYBE\""
    );
    assert_eq!(
        reject(plan(json!({"variant": "APPROVE"})), &rec("Plan")),
        "at $.review.report: expected Path, found nothing (the field is missing)"
    );
    assert_eq!(
        reject(plan(json!("APPROVE")), &rec("Plan")),
        "at $.review: expected Review (an object with a \"variant\"), found \"APPROVE\""
    );
}

#[test]
fn unknown_fields_are_errors() {
    let j = json!({"severity": "LOW", "text": "t", "line": 1, "extra": true});
    assert_eq!(
        reject(j, &rec("Finding")),
        "at $.extra: expected only the fields of Finding (severity, text, line), \
         found a field it does not have"
    );
    let j = json!({"variant": "APPROVE", "report": "r.md", "why": "x"});
    assert_eq!(
        reject(j, &union("Review")),
        "at $.why: expected only the fields of Review.APPROVE (variant, report), \
         found a field it does not have"
    );
    let j = json!({"severity": "LOW", "text": "t", "odd key": 1});
    assert!(reject(j, &rec("Finding")).starts_with("at $[\"odd key\"]:"));
}

#[test]
fn missing_required_fields_and_wrong_containers() {
    assert_eq!(
        reject(json!({"severity": "LOW"}), &rec("Finding")),
        "at $.text: expected String, found nothing (the field is missing)"
    );
    assert_eq!(
        reject(json!([1]), &rec("Finding")),
        "at $: expected Finding (an object), found an array of 1"
    );
    assert_eq!(
        reject(json!("low"), &Type::Enum("Severity".into())),
        "at $: expected one of LOW, HIGH (Severity), found \"low\""
    );
    assert_eq!(
        reject(json!(1), &Type::Enum("Severity".into())),
        "at $: expected one of LOW, HIGH (Severity), found 1"
    );
}

#[test]
fn paths_are_checked_when_read() {
    assert_eq!(
        reject(json!("/etc/passwd"), &Type::Path),
        "at $: expected Path, found \"/etc/passwd\", which is absolute; \
         paths are relative to the workspace"
    );
    assert_eq!(
        reject(json!(["a", "../x"]), &Type::list(Type::Path)),
        "at $[1]: expected Path, found \"../x\", which has a `..` segment; \
         paths stay inside the workspace"
    );
    let doc = Type::Refined("DesignDoc".into());
    round_trip(json!("docs/sub/a.md"), &doc);
    assert_eq!(
        reject(json!("notes/a.md"), &doc),
        "at $: expected DesignDoc, found \"notes/a.md\", which is not under \"docs\""
    );
    assert_eq!(
        reject(json!("docs/a.txt"), &doc),
        "at $: expected DesignDoc, found \"docs/a.txt\", which does not end with .md"
    );
}

#[test]
fn types_without_json_are_refused() {
    let f = Type::Fn(vec![], Box::new(Type::Int));
    assert!(reject(json!(1), &f).contains("which no JSON value is"));
    assert!(reject(json!(1), &Type::Param("T".into())).contains("which no JSON value is"));
    assert!(reject(json!({}), &rec("Nope")).contains("unknown record"));
}
