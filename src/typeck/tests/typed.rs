//! The typed program: resolved references, parameters and locals, step ids,
//! item tables, and no inference variable left anywhere.

use super::clean;
use crate::typeck::typed::{Ref, StepId, TExpr, TExprKind, for_each_node_mut, for_each_type_mut};
use crate::typeck::{Checked, Type};

fn all_nodes(checked: &mut Checked) -> Vec<TExpr> {
    let mut out = Vec::new();
    for f in checked
        .tables
        .fns
        .values_mut()
        .chain(checked.tables.workflows.values_mut())
    {
        for e in &mut f.body {
            for_each_node_mut(e, &mut |n: &mut TExpr| out.push(n.clone()));
        }
    }
    out
}

fn steps(checked: &mut Checked) -> Vec<String> {
    all_nodes(checked)
        .iter()
        .filter_map(|n| n.step().map(StepId::to_string))
        .collect()
}

const STACK: &str = r#"
(defunion Review (APPROVE (notes String)) (REVISE (findings (List String))))
(defprovider claude :argv ("claude" "-p"))
(defprompt review ((draft String)) "Review {draft}")
(defworkflow stack ((draft String) (rounds Int :default 3)) -> String
  (phase design
    (loop review-fix :max rounds ((text draft))
      (let* ((r (provider claude :prompt (review :draft text) :returns Review)))
        (match r
          (APPROVE text)
          ((REVISE v)
           (let* ((fixes (for-each fix (f v.findings) :limit 2
                           (provider claude :prompt f :returns String))))
             (recur (join "\n" fixes))))))
      :exhausted (human :ask "Accept as is?"))))
"#;

#[test]
fn step_ids_nest_under_named_scopes() {
    let mut checked = clean(STACK);
    assert_eq!(
        steps(&mut checked),
        vec![
            "stack/design",
            "stack/design/review-fix",
            "stack/design/review-fix[]/r",
            "stack/design/review-fix[]/fix",
            "stack/design/review-fix[]/fix[]/claude",
            "stack/design/human",
        ]
    );
}

#[test]
fn no_inference_variable_survives() {
    let mut checked = clean(STACK);
    let mut vars = 0;
    for f in checked.tables.workflows.values_mut() {
        for e in &mut f.body {
            for_each_type_mut(e, &mut |t: &mut Type, _| vars += usize::from(t.has_vars()));
        }
    }
    assert_eq!(vars, 0);
}

#[test]
fn references_are_resolved() {
    let mut checked = clean(
        r#"
(defenum Sev LOW HIGH)
(defn inc ((n Int)) -> Int (+ n 1))
(defn f ((xs (List Int))) -> Sev
  (let* ((ys (map inc xs)))
    (if (empty? ys) Sev.LOW Sev.HIGH)))
"#,
    );
    let refs: Vec<Ref> = all_nodes(&mut checked)
        .into_iter()
        .filter_map(|n| match n.kind {
            TExprKind::Var(r) => Some(r),
            _ => None,
        })
        .collect();
    let names: Vec<String> = refs
        .iter()
        .map(|r| match r {
            Ref::Param { name, index } => format!("param {name} {index}"),
            Ref::Local { name, id } => format!("local {name} {}", id.0),
            Ref::Defn { name, .. } => format!("defn {name}"),
            Ref::EnumMember { enum_name, member } => format!("{enum_name}.{member}"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        names,
        vec![
            "param n 0",
            "defn inc",
            "param xs 0",
            "local ys 0",
            "Sev.LOW",
            "Sev.HIGH"
        ]
    );
}

#[test]
fn tables_hold_signatures_defaults_and_builtins() {
    let checked = clean(STACK);
    let stack = checked.workflow("stack").unwrap();
    assert_eq!(stack.params[1].ty, Type::Int);
    assert!(matches!(
        stack.params[1].default.as_ref().map(|d| &d.kind),
        Some(TExprKind::Int(3))
    ));
    assert_eq!(stack.ret, Type::String);
    assert!(checked.record("Error").unwrap().builtin);
    assert_eq!(checked.tables.enums["ErrorKind"].members.len(), 7);
    let review = checked.union("Review").unwrap();
    assert_eq!(review.variants[1].fields[0].ty, Type::list(Type::String));
    let prompt = &checked.tables.prompts["review"];
    assert_eq!(prompt.template.parts.len(), 2);
}

#[test]
fn command_without_returns_is_a_command_result() {
    let mut checked =
        clean(r#"(defworkflow w () -> Int (let* ((r (command :argv ("ls")))) r.exit-code))"#);
    let nodes = all_nodes(&mut checked);
    let cmd = nodes
        .iter()
        .find(|n| matches!(n.kind, TExprKind::Command(_)))
        .unwrap();
    assert_eq!(cmd.ty.to_string(), "CommandResult");
}
