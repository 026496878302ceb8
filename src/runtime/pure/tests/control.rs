//! Data construction, field access, branching, `match`, `let*`, templates,
//! bounded loops and `try`; defn calls (with defaults), prompt rendering,
//! function values, and the effects the pure evaluator hands back to the
//! interpreter.

use super::{DECLS, checked, failure, js, ok, run, run_with};
use crate::runtime::pure::{Env, ErrorKind, Interrupt, PureCtx, eval_body};
use crate::runtime::value::{Func, Value};
use serde_json::json;

#[test]
fn records_variants_and_fields() {
    let body = "(let* ((f (record Finding :severity Severity.LOW :text \"t\" :line none)))
                  (variant Review REVISE :findings (list f f)))";
    assert_eq!(
        js("Review", body),
        json!({"variant": "REVISE", "findings": [
            {"severity": "LOW", "text": "t", "line": null},
            {"severity": "LOW", "text": "t", "line": null}]})
    );
    let body = "(let* ((p (record Pair :left 1 :right \"r\"))) p.right)";
    assert_eq!(ok("String", body), Value::str("r"));
}

#[test]
fn if_and_cond() {
    assert_eq!(ok("Int", "(if (< 1 2) 10 20)"), Value::Int(10));
    assert_eq!(ok("Int", "(if (> 1 2) 10 20)"), Value::Int(20));
    let body = |x: i64| format!("(cond ((< {x} 0) \"neg\") ((= {x} 0) \"zero\") (else \"pos\"))");
    assert_eq!(ok("String", &body(-1)), Value::str("neg"));
    assert_eq!(ok("String", &body(0)), Value::str("zero"));
    assert_eq!(ok("String", &body(5)), Value::str("pos"));
    assert_eq!(ok("Int", "(if true 1 (/ 1 0))"), Value::Int(1));
}

#[test]
fn match_variants_members_and_wildcards() {
    let review = |v: &str| {
        format!(
            "(match {v}
               ((APPROVE a) (str a.report))
               ((REVISE r) (str (length r.findings))))"
        )
    };
    let approve = "(variant Review APPROVE :report \"out/r.md\")";
    let revise = "(variant Review REVISE :findings (list))";
    assert_eq!(ok("String", &review(approve)), Value::str("out/r.md"));
    assert_eq!(ok("String", &review(revise)), Value::str("0"));
    let sev = |m: &str| format!("(match Severity.{m} (LOW \"l\") (_ \"other\"))");
    assert_eq!(ok("String", &sev("LOW")), Value::str("l"));
    assert_eq!(ok("String", &sev("HIGH")), Value::str("other"));
    let no_binder = format!("(match {approve} (APPROVE 1) (_ 2))");
    assert_eq!(ok("Int", &no_binder), Value::Int(1));
}

#[test]
fn let_and_do() {
    assert_eq!(
        ok("Int", "(let* ((a 1) (b (+ a 1)) (c (* b 10))) c)"),
        Value::Int(20)
    );
    assert_eq!(ok("Int", "(do 1 2 3)"), Value::Int(3));
    assert_eq!(ok("Int", "(let* ((a 1)) (let* ((a 2)) a))"), Value::Int(2));
}

#[test]
fn templates_show_values() {
    let body = r#"(let* ((n 3) (s "str") (p (path "a/b")) (e Severity.HIGH) (l (list "a" "x"))
                         (o (nth (list 1) 5)) (f 1.5) (r (record Pair :left 1 :right true)))
                    (fmt "n={n} s={s} p={p} e={e} l={l} o={o} f={f} r={r} r.left={r.left} {{lit}}"))"#;
    assert_eq!(
        ok("String", body),
        Value::str(
            r#"n=3 s=str p=a/b e=HIGH l=["a","x"] o=null f=1.5 r={"left":1,"right":true} r.left=1 {lit}"#
        )
    );
}

