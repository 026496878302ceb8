//! Tests of `parse` as a whole: every form of the language lowers without
//! diagnostics, spans point at the right text, and malformed forms are
//! reported with their code while the rest of the file is still lowered.

use super::ast::*;
use super::parse;
use crate::diag::{Code, FileId};

fn parse_ok(src: &str) -> Program {
    let (program, diags) = parse(FileId(0), src);
    assert!(diags.is_empty(), "{diags:#?}");
    program
}

fn codes(src: &str) -> Vec<&'static str> {
    let (_, diags) = parse(FileId(0), src);
    diags.iter().map(|d| d.code.as_str()).collect()
}

fn workflow_body(program: &Program) -> &[Expr] {
    match program.items.last() {
        Some(Item::Workflow(w)) => &w.body,
        other => panic!("expected a workflow, found {other:?}"),
    }
}

const EVERY_FORM: &str = r#"
(module review :doc "Review things.")
(import "std/review" :only (review-loop Review) :as rv)
(export stack)
(defenum Severity LOW HIGH)
(defpath DesignDoc :under "docs" :must-exist true :ext ".md")
(defrecord Plan (doc DesignDoc) (steps (List String)))
(defrecord (Reviewed S) (subject S) (review Review))
(defunion Review (APPROVE (report Path)) (REVISE (findings (List String))) PENDING)
(defprovider codex :argv ("codex" "exec" "-") :prompt-via stdin :timeout 900 :env (("K" "v")))
(defprompt review-doc ((doc DesignDoc) (focus String)) "Review {doc} for {focus}.")
(defn slug ((s String)) -> String (lower (trim s)))
(defworkflow stack [S] ((brief Path) (review (-> (S Int) Review)) (rounds Int :default 3)) -> Plan
  :doc "The flagship."
  (let* ((d (provider codex :prompt (review-doc :doc "docs/a.md" :focus "x") :returns Review))
         (t (command :argv ("cargo" "test") :timeout 600 :env (("A" "b")) :name tests))
         (xs (for-each fan (x (list 1 2)) :limit 4 (* x 2)))
         (p (parallel ((a 1) (b 2)) (+ a b)))
         (r (retry impl :attempts 3 :backoff 2 (str attempt)))
         (h (human :ask "Ship?" :returns Severity))
         (l (loop rf :max rounds ((n 1)) (if (< n 3) (recur (+ n 1)) n) :exhausted 0)))
    (try (phase design (budget :tokens 100 :usd 1.5 (assert (> 1 0) "ok")))
         (catch e (fail e.message)))
    (match d ((APPROVE a) a.report) ((REVISE v) "x") (_ "y"))
    (cond ((= 1 2) (fmt "a {d.x} {{b}}")) (else "b"))
    (do (if true Severity.LOW Severity.HIGH))
    (call review-loop :subject brief :review rv :name rl)
    (variant Review APPROVE :report "r.md")
    (record Plan :doc "docs/x.md" :steps (list))))
"#;

#[test]
fn every_form_lowers_cleanly() {
    let program = parse_ok(EVERY_FORM);
    assert_eq!(program.items.len(), 12);
    let body = workflow_body(&program);
    let ExprKind::Let { bindings, body } = &body[0].kind else {
        panic!("expected let*")
    };
    assert_eq!(bindings.len(), 7);
    assert!(matches!(bindings[0].value.kind, ExprKind::Provider(_)));
    let ExprKind::Command(cmd) = &bindings[1].value.kind else {
        panic!("expected command")
    };
    assert_eq!(cmd.argv.len(), 2);
    assert_eq!(
        cmd.opts.name.as_ref().map(|n| n.name.as_str()),
        Some("tests")
    );
    assert!(matches!(
        bindings[6].value.kind,
        ExprKind::Loop(LoopExpr {
            exhausted: Some(_),
            ..
        })
    ));
    assert_eq!(body.len(), 7);
}

