//! `wfl graph`: the DAG IR of every example, drawn as DOT, Mermaid and
//! JSON, held by snapshots; and its errors.

#![allow(clippy::unwrap_used)]

use std::process::Command;

fn graph(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_wfl"))
        .arg("graph")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn examples_graphs() {
    for name in [
        "design_plan_implement",
        "pm_coder_reviewer",
        "verification_panel",
        "retry_with_context",
    ] {
        let file = format!("examples/{name}.wfl");
        for format in ["dot", "mermaid", "json"] {
            let (code, out, err) = graph(&[&file, "--format", format]);
            assert_eq!(code, 0, "{err}");
            insta::assert_snapshot!(format!("graph_{name}_{format}"), out);
        }
    }
}

#[test]
fn json_graph_has_lineage_and_step_ids() {
    let (_, out, _) = graph(&["examples/design_plan_implement.wfl", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let nodes = &v["workflows"][0]["body"]["nodes"];
    assert_eq!(nodes[0]["name"], "design");
    assert_eq!(nodes[0]["kind"], "phase");
    let inner = &nodes[0]["blocks"][0]["block"]["nodes"][0];
    assert_eq!(inner["step"], "ship-feature/designing/write-design");
    assert_eq!(inner["produces_paths"], true);
    assert!(
        nodes[1]["consumes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "design")
    );
}

#[test]
fn graph_errors() {
    let (code, _, err) = graph(&["examples/design_plan_implement.wfl", "--entry", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("no workflow `nope`"), "{err}");
    let (code, _, _) = graph(&["no-such-file.wfl"]);
    assert_eq!(code, 2);
}
