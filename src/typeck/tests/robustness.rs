//! The checker never panics: every prefix of every example and fixture
//! (cut at many places, so most are broken programs) is parsed and checked.

use crate::diag::FileId;

fn sources() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["examples", "tests/fixtures/ok", "tests/fixtures/err"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if p.extension().is_some_and(|e| e == "wfl")
                && let Ok(text) = std::fs::read_to_string(&p)
            {
                out.push(text);
            }
        }
    }
    out
}

#[test]
fn prefixes_of_real_programs_check_without_panicking() {
    for src in sources() {
        let step = (src.len() / 60).max(1);
        let mut cut = 0;
        while cut <= src.len() {
            if src.is_char_boundary(cut) {
                let (program, _) = crate::parser::parse(FileId(0), &src[..cut]);
                let _ = crate::typeck::check(&program);
            }
            cut += step;
        }
    }
}

#[test]
fn programs_with_a_token_removed_check_without_panicking() {
    for src in sources().iter().take(12) {
        let words: Vec<&str> = src.split(' ').collect();
        for skip in (0..words.len()).step_by((words.len() / 40).max(1)) {
            let text: String = words
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, w)| *w)
                .collect::<Vec<_>>()
                .join(" ");
            let (program, _) = crate::parser::parse(FileId(0), &text);
            let _ = crate::typeck::check(&program);
        }
    }
}
