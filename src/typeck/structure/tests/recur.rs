//! `recur`: tail position (E0304), outside any loop (E0305), arity (E0306).
//! The tail rules are exercised form by form, in both tail and non-tail
//! slots, and across every scope a `recur` cannot leave.

use super::{clean, codes, diags_of, only, text, wf};
use crate::diag::Code;

/// A one-state loop around `body`.
fn looped(body: &str) -> String {
    wf(&format!("(loop l :max 3 ((i 0)) {body})"))
}

#[test]
fn recur_as_the_last_form_of_the_body_is_fine() {
    clean(&looped("(recur (+ i 1))"));
    clean(&looped("(str i) (recur (+ i 1))"));
}

#[test]
fn tail_position_flows_through_if_cond_match_let_and_do() {
    clean(&looped("(if (< i 2) (recur (+ i 1)) i)"));
    clean(&looped("(if (< i 2) i (recur (+ i 1)))"));
    clean(&looped(
        "(cond ((= i 0) (recur 1)) ((= i 1) i) (else (recur 2)))",
    ));
    clean(&looped("(match n (_ (str i) (recur 1)))"));
    clean(&looped("(let* ((j (+ i 1))) (str j) (recur j))"));
    clean(&looped("(do (str i) (recur 1))"));
    clean(&looped(
        "(let* ((j 1)) (do (if (= j 1) (cond ((= i 2) i) (else (match n (_ (recur j))))) 0)))",
    ));
}

#[test]
fn recur_in_a_condition_binding_or_scrutinee_is_not_tail() {
    for body in [
        "(if (recur 1) 1 2)",
        "(cond ((recur 1) 1) (else 2))",
        "(match (recur 1) (_ 2))",
        "(let* ((j (recur 1))) j)",
    ] {
        let d = only(&looped(body), Code::E0304);
        assert_eq!(d.message, "`recur` is not in tail position of loop `l`");
    }
}

#[test]
fn recur_before_the_last_form_is_not_tail() {
    let src = looped("(recur 1) i");
    let d = only(&src, Code::E0304);
    assert_eq!(text(&src, d.span()), "(recur");
    assert_eq!(text(&src, d.secondary[0].span), "l");
    only(&looped("(do (recur 1) i)"), Code::E0304);
    only(&looped("(let* ((j 1)) (recur j) j)"), Code::E0304);
    only(&looped("(match n (_ (recur 1) i))"), Code::E0304);
}

#[test]
fn recur_as_an_argument_is_not_tail() {
    only(&looped("(+ 1 (recur 1))"), Code::E0304);
    only(&looped("(list (recur 1))"), Code::E0304);
    only(&looped("(fail (recur 1))"), Code::E0304);
    only(&looped("(assert (recur 1) \"m\")"), Code::E0304);
    only(&looped("(command :argv (\"echo\" (recur 1)))"), Code::E0304);
    // The outer recur is in tail position, its argument is not.
    let src = looped("(recur (recur 1))");
    let diags = diags_of(&src);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code, Code::E0304);
    assert_eq!(
        diags[0].span().start as usize,
        src.find("(recur 1)").unwrap()
    );
}

#[test]
fn recur_continues_the_innermost_loop() {
    // Inner loop has one state variable, the outer two.
    let src = wf("(loop outer :max 3 ((a 0) (b 0))
         (loop inner :max 2 ((c 0))
           (if (= c 1) (recur 2) c)))");
    clean(&src);
    // After the inner loop, in tail position of the outer one.
    clean(&wf("(loop outer :max 3 ((a 0) (b 0))
         (let* ((r (loop inner :max 2 ((c 0)) (if (= c 1) c (recur 1)))))
           (recur r b)))"));
    // Two values for the inner loop's one state variable.
    let d = only(
        &wf("(loop outer :max 3 ((a 0) (b 0)) (loop inner :max 2 ((c 0)) (recur a b)))"),
        Code::E0306,
    );
    assert!(
        d.message.contains("loop `inner` has 1 state variable"),
        "{}",
        d.message
    );
}

#[test]
fn a_nested_loop_body_is_not_tail_of_the_outer_loop() {
    // Inside the inner loop, tail position is judged against the inner one.
    let src = wf("(loop outer :max 3 ((a 0))
         (loop inner :max 2 ((c 0)) (recur 1) c))");
    let d = only(&src, Code::E0304);
    assert_eq!(d.message, "`recur` is not in tail position of loop `inner`");
    // A loop in a binding is not in tail position, but its own body is.
    clean(&wf(
        "(loop outer :max 3 ((a 0))
         (let* ((r (loop inner :max 2 ((c 0)) (if (= c 1) c (recur 1))))) r))",
    ));
    // Bounds and state initialisers of a loop belong to the outer loop.
    let src = wf("(loop outer :max 3 ((a 0))
         (loop inner :max (recur 1) ((c (recur 2))) c))");
    assert_eq!(codes(&src), vec![Code::E0304, Code::E0304]);
    assert_eq!(
        codes(&wf("(loop inner :max 2 ((c (recur 2))) c)")),
        vec![Code::E0305]
    );
}

