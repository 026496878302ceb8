//! Getting source text into the `SourceMap`: reading a file or stdin (`-`)
//! as bytes, and turning the bytes into text. Reading can fail (missing,
//! unreadable, a directory, larger than `MAX_FILE_BYTES`): that is a usage
//! error. Bytes that are not UTF-8 are not: the file is added decoded lossily
//! so that the E0114 diagnostic at the first invalid byte can show its line.

use crate::diag::{Code, Diagnostic, FileId, MAX_FILE_BYTES, SourceMap, Span};
use std::io::Read;
use std::path::Path;

/// Name under which standard input appears in diagnostics.
pub const STDIN_NAME: &str = "<stdin>";

/// Reads `path` (or stdin for `-`) whole. Returns the name to show in
/// diagnostics and the bytes, or a message saying why it could not be read.
pub fn read_input(path: &Path) -> Result<(String, Vec<u8>), String> {
    if path.as_os_str() == "-" {
        let bytes = read_capped(std::io::stdin().lock()).map_err(|e| describe(STDIN_NAME, &e))?;
        return Ok((STDIN_NAME.to_string(), bytes));
    }
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| describe(&name, &e))?;
    let bytes = read_capped(file).map_err(|e| describe(&name, &e))?;
    Ok((name, bytes))
}

fn describe(name: &str, err: &std::io::Error) -> String {
    format!("cannot read {name}: {err}")
}

/// Reads at most one byte more than `MAX_FILE_BYTES`, so an endless or huge
/// input is refused without reading it all.
fn read_capped(reader: impl Read) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(std::io::Error::other(format!(
            "larger than the {} MiB limit for a source file",
            MAX_FILE_BYTES >> 20
        )));
    }
    Ok(bytes)
}

/// Adds one file's bytes to the map. A leading UTF-8 byte-order mark is
/// dropped. If the bytes are not UTF-8, what `display_text` keeps of them
/// is added instead, and the E0114 diagnostic pointing at the first invalid
/// byte is returned with it.
pub fn add_source(
    map: &mut SourceMap,
    name: impl Into<String>,
    mut bytes: Vec<u8>,
) -> (FileId, Option<Diagnostic>) {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => (map.add(name, text), None),
        Err(err) => {
            let utf8 = err.utf8_error();
            let at = utf8.valid_up_to();
            let bytes = err.as_bytes();
            let bad_len = utf8.error_len().unwrap_or(bytes.len() - at);
            let bad: Vec<String> = bytes[at..at + bad_len]
                .iter()
                .map(|b| format!("0x{b:02X}"))
                .collect();
            let what = if bad.len() == 1 {
                format!("byte {} is not valid UTF-8", bad[0])
            } else {
                format!("bytes {} are not valid UTF-8", bad.join(" "))
            };
            let text = display_text(bytes, at);
            let file = map.add(name, text);
            let diag = Diagnostic::error(
                Code::E0114,
                Span::new(file, at, at + char::REPLACEMENT_CHARACTER.len_utf8()),
                "source is not valid UTF-8",
            )
            .with_primary(what)
            .with_hint("wfl reads source files as UTF-8; convert the file (e.g. with iconv)");
            (file, Some(diag))
        }
    }
}

/// Longest piece of the offending line kept after the first invalid byte.
const DISPLAY_TAIL: usize = 120;

/// What is kept of a file that is not UTF-8, for its one diagnostic: the
/// valid prefix (so line and column stay true), then the rest of the line of
/// the first invalid byte, decoded lossily, at most `DISPLAY_TAIL` bytes of
/// it, with control characters (which could drive the terminal) replaced by
/// U+FFFD. The first U+FFFD sits at byte `at`, where the bad byte was.
fn display_text(bytes: &[u8], at: usize) -> String {
    let line_end = bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| at + i);
    let tail_end = line_end.min(at + DISPLAY_TAIL);
    let mut text = String::from_utf8_lossy(&bytes[..at]).into_owned();
    let tail = String::from_utf8_lossy(&bytes[at..tail_end]);
    text.extend(tail.chars().map(|c| {
        if c.is_control() && c != '\t' {
            char::REPLACEMENT_CHARACTER
        } else {
            c
        }
    }));
    if tail_end < line_end {
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_text_is_added_as_is_without_a_bom() {
        let mut map = SourceMap::new();
        let (file, diag) = add_source(&mut map, "a.wfl", b"\xEF\xBB\xBF(a)".to_vec());
        assert!(diag.is_none());
        assert_eq!(map.text(file), "(a)");
    }

    #[test]
    fn invalid_utf8_points_at_the_first_bad_byte() {
        let mut map = SourceMap::new();
        let (file, diag) = add_source(&mut map, "a.wfl", b"; ok\n; caf\xE9 \xFF\n".to_vec());
        let diag = diag.unwrap();
        assert_eq!(diag.code, Code::E0114);
        assert_eq!(diag.primary.message, "byte 0xE9 is not valid UTF-8");
        assert_eq!(map.snippet(diag.span()), "\u{FFFD}");
        let (line, col) = map.get(file).unwrap().line_col(diag.span().start as usize);
        assert_eq!((line, col), (2, 6));
    }

    #[test]
    fn only_the_bad_line_is_kept_without_control_characters() {
        let mut map = SourceMap::new();
        let (file, _) = add_source(&mut map, "a.wfl", b"(a)\n(b \xFF\x1b[31m)\n(c)\n".to_vec());
        assert_eq!(map.text(file), "(a)\n(b \u{FFFD}\u{FFFD}[31m)");
        let long = [b"\xFF".as_slice(), &[b'x'; 500]].concat();
        let (file, _) = add_source(&mut map, "b.wfl", long);
        assert_eq!(map.text(file).chars().count(), DISPLAY_TAIL + 1);
        assert!(map.text(file).ends_with("x…"));
    }

    #[test]
    fn a_truncated_sequence_at_the_end_is_reported() {
        let mut map = SourceMap::new();
        let (_, diag) = add_source(&mut map, "a.wfl", b"(a \xE2\x82".to_vec());
        assert_eq!(
            diag.unwrap().primary.message,
            "bytes 0xE2 0x82 are not valid UTF-8"
        );
    }
}
