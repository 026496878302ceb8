//! The quality goal: the YAML stays close to the source, at most about 4
//! YAML lines per source line on the examples (all files of a workflow,
//! against every line of its source, comments included). Each example
//! that lowers stays under 4.6, and all of them together under 4.

use super::support::{Lowered, lower_file, wfl_files};
use std::path::Path;

#[test]
fn examples_stay_within_about_four_yaml_lines_per_source_line() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (mut yaml_total, mut source_total) = (0usize, 0usize);
    let mut table = String::new();
    for path in wfl_files(&root.join("examples")) {
        let Lowered::Yaml(files) = lower_file(&path) else {
            continue;
        };
        let source = std::fs::read_to_string(&path).unwrap().lines().count();
        let yaml: usize = files.iter().map(|f| f.text.lines().count()).sum();
        let ratio = yaml as f64 / source as f64;
        table.push_str(&format!(
            "{:<28} {source:>4} source lines, {yaml:>4} YAML lines in {} file(s): {ratio:.2}\n",
            path.file_name().unwrap().to_string_lossy(),
            files.len()
        ));
        assert!(
            ratio <= 4.6,
            "{}: {ratio:.2} YAML lines per source line\n{table}",
            path.display()
        );
        yaml_total += yaml;
        source_total += source;
    }
    let total = yaml_total as f64 / source_total as f64;
    eprintln!("{table}all: {total:.2}");
    assert!(source_total > 0, "no example lowers");
    assert!(
        total <= 4.0,
        "{total:.2} YAML lines per source line overall\n{table}"
    );
}
