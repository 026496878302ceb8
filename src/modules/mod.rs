//! Modules: a program is its root file plus every module it imports,
//! transitively. `loader` reads the module graph into the one `SourceMap`
//! (files by path, the embedded standard library as `<std/NAME>`); each
//! module is then type-checked in dependency order with what its imports
//! export (`typeck::check_module`). Items keep one canonical name wherever
//! they are imported (`std/review:Review`), and the root's checked tables
//! hold every item the program can reach, so the IR, the interpreter and
//! the YAML back end see one program. Entry point: `check_root`.

mod loader;
pub mod source;
pub mod stdlib;

use crate::diag::{Diagnostic, FileId, SourceMap, sort_diagnostics};
use crate::parser::ast::Program;
use crate::typeck::{self, Checked, ImportedModule, ModuleEnv};
use std::path::Path;

/// Lexes, parses and checks the file `root` of `map` with every module it
/// imports (added to `map`). Diagnostics of every file and phase come back
/// together, sorted by position.
pub fn check_root(map: &mut SourceMap, root: FileId) -> (Checked, Vec<Diagnostic>) {
    let (program, mut diags) = crate::parser::parse(root, map.text(root));
    let name = map.name(root).to_string();
    let path = Path::new(&name);
    let named_file = !name.starts_with('<');
    let base = match path.parent() {
        Some(dir) if named_file && !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let root_path = named_file.then_some(path);
    let (checked, more) = check_program(map, program, root_path, &base);
    diags.extend(more);
    sort_diagnostics(&mut diags);
    (checked, diags)
}

/// Checks an already parsed root `program` (a file at `root_path`, or the
/// REPL's session when `None`) whose relative imports start at `base`.
/// The diagnostics are not sorted.
pub fn check_program(
    map: &mut SourceMap,
    program: Program,
    root_path: Option<&Path>,
    base: &Path,
) -> (Checked, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let graph = loader::load(map, program, root_path, base, &mut diags);
    let mut checked: Vec<Option<Checked>> = vec![None; graph.modules.len()];
    for &m in &graph.order {
        let module = &graph.modules[m];
        let imports = module
            .deps
            .iter()
            .map(|dep| {
                let d = (*dep)?;
                Some(ImportedModule {
                    checked: checked[d].as_ref()?,
                })
            })
            .collect();
        let env = ModuleEnv {
            prefix: if m == 0 {
                String::new()
            } else {
                format!("{}:", module.key)
            },
            imports,
        };
        let (c, d) = typeck::check_module(&module.program, &env);
        diags.extend(d);
        checked[m] = Some(c);
    }
    let root = checked.into_iter().next().flatten().unwrap_or_default();
    (root, diags)
}
