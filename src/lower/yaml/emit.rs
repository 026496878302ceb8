//! YAML text from the typed model. `serde_norway` writes block-style YAML
//! and quotes every string that a YAML 1.2 reader would take for something
//! else (`'true'`, `'1.5'`, `'printf ''{"a": 1}'' > out.json'`). The DSL's
//! loader reads YAML 1.1, where `yes`, `no`, `on`, `off`, `1_000`, `1:30`
//! and dates are not strings either, so one more pass single-quotes the
//! plain scalars (keys and values, never block-scalar content) that YAML
//! 1.1 would read as booleans, numbers, nulls or timestamps. What holds:
//! the text parses back (as YAML 1.2) to exactly the serialized model, and
//! no plain scalar in it is ambiguous under YAML 1.1; both are checked
//! here, and a violation is a bug reported as `Err`.

use super::model::WorkflowFile;

/// The YAML text of `file`, or what went wrong (a bug in the back end).
pub fn to_yaml(file: &WorkflowFile) -> Result<String, String> {
    let value = serde_norway::to_value(file).map_err(|e| format!("cannot serialize: {e}"))?;
    let text = serde_norway::to_string(file).map_err(|e| format!("cannot serialize: {e}"))?;
    let text = quote_yaml11(&text);
    let back: serde_norway::Value =
        serde_norway::from_str(&text).map_err(|e| format!("emitted YAML does not parse: {e}"))?;
    if back != value {
        return Err(format!(
            "emitted YAML does not read back as the model it was written from (at {})",
            first_difference(&value, &back, String::new())
        ));
    }
    Ok(text)
}

/// The path of the first place where `a` and `b` differ.
fn first_difference(a: &serde_norway::Value, b: &serde_norway::Value, at: String) -> String {
    use serde_norway::Value as V;
    match (a, b) {
        (V::Mapping(x), V::Mapping(y)) => {
            for (k, v) in x {
                let key = k.as_str().unwrap_or("?");
                match y.get(k) {
                    Some(w) if w != v => return first_difference(v, w, format!("{at}/{key}")),
                    None => return format!("{at}/{key} (missing)"),
                    _ => {}
                }
            }
            format!("{at} (extra keys)")
        }
        (V::Sequence(x), V::Sequence(y)) => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                if v != w {
                    return first_difference(v, w, format!("{at}/{i}"));
                }
            }
            format!("{at} (length)")
        }
        _ => format!("{at}: {a:?} became {b:?}"),
    }
}

/// Whether YAML 1.1 (PyYAML's implicit resolvers, plus `y`/`n`) reads the
/// plain scalar `s` as something other than a string.
pub fn yaml11_ambiguous(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
        "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "~", "null", "Null", "NULL", "=",
        "<<",
    ];
    if s.is_empty() || WORDS.contains(&s) {
        return true;
    }
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    let numeric_start = unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.');
    let numeric_chars = s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '+' | '-'));
    let date =
        s.len() >= 5 && s[..4].bytes().all(|b| b.is_ascii_digit()) && s[4..].starts_with('-');
    (numeric_start && numeric_chars) || date
}

