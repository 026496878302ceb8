//! The YAML and `wfl run` agree: each example that lowers, the built-ins
//! fixture and the generic-workflow fixture run both ways on the same inputs with the same
//! recorded agent answers (examples/answers/, through examples/bin/ for
//! `cargo` and `git`), and the YAML run's `result.json` is the value `wfl
//! run` prints. The YAML runs on tests/yaml/sim.py, a small runner for the
//! DSL as the reference describes it; it needs python3 with PyYAML and
//! jq, and the test skips itself without them.

use super::support::have;
use std::path::Path;
use std::process::Command;

struct Case {
    name: &'static str,
    file: &'static str,
    entry: &'static str,
    inputs: &'static [&'static str],
    /// Provider step name → replay key template ({i0}: loop index, {attempt}).
    maps: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "design_plan_implement",
        file: "examples/design_plan_implement.wfl",
        entry: "ship-feature.yaml",
        inputs: &["task=Add a --dry-run flag to the deploy command"],
        maps: &[
            "write-design=ship-feature/designing/write-design",
            "write-plan=ship-feature/planning/write-plan",
            "implement=ship-feature/implementing/implement",
            "review=ship-feature/reviewing/review-fix[{i0}]/review",
            "fixed=ship-feature/reviewing/review-fix[{i0}]/fixed",
        ],
    },
    Case {
        name: "pm_coder_reviewer",
        file: "examples/pm_coder_reviewer.wfl",
        entry: "deliver.yaml",
        inputs: &["request=Users want to export their data as CSV"],
        maps: &[
            "write-story=deliver/product/pm[{attempt}]/write-story",
            "write-code=deliver/build-review[{i0}]/coder[{attempt}]/write-code",
            "verdict=deliver/build-review[{i0}]/verdict",
        ],
    },
    Case {
        name: "verification_panel",
        file: "examples/verification_panel.wfl",
        entry: "verify.yaml",
        inputs: &[],
        maps: &["attack=verify/attack", "verdict=verify/panel[{i0}]/verdict"],
    },
    Case {
        name: "generic",
        file: "tests/lower/generic.wfl",
        entry: "review-text.yaml",
        inputs: &["text=draft"],
        maps: &[],
    },
    Case {
        name: "modules",
        file: "tests/lower/modules.wfl",
        entry: "polish.yaml",
        inputs: &["text=draft"],
        maps: &[],
    },
    Case {
        name: "builtins",
        file: "tests/lower/builtins.wfl",
        entry: "builtins.yaml",
        inputs: &[],
        maps: &[],
    },
];

/// Equal as JSON values, numbers compared by value: jq prints a whole
/// Float as `3`, wfl as `3.0` (docs/yaml-lowering.md, Differences).
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (a, b) {
        (J::Number(x), J::Number(y)) => x.as_f64() == y.as_f64(),
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn json_of(bytes: &[u8], what: &str) -> serde_json::Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {}", String::from_utf8_lossy(bytes)))
}

#[test]
fn the_yaml_computes_what_wfl_run_computes() {
    if !have("python3", &["-c", "import yaml"]) || !have("jq", &["--version"]) {
        eprintln!("skipped: needs python3 with PyYAML and jq");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = format!(
        "{}:{}",
        root.join("examples/bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for case in CASES {
        let dir = tempfile::tempdir().unwrap();
        let (out, wfl_ws, yaml_ws) = (
            dir.path().join("out"),
            dir.path().join("wfl"),
            dir.path().join("yaml"),
        );
        std::fs::create_dir_all(&wfl_ws).unwrap();
        std::fs::create_dir_all(&yaml_ws).unwrap();
        let answers = root.join(format!("examples/answers/{}.json", case.name));
        let compiled = Command::new(env!("CARGO_BIN_EXE_wfl"))
            .current_dir(root)
            .args(["compile", case.file, "--to", "yaml", "-o"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            compiled.status.success(),
            "{}: {}",
            case.name,
            String::from_utf8_lossy(&compiled.stderr)
        );
        let mut run = Command::new(env!("CARGO_BIN_EXE_wfl"));
        run.current_dir(root)
            .env("PATH", &path)
            .args(["run", case.file, "--quiet", "--workspace"])
            .arg(&wfl_ws);
        if answers.exists() {
            run.arg("--replay").arg(&answers);
        }
        for i in case.inputs {
            run.args(["--input", i]);
        }
        let ran = run.output().unwrap();
        assert!(
            ran.status.success(),
            "{}: wfl run: {}",
            case.name,
            String::from_utf8_lossy(&ran.stderr)
        );
        let expected = json_of(&ran.stdout, "wfl run");
        let mut sim = Command::new("python3");
        sim.current_dir(root)
            .env("PATH", &path)
            .arg(root.join("tests/yaml/sim.py"))
            .arg(&out)
            .arg(case.entry)
            .arg("--workspace")
            .arg(&yaml_ws);
        if answers.exists() {
            sim.arg("--answers").arg(&answers);
        }
        for i in case.inputs {
            sim.args(["--input", i]);
        }
        for m in case.maps {
            sim.args(["--map", m]);
        }
        let simmed = sim.output().unwrap();
        assert!(
            simmed.status.success(),
            "{}: sim.py: {}",
            case.name,
            String::from_utf8_lossy(&simmed.stderr)
        );
        let report = json_of(&simmed.stdout, "sim.py");
        assert_eq!(
            report["status"], "completed",
            "{}: the YAML run failed: {report}",
            case.name
        );
        assert!(
            same(&report["result"], &expected),
            "{}: the YAML computes another value:\n{}\nwfl run:\n{expected}",
            case.name,
            report["result"]
        );
    }
}
