//! Loading a workflow file for the commands that execute or draw it (`run`,
//! `graph`): read, check, and build the IR. Any diagnostic error stops the
//! command with the diagnostics on stderr and exit status 2 (a compile
//! error, as BRIEF §4 has it).

use super::{ExitStatus, add_source, eprint_text, read_input, stderr_color};
use crate::diag::{RenderOptions, SourceMap, has_errors, render_text};
use crate::ir;
use crate::runtime::eval::identity_hex;
use std::path::Path;
use std::sync::Arc;

pub struct Loaded {
    pub name: String,
    pub source_hash: String,
    pub map: SourceMap,
    pub program: Arc<ir::Program>,
}

/// The hash of the program's source: the root file's text alone when it
/// imports nothing, else every file's name and text, so an edit to an
/// imported module (or a new `wfl` with a changed standard library) counts
/// as a changed source on resume.
fn program_hash(map: &SourceMap) -> String {
    let mut files = map.files();
    let Some((_, root)) = files.next() else {
        return identity_hex(b"");
    };
    let mut bytes = root.text.as_bytes().to_vec();
    for (_, f) in files {
        bytes.push(0);
        bytes.extend_from_slice(f.name.as_bytes());
        bytes.push(0);
        bytes.extend_from_slice(f.text.as_bytes());
    }
    identity_hex(&bytes)
}

/// Reads and checks `path` and builds its IR, or reports why not.
pub fn load(path: &Path) -> Result<Loaded, ExitStatus> {
    let (name, bytes) = read_input(path).map_err(|message| {
        eprint_text(&format!("wfl: {message}\n"));
        ExitStatus::Usage
    })?;
    let mut map = SourceMap::new();
    let (file, not_utf8) = add_source(&mut map, name.clone(), bytes);
    let (checked, diags) = match not_utf8 {
        Some(d) => (Default::default(), vec![d]),
        None => crate::check_file(&mut map, file),
    };
    let source_hash = program_hash(&map);
    if has_errors(&diags) {
        let opts = RenderOptions {
            color: stderr_color(),
        };
        eprint_text(&render_text(&map, &diags, opts));
        eprint_text(&format!("wfl: {name} does not compile\n"));
        return Err(ExitStatus::Usage);
    }
    Ok(Loaded {
        name,
        source_hash,
        map,
        program: Arc::new(ir::build(Arc::new(checked.tables))),
    })
}
