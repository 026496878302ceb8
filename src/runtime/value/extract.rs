//! Finding a provider's or command's JSON reply in its output. Tools print
//! logs, progress and prose around their answer, and models like to wrap it
//! in a fenced ```json block; the reply is the last top-level JSON object
//! in the text.
//!
//! What holds: the scan goes forward once; at each `{` not inside an object
//! already found it tries to parse one JSON value there, and on success
//! jumps past it, so objects nested in a found object never count as
//! top-level and a fenced block is found like any other object. A `{` that
//! does not start valid JSON (log text, a truncated object) is skipped and
//! the scan goes on from the next character. The last object found wins.

use serde_json::Value as Json;

/// The last top-level JSON object in `text`, if any.
pub fn last_json_object(text: &str) -> Option<Json> {
    let mut last = None;
    let mut at = 0;
    while let Some(off) = text.get(at..).and_then(|rest| rest.find('{')) {
        let start = at + off;
        let rest = &text[start..];
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<Json>();
        match stream.next() {
            Some(Ok(obj @ Json::Object(_))) => {
                at = start + stream.byte_offset().max(1);
                last = Some(obj);
            }
            _ => at = start + 1,
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn plain_object() {
        assert_eq!(last_json_object(r#"{"a": 1}"#), Some(json!({"a": 1})));
        assert_eq!(last_json_object("  {}\n"), Some(json!({})));
    }

    #[test]
    fn logs_before_and_after() {
        let text = "starting {pid 42}\nloading model...\n{\"ok\": true, \"n\": {\"x\": [1, 2]}}\ndone in 3s\n";
        assert_eq!(
            last_json_object(text),
            Some(json!({"ok": true, "n": {"x": [1, 2]}}))
        );
    }

    #[test]
    fn the_last_of_several_wins_and_nested_never_counts() {
        let text = r#"{"step": 1} then {"outer": {"inner": 1}} trailing {oops"#;
        assert_eq!(last_json_object(text), Some(json!({"outer": {"inner": 1}})));
    }

    #[test]
    fn fenced_block() {
        let text = "Here is my review:\n```json\n{\"variant\": \"APPROVE\", \"report\": \"r.md\"}\n```\nThanks!";
        assert_eq!(
            last_json_object(text),
            Some(json!({"variant": "APPROVE", "report": "r.md"}))
        );
    }

    #[test]
    fn braces_inside_strings_do_not_confuse() {
        let text = r#"{"msg": "a } and { inside", "k": "}"}"#;
        assert_eq!(
            last_json_object(text),
            Some(json!({"msg": "a } and { inside", "k": "}"}))
        );
    }

    #[test]
    fn truncated_outer_falls_back_to_a_complete_inner_object() {
        let text = r#"{"partial": {"a": 1}"#;
        assert_eq!(last_json_object(text), Some(json!({"a": 1})));
    }

    #[test]
    fn nothing_found() {
        assert_eq!(last_json_object(""), None);
        assert_eq!(last_json_object("no json here [1, 2]"), None);
        assert_eq!(last_json_object("{ not json }"), None);
        assert_eq!(last_json_object("}{"), None);
    }

    #[test]
    fn multibyte_text_around() {
        let text = "résumé → {\"é\": \"ü\"} ✓";
        assert_eq!(last_json_object(text), Some(json!({"é": "ü"})));
    }
}
