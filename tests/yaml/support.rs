//! Shared by the YAML tests: lowering a source file the way `wfl compile`
//! does (check, build the IR, pick the entry, lower), and rendering the
//! outcome as text for snapshots: each emitted file under a `# file:`
//! line, or the refusals as `wfl` renders them (no colour).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use wfl::diag::{Diagnostic, RenderOptions, SourceMap, render_text};
use wfl::lower::yaml::{YamlFile, lower};

pub enum Lowered {
    Yaml(Vec<YamlFile>),
    Refused {
        map: SourceMap,
        diags: Vec<Diagnostic>,
        /// The 1-based line of each diagnostic's primary span.
        lines: Vec<usize>,
    },
}

/// The `*.wfl` files directly in `dir`, sorted.
pub fn wfl_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "wfl"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Lowers source `src` (named `name`), entry `entry` or the default one.
pub fn lower_source(name: &str, src: &str, entry: Option<&str>) -> Lowered {
    let mut map = SourceMap::new();
    let file = map.add(name, src);
    let (checked, diags) = wfl::check_file(&mut map, file);
    assert!(
        diags.is_empty(),
        "{name} does not check:\n{}",
        render_text(&map, &diags, RenderOptions { color: false })
    );
    let program = wfl::ir::build(Arc::new(checked.tables));
    let entry = wfl::runtime::entry_workflow(&program.tables, entry)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .name
        .clone();
    let outcome = wfl::cli::on_large_stack(|| lower(&program, &entry))
        .unwrap_or_else(|_| panic!("{name}: the YAML back end panicked"));
    match outcome {
        Ok(out) => Lowered::Yaml(out.files),
        Err(diags) => {
            let lines = diags
                .iter()
                .map(|d| {
                    map.get(d.span().file)
                        .map_or(0, |f| f.line_col(d.span().start as usize).0)
                })
                .collect();
            Lowered::Refused { map, diags, lines }
        }
    }
}

/// Lowers the file at `path`, named relative to the crate root.
pub fn lower_file(path: &Path) -> Lowered {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let name = path
        .strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string();
    let src = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
    lower_source(&name, &src, None)
}

/// The snapshot text of an outcome.
pub fn render(lowered: &Lowered) -> String {
    match lowered {
        Lowered::Yaml(files) => files
            .iter()
            .map(|f| format!("# file: {}\n{}", f.name, f.text))
            .collect::<Vec<_>>()
            .join("\n"),
        Lowered::Refused { map, diags, .. } => {
            render_text(map, diags, RenderOptions { color: false })
        }
    }
}

/// Whether `program` runs here (for tests that need python3 or jq).
pub fn have(program: &str, probe: &[&str]) -> bool {
    std::process::Command::new(program)
        .args(probe)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
