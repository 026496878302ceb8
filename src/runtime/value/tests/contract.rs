//! The output contract: a readable skeleton of the reply's JSON shape.

use super::{rec, tables, union};
use crate::runtime::value::output_contract;
use crate::typeck::Type;

#[test]
fn record_contract_shows_every_field() {
    let text = output_contract(&rec("Plan"), &tables());
    let skeleton: Vec<&str> = text
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with("Rules"))
        .collect();
    assert_eq!(
        skeleton.join("\n"),
        r#"{
  "doc": "<workspace-relative path under docs/ ending .md>",
  "steps": ["<string>", …],
  "score": <number>,
  "ok": true | false,
  "meta": <any JSON>,
  "review": {"variant": "APPROVE", "report": "<workspace-relative path>"}
    | {
        "variant": "REVISE",
        "findings": [
          {
            "severity": "LOW" | "HIGH",
            "text": "<string>",
            "line": <integer> | null
          },
          …
        ]
      }
}"#
    );
    assert!(text.starts_with("Reply with one JSON object of type Plan"));
    assert!(text.contains("$WFL_RESULT"));
}

#[test]
fn union_and_scalar_contracts() {
    let t = tables();
    let text = output_contract(&union("Review"), &t);
    assert!(text.contains(r#""variant": "APPROVE""#), "{text}");
    assert!(text.starts_with("Reply with one JSON object of type Review"));
    let text = output_contract(&Type::list(Type::Enum("Severity".into())), &t);
    assert!(
        text.starts_with("Reply with JSON of type (List Severity)"),
        "{text}"
    );
    assert!(text.contains(r#"["LOW" | "HIGH", …]"#), "{text}");
}

#[test]
fn generic_and_recursive_types() {
    let t = tables();
    let text = output_contract(&Type::Record("Box".into(), vec![Type::Int]), &t);
    assert!(text.contains(r#""item": <integer>"#), "{text}");
    assert!(text.contains(r#""items": [<integer>, …]"#), "{text}");
    let text = output_contract(&rec("Node"), &t);
    assert!(text.contains(r#""children": [<Node object>, …]"#), "{text}");
}

#[test]
fn contract_is_deterministic() {
    let t = tables();
    assert_eq!(
        output_contract(&rec("Plan"), &t),
        output_contract(&rec("Plan"), &t)
    );
}
