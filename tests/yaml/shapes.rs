//! The shapes the DSL's validator wrongly accepts (reference §1.4 and
//! yaml-examples/accepted_but_wrong/): unknown step keys, a command item
//! that YAML reads as a mapping, a for_each whose failures are swallowed,
//! and `${…}` in a `call … with:` literal. The self-check rejects each of
//! them, and no emitted file has any: every file passes the self-check,
//! and read by YAML 1.1 (PyYAML, as the DSL's loader does) every command
//! item is a string and the document is the one serde wrote.

use super::support::{Lowered, have, lower_file, wfl_files};
use std::path::Path;
use wfl::lower::yaml::check_files;

const S1: &str = r#"version: "1.3"
name: accepted-but-typos
steps:
  - name: A
    command: ["echo", "hi"]
    retry: { max: 2 }
    output_captur: json
    timeout: 5
"#;

const S2: &str = r#"version: "1.1"
name: accepted-but-misparsed
steps:
  - name: A
    command:
      - bash
      - -c
      - printf '{"a": 1}' > out.json
"#;

const S3: &str = r#"version: "1.1"
name: foreach-failure-swallowed
steps:
  - name: L
    for_each:
      items: [ok, bad, ok2]
      steps:
        - name: S
          command: ["bash", "-c", "echo ${item}; [ ${item} != bad ]"]
  - name: After
    command: ["echo", "after"]
"#;

const S4: &str = r#"version: "2.10"
name: call-literal-not-substituted
imports: { echo: ../lib/echo_child.yaml }
steps:
  - name: Each
    for_each:
      items: ["alpha", "beta"]
      steps:
        - name: Call
          id: call
          call: echo
          with:
            topic: "${item}"
            write_root: "state/loop/${loop.index}"
"#;

fn problems(name: &str, text: &str) -> Vec<String> {
    let value: serde_norway::Value = serde_norway::from_str(text).unwrap();
    check_files(&[(name.to_string(), value)])
}

#[test]
fn the_self_check_rejects_the_accepted_but_wrong_shapes() {
    let cases = [
        (S1, "unknown step key `retry`"),
        (S1, "unknown step key `output_captur`"),
        (S1, "unknown step key `timeout`"),
        (S2, "command is not a non-empty list of strings"),
        (S3, "for_each is not followed by its failure gate step"),
        (S4, "is a literal with `${`"),
    ];
    for (text, want) in cases {
        let found = problems("s.yaml", text);
        assert!(
            found.iter().any(|p| p.contains(want)),
            "expected a problem containing {want:?}, got {found:#?}"
        );
    }
    // The reference copies too, where the shared folder is beside the crate.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/reference/yaml-examples/accepted_but_wrong");
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            !problems(&name, &text).is_empty(),
            "{name} passes the self-check"
        );
    }
}

/// Every file every example and construct fixture lowers to.
fn all_outputs() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["examples", "tests/lower"] {
        for path in wfl_files(&root.join(dir)) {
            if let Lowered::Yaml(files) = lower_file(&path) {
                let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
                out.extend(
                    files
                        .into_iter()
                        .map(|f| (format!("{stem}/{}", f.name), f.text)),
                );
            }
        }
    }
    out
}

fn command_items_are_strings(v: &serde_norway::Value, bad: &mut Vec<String>) {
    match v {
        serde_norway::Value::Mapping(m) => {
            for (k, x) in m {
                if k.as_str() == Some("command") {
                    for item in x.as_sequence().into_iter().flatten() {
                        if !item.is_string() {
                            bad.push(format!("{item:?}"));
                        }
                    }
                }
                command_items_are_strings(x, bad);
            }
        }
        serde_norway::Value::Sequence(s) => {
            s.iter().for_each(|x| command_items_are_strings(x, bad))
        }
        _ => {}
    }
}

