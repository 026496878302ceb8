//! The `replay` provider: answers provider steps from a recorded file, so
//! workflows run offline and deterministically. The file is one JSON object
//! whose keys are step ids and whose values are answers:
//!
//! ```json
//! {
//!   "ship/write-design": { "reply": { "doc": "docs/design/x.md", "summary": "…" },
//!                          "files": { "docs/design/x.md": "# Design\n…" },
//!                          "usage": { "input_tokens": 1200, "output_tokens": 300, "usd": 0.02 } },
//!   "ship/review-fix[]/review": [ { "reply": { "variant": "REVISE", "findings": ["…"] } },
//!                                 { "reply": { "variant": "APPROVE", "notes": "ok" } } ]
//! }
//! ```
//!
//! A key is either a run-time step id (`ship/review-fix[2]/review`), used
//! as is, or the id with `[]` in place of some indices
//! (`ship/review-fix[]/review`, `ship/round[2]/retry[]/fix`), whose value
//! is a list indexed by the innermost blanked round, element or attempt
//! number (1-based), so concurrent branches always get the same answer
//! whatever their timing. The most specific key wins: fewest blanks, inner
//! indices blanked before outer ones.
//! An answer has `reply` (the JSON result) or `stdout` (raw text, read like
//! a real provider's stdout); optionally `files` (written into the workspace
//! before replying, as the agent would have), `usage`, `exit_code` and
//! `stderr` (to replay a failing provider).

use super::journal::Usage;
use serde::Deserialize;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    #[serde(default)]
    pub reply: Option<Json>,
    #[serde(default)]
    pub stdout: Option<String>,
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    #[serde(default)]
    pub usage: Option<Usage>,
    #[serde(default)]
    pub exit_code: i32,
    #[serde(default)]
    pub stderr: String,
}

/// One answer, or a list of them by index. `Many` is tried first: serde
/// would also read a one-element array as an `Answer` in positional form.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
enum Entry {
    Many(Vec<Answer>),
    One(Answer),
}

/// A loaded replay file.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplayFile {
    pub path: String,
    entries: BTreeMap<String, Entry>,
}

impl ReplayFile {
    pub fn load(path: &Path) -> Result<ReplayFile, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read replay file {}: {e}", path.display()))?;
        Self::parse(&path.display().to_string(), &text)
    }

    pub fn parse(name: &str, text: &str) -> Result<ReplayFile, String> {
        let entries: BTreeMap<String, Entry> = serde_json::from_str(text)
            .map_err(|e| format!("replay file {name} is not valid: {e}"))?;
        for (key, entry) in &entries {
            let answers = match entry {
                Entry::One(a) => std::slice::from_ref(a),
                Entry::Many(list) => list.as_slice(),
            };
            for a in answers {
                if a.reply.is_some() == a.stdout.is_some() && a.exit_code == 0 {
                    return Err(format!(
                        "replay file {name}: the answer for `{key}` needs exactly one of `reply` or `stdout`"
                    ));
                }
            }
        }
        Ok(ReplayFile {
            path: name.to_string(),
            entries,
        })
    }

    /// The answer recorded for the run-time step id `step`.
    pub fn answer(&self, step: &str) -> Result<&Answer, String> {
        for (key, index) in candidate_keys(step) {
            let Some(entry) = self.entries.get(&key) else {
                continue;
            };
            return match (entry, index) {
                (Entry::One(a), _) => Ok(a),
                (Entry::Many(list), n) => {
                    let n = n.unwrap_or(1);
                    list.get(n.saturating_sub(1)).ok_or_else(|| {
                        format!(
                            "replay file {} has {} answers for `{key}`, none for number {n} (`{step}`)",
                            self.path,
                            list.len()
                        )
                    })
                }
            };
        }
        Err(self.missing(step))
    }

    fn missing(&self, step: &str) -> String {
        let (pattern, _) = static_form(step);
        let keys = if pattern == step {
            format!("`{step}`")
        } else {
            format!("`{step}` or `{pattern}`")
        };
        format!(
            "replay file {} has no answer for step `{step}` (add a key {keys})",
            self.path
        )
    }
}

/// `a/l[2]/f[3]/s` → (`a/l[]/f[]/s`, Some(3)): the id with every index
/// blanked, and the innermost index.
fn static_form(step: &str) -> (String, Option<usize>) {
    let (segments, indices) = split_indices(step);
    let all = vec![true; indices.len()];
    (
        join(&segments, &indices, &all),
        indices.last().and_then(|i| i.parse().ok()),
    )
}

