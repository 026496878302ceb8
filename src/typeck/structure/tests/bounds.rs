//! Bounds: missing `:max`/`:limit`/`:attempts` (E0307–E0309), literal
//! bounds that are not whole numbers of at least 1 (E0310), and budgets
//! without a cap or with a `:usd` literal not above 0 (E0311).

use super::{clean, codes, only, text, wf};
use crate::diag::Code;

#[test]
fn loop_without_max() {
    let src = wf("(loop review-fix ((i 0)) (if (< i 2) (recur (+ i 1)) i))");
    let d = only(&src, Code::E0307);
    assert_eq!(text(&src, d.span()), "review-fix");
    assert!(
        d.hint
            .as_deref()
            .unwrap()
            .contains("(loop review-fix :max 3")
    );
    // Also in a defn, and nested in an argument.
    only(
        "(defn f ((n Int)) -> Int (+ 1 (loop l ((i n)) i)))",
        Code::E0307,
    );
}

#[test]
fn for_each_without_limit() {
    let src = wf("(for-each fan (x xs) (+ x 1))");
    let d = only(&src, Code::E0308);
    assert_eq!(text(&src, d.span()), "fan");
    assert!(
        d.hint
            .as_deref()
            .unwrap()
            .contains("(for-each fan (x …) :limit 4")
    );
}

#[test]
fn retry_without_attempts() {
    let src = wf("(retry impl :backoff 5 (command :argv (\"make\")))");
    let d = only(&src, Code::E0309);
    assert_eq!(text(&src, d.span()), "impl");
}

#[test]
fn parallel_needs_no_limit() {
    clean(&wf("(parallel ((a 1) (b 2)) (+ a b))"));
    clean(&wf("(parallel ((a 1) (b 2)) :limit 1 (+ a b))"));
}

#[test]
fn literal_bounds_must_be_whole_numbers_of_at_least_one() {
    for (form, bad) in [
        ("(loop l :max {} ((i 0)) i)", "0"),
        ("(loop l :max {} ((i 0)) i)", "-2"),
        ("(loop l :max {} ((i 0)) i)", "2.0"),
        ("(loop l :max {} ((i 0)) i)", "\"3\""),
        ("(loop l :max {} ((i 0)) i)", "true"),
        ("(for-each f (x xs) :limit {} x)", "0"),
        ("(for-each f (x xs) :limit {} x)", "1.5"),
        ("(retry r :attempts {} 1)", "0"),
        ("(retry r :attempts {} 1)", "false"),
        ("(parallel ((a 1)) :limit {} a)", "-1"),
        ("(budget :tokens {} 1)", "0"),
        ("(budget :tokens {} 1)", "100.5"),
    ] {
        let src = wf(&form.replace("{}", bad));
        let d = only(&src, Code::E0310);
        assert_eq!(text(&src, d.span()), bad, "{form} with {bad}");
        assert!(d.hint.is_some());
    }
}

#[test]
fn e0310_says_what_is_wrong() {
    let d = only(&wf("(loop l :max 0 ((i 0)) i)"), Code::E0310);
    assert_eq!(d.message, "`:max` must be a whole number of at least 1");
    assert_eq!(d.primary.message, "`0` is less than 1");
    let d = only(&wf("(loop l :max 4.0 ((i 0)) i)"), Code::E0310);
    assert_eq!(d.primary.message, "this is a Float, not an Int");
    assert!(d.hint.as_deref().unwrap().ends_with("`:max 4`"));
}

#[test]
fn computed_bounds_are_left_to_the_type_checker() {
    clean(&wf("(loop l :max n ((i 0)) i)"));
    clean(&wf("(loop l :max (+ n 1) ((i 0)) i)"));
    clean(&wf("(for-each f (x xs) :limit (length xs) x)"));
    clean(&wf("(retry r :attempts n 1)"));
    clean(&wf("(budget :tokens n 1)"));
    clean(&wf("(loop l :max 1 ((i 0)) i)"));
}

#[test]
fn budget_needs_a_cap() {
    let src = wf("(budget (command :argv (\"make\")))");
    let d = only(&src, Code::E0311);
    assert_eq!(text(&src, d.span()), "(budget");
    clean(&wf("(budget :tokens 1000 1)"));
    clean(&wf("(budget :usd 5 1)"));
    clean(&wf("(budget :usd 0.5 1)"));
    clean(&wf("(budget :tokens 10 :usd 2.5 1)"));
}

#[test]
fn usd_must_be_a_positive_amount() {
    for bad in ["0", "0.0", "-1.5", "\"5\"", "true"] {
        let src = wf(&format!("(budget :usd {bad} 1)"));
        let d = only(&src, Code::E0311);
        assert_eq!(text(&src, d.span()), bad);
    }
    clean(&wf("(budget :usd n 1)"));
}

#[test]
fn bounds_are_checked_everywhere_in_the_tree() {
    let src = wf("(let* ((a (for-each f (x xs) x)))
        (retry r (loop l ((i 0)) (budget i))))");
    assert_eq!(
        codes(&src),
        vec![Code::E0308, Code::E0309, Code::E0307, Code::E0311]
    );
}
