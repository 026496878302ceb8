//! Path rules (`check_path`), the `:must-exist` walk, and the output
//! contract: a readable skeleton of a reply's JSON shape.

use super::{rec, tables, union};
use crate::runtime::value::{
    Value, check_must_exist, check_path, from_json, output_contract, path_exists,
};
use crate::typeck::Type;
use serde_json::json;

#[test]
fn plain_paths() {
    for ok in [
        "a",
        "src/main.rs",
        "./x",
        "a/./b",
        "dir/",
        ".hidden",
        "a..b/c",
    ] {
        assert_eq!(check_path(ok, None), Ok(()), "{ok}");
    }
    let bad = [
        ("", "\"\" is empty"),
        (
            "/abs",
            "\"/abs\" is absolute; paths are relative to the workspace",
        ),
        (
            "\\\\server\\x",
            "\"\\\\\\\\server\\\\x\" is absolute; paths are relative to the workspace",
        ),
        (
            "C:/x",
            "\"C:/x\" is absolute; paths are relative to the workspace",
        ),
        (
            "..",
            "\"..\" has a `..` segment; paths stay inside the workspace",
        ),
        (
            "a/../../b",
            "\"a/../../b\" has a `..` segment; paths stay inside the workspace",
        ),
        (
            "a\\..\\b",
            "\"a\\\\..\\\\b\" has a `..` segment; paths stay inside the workspace",
        ),
        ("a\0b", "\"a\\0b\" contains a NUL byte"),
    ];
    for (path, msg) in bad {
        assert_eq!(check_path(path, None), Err(msg.to_string()), "{path:?}");
    }
}

#[test]
fn refinements_under_and_ext() {
    let t = tables();
    let doc = t.paths.get("DesignDoc").unwrap();
    for ok in ["docs/a.md", "./docs/x/y.md", "docs//a.md", "docs/a.b.md"] {
        assert_eq!(check_path(ok, Some(doc)), Ok(()), "{ok}");
    }
    let bad = [
        ("docs.md", "is not under \"docs\""),
        ("docsx/a.md", "is not under \"docs\""),
        ("docs", "is not under \"docs\""),
        ("other/docs/a.md", "is not under \"docs\""),
        ("docs/a.mdx", "does not end with .md"),
        ("docs/.md", "does not end with .md"),
        ("docs/amd", "does not end with .md"),
        ("docs/a.md/", "does not end with .md"),
    ];
    for (path, why) in bad {
        let want = format!("{path:?} {why} (as DesignDoc requires)");
        assert_eq!(check_path(path, Some(doc)), Err(want), "{path}");
    }
}

#[test]
fn must_exist_walks_the_value() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("here.txt"), "x").unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    assert!(path_exists(dir.path(), "here.txt"));
    assert!(path_exists(dir.path(), "sub"));
    assert!(!path_exists(dir.path(), "gone.txt"));
    let t = tables();
    let kept = rec("Kept");
    let good = from_json(&json!({"file": "here.txt", "more": ["sub"]}), &kept, &t).unwrap();
    assert_eq!(check_must_exist(&good, &kept, &t, dir.path()), Ok(()));
    let bad = from_json(
        &json!({"file": "here.txt", "more": ["sub", "gone.txt"]}),
        &kept,
        &t,
    )
    .unwrap();
    let err = check_must_exist(&bad, &kept, &t, dir.path()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "at $.more[1]: expected an existing path (Existing is :must-exist), \
         found \"gone.txt\", which does not exist"
    );
    let opt = Type::option(Type::Refined("Existing".into()));
    assert_eq!(check_must_exist(&Value::None, &opt, &t, dir.path()), Ok(()));
    assert!(check_must_exist(&Value::str("nope"), &opt, &t, dir.path()).is_err());
    let plain = Type::Refined("DesignDoc".into());
    assert_eq!(
        check_must_exist(&Value::str("docs/none.md"), &plain, &t, dir.path()),
        Ok(())
    );
}

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
