//! Every built-in through the checker: values, and the failures of
//! arithmetic, `path` and `range`.

use super::{failure, js, ok};
use crate::runtime::pure::ErrorKind;
use crate::runtime::value::Value;
use serde_json::json;

#[test]
fn arithmetic() {
    assert_eq!(ok("Int", "(+ 1 2)"), Value::Int(3));
    assert_eq!(ok("Int", "(- 5 7)"), Value::Int(-2));
    assert_eq!(ok("Int", "(* 3 4)"), Value::Int(12));
    assert_eq!(ok("Int", "(/ 7 2)"), Value::Int(3));
    assert_eq!(ok("Int", "(/ (- 0 7) 2)"), Value::Int(-3));
    assert_eq!(ok("Float", "(+ 1.5 2.25)"), Value::Float(3.75));
    assert_eq!(ok("Float", "(- 1.5 2.5)"), Value::Float(-1.0));
    assert_eq!(ok("Float", "(* 1.5 2.0)"), Value::Float(3.0));
    assert_eq!(ok("Float", "(/ 1.0 4.0)"), Value::Float(0.25));
    assert_eq!(ok("Int", "(min 3 2)"), Value::Int(2));
    assert_eq!(ok("Float", "(max 3.5 2.0)"), Value::Float(3.5));
}

#[test]
fn arithmetic_failures() {
    let f = failure("Int", "(+ 9223372036854775807 1)");
    assert_eq!(f.kind, ErrorKind::Fail);
    assert_eq!(f.message, "integer overflow in (+ 9223372036854775807 1)");
    assert!(f.span.is_some());
    let f = failure("Int", "(* 4611686018427387904 2)");
    assert_eq!(f.message, "integer overflow in (* 4611686018427387904 2)");
    let f = failure("Int", "(- (- 0 9223372036854775807) 2)");
    assert_eq!(f.message, "integer overflow in (- -9223372036854775807 2)");
    let f = failure("Int", "(/ 1 (- 1 1))");
    assert_eq!(f.message, "division by zero in (/ 1 0)");
    let f = failure("Float", "(/ 1.0 0.0)");
    assert_eq!(f.message, "division by zero in (/ 1.0 0.0)");
}

#[test]
fn comparison_and_logic() {
    assert_eq!(ok("Bool", "(< 1 2)"), Value::Bool(true));
    assert_eq!(ok("Bool", "(<= 2 2)"), Value::Bool(true));
    assert_eq!(ok("Bool", "(> \"b\" \"a\")"), Value::Bool(true));
    assert_eq!(ok("Bool", "(>= 1.5 2.5)"), Value::Bool(false));
    assert_eq!(ok("Bool", "(= (list 1 2) (list 1 2))"), Value::Bool(true));
    assert_eq!(
        ok("Bool", "(!= Severity.LOW Severity.HIGH)"),
        Value::Bool(true)
    );
    let rec = "(record Finding :severity Severity.LOW :text \"t\" :line none)";
    assert_eq!(ok("Bool", &format!("(= {rec} {rec})")), Value::Bool(true));
    assert_eq!(ok("Bool", "(and true true true)"), Value::Bool(true));
    assert_eq!(ok("Bool", "(and true false true)"), Value::Bool(false));
    assert_eq!(ok("Bool", "(or false false true)"), Value::Bool(true));
    assert_eq!(ok("Bool", "(not false)"), Value::Bool(true));
}

#[test]
fn and_or_short_circuit() {
    assert_eq!(ok("Bool", "(or true (= (/ 1 0) 0))"), Value::Bool(true));
    assert_eq!(ok("Bool", "(and false (= (/ 1 0) 0))"), Value::Bool(false));
    assert_eq!(
        failure("Bool", "(and true (= (/ 1 0) 0))").kind,
        ErrorKind::Fail
    );
}

