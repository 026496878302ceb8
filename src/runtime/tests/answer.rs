//! `wfl answer` at the library level: types read back from their written
//! form, answers checked against them, and only open questions answered.

use super::*;
use crate::runtime::journal::{Event, JournalWriter};
use crate::runtime::rundir::RunDir;
use crate::typeck::Tables;

fn tables(src: &str) -> Tables {
    let mut map = crate::diag::SourceMap::new();
    let file = map.add("t.wfl", src);
    let (checked, diags) = crate::check_file(&mut map, file);
    assert!(!crate::diag::has_errors(&diags), "{diags:?}");
    checked.tables
}

const SRC: &str = r#"
(defenum Decision SHIP HOLD)
(defrecord Note (text String) (score (Option Int)))
(defunion Review (APPROVE (notes String)) (REVISE (findings (List String))))
(defworkflow w () -> Int 1)
"#;

#[test]
fn types_read_back_from_their_written_form() {
    let t = tables(SRC);
    for text in [
        "String",
        "(List (Option Int))",
        "Decision",
        "Note",
        "Review",
        "(List Review)",
        "CommandResult",
    ] {
        assert_eq!(parse_type(text, &t).unwrap().to_string(), text);
    }
    for bad in [
        "Nope",
        "(List)",
        "(List Int",
        "Int Int",
        "(Decision Int)",
        "",
    ] {
        assert!(parse_type(bad, &t).is_err(), "{bad}");
    }
}

#[test]
fn values_are_checked_and_text_is_a_string_where_one_is_expected() {
    let t = tables(SRC);
    let ws = std::path::Path::new(".");
    let read = |text: &str, ty: &str| read_value(text, &parse_type(ty, &t).unwrap(), &t, ws);
    assert_eq!(read("SHIP", "Decision"), Ok(Json::from("SHIP")));
    assert!(
        read("MAYBE", "Decision")
            .unwrap_err()
            .contains("SHIP, HOLD")
    );
    assert_eq!(read("yes please", "String"), Ok(Json::from("yes please")));
    assert_eq!(read("42", "String"), Ok(Json::from("42")));
    assert_eq!(read("42", "Int"), Ok(Json::from(42)));
    assert!(read("forty", "Int").unwrap_err().contains("not JSON"));
    assert_eq!(
        read(r#"{"text": "hi"}"#, "Note"),
        Ok(serde_json::json!({"text": "hi", "score": null}))
    );
    assert!(
        read(r#"{"variant": "APPROVE"}"#, "Review")
            .unwrap_err()
            .contains("notes")
    );
}

#[test]
fn only_open_questions_are_answered() {
    let t = tables(SRC);
    let ws = tempfile::tempdir().unwrap();
    let dir = RunDir::create(ws.path(), "20260101-000000-000").unwrap();
    let mut journal = JournalWriter::create(&dir.journal()).unwrap();
    for step in ["w/a", "w/b"] {
        journal
            .append(
                1,
                Event::HumanAsked {
                    step: step.into(),
                    question: "?".into(),
                    returns: "Decision".into(),
                    in_doubt: false,
                },
            )
            .unwrap();
    }
    drop(journal);
    let reply = |v: &str| Reply::Value(v.into());
    let err = answer(&dir, &t, ws.path(), "w/z", reply("SHIP"), 2).unwrap_err();
    assert!(err.contains("the open ones: w/a, w/b"), "{err}");
    let err = answer(&dir, &t, ws.path(), "w/a", Reply::Rerun, 2).unwrap_err();
    assert!(err.contains("human step"), "{err}");
    let done = answer(&dir, &t, ws.path(), "w/b", reply("HOLD"), 2).unwrap();
    assert_eq!(done.open, ["w/a"]);
    let err = answer(&dir, &t, ws.path(), "w/b", reply("SHIP"), 3).unwrap_err();
    assert!(err.contains("has no open question"), "{err}");
    let done = answer(&dir, &t, ws.path(), "w/a", reply("SHIP"), 3).unwrap();
    assert!(done.open.is_empty());
    let err = answer(&dir, &t, ws.path(), "w/a", reply("SHIP"), 4).unwrap_err();
    assert!(err.contains("has no open question"), "{err}");
}