#[test]
fn recur_cannot_leave_a_step_scope() {
    for (body, scope) in [
        ("(for-each f (x xs) :limit 2 (recur x))", "(for-each f"),
        ("(parallel ((a (recur 1)) (b 2)) a)", "(parallel"),
        ("(parallel ((a 1)) (recur a))", "(parallel"),
        ("(retry r :attempts 2 (recur 1))", "(retry r"),
        ("(try (recur 1) (catch e 0))", "(try"),
        ("(try 0 (catch e (recur 1)))", "(try"),
        ("(phase p (recur 1))", "(phase p"),
        ("(budget :usd 1.0 (recur 1))", "(budget"),
    ] {
        let src = looped(body);
        let d = only(&src, Code::E0304);
        assert!(d.message.contains("from inside"), "{}", d.message);
        assert_eq!(text(&src, d.secondary[0].span), scope, "{body}");
        assert_eq!(text(&src, d.secondary[1].span), "l", "{body}");
    }
}

#[test]
fn a_loop_inside_a_scope_is_a_fresh_target() {
    clean(&looped(
        "(let* ((ys (for-each f (x xs) :limit 2 (loop m :max 2 ((k x)) (recur k))))) (recur 1))",
    ));
}

#[test]
fn recur_in_exhausted_cannot_start_another_round() {
    let src = wf("(loop l :max 3 ((i 0)) i :exhausted (recur 1))");
    let d = only(&src, Code::E0304);
    assert_eq!(d.message, "`recur` in the `:exhausted` value of loop `l`");
    assert_eq!(text(&src, d.secondary[0].span), "(recur 1)");
    // The `:exhausted` of an inner loop belongs to the inner loop.
    let src = wf("(loop outer :max 3 ((a 0))
         (loop inner :max 2 ((c 0)) c :exhausted (if true 1 (recur 1))))");
    let d = only(&src, Code::E0304);
    assert!(d.message.contains("loop `inner`"), "{}", d.message);
    // Arity is not checked there either.
    only(
        &wf("(loop l :max 3 ((i 0)) i :exhausted (recur 1 2))"),
        Code::E0304,
    );
}

#[test]
fn recur_outside_any_loop() {
    let src = wf("(recur 1)");
    let d = only(&src, Code::E0305);
    assert_eq!(text(&src, d.span()), "(recur");
    only(&wf("(for-each f (x xs) :limit 2 (recur x))"), Code::E0305);
    only(
        "(defn f ((x Int)) -> Int (if (= x 0) 0 (recur (- x 1))))",
        Code::E0305,
    );
    only(
        "(defworkflow w ((x Int :default (recur 1))) -> Int x)",
        Code::E0305,
    );
}

#[test]
fn loops_are_allowed_in_a_defn() {
    clean(
        "(defn sum-to ((n Int)) -> Int
      (loop go :max 100 ((i n) (acc 0))
        (if (<= i 0) acc (recur (- i 1) (+ acc i)))))",
    );
}

#[test]
fn recur_gives_one_value_per_state_variable() {
    let src = wf("(loop l :max 3 ((a 0) (b 1)) (recur 1))");
    let d = only(&src, Code::E0306);
    assert_eq!(
        d.message,
        "`recur` gives 1 value, but loop `l` has 2 state variables"
    );
    assert_eq!(text(&src, d.span()), "(recur 1)");
    assert_eq!(text(&src, d.secondary[0].span), "(a 0) (b 1)");
    assert_eq!(d.secondary[0].message, "this loop has 2 state variables");
    assert!(d.hint.as_deref().unwrap().contains("(recur a b)"));
    only(&wf("(loop l :max 3 ((a 0)) (recur 1 2 3))"), Code::E0306);
    let d = only(&wf("(loop l :max 3 () (recur 1))"), Code::E0306);
    assert!(d.message.contains("no state variables"), "{}", d.message);
    clean(&wf("(loop l :max 3 () (if true 1 (recur)))"));
}

#[test]
fn arity_and_tail_are_both_reported_for_one_recur() {
    let src = looped("(+ 1 (recur 1 2))");
    assert_eq!(codes(&src), vec![Code::E0304, Code::E0306]);
}

#[test]
fn arity_is_not_checked_across_a_scope() {
    only(
        &looped("(for-each f (x xs) :limit 2 (recur 1 2 3))"),
        Code::E0304,
    );
}