#[test]
fn strings() {
    assert_eq!(ok("String", "(str \"x\")"), Value::str("x"));
    assert_eq!(ok("String", "(str 3)"), Value::str("3"));
    assert_eq!(ok("String", "(str 2.5)"), Value::str("2.5"));
    assert_eq!(ok("String", "(str (list 1 2))"), Value::str("[1,2]"));
    assert_eq!(ok("String", "(str (list \"a\"))"), Value::str("[\"a\"]"));
    assert_eq!(ok("String", "(str Severity.LOW)"), Value::str("LOW"));
    assert_eq!(
        ok("String", "(concat \"a\" \"b\" \"c\")"),
        Value::str("abc")
    );
    assert_eq!(
        ok("String", "(join \", \" (list \"a\" \"b\"))"),
        Value::str("a, b")
    );
    assert_eq!(
        js("(List String)", "(split \"a,b,,c\" \",\")"),
        json!(["a", "b", "", "c"])
    );
    assert_eq!(
        js("(List String)", "(split \"héj\" \"\")"),
        json!(["h", "é", "j"])
    );
    assert_eq!(js("(List String)", "(split \"\" \",\")"), json!([""]));
    assert_eq!(js("(List String)", "(split \"\" \"\")"), json!([]));
    assert_eq!(ok("String", "(trim \"  a b \\n\")"), Value::str("a b"));
    assert_eq!(ok("String", "(upper \"straße\")"), Value::str("STRASSE"));
    assert_eq!(ok("String", "(lower \"ÀB\")"), Value::str("àb"));
    assert_eq!(ok("Bool", "(contains? \"abc\" \"bc\")"), Value::Bool(true));
    assert_eq!(
        ok("Bool", "(starts-with? \"abc\" \"b\")"),
        Value::Bool(false)
    );
    assert_eq!(ok("Bool", "(ends-with? \"abc\" \"bc\")"), Value::Bool(true));
    assert_eq!(
        ok("String", "(replace \"a-b-c\" \"-\" \"+\")"),
        Value::str("a+b+c")
    );
    assert_eq!(
        ok("String", "(replace \"abc\" \"\" \"+\")"),
        Value::str("abc")
    );
    assert_eq!(ok("Int", "(string-length \"héllo\")"), Value::Int(5));
}

#[test]
fn lists() {
    let xs = "(list 1 2 3)";
    assert_eq!(ok("Int", &format!("(length {xs})")), Value::Int(3));
    assert_eq!(ok("Bool", &format!("(empty? {xs})")), Value::Bool(false));
    assert_eq!(
        ok("Bool", &format!("(empty? (drop {xs} 5))")),
        Value::Bool(true)
    );
    assert_eq!(ok("(Option Int)", &format!("(first {xs})")), Value::Int(1));
    assert_eq!(ok("(Option Int)", &format!("(last {xs})")), Value::Int(3));
    assert_eq!(
        ok("(Option Int)", &format!("(first (take {xs} 0))")),
        Value::None
    );
    assert_eq!(
        ok("(Option Int)", &format!("(last (take {xs} 0))")),
        Value::None
    );
    assert_eq!(ok("(Option Int)", &format!("(nth {xs} 1)")), Value::Int(2));
    assert_eq!(ok("(Option Int)", &format!("(nth {xs} 3)")), Value::None);
    assert_eq!(
        ok("(Option Int)", &format!("(nth {xs} (- 0 1))")),
        Value::None
    );
    assert_eq!(
        js("(List Int)", &format!("(append {xs} 4)")),
        json!([1, 2, 3, 4])
    );
    assert_eq!(
        js("(List Int)", &format!("(list-concat {xs} {xs})")),
        json!([1, 2, 3, 1, 2, 3])
    );
    assert_eq!(js("(List Int)", &format!("(take {xs} 2)")), json!([1, 2]));
    assert_eq!(
        js("(List Int)", &format!("(take {xs} 9)")),
        json!([1, 2, 3])
    );
    assert_eq!(js("(List Int)", &format!("(take {xs} (- 0 1))")), json!([]));
    assert_eq!(js("(List Int)", &format!("(drop {xs} 1)")), json!([2, 3]));
    assert_eq!(
        js("(List Int)", &format!("(drop {xs} (- 0 1))")),
        json!([1, 2, 3])
    );
    assert_eq!(
        js("(List Int)", &format!("(reverse {xs})")),
        json!([3, 2, 1])
    );
    assert_eq!(js("(List Int)", "(range 0 3)"), json!([0, 1, 2]));
    assert_eq!(js("(List Int)", "(range 3 0)"), json!([]));
    let f = failure("(List Int)", "(range 0 2000000)");
    assert_eq!(
        f.message,
        "(range 0 2000000) would have 2000000 elements; the most is 1000000"
    );
}

