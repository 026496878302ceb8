//! The checker's rules beyond plain types: match coverage and reachability,
//! variant fields only through a proving binder, step ids, recursion, the
//! run boundary, duplicates, arguments, and recovery without cascades.

use super::{clean, codes, messages, run};
use crate::diag::Code;

const REVIEW: &str =
    "(defunion Review (APPROVE (report Path)) (REVISE (findings (List String))) WITHDRAWN)\n";

#[test]
fn match_must_cover_every_variant_or_end_with_wildcard() {
    clean(&format!(
        "{REVIEW}(defn f ((r Review)) -> Int (match r ((APPROVE a) 1) ((REVISE v) (length v.findings)) (WITHDRAWN 0)))
(defn g ((r Review)) -> Int (match r (APPROVE 1) (_ 0)))"
    ));
    let msgs = messages(&format!(
        "{REVIEW}(defn f ((r Review)) -> Int (match r (APPROVE 1)))"
    ));
    assert_eq!(
        msgs,
        vec![
            "E0215 non-exhaustive match: variants `REVISE`, `WITHDRAWN` of `Review` are not covered"
        ]
    );
    assert_eq!(
        codes("(defenum S LOW HIGH) (defn f ((s S)) -> Int (match s (LOW 1)))"),
        vec![Code::E0215]
    );
}

#[test]
fn unreachable_arms_are_e0216() {
    assert_eq!(
        codes(&format!(
            "{REVIEW}(defn f ((r Review)) -> Int (match r (APPROVE 1) (APPROVE 2) (_ 0)))"
        )),
        vec![Code::E0216]
    );
    assert_eq!(
        codes(&format!(
            "{REVIEW}(defn f ((r Review)) -> Int (match r (_ 0) (APPROVE 1)))"
        )),
        vec![Code::E0216]
    );
}

#[test]
fn patterns_must_name_variants_or_members() {
    assert_eq!(
        codes(&format!(
            "{REVIEW}(defn f ((r Review)) -> Int (match r (APROVE 1) (_ 0)))"
        )),
        vec![Code::E0204]
    );
    assert_eq!(
        codes("(defenum S LOW HIGH) (defn f ((s S)) -> Int (match s (LOW 1) (HIHG 2) (_ 0)))"),
        vec![Code::E0205]
    );
    assert_eq!(
        codes("(defn f ((n Int)) -> Int (match n (_ 0)))"),
        vec![Code::E0227]
    );
}

#[test]
fn variant_fields_need_the_proving_binder() {
    assert_eq!(
        codes(&format!("{REVIEW}(defn f ((r Review)) -> Path r.report)")),
        vec![Code::E0217]
    );
    // A copy of the binder is a plain union value again.
    assert_eq!(
        codes(&format!(
            "{REVIEW}(defn f ((r Review)) -> Path (match r ((APPROVE a) (let* ((b a)) b.report)) (_ \"x\")))"
        )),
        vec![Code::E0217]
    );
    // The binder proves only its own variant.
    assert_eq!(
        codes(&format!(
            "{REVIEW}(defn f ((r Review)) -> Int (match r ((APPROVE a) (length a.findings)) (_ 0)))"
        )),
        vec![Code::E0203]
    );
    assert_eq!(
        codes(&format!("{REVIEW}(defn f ((r Review)) -> Path r.nope)")),
        vec![Code::E0203]
    );
}

#[test]
fn field_access_needs_fields() {
    assert_eq!(
        codes("(defn f ((s String)) -> Int s.length)"),
        vec![Code::E0218]
    );
    assert_eq!(
        codes("(defn f ((j Json)) -> Json j.key)"),
        vec![Code::E0218]
    );
    clean("(defn f ((e Error)) -> String (fmt \"{e.step}: {e.kind}\"))");
}

#[test]
fn duplicate_step_ids_in_one_scope_are_e0303() {
    let src = r#"
(defworkflow w () -> Int
  (command :argv ("a"))
  (loop l :max 2 ((n 0))
    (command :argv ("b"))
    (if (> n 0) n (recur (+ n 1))))
  (command :argv ("c"))
  0)
"#;
    let (_, diags) = run(src);
    assert_eq!(
        diags.iter().map(|d| d.code).collect::<Vec<_>>(),
        vec![Code::E0303]
    );
    assert_eq!(diags[0].message, "step id `w/command` is used twice");
    clean(
        r#"
(defworkflow w () -> Int
  (let* ((a (command :argv ("a")))
         (b (command :argv ("b")))
         (c (command :argv ("c") :name other)))
    (command :argv ("d") :name d)
    0))
"#,
    );
    // A structured node's name is an id in its scope too.
    assert_eq!(
        codes("(defworkflow w () -> Int (let* ((p (command :argv (\"a\")))) (phase p 0)))"),
        vec![Code::E0303]
    );
}

