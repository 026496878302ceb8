//! Purity of `defn` (E0301): every kind of effect is reported with the
//! function's name as a secondary label; nested effects once; pure control
//! forms are allowed.

use super::{clean, codes, diags_of, only, text};
use crate::diag::Code;

fn defn(body: &str) -> String {
    format!("(defn slug ((s String) (xs (List String))) -> String\n  {body})")
}

#[test]
fn every_effect_is_reported_with_its_head() {
    for (body, head) in [
        ("(command :argv (\"date\"))", "(command"),
        (
            "(provider codex :prompt s :returns String)",
            "(provider codex",
        ),
        ("(human :ask \"ok?\")", "(human"),
        ("(call other :x s)", "(call other"),
        ("(retry r :attempts 2 s)", "(retry r"),
        ("(parallel ((a s)) a)", "(parallel"),
        ("(budget :usd 1.0 s)", "(budget"),
        ("(phase p s)", "(phase p"),
        ("(for-each f (x xs) :limit 2 x)", "(for-each f"),
    ] {
        let src = defn(body);
        let d = only(&src, Code::E0301);
        assert_eq!(text(&src, d.span()), head, "{body}");
        let form = head.trim_start_matches('(').split(' ').next().unwrap();
        assert_eq!(
            d.message,
            format!("effect `{form}` inside the pure function `slug`")
        );
        assert_eq!(text(&src, d.secondary[0].span), "slug");
        assert_eq!(d.secondary[0].message, "in this pure function");
        assert!(d.hint.is_some());
    }
}

#[test]
fn for_each_suggests_map_and_filter() {
    let d = only(&defn("(for-each f (x xs) :limit 2 x)"), Code::E0301);
    assert!(d.hint.as_deref().unwrap().contains("(map f xs)"));
}

#[test]
fn effects_are_found_anywhere_in_the_body() {
    for body in [
        "(let* ((r (command :argv (\"date\")))) r.stdout)",
        "(if true (human :ask \"a\") s)",
        "(concat s (human :ask \"a\"))",
        "(cond ((= s \"\") (human :ask \"a\")) (else s))",
        "(match s (_ (human :ask \"a\")))",
        "(loop l :max 2 ((i 0)) (human :ask \"a\"))",
        "(try (human :ask \"a\") (catch e s))",
        "(fmt \"{s}\") (str (list (human :ask \"a\")))",
    ] {
        only(&defn(body), Code::E0301);
    }
    only(
        "(defn f ((s String :default (human :ask \"a\"))) -> String s)",
        Code::E0301,
    );
}

#[test]
fn nested_effects_are_one_report_siblings_are_two() {
    let src = defn("(retry r :attempts 2 (phase p (command :argv (\"a\")) (human :ask \"b\")))");
    let d = only(&src, Code::E0301);
    assert_eq!(text(&src, d.span()), "(retry r");
    let src = defn("(do (command :argv (\"a\")) (human :ask \"b\"))");
    let diags = diags_of(&src);
    assert_eq!(codes(&src), vec![Code::E0301, Code::E0301]);
    assert_eq!(text(&src, diags[1].span()), "(human");
}

#[test]
fn other_checks_still_run_inside_a_reported_effect() {
    let src = defn("(retry r :attempts 0 (recur 1))");
    assert_eq!(codes(&src), vec![Code::E0301, Code::E0310, Code::E0305]);
}

#[test]
fn pure_forms_are_allowed_in_a_defn() {
    clean(&defn(
        "(let* ((n (loop l :max 3 ((i 0)) (if (< i 2) (recur (+ i 1)) i))))
           (assert (> n 0) \"positive\")
           (try (if (= n 2) s (fail \"no\")) (catch e e.message)))",
    ));
}

#[test]
fn effects_are_fine_in_a_workflow() {
    clean(
        "(defworkflow w ((s String)) -> String
           (phase p (budget :usd 1.0
             (retry r :attempts 2
               (human :ask (command :argv (\"date\")))))))",
    );
}
