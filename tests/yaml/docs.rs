//! docs/yaml-lowering.md stays true to the code: each ```wfl block there
//! lowers, and the ```yaml block after it is an excerpt of what the
//! compiler emits for it: its pieces between `...` lines appear in the
//! output, line for line, in that order.

use super::support::{Lowered, lower_source, render};
use std::path::Path;

/// The fenced blocks of `markdown` as (language, line of the fence, text).
fn blocks(markdown: &str) -> Vec<(String, usize, String)> {
    let mut out = Vec::new();
    let mut open: Option<(String, usize, String)> = None;
    for (i, line) in markdown.lines().enumerate() {
        match &mut open {
            None => {
                if let Some(lang) = line.trim_end().strip_prefix("```")
                    && !lang.is_empty()
                {
                    open = Some((lang.to_string(), i + 1, String::new()));
                }
            }
            Some(_) if line.trim_end() == "```" => out.extend(open.take()),
            Some((_, _, text)) => {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    out
}

/// Whether the lines of `piece` appear consecutively in `lines` at or
/// after `from`; where they end.
fn find(lines: &[&str], piece: &[&str], from: usize) -> Option<usize> {
    (from..=lines.len().saturating_sub(piece.len()))
        .find(|&start| lines[start..start + piece.len()] == *piece)
        .map(|start| start + piece.len())
}

#[test]
fn the_lowering_doc_shows_what_the_compiler_emits() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/yaml-lowering.md");
    let markdown = std::fs::read_to_string(path).unwrap();
    let all = blocks(&markdown);
    let mut checked = 0;
    for (i, (lang, line, code)) in all.iter().enumerate() {
        if lang != "wfl" {
            continue;
        }
        let name = format!("docs/yaml-lowering.md:{line}");
        let lowered = lower_source(&name, code, None);
        let Lowered::Yaml(files) = &lowered else {
            panic!("{name} does not lower:\n{}", render(&lowered));
        };
        let Some((_, yline, excerpt)) = all.get(i + 1).filter(|(l, _, _)| l == "yaml") else {
            continue;
        };
        let output = render(&lowered);
        let lines: Vec<&str> = output.lines().collect();
        let mut at = 0;
        for piece in excerpt.split("...\n") {
            let piece: Vec<&str> = piece.lines().collect();
            match find(&lines, &piece, at) {
                Some(end) => at = end,
                None => panic!(
                    "docs/yaml-lowering.md:{yline}: this excerpt is not in what the compiler emits:\n{}\n--- emitted ({} files):\n{output}",
                    piece.join("\n"),
                    files.len()
                ),
            }
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} excerpts checked");
}
