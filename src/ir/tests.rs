//! IR building on real programs: effects are hoisted into nodes in program
//! order, bindings name their nodes, structured nodes own their blocks, and
//! data and sequencing edges connect what they should.

use super::*;
use crate::diag::SourceMap;
use petgraph::visit::EdgeRef;

fn build_src(src: &str) -> Program {
    let mut map = SourceMap::new();
    let file = map.add("test.wfl", src);
    let (checked, diags) = crate::check_file(&mut map, file);
    assert!(diags.is_empty(), "{diags:#?}");
    build(Arc::new(checked.tables))
}

/// `name:kind` of each node of a block, in order.
fn shape(block: &Block) -> Vec<String> {
    block
        .nodes()
        .map(|(_, n)| format!("{}:{}", n.name, n.kind.label()))
        .collect()
}

fn edges(block: &Block) -> Vec<(usize, usize, Edge)> {
    block
        .graph
        .edge_references()
        .map(|e| (e.source().index(), e.target().index(), *e.weight()))
        .collect()
}

const PRELUDE: &str = r#"
(defprovider codex :argv ("codex" "exec" "-"))
(defrecord Out (text String) (file Path))
"#;

fn workflow(body: &str) -> Workflow {
    let src = format!("{PRELUDE}(defworkflow w ((n Int)) -> String {body})");
    let program = build_src(&src);
    program.workflows["w"].clone()
}

#[test]
fn let_bindings_name_their_steps_in_program_order() {
    let w = workflow(
        r#"(let* ((a (provider codex :prompt "x" :returns Out))
                  (b (command :argv ("cat" a.file)))
                  (c (concat a.text b.stdout)))
             c)"#,
    );
    assert_eq!(shape(&w.body), ["a:provider", "b:command", "c:pure"]);
    let b = &w.body.graph[NodeIndex::new(1)];
    assert_eq!(
        b.step.as_ref().map(ToString::to_string).as_deref(),
        Some("w/b")
    );
    assert_eq!(b.consumes.len(), 1, "b reads a, which carries a path");
    assert!(w.body.graph[NodeIndex::new(0)].produces_paths);
    let e = edges(&w.body);
    assert!(e.contains(&(0, 1, Edge::Data(w.body.graph[NodeIndex::new(0)].out))));
    assert!(e.iter().any(|(f, t, _)| (*f, *t) == (1, 2)));
}

#[test]
fn effects_inside_expressions_are_hoisted() {
    let w = workflow(
        r#"(str (length (list (command :argv ("true")) (command :argv ("false") :name f2))))"#,
    );
    assert_eq!(shape(&w.body), ["command:command", "f2:command"]);
    // Unrelated effects still keep program order.
    assert_eq!(edges(&w.body), vec![(0, 1, Edge::Seq)]);
    assert!(!has_effects(&w.body.result));
}

#[test]
fn cond_with_effects_becomes_nested_ifs() {
    let w = workflow(
        r#"(cond ((= n 1) "one")
                 ((contains? (str (command :argv ("true"))) "x") "ok")
                 (else "other"))"#,
    );
    assert_eq!(shape(&w.body), ["if:if"]);
    let NodeKind::If { els, .. } = &w.body.graph[NodeIndex::new(0)].kind else {
        panic!("expected an if")
    };
    // The command runs only when the first condition is false.
    assert_eq!(shape(els), ["command:command", "if:if"]);
}

#[test]
fn short_circuit_keeps_effects_conditional() {
    let w =
        workflow(r#"(if (and (> n 1) (contains? (str (command :argv ("true"))) "x")) "a" "b")"#);
    let NodeKind::If { cond, .. } = &w.body.graph[NodeIndex::new(1)].kind else {
        panic!("expected the outer if second, got {:?}", shape(&w.body))
    };
    assert!(!has_effects(cond));
    let NodeKind::If { then, .. } = &w.body.graph[NodeIndex::new(0)].kind else {
        panic!()
    };
    assert_eq!(shape(then), ["command:command"]);
}

#[test]
fn pure_code_stays_in_expressions() {
    let w = workflow(
        r#"(let* ((x (+ n 1)) (y (loop l :max 3 ((i 0)) (if (< i 2) (recur (+ i 1)) i)))) (str (+ x y)))"#,
    );
    assert!(shape(&w.body).is_empty());
    assert!(matches!(
        w.body.result.kind,
        crate::typeck::typed::TExprKind::Let { .. }
    ));
}

#[test]
fn loops_with_effects_own_their_body_and_recur() {
    let w = workflow(
        r#"(loop l :max 3 ((i 0))
             (let* ((r (command :argv ("true"))))
               (if (< i 2) (recur (+ i 1)) r.stdout))
             :exhausted "spent")"#,
    );
    assert_eq!(shape(&w.body), ["l:loop"]);
    let NodeKind::Loop {
        body,
        exhausted,
        step,
        ..
    } = &w.body.graph[NodeIndex::new(0)].kind
    else {
        panic!()
    };
    assert_eq!(step.to_string(), "w/l");
    assert_eq!(shape(body), ["r:command", "if:if"]);
    let NodeKind::If { then, .. } = &body.graph[NodeIndex::new(1)].kind else {
        panic!()
    };
    assert_eq!(shape(then), ["recur:recur"]);
    assert!(exhausted.is_some());
    let NodeKind::Command(c) = &body.graph[NodeIndex::new(0)].kind else {
        panic!()
    };
    assert_eq!(c.step.to_string(), "w/l[]/r");
}

#[test]
fn every_example_builds() {
    for entry in std::fs::read_dir("examples").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "wfl") {
            let program = build_src(&std::fs::read_to_string(&path).unwrap());
            assert!(!program.workflows.is_empty(), "{}", path.display());
        }
    }
}

#[test]
fn a_hoisted_effect_feeds_the_step_it_was_hoisted_from() {
    let w = workflow(
        r#"(str (command :argv ("echo" (str (command :argv ("true") :name inner))) :name outer))"#,
    );
    assert_eq!(shape(&w.body), ["inner:command", "outer:command"]);
    let inner = w.body.graph[NodeIndex::new(0)].out;
    assert!(w.body.graph[NodeIndex::new(1)].reads.contains(&inner));
    assert!(edges(&w.body).contains(&(0, 1, Edge::Data(inner))));
}