#[test]
fn recursion_is_reported_once_per_cycle_with_every_edge() {
    let (_, diags) = run(r#"
(defn a ((n Int)) -> Int (b n))
(defn b ((n Int)) -> Int (c n))
(defn c ((n Int)) -> Int (a n))
(defn d ((n Int)) -> Int (d n))
(defworkflow w () -> Int (call v))
(defworkflow v () -> Int (call w))
"#);
    let e0302: Vec<_> = diags.iter().filter(|d| d.code == Code::E0302).collect();
    assert_eq!(e0302.len(), 3);
    assert_eq!(e0302[0].message, "recursion among `a` → `b` → `c` → `a`");
    assert_eq!(e0302[0].secondary.len(), 2);
    assert_eq!(e0302[1].message, "`d` calls itself");
    // Passing a function by reference is a use too.
    assert_eq!(
        codes(
            "(defn f ((xs (List Int))) -> (List Int) (map g xs)) (defn g ((n Int)) -> Int (length (f (list n))))"
        ),
        vec![Code::E0302]
    );
}

#[test]
fn functions_cannot_cross_run_boundaries() {
    clean("(defworkflow w [S] ((s S) (f (-> (S) S))) -> S (f s))");
    assert_eq!(
        codes("(defworkflow w ((fs (List (-> (Int) Int)))) -> Int 0)"),
        vec![Code::E0220]
    );
    assert_eq!(
        codes("(defworkflow w () -> (-> (Int) Int) 0)"),
        vec![Code::E0220]
    );
    assert_eq!(codes("(defrecord R (f (-> (Int) Int)))"), vec![Code::E0220]);
    assert_eq!(
        codes(
            "(defn inc ((n Int)) -> Int n) (defworkflow id [S] ((s S)) -> S s) (defworkflow w () -> Int (let* ((f (call id :s inc))) 0))"
        ),
        vec![Code::E0220]
    );
}

#[test]
fn duplicates_are_reported() {
    assert_eq!(
        codes("(defn f () -> Int 1) (defn f () -> Int 2)"),
        vec![Code::E0207]
    );
    assert_eq!(codes("(defrecord String (a Int))"), vec![Code::E0207]);
    assert_eq!(codes("(defrecord R (a Int) (a Int))"), vec![Code::E0208]);
    assert_eq!(codes("(defenum E A A)"), vec![Code::E0209]);
    assert_eq!(
        codes("(defn f ((a Int) (a Int)) -> Int a)"),
        vec![Code::E0210]
    );
    assert_eq!(
        codes("(defn f () -> Int (let* ((a 1) (a 2)) a))"),
        vec![Code::E0210]
    );
    clean("(defn f () -> Int (let* ((a 1)) (let* ((a (+ a 1))) a)))");
    assert_eq!(
        codes("(defunion U (A (variant String)))"),
        vec![Code::E0225]
    );
}

#[test]
fn arguments_bind_positionally_then_by_keyword() {
    let defs = "(defn f ((a Int) (b Int :default 2)) -> Int (+ a b))\n";
    clean(&format!(
        "{defs}(defn g () -> Int (+ (f 1) (+ (f 1 3) (f :a 1 :b 2))))"
    ));
    assert_eq!(
        codes(&format!("{defs}(defn g () -> Int (f 1 2 3))")),
        vec![Code::E0211]
    );
    assert_eq!(
        codes(&format!("{defs}(defn g () -> Int (f :b 1))")),
        vec![Code::E0212]
    );
    assert_eq!(
        codes(&format!("{defs}(defn g () -> Int (f 1 :c 1))")),
        vec![Code::E0206]
    );
    assert_eq!(
        codes(&format!("{defs}(defn g () -> Int (f 1 :a 1))")),
        vec![Code::E0228]
    );
    // A misspelt keyword is reported once, not also as missing.
    assert_eq!(
        codes("(defprompt p ((doc String)) \"{doc}\") (defn g () -> String (p :dco \"x\"))"),
        vec![Code::E0206]
    );
}

#[test]
fn unknown_names_suggest_close_ones() {
    let (_, diags) = run("(defn slug ((s String)) -> String s) (defn f () -> String (slgu \"x\"))");
    assert_eq!(diags[0].code, Code::E0201);
    assert_eq!(diags[0].hint.as_deref(), Some("did you mean `slug`?"));
    let (_, diags) = run("(defrecord Plan (a Int)) (defn f ((p Plna)) -> Int 0)");
    assert_eq!(diags[0].code, Code::E0202);
    assert_eq!(diags[0].hint.as_deref(), Some("did you mean `Plan`?"));
    assert_eq!(
        codes("(defworkflow w () -> String (revew-doc :doc \"x\"))"),
        vec![Code::E0231]
    );
    assert_eq!(
        codes("(defworkflow w () -> Int (call nope))"),
        vec![Code::E0232]
    );
    assert_eq!(
        codes("(defworkflow w () -> String (provider nope :prompt \"x\" :returns String))"),
        vec![Code::E0230]
    );
}

#[test]
fn errors_do_not_cascade() {
    // One unknown name, used in arithmetic, a condition and a field access.
    assert_eq!(
        codes("(defn f () -> Int (let* ((x (nope 1))) (if (> x 1) x.a (+ x 1))))"),
        vec![Code::E0201]
    );
    // An unknown type in a signature poisons nothing downstream.
    assert_eq!(
        codes("(defn f ((p Nope)) -> Int (length p.items)) (defn g () -> Int (f 3))"),
        vec![Code::E0202]
    );
}

#[test]
fn items_may_be_used_before_they_are_defined() {
    clean(
        r#"
(defworkflow w () -> Plan (record Plan :steps (list (slug "A"))))
(defn slug ((s String)) -> String (lower s))
(defrecord Plan (steps (List String)))
"#,
    );
}

#[test]
fn workflows_are_called_not_applied() {
    assert_eq!(
        codes("(defworkflow v () -> Int 1) (defworkflow w () -> Int (v))"),
        vec![Code::E0224]
    );
    assert_eq!(codes("(defn f ((n Int)) -> Int (n 1))"), vec![Code::E0224]);
    assert_eq!(
        codes("(defn f ((g (-> (Int) Int))) -> Int (g 1 2))"),
        vec![Code::E0211]
    );
}

#[test]
fn type_arity_is_checked() {
    assert_eq!(
        codes("(defrecord (Box T) (a T)) (defn f ((b Box)) -> Int 0)"),
        vec![Code::E0223]
    );
    assert_eq!(
        codes("(defn f ((b (Int String))) -> Int 0)"),
        vec![Code::E0223]
    );
    assert_eq!(
        codes("(defn f ((b (List Int String))) -> Int 0)"),
        vec![Code::E0223]
    );
}

#[test]
fn steps_in_a_defn_are_only_e0301() {
    assert_eq!(
        codes("(defn f () -> Int (command :argv (\"a\")) (command :argv (\"b\")) 0)"),
        vec![Code::E0301, Code::E0301]
    );
}

#[test]
fn unknown_names_point_at_imports_that_did_not_load() {
    // Checked on its own, a file's imports are not loaded.
    let (_, diags) = run("(import \"std/review\")\n(defworkflow w () -> Int (call review-loop))");
    assert_eq!(diags[0].code, Code::E0232);
    assert!(
        diags[0]
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("could not be loaded")
    );
    // Names listed in `:only` are opaque then, and not errors.
    assert!(codes("(import \"std/review\" :only (review-loop))\n(defworkflow w () -> Int (call review-loop))").is_empty());
}

#[test]
fn applications_of_function_parameters_are_steps_in_workflows() {
    let wf = "(defworkflow w ((f (-> (Int) Int))) -> Int";
    assert_eq!(codes(&format!("{wf} (+ (f 1) (f 2)))")), vec![Code::E0303]);
    clean(&format!("{wf} (let* ((a (f 1)) (b (f 2))) (+ a b)))"));
    clean("(defn g ((f (-> (Int) Int))) -> Int (+ (f 1) (f 2)))");
}

#[test]
fn one_unknown_keyword_for_one_missing_parameter_is_one_mistake() {
    let (_, diags) = run(
        "(defprompt p ((doc String) (focus String)) \"{doc} {focus}\")\n(defn g () -> String (p :doc \"a\" :topic \"b\"))",
    );
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, Code::E0206);
    assert!(diags[0].hint.as_deref().unwrap_or("").contains("`focus`"));
}

#[test]
fn one_unknown_field_for_one_missing_field_is_one_mistake() {
    let (_, diags) = run(
        "(defrecord R (title String) (steps Int))\n(defn g () -> R (record R :title \"a\" :count 1))",
    );
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, Code::E0203);
    assert!(diags[0].hint.as_deref().unwrap_or("").contains("`steps`"));
}

#[test]
fn a_parameter_named_like_a_call_option_gets_a_rename_hint() {
    let (_, diags) = run(
        "(defworkflow greet ((name String)) -> String name)\n(defworkflow w () -> String (call greet :name x))",
    );
    assert_eq!(diags[0].code, Code::E0212);
    let hint = diags[0].hint.as_deref().unwrap_or("");
    assert!(hint.contains("rename the parameter"), "{hint}");
}