#[test]
fn loops_recur_until_a_value() {
    let body = "(loop count :max 10 ((i 0) (acc (list)))
                  (if (< i 4) (recur (+ i 1) (append acc (* i i))) acc))";
    assert_eq!(js("(List Int)", body), json!([0, 1, 4, 9]));
}

#[test]
fn loops_exhausted_value_sees_the_last_state() {
    let body = "(loop count :max 3 ((i 0)) (recur (+ i 1)) :exhausted (* i 100))";
    assert_eq!(ok("Int", body), Value::Int(300));
}

#[test]
fn loops_without_exhausted_fail() {
    let f = failure(
        "Int",
        "(loop spin :max 2 ((i 0)) (if (< i 99) (recur (+ i 1)) i))",
    );
    assert_eq!(f.kind, ErrorKind::Exhausted);
    assert_eq!(f.message, "loop `spin` spent its 2 rounds without a result");
    let f = failure("Int", "(loop once :max 1 ((i 0)) (recur i))");
    assert_eq!(f.message, "loop `once` spent its 1 round without a result");
}

#[test]
fn loop_bounds_below_one_fail() {
    let f = failure("Int", "(let* ((n (- 1 1))) (loop l :max n ((i 0)) i))");
    assert_eq!(f.kind, ErrorKind::Fail);
    assert_eq!(f.message, "loop l :max must be at least 1, found 0");
}

#[test]
fn nested_loops_recur_to_the_innermost() {
    let body = "(loop outer :max 5 ((i 0) (total 0))
                  (if (< i 3)
                      (recur (+ i 1)
                             (loop inner :max 10 ((j 0) (t total))
                               (if (< j i) (recur (+ j 1) (+ t 1)) t)))
                      total))";
    assert_eq!(ok("Int", body), Value::Int(3));
    let body = "(loop outer :max 5 ((i 0))
                  (if (< i 2)
                      (loop inner :max 1 ((j 0)) (recur (+ j 1)) :exhausted (recur (+ i 1)))
                      i))";
    // `recur` in `:exhausted` is rejected by the checker; stay with tails.
    let _ = body;
}

#[test]
fn try_catches_failures_as_error_values() {
    let body = "(try (fail \"boom\") (catch e (concat (str e.kind) \": \" e.message)))";
    assert_eq!(ok("String", body), Value::str("FAIL: boom"));
    let body = "(try (do (assert (= 1 2) \"one is not two\") \"no\") (catch e (str e.kind)))";
    assert_eq!(ok("String", body), Value::str("ASSERT"));
    let body = "(try (/ 1 0) (catch e (match e.kind (FAIL e.attempt) (_ 0))))";
    assert_eq!(ok("Int", body), Value::Int(1));
    let body = "(try (loop l :max 1 ((i 0)) (recur i)) (catch e (str e.kind)))";
    assert_eq!(ok("String", body), Value::str("EXHAUSTED"));
    assert_eq!(ok("Int", "(try 5 (catch e 6))"), Value::Int(5));
}

#[test]
fn fail_and_assert() {
    let f = failure(
        "Int",
        "(fail (fmt \"bad {x}\"))".replace("{x}", "thing").as_str(),
    );
    assert_eq!((f.kind, f.message.as_str()), (ErrorKind::Fail, "bad thing"));
    let f = failure("Unit", "(assert (> 1 2) \"math\")");
    assert_eq!((f.kind, f.message.as_str()), (ErrorKind::Assert, "math"));
    assert!(f.span.is_some());
    assert_eq!(
        ok("Unit", "(assert (< 1 2) (fail \"not evaluated\"))"),
        Value::Unit
    );
    assert!(matches!(
        run("Unit", "(assert true \"m\")"),
        Ok(Value::Unit)
    ));
    assert!(!matches!(
        run("Int", "(fail \"x\")"),
        Err(Interrupt::Effect(_))
    ));
}

#[test]
fn defn_calls_fill_defaults() {
    assert_eq!(ok("String", "(greeting \"ann\")"), Value::str("hello ann!"));
    assert_eq!(
        ok("String", "(greeting \"ann\" \"?\")"),
        Value::str("hello ann?")
    );
    assert_eq!(
        ok("String", "(greeting :name \"bo\" :punct \".\")"),
        Value::str("hello bo.")
    );
    assert_eq!(ok("Int", "(double (double 3))"), Value::Int(12));
}