/// Single-quotes the ambiguous plain scalars of block-style YAML.
fn quote_yaml11(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    // Inside a block scalar: lines indented deeper than this column.
    let mut block: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let indent = body.len() - body.trim_start_matches(' ').len();
        if let Some(col) = block {
            if body.trim().is_empty() || indent > col {
                out.push_str(line);
                continue;
            }
            block = None;
        }
        let (fixed, starts_block) = quote_line(body, indent);
        if let Some(col) = starts_block {
            block = Some(col);
        }
        out.push_str(&fixed);
        if line.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// One line of block YAML with its ambiguous plain key and value quoted,
/// and the column of the key (or dash) if the value opens a block scalar.
fn quote_line(body: &str, indent: usize) -> (String, Option<usize>) {
    let mut out = String::from(&body[..indent]);
    let mut rest = &body[indent..];
    // The column a block scalar's content must be indented past: the
    // key's, or the last dash's for a bare sequence item.
    let mut col = indent;
    let mut dash = indent;
    while let Some(r) = rest.strip_prefix("- ") {
        out.push_str("- ");
        rest = r;
        dash = col;
        col += 2;
    }
    if rest == "-" {
        out.push('-');
        return (out, None);
    }
    // A key: a quoted scalar or a plain token followed by `:`.
    let value = if let Some(end) = quoted_end(rest) {
        if rest[end..].starts_with(':') {
            out.push_str(&rest[..end]);
            Some(&rest[end..])
        } else {
            None
        }
    } else if let Some(pos) = key_colon(rest) {
        out.push_str(&quote_plain(&rest[..pos]));
        Some(&rest[pos..])
    } else {
        None
    };
    let is_key = value.is_some();
    let scalar = match value {
        Some(v) => {
            let after = v.strip_prefix(':').unwrap_or(v);
            out.push(':');
            match after.strip_prefix(' ') {
                Some(s) => {
                    out.push(' ');
                    s
                }
                None => return (out, None),
            }
        }
        None => rest,
    };
    if scalar.starts_with(['|', '>']) {
        out.push_str(scalar);
        return (out, Some(if is_key { col } else { dash }));
    }
    out.push_str(&quote_plain(scalar));
    (out, None)
}

/// The end (exclusive) of a quoted scalar at the start of `s`.
fn quoted_end(s: &str) -> Option<usize> {
    let quote = s.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let bytes = s.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == '"' => i += 2,
            b'\'' if quote == '\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote as u8 => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// Where the `:` of a plain mapping key is, if `s` starts with one.
fn key_colon(s: &str) -> Option<usize> {
    if s.starts_with(['\'', '"', '[', '{', '|', '>']) {
        return None;
    }
    match s.find(": ") {
        Some(pos) => Some(pos),
        None => s.strip_suffix(':').map(str::len),
    }
}

/// Quotes plain scalar `s` if it is a string (as YAML 1.2 reads it, so
/// not a number or boolean of the model) that YAML 1.1 reads otherwise.
fn quote_plain(s: &str) -> String {
    let string_in_12 = || {
        matches!(
            serde_norway::from_str::<serde_norway::Value>(s),
            Ok(serde_norway::Value::String(_))
        )
    };
    if !s.starts_with(['\'', '"', '[', '{']) && yaml11_ambiguous(s) && string_in_12() {
        format!("'{s}'")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml11_words_and_numbers_are_quoted_block_content_is_not() {
        let text = "a:\n- yes\n- 'true'\n- 1_000\n- x\n- 3\nyes: no\nk: |\n  yes\n  no\n- on\nb: 2024-01-01\n";
        assert_eq!(
            quote_yaml11(text),
            "a:\n- 'yes'\n- 'true'\n- '1_000'\n- x\n- 3\n'yes': 'no'\nk: |\n  yes\n  no\n- 'on'\nb: '2024-01-01'\n"
        );
    }

    #[test]
    fn nested_dashes_and_quoted_keys() {
        assert_eq!(quote_line("- - off", 0).0, "- - 'off'");
        assert_eq!(quote_line("  'a: b': yes", 2).0, "  'a: b': 'yes'");
        assert_eq!(quote_line("- name: 1:30", 0).0, "- name: '1:30'");
        assert_eq!(
            quote_line("- run: |-", 0),
            ("- run: |-".to_string(), Some(2))
        );
        assert_eq!(quote_line("  - |", 2), ("  - |".to_string(), Some(2)));
    }

    #[test]
    fn ambiguity() {
        for s in [
            "yes",
            "No",
            "~",
            "",
            "1",
            "-1.5",
            ".inf",
            "0x1F",
            "1:30",
            "2024-01-01",
            "<<",
        ] {
            assert!(yaml11_ambiguous(s), "{s}");
        }
        for s in [
            "APPROVE",
            "cargo",
            "-c",
            "--all-targets",
            "state/x.json",
            "a1",
            "${x}",
        ] {
            assert!(!yaml11_ambiguous(s), "{s}");
        }
    }
}