#[test]
fn emitted_yaml_never_has_the_wrong_shapes() {
    let outputs = all_outputs();
    assert!(outputs.len() > 10);
    let mut by_dir: std::collections::BTreeMap<String, Vec<(String, serde_norway::Value)>> =
        Default::default();
    for (name, text) in &outputs {
        let (dir, file) = name.split_once('/').unwrap();
        let value: serde_norway::Value = serde_norway::from_str(text).unwrap();
        let mut bad = Vec::new();
        command_items_are_strings(&value, &mut bad);
        assert!(
            bad.is_empty(),
            "{name}: command items that are not strings: {bad:?}"
        );
        by_dir
            .entry(dir.to_string())
            .or_default()
            .push((file.to_string(), value));
    }
    for (dir, files) in by_dir {
        let problems = check_files(&files);
        assert!(problems.is_empty(), "{dir}: {problems:#?}");
    }
}

/// A Python check run on every emitted file: YAML 1.1 reads it as the
/// same document as YAML 1.2 does (given as JSON), with string commands.
const PY_CHECK: &str = r#"
import json, sys, yaml
def walk(v, bad):
    if isinstance(v, dict):
        for k, x in v.items():
            if not isinstance(k, str):
                bad.append("key %r" % (k,))
            if k == "command":
                bad.extend("item %r" % (i,) for i in x if not isinstance(i, str))
            walk(x, bad)
    elif isinstance(v, list):
        for x in v:
            walk(x, bad)
cases = json.load(sys.stdin)
for name, text, expected in cases:
    doc = yaml.safe_load(text)
    bad = []
    walk(doc, bad)
    if doc.get("version") != "2.14":
        bad.append("version %r" % (doc.get("version"),))
    if doc != expected:
        bad.append("YAML 1.1 reads another document")
    if bad:
        print(name, bad)
        sys.exit(1)
print("ok", len(cases))
"#;

fn python_yaml() -> bool {
    have("python3", &["-c", "import yaml"])
}

fn py_check(cases: &[(String, String)]) {
    let payload: Vec<(String, String, serde_json::Value)> = cases
        .iter()
        .map(|(n, t)| {
            let v: serde_norway::Value = serde_norway::from_str(t).unwrap();
            (n.clone(), t.clone(), serde_json::to_value(v).unwrap())
        })
        .collect();
    let mut child = std::process::Command::new("python3")
        .args(["-c", PY_CHECK])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(&payload).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "PyYAML disagrees:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn yaml_1_1_reads_every_emitted_file_as_written() {
    if !python_yaml() {
        eprintln!("skipped: python3 with PyYAML is not available");
        return;
    }
    py_check(&all_outputs());
}

#[test]
fn tricky_strings_stay_strings() {
    use wfl::lower::yaml::model::{Step, WorkflowFile};
    let items = [
        "printf '{\"a\": 1}' > out.json",
        "yes",
        "No",
        "on",
        "off",
        "1_000",
        "1:30",
        "2024-01-01",
        "~",
        "null",
        "3",
        "0x1F",
        ".inf",
        "- x",
        "a: b",
        "#c",
        "x\ny\n",
        "",
        "<<",
        "=",
    ];
    let mut step = Step::named("A");
    step.command = Some(items.iter().map(|s| s.to_string()).collect());
    let file = WorkflowFile {
        version: "2.14".into(),
        name: "tricky".into(),
        imports: Default::default(),
        providers: Default::default(),
        inputs: Default::default(),
        outputs: Default::default(),
        steps: vec![step],
    };
    let text = wfl::lower::yaml::to_yaml(&file).unwrap();
    for item in &items[1..] {
        if wfl::lower::yaml::yaml11_ambiguous(item) && !item.contains('\n') && !item.is_empty() {
            assert!(
                !text.contains(&format!("- {item}\n")),
                "{item:?} is plain in:\n{text}"
            );
        }
    }
    let back: serde_norway::Value = serde_norway::from_str(&text).unwrap();
    let cmd = &back["steps"][0]["command"];
    for (i, item) in items.iter().enumerate() {
        assert_eq!(cmd[i].as_str(), Some(*item), "{text}");
    }
    if python_yaml() {
        py_check(&[("tricky".into(), text)]);
    }
}
