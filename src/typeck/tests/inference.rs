//! Inference and unification: `none` and `(list)` from context, type
//! arguments of generic defns, records and workflows, function references
//! (generic, with defaults), built-ins as values, subtyping of paths, and
//! E0226 where nothing determines a type.

use super::{clean, codes, messages};
use crate::diag::Code;
use crate::typeck::Type;

#[test]
fn none_and_empty_list_take_their_type_from_context() {
    clean(
        r#"
(defrecord R (a (Option Int)) (b (List String)))
(defn f ((o (Option String))) -> Bool (is-none o))
(defn g () -> R (record R :a none :b (list)))
(defn h () -> Bool (f none))
(defn k () -> (Option Int) (if true none (some 3)))
(defn m () -> Int (unwrap-or (first (list)) 0))
"#,
    );
}

#[test]
fn unconstrained_none_and_empty_list_are_e0226() {
    assert_eq!(
        codes("(defn f () -> Int (length (list)))"),
        vec![Code::E0226]
    );
    assert_eq!(
        codes("(defn f () -> Bool (is-none none))"),
        vec![Code::E0226]
    );
    let msgs = messages("(defn f () -> Int (let* ((xs (list))) (length xs)))");
    assert_eq!(
        msgs,
        vec!["E0226 cannot infer the element type of this empty list"]
    );
}

#[test]
fn later_uses_solve_earlier_variables() {
    clean("(defn f () -> (List Int) (let* ((xs (list)) (ys (append xs 1))) xs))");
}

#[test]
fn generic_defn_arguments_are_inferred_per_call() {
    let checked = clean(
        r#"
(defn id [T] ((x T)) -> T x)
(defn twice [T] ((f (-> (T) T)) (x T)) -> T (f (f x)))
(defn inc ((n Int)) -> Int (+ n 1))
(defn a () -> Int (twice inc (id 3)))
(defn b () -> String (id "s"))
"#,
    );
    let b = checked.defn("b").unwrap();
    let crate::typeck::typed::TExprKind::CallDefn { type_args, .. } = &b.body[0].kind else {
        panic!("expected a call")
    };
    assert_eq!(type_args, &vec![Type::String]);
}

#[test]
fn generic_records_and_unions_infer_their_arguments() {
    clean(
        r#"
(defrecord (Box T) (item T) (all (List T)))
(defunion (Res T) (OK (value T)) (ERR (message String)))
(defn wrap ((n Int)) -> (Box Int) (record Box :item n :all (list)))
(defn ok () -> (Res String) (variant Res OK :value "x"))
(defn err () -> (Res Int) (variant Res ERR :message "no"))
(defn get ((r (Res Int))) -> Int (match r ((OK v) v.value) ((ERR e) 0)))
"#,
    );
    assert_eq!(
        codes(
            "(defunion (Res T) (OK (value T)) (ERR (m String))) (defn f () -> Int (let* ((r (variant Res ERR :m \"x\"))) 0))"
        ),
        vec![Code::E0226]
    );
}

#[test]
fn mismatched_type_arguments_are_reported_with_source_syntax() {
    let msgs = messages(
        r#"
(defrecord (Box T) (item T))
(defn f () -> (Box String) (record Box :item 3))
"#,
    );
    assert_eq!(msgs, vec!["E0213 expected `String`, found `Int`"]);
    let msgs = messages("(defn f ((xs (List Int))) -> (List String) xs)");
    assert_eq!(
        msgs,
        vec!["E0213 expected `(List String)`, found `(List Int)`"]
    );
}