#[test]
fn workflow_header_parts() {
    let program = parse_ok(EVERY_FORM);
    let Some(Item::Workflow(w)) = program.items.last() else {
        panic!()
    };
    assert_eq!(w.type_params[0].name, "S");
    assert_eq!(w.params.len(), 3);
    assert!(matches!(w.params[1].ty.kind, TypeExprKind::Fn(ref args, _) if args.len() == 2));
    assert!(w.params[2].default.is_some());
    assert_eq!(w.doc.as_deref(), Some("The flagship."));
}

#[test]
fn field_access_spans_each_segment() {
    let src = "(defworkflow w () -> Int plan.doc.path)";
    let program = parse_ok(src);
    let ExprKind::Field(inner, last) = &workflow_body(&program)[0].kind else {
        panic!()
    };
    assert_eq!(&src[last.span.range()], "path");
    assert_eq!(&src[inner.span.range()], "plan.doc");
    let ExprKind::Field(var, doc) = &inner.kind else {
        panic!()
    };
    assert_eq!(&src[doc.span.range()], "doc");
    assert_eq!(&src[var.span.range()], "plan");
}

#[test]
fn keyword_options_may_follow_the_body() {
    let src = "(defworkflow w () -> Int (loop l ((x 1)) (recur x) :max 2 :exhausted 5))";
    let program = parse_ok(src);
    let ExprKind::Loop(l) = &workflow_body(&program)[0].kind else {
        panic!()
    };
    assert!(l.max.is_some() && l.exhausted.is_some());
    assert_eq!(l.body.len(), 1);
}

#[test]
fn malformed_forms_are_reported_and_the_rest_lowered() {
    let src = r#"
(defworkflw x () -> Int 1)
42
(defworkflow w ((a Int)) -> Int
  (command :argv ("a") :retrns Int :timeout))
(defrecord Plan (doc Path))
"#;
    let (program, diags) = parse(FileId(0), src);
    let got: Vec<_> = diags.iter().map(|d| d.code).collect();
    assert_eq!(
        got,
        vec![Code::E0109, Code::E0109, Code::E0206, Code::E0113]
    );
    assert_eq!(
        diags[0].hint.as_deref(),
        Some("did you mean `defworkflow`?")
    );
    assert_eq!(diags[2].hint.as_deref(), Some("did you mean `:returns`?"));
    assert_eq!(program.items.len(), 2);
}

#[test]
fn shape_errors_have_their_codes() {
    let wf = |body: &str| format!("(defworkflow w ((a Int)) -> Int {body})");
    assert_eq!(codes(&wf("(if a 1)")), ["E0108"]);
    assert_eq!(codes(&wf("(cond ((= a 1) 2))")), ["E0108"]);
    assert_eq!(codes(&wf("(cond (else 1) (a 2))")), ["E0216"]);
    assert_eq!(codes(&wf("(loop l :max 3 :max 4 ((x 1)) x)")), ["E0228"]);
    assert_eq!(codes(&wf("(try 1)")), ["E0108"]);
    assert_eq!(codes(&wf("(provider codex :returns Int)")), ["E0212"]);
    assert_eq!(codes(&wf("(fmt \"{a.}\")")), ["E0111"]);
    assert_eq!(codes(&wf("(record Plan :doc)")), ["E0113"]);
    assert_eq!(codes(&wf("([a] 1)")), ["E0224"]);
    assert_eq!(codes(&wf("(let* ((x :a)) x)")), ["E0108"]);
    assert_eq!(codes("(defrecord P (x (List)))"), ["E0110"]);
    assert_eq!(codes("(defrecord P (x (-> Int)))"), ["E0110"]);
    assert_eq!(codes("(defenum E A) (module m)"), ["E0112"]);
    assert_eq!(codes("(module a) (module b)"), ["E0112"]);
}

#[test]
fn garbage_never_panics() {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let alphabet: Vec<char> = "()[]:;\"\\{}.-+ \nabcXYZ019é\u{0}".chars().collect();
    for _ in 0..300 {
        let len = (seed % 200) as usize;
        let mut src = String::new();
        for _ in 0..len {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            src.push(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        let _ = parse(FileId(0), &src);
        let _ = parse(FileId(0), &format!("(defworkflow w () -> Int {src})"));
    }
}