/// The text between indices and the indices: `a/l[2]/s` → ([`a/l`, `/s`], [`2`]).
fn split_indices(step: &str) -> (Vec<&str>, Vec<&str>) {
    let mut segments = Vec::new();
    let mut indices = Vec::new();
    let mut rest = step;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']').map(|c| open + c) else {
            break;
        };
        segments.push(&rest[..open]);
        indices.push(&rest[open + 1..close]);
        rest = &rest[close + 1..];
    }
    segments.push(rest);
    (segments, indices)
}

fn join(segments: &[&str], indices: &[&str], blank: &[bool]) -> String {
    let mut out = String::new();
    for (i, seg) in segments.iter().enumerate() {
        out.push_str(seg);
        if let Some(index) = indices.get(i) {
            out.push('[');
            if !blank[i] {
                out.push_str(index);
            }
            out.push(']');
        }
    }
    out
}

/// Every key that may hold `step`'s answer, most specific first, with the
/// index that picks from a list under that key.
fn candidate_keys(step: &str) -> Vec<(String, Option<usize>)> {
    let (segments, indices) = split_indices(step);
    let k = indices.len().min(8);
    let mut masks: Vec<u32> = (0..1u32 << k).collect();
    // Fewest blanks first; then blanks further in (higher bits) first.
    masks.sort_by_key(|m| (m.count_ones(), std::cmp::Reverse(*m)));
    masks
        .into_iter()
        .map(|mask| {
            let blank: Vec<bool> = (0..indices.len())
                .map(|i| i < k && mask & (1 << i) != 0)
                .collect();
            let innermost = (0..indices.len()).rev().find(|&i| blank[i]);
            let index = innermost.and_then(|i| indices[i].parse().ok());
            (join(&segments, &indices, &blank), index)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_form_and_index() {
        assert_eq!(static_form("a/l[2]/s"), ("a/l[]/s".into(), Some(2)));
        assert_eq!(
            static_form("a/l[2]/f[13]/s"),
            ("a/l[]/f[]/s".into(), Some(13))
        );
        assert_eq!(static_form("a/s"), ("a/s".into(), None));
    }

    #[test]
    fn a_list_of_one_answer_is_a_list() {
        let file = ReplayFile::parse("r", r#"{"w/l[]/ask": [{"reply": "hello"}]}"#).unwrap();
        assert_eq!(
            file.answer("w/l[1]/ask").unwrap().reply,
            Some(Json::from("hello"))
        );
        assert!(file.answer("w/l[2]/ask").is_err());
    }

    #[test]
    fn mixed_keys_blank_inner_indices_first() {
        let keys: Vec<String> = candidate_keys("a/l[2]/r[3]/s")
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(
            keys,
            [
                "a/l[2]/r[3]/s",
                "a/l[2]/r[]/s",
                "a/l[]/r[3]/s",
                "a/l[]/r[]/s"
            ]
        );
        let file =
            ReplayFile::parse("r", r#"{"a/l[1]/r[]/s": [{"reply": 1}, {"reply": 2}]}"#).unwrap();
        assert_eq!(
            file.answer("a/l[1]/r[2]/s").unwrap().reply,
            Some(Json::from(2))
        );
        assert!(file.answer("a/l[2]/r[1]/s").is_err());
    }

    #[test]
    fn exact_keys_win_and_lists_are_indexed() {
        let file = ReplayFile::parse(
            "r.json",
            r#"{ "w/l[]/s": [{"reply": 1}, {"reply": 2}],
                 "w/l[2]/s": {"reply": 20},
                 "w/d": {"stdout": "log\n{\"a\": 1}", "usage": {"input_tokens": 3}} }"#,
        )
        .unwrap();
        assert_eq!(file.answer("w/l[1]/s").unwrap().reply, Some(Json::from(1)));
        assert_eq!(file.answer("w/l[2]/s").unwrap().reply, Some(Json::from(20)));
        assert!(file.answer("w/l[3]/s").unwrap_err().contains("number 3"));
        assert_eq!(
            file.answer("w/d")
                .unwrap()
                .usage
                .as_ref()
                .unwrap()
                .input_tokens,
            3
        );
        assert!(
            file.answer("w/x")
                .unwrap_err()
                .contains("no answer for step `w/x`")
        );
    }

    #[test]
    fn malformed_files_are_reported() {
        assert!(ReplayFile::parse("r", "[1]").is_err());
        assert!(ReplayFile::parse("r", r#"{"a": {"reply": 1, "stdout": "x"}}"#).is_err());
        assert!(ReplayFile::parse("r", r#"{"a": {"reploy": 1}}"#).is_err());
    }
}