#[test]
fn function_references_fit_function_types() {
    clean(
        r#"
(defprompt ask ((who String) (tone String :default "kind")) "Hi {who}, {tone}")
(defn shout ((s String)) -> String (upper s))
(defn apply-all ((f (-> (String) String)) (xs (List String))) -> (List String) (map f xs))
(defn a () -> (List String) (apply-all shout (list "a")))
(defn b () -> (List String) (apply-all ask (list "a")))
(defn c () -> (List String) (map trim (split "a, b" ",")))
(defn d () -> (List Int) (map string-length (list "a")))
"#,
    );
    let msgs = messages(
        r#"
(defn shout ((s String)) -> String (upper s))
(defn a () -> (List Int) (map shout (list "a")))
"#,
    );
    // The expected result fixes `B`, so the mismatch is at the function.
    assert_eq!(
        msgs,
        vec!["E0213 expected `(-> (String) Int)`, found `(-> (String) String)`"]
    );
}

#[test]
fn operators_cannot_be_values() {
    assert_eq!(
        codes("(defn f () -> (List Int) (map + (list 1)))"),
        vec![Code::E0224]
    );
}

#[test]
fn int_and_float_do_not_mix() {
    assert_eq!(codes("(defn f () -> Float (+ 1 2.5))"), vec![Code::E0213]);
    clean("(defn f () -> Float (+ (to-float 1) 2.5)) (defn g () -> Int (max 1 (round 2.5)))");
    assert_eq!(codes("(defn f () -> Bool (< \"a\" 1))"), vec![Code::E0213]);
    assert_eq!(codes("(defn f () -> Int (+ true 1))"), vec![Code::E0213]);
}

#[test]
fn path_refinements_are_subtypes_of_path() {
    clean(
        r#"
(defpath Doc :under "docs" :ext ".md")
(defn p ((d Doc)) -> Path d)
(defn ps ((ds (List Doc))) -> (List Path) ds)
(defn lit () -> Doc "docs/a.md")
(defn some-doc () -> (Option Doc) (some "docs/b.md"))
(defn conv ((s String)) -> Doc (path s))
(defn conv2 ((p Path)) -> Doc (path p))
(defn argv ((d Doc)) -> (List Path) (list d "docs/c.md"))
"#,
    );
    assert_eq!(
        codes("(defpath Doc :under \"docs\") (defn f ((p Path)) -> Doc p)"),
        vec![Code::E0213]
    );
    assert_eq!(
        codes("(defn f () -> Path \"/etc/passwd\")"),
        vec![Code::E0222]
    );
    assert_eq!(
        codes("(defn f () -> Path \"a/../../b\")"),
        vec![Code::E0222]
    );
    assert_eq!(
        codes("(defpath Doc :ext \".md\") (defn f () -> Doc \"a.txt\")"),
        vec![Code::E0222]
    );
}

#[test]
fn branches_join_on_the_first_branch_with_a_value() {
    clean(
        r#"
(defn f ((c Bool)) -> Int (let* ((x (if c (fail "no") 3))) x))
(defn g ((c Bool)) -> Int (let* ((x (cond (c (fail "a")) (else (fail "b"))))) 1))
"#,
    );
    assert_eq!(
        messages("(defn f ((c Bool)) -> Int (let* ((x (if c 1 \"s\"))) x))"),
        vec!["E0213 expected `Int`, found `String`"]
    );
}

#[test]
fn different_path_types_widen_to_path_in_inferred_branches() {
    clean(
        r#"
(defpath A :under "a")
(defpath B :under "b")
(defn f ((x A) (y B)) -> (List Path) (let* ((xs (list x y "c/d.txt"))) xs))
(defn g ((x A) (c Bool)) -> Path (let* ((p (if c x "z"))) p))
(defn h ((x A) (c Bool)) -> A (let* ((p (if c x "a/z"))) p))
"#,
    );
    // Only inferred branches widen; an expected path type is a contract.
    assert_eq!(
        codes(
            "(defpath A :under \"a\") (defpath B :under \"b\") (defn f ((y B)) -> (List A) (list y))"
        ),
        vec![Code::E0213]
    );
    assert_eq!(
        codes("(defpath A :under \"a\") (defn f ((x A)) -> (List A) (list x \"z\"))"),
        vec![Code::E0222]
    );
}
