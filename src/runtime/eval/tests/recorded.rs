//! The replay rules of `Recorded`, on hand-made journals: finished and
//! failed steps replay, identities are compared field by field, `--force`
//! re-runs from the first changed step, in-doubt steps re-run only when
//! that is harmless or answered, and answers close questions.

use super::*;
use crate::runtime::eval::identity::command_identity;
use serde_json::json;

fn rec(seq: u64, event: Event) -> Record {
    Record {
        seq,
        at_ms: seq,
        event,
    }
}

fn started(seq: u64, step: &str, argv: &str) -> Record {
    let id = command_identity(&[argv.to_string()], &[], None, "CommandResult");
    rec(
        seq,
        Event::StepStarted {
            step: step.into(),
            kind: StepKind::Command,
            parts: id.parts(),
            identity: id.hash,
            workflow: None,
        },
    )
}

fn finished(seq: u64, step: &str, value: Json) -> Record {
    rec(
        seq,
        Event::StepFinished {
            step: step.into(),
            value,
            duration_ms: 1,
            exit_code: Some(0),
            usage: None,
            artifacts: Vec::new(),
        },
    )
}

fn ident(argv: &str) -> Identity {
    command_identity(&[argv.to_string()], &[], None, "CommandResult")
}

fn asked(seq: u64, step: &str, in_doubt: bool) -> Record {
    rec(
        seq,
        Event::HumanAsked {
            step: step.into(),
            question: "?".into(),
            returns: "String".into(),
            in_doubt,
        },
    )
}

#[test]
fn finished_steps_replay_and_changes_are_named() {
    let r = Recorded::from_records(vec![
        started(1, "w/a", "a"),
        finished(2, "w/a", json!(1)),
        started(3, "w/l[2]/b", "b"),
        rec(
            4,
            Event::StepFailed {
                step: "w/l[2]/b".into(),
                error: StepError {
                    kind: "EXIT".into(),
                    message: "no".into(),
                    stderr: String::new(),
                    origin: None,
                },
                duration_ms: 1,
                exit_code: Some(1),
                usage: None,
            },
        ),
    ]);
    assert_eq!(
        r.decide("w/a", &ident("a"), false),
        Decision::Value(&json!(1), None)
    );
    assert!(
        matches!(r.decide("w/l[2]/b", &ident("b"), false), Decision::Failed(e, None) if e.message == "no")
    );
    assert_eq!(
        r.decide("w/a", &ident("z"), false),
        Decision::Changed(vec!["argv".into()])
    );
    assert_eq!(r.decide("w/new", &ident("a"), false), Decision::Run);
    assert!(r.seen_scope("w/l[2]"));
    assert!(!r.seen_scope("w/l[3]"));
}

#[test]
fn force_reruns_from_the_first_changed_step() {
    let mut r = Recorded::from_records(vec![
        started(1, "w/a", "a"),
        finished(2, "w/a", json!(1)),
        started(3, "w/b", "b"),
        finished(4, "w/b", json!(2)),
        started(5, "w/c", "c"),
        finished(6, "w/c", json!(3)),
    ]);
    r.force = true;
    assert_eq!(r.decide("w/b", &ident("B"), false), Decision::Run);
    // Recorded before the change: still replays. After it: runs again.
    assert_eq!(
        r.decide("w/a", &ident("a"), false),
        Decision::Value(&json!(1), None)
    );
    assert_eq!(r.decide("w/c", &ident("c"), false), Decision::Run);
}

#[test]
fn in_doubt_steps_rerun_only_when_harmless_or_answered() {
    let r = Recorded::from_records(vec![started(1, "w/a", "a"), started(2, "w/b", "b")]);
    assert_eq!(r.decide("w/a", &ident("a"), true), Decision::Run);
    assert_eq!(
        r.decide("w/a", &ident("a"), false),
        Decision::Waiting { asked: false }
    );
    let r = Recorded::from_records(vec![
        started(1, "w/a", "a"),
        started(2, "w/b", "b"),
        asked(3, "w/a", true),
        asked(4, "w/b", true),
        rec(
            5,
            Event::HumanAnswered {
                step: "w/a".into(),
                value: Some(json!(7)),
                rerun: false,
            },
        ),
    ]);
    assert_eq!(
        r.decide("w/a", &ident("a"), false),
        Decision::Value(&json!(7), None)
    );
    assert_eq!(
        r.decide("w/b", &ident("b"), false),
        Decision::Waiting { asked: true }
    );
    let open: Vec<&str> = r.open_questions().into_iter().map(|(id, _)| id).collect();
    assert_eq!(open, ["w/b"]);
    let r = Recorded::from_records(vec![
        started(1, "w/b", "b"),
        asked(2, "w/b", true),
        rec(
            3,
            Event::HumanAnswered {
                step: "w/b".into(),
                value: None,
                rerun: true,
            },
        ),
    ]);
    assert_eq!(r.decide("w/b", &ident("b"), false), Decision::Run);
    assert!(r.open_questions().is_empty());
}

#[test]
fn human_steps_wait_take_answers_and_notice_new_questions() {
    let r = Recorded::from_records(vec![
        asked(1, "w/h", false),
        asked(2, "w/k", false),
        rec(
            3,
            Event::HumanAnswered {
                step: "w/k".into(),
                value: Some(json!("yes")),
                rerun: false,
            },
        ),
        rec(
            4,
            Event::BudgetRaised {
                tokens: 10,
                usd: 0.5,
            },
        ),
        rec(
            5,
            Event::BudgetRaised {
                tokens: 5,
                usd: 0.0,
            },
        ),
    ]);
    assert_eq!(
        r.decide_human("w/h", "?", "String"),
        Decision::Waiting { asked: true }
    );
    assert_eq!(r.decide_human("w/h", "new?", "String"), Decision::Run);
    assert_eq!(
        r.decide_human("w/k", "?", "String"),
        Decision::Value(&json!("yes"), None)
    );
    assert_eq!(
        r.decide_human("w/k", "?", "Int"),
        Decision::Changed(vec!["returns".into()])
    );
    assert_eq!(r.decide_human("w/z", "?", "String"), Decision::Run);
    assert_eq!(r.raised, (15, 0.5));
    assert_eq!(r.len(), 2);
}