#[test]
fn prompts_render() {
    assert_eq!(
        ok("String", "(greet :name \"Ann\")"),
        Value::str("Dear Ann, in a kind way.")
    );
    assert_eq!(
        ok("String", "(greet :name \"Ann\" :mood \"firm\")"),
        Value::str("Dear Ann, in a firm way.")
    );
}

#[test]
fn function_values_apply() {
    assert_eq!(ok("Int", "(twice double 3)"), Value::Int(12));
    let extra = "(defn apply-to ((f (-> (String) String)) (s String)) -> String (f s))";
    let v = run_with(extra, "String", "(apply-to upper \"abc\")").unwrap();
    assert_eq!(v, Value::str("ABC"));
    let v = run_with(extra, "String", "(apply-to greet \"Cy\")").unwrap();
    assert_eq!(v, Value::str("Dear Cy, in a kind way."));
}

#[test]
fn failures_inside_calls_keep_their_kind() {
    let extra = "(defn check-pos ((x Int)) -> Int (do (assert (> x 0) \"must be positive\") x))";
    let f = match run_with(extra, "Int", "(check-pos (- 0 1))") {
        Err(Interrupt::Fail(f)) => f,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        (f.kind, f.message.as_str()),
        (ErrorKind::Assert, "must be positive")
    );
    let f = failure("Int", "(twice double 4611686018427387904)");
    assert_eq!(f.message, "integer overflow in (* 4611686018427387904 2)");
}

/// Evaluates the body of workflow `name` with `params`.
fn run_workflow(src: &str, name: &str, params: Vec<Value>) -> Result<Value, Interrupt> {
    let checked = checked(&format!("{DECLS}\n{src}"));
    let wf = checked.workflow(name).unwrap();
    let mut ctx = PureCtx::new(&checked.tables);
    ctx.scope = name;
    eval_body(&wf.body, &mut Env::new(params), &ctx)
}

#[test]
fn effects_are_handed_back() {
    let src = r#"(defworkflow w () -> CommandResult (command :argv ("true")))"#;
    match run_workflow(src, "w", vec![]) {
        Err(Interrupt::Effect(e)) => assert_eq!(e.form, "command"),
        other => panic!("{other:?}"),
    }
    let src = r#"(defworkflow w ((n Int)) -> Int
                   (let* ((x (+ n 1))) (if (> x 1) (human :ask "ok?" :returns Int) x)))"#;
    match run_workflow(src, "w", vec![Value::Int(1)]) {
        Err(Interrupt::Effect(e)) => assert_eq!(e.form, "human"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        run_workflow(src, "w", vec![Value::Int(0)]),
        Ok(Value::Int(1))
    );
}

#[test]
fn workflow_function_values_are_effects() {
    let src = "(defworkflow inc ((x Int)) -> Int (+ x 1))
               (defworkflow use-it ((f (-> (Int) Int))) -> Int (f 41))";
    let f = Value::func(Func::Workflow {
        name: "inc".into(),
        type_args: vec![],
    });
    match run_workflow(src, "use-it", vec![f]) {
        Err(Interrupt::Effect(e)) => {
            assert_eq!(e.form, "workflow");
            assert_eq!(e.name.as_deref(), Some("inc"));
            assert_ne!(e.span, Default::default());
        }
        other => panic!("{other:?}"),
    }
    let d = Value::func(Func::Defn {
        name: "double".into(),
        type_args: vec![],
    });
    assert_eq!(run_workflow(src, "use-it", vec![d]), Ok(Value::Int(82)));
}

#[test]
fn try_in_a_workflow_names_the_scope() {
    let src = r#"(defworkflow w () -> String (try (fail "x") (catch e e.step)))"#;
    assert_eq!(run_workflow(src, "w", vec![]), Ok(Value::str("w")));
}