#[test]
fn map_and_filter_take_any_function() {
    assert_eq!(
        js("(List Int)", "(map double (list 1 2 3))"),
        json!([2, 4, 6])
    );
    assert_eq!(
        js("(List Int)", "(filter even (range 0 7))"),
        json!([0, 2, 4, 6])
    );
    assert_eq!(
        js("(List String)", "(map trim (list \" a\" \"b \"))"),
        json!(["a", "b"])
    );
    assert_eq!(
        js("(List String)", "(map greet (list \"Ann\" \"Bo\"))"),
        json!(["Dear Ann, in a kind way.", "Dear Bo, in a kind way."])
    );
    assert_eq!(
        js("(List String)", "(map greeting (list \"x\"))"),
        json!(["hello x!"])
    );
    let f = failure("(List Int)", "(map double (list 1 4611686018427387904))");
    assert_eq!(f.message, "integer overflow in (* 4611686018427387904 2)");
}

#[test]
fn options() {
    assert_eq!(ok("(Option Int)", "(some 1)"), Value::Int(1));
    assert_eq!(ok("Bool", "(is-some (some 1))"), Value::Bool(true));
    assert_eq!(ok("Bool", "(is-none (nth (list 1) 4))"), Value::Bool(true));
    assert_eq!(ok("Int", "(unwrap-or (nth (list 1) 4) 7)"), Value::Int(7));
    assert_eq!(ok("Int", "(unwrap-or (some 1) (/ 1 0))"), Value::Int(1));
}

#[test]
fn json_built_ins() {
    let rec = "(record Finding :severity Severity.HIGH :text \"t\" :line (some 3))";
    assert_eq!(
        js("Json", &format!("(to-json {rec})")),
        json!({"severity": "HIGH", "text": "t", "line": 3})
    );
    assert_eq!(ok("String", "(json-str \"x\")"), Value::str("\"x\""));
    assert_eq!(
        ok("String", "(json-str (list (some 1) none))"),
        Value::str("[1,null]")
    );
    assert_eq!(
        js(
            "(Option Json)",
            &format!("(json-get (to-json {rec}) \"text\")")
        ),
        json!("t")
    );
    assert_eq!(
        ok(
            "(Option Json)",
            &format!("(json-get (to-json {rec}) \"nope\")")
        ),
        Value::None
    );
    assert_eq!(
        ok("(Option Json)", "(json-get (to-json 3) \"a\")"),
        Value::None
    );
    let nulls = "(record Finding :severity Severity.HIGH :text \"t\" :line none)";
    assert_eq!(
        ok(
            "(Option Json)",
            &format!("(json-get (to-json {nulls}) \"line\")")
        ),
        Value::None
    );
}

#[test]
fn paths_and_numbers() {
    assert_eq!(
        ok("DesignDoc", "(path (concat \"docs/\" \"a.md\"))"),
        Value::str("docs/a.md")
    );
    assert_eq!(ok("Path", "(path \"x/y\")"), Value::str("x/y"));
    let f = failure("DesignDoc", "(path (concat \"notes/\" \"a.md\"))");
    assert_eq!(
        f.message,
        "(path …): \"notes/a.md\" is not under \"docs\" (as DesignDoc requires)"
    );
    let f = failure("Path", "(path (concat \"/\" \"etc\"))");
    assert_eq!(
        f.message,
        "(path …): \"/etc\" is absolute; paths are relative to the workspace"
    );
    assert_eq!(ok("Float", "(to-float 3)"), Value::Float(3.0));
    assert_eq!(ok("Int", "(round 2.5)"), Value::Int(3));
    assert_eq!(ok("Int", "(round (- 0.0 2.5))"), Value::Int(-3));
    assert_eq!(ok("Int", "(round 2.4)"), Value::Int(2));
}
