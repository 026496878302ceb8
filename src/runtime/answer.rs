//! `wfl answer`: journals the answer to one open question of a paused run.
//! A question is open when the journal holds its `human_asked` and no
//! `human_answered` after it. The answer is checked against the type the
//! question recorded (`returns`, resolved in the workflow's program) before
//! anything is written, then journaled as `human_answered` with its JSON
//! normalized; the run does not move until `wfl resume`. Questions are
//! independent: each answer is its own event, in any order. An in-doubt
//! step also accepts `--rerun`: leave to run it again.

use super::eval::Recorded;
use super::journal::{Event, JournalWriter};
use super::rundir::{RunDir, RunLock};
use super::value::{check_must_exist, from_json, to_json};
use crate::typeck::Tables;
use crate::typeck::types::{Name, Type};
use serde_json::Value as Json;
use std::path::Path;
use std::time::Duration;

/// What `wfl answer` was given.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// `--value`: JSON text (or plain text where a string is expected).
    Value(String),
    /// `--rerun`: run the in-doubt step again.
    Rerun,
}

/// The questions of a run still open after an answer, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    pub open: Vec<String>,
}

/// Answers `step` of the run in `dir`, checking the value against the
/// program's `tables`; `workspace` is where `:must-exist` paths are looked for.
pub fn answer(
    dir: &RunDir,
    tables: &Tables,
    workspace: &Path,
    step: &str,
    reply: Reply,
    now_ms: u64,
) -> Result<Answered, String> {
    let _lock = RunLock::acquire_within(dir, Duration::from_secs(5))?;
    let (mut journal, records) = JournalWriter::append_to(&dir.journal())
        .map_err(|e| format!("cannot open the journal of run {}: {e}", dir.id))?;
    let recorded = Recorded::from_records(records);
    let open = recorded.open_questions();
    let Some((_, question)) = open.iter().find(|(id, _)| *id == step) else {
        let ids: Vec<&str> = open.iter().map(|(id, _)| *id).collect();
        return Err(if ids.is_empty() {
            format!("run {} has no open question", dir.id)
        } else {
            format!(
                "step `{step}` of run {} has no open question; the open ones: {}",
                dir.id,
                ids.join(", ")
            )
        });
    };
    let event = match reply {
        Reply::Rerun if !question.in_doubt => {
            return Err(format!(
                "`{step}` is a human step: answer it with --value (--rerun is for a step in doubt)"
            ));
        }
        Reply::Rerun => Event::HumanAnswered {
            step: step.to_string(),
            value: None,
            rerun: true,
        },
        Reply::Value(text) => {
            let ty = parse_type(&question.returns, tables).map_err(|e| {
                format!(
                    "cannot check an answer for `{step}`: its type `{}` {e}",
                    question.returns
                )
            })?;
            let json = read_value(&text, &ty, tables, workspace)
                .map_err(|e| format!("the answer for `{step}` does not fit {ty}: {e}"))?;
            Event::HumanAnswered {
                step: step.to_string(),
                value: Some(json),
                rerun: false,
            }
        }
    };
    let left: Vec<String> = open
        .iter()
        .map(|(id, _)| id.to_string())
        .filter(|id| id != step)
        .collect();
    journal
        .append(now_ms, event)
        .map_err(|e| format!("cannot write {}: {e}", journal.path().display()))?;
    Ok(Answered { open: left })
}

/// The answer's JSON, checked against `ty`. Text that is not JSON (or not
/// JSON of the right shape) is taken as a string where one is expected, so
/// `--value yes` answers a `String` question.
fn read_value(text: &str, ty: &Type, tables: &Tables, workspace: &Path) -> Result<Json, String> {
    let textual = matches!(
        ty,
        Type::String | Type::Path | Type::Refined(_) | Type::Enum(_)
    );
    let parsed = serde_json::from_str::<Json>(text);
    let value = match &parsed {
        Ok(json) => match from_json(json, ty, tables) {
            Ok(v) => v,
            Err(_) if textual => {
                from_json(&Json::String(text.into()), ty, tables).map_err(|e| e.to_string())?
            }
            Err(e) => return Err(e.to_string()),
        },
        Err(_) if textual => {
            from_json(&Json::String(text.into()), ty, tables).map_err(|e| e.to_string())?
        }
        Err(e) => return Err(format!("`{text}` is not JSON ({e})")),
    };
    check_must_exist(&value, ty, tables, workspace).map_err(|e| e.to_string())?;
    Ok(to_json(&value))
}

/// A type as `Type`'s `Display` writes it (`(List (Option Review))`),
/// resolved against the program's definitions.
pub fn parse_type(text: &str, tables: &Tables) -> Result<Type, String> {
    let spaced = text.replace('(', " ( ").replace(')', " ) ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    let mut pos = 0;
    let ty = parse_at(&tokens, &mut pos, tables, 0)?;
    if pos != tokens.len() {
        return Err("has text after its end".into());
    }
    Ok(ty)
}

fn parse_at(
    tokens: &[&str],
    pos: &mut usize,
    tables: &Tables,
    depth: usize,
) -> Result<Type, String> {
    if depth > 64 {
        return Err("is nested too deeply".into());
    }
    let Some(&token) = tokens.get(*pos) else {
        return Err("ends early".into());
    };
    *pos += 1;
    if token != "(" {
        return apply(token, Vec::new(), tables);
    }
    let Some(&head) = tokens.get(*pos) else {
        return Err("ends early".into());
    };
    *pos += 1;
    let mut args = Vec::new();
    loop {
        match tokens.get(*pos) {
            Some(&")") => {
                *pos += 1;
                return apply(head, args, tables);
            }
            Some(_) => args.push(parse_at(tokens, pos, tables, depth + 1)?),
            None => return Err("misses a `)`".into()),
        }
    }
}

fn apply(name: &str, mut args: Vec<Type>, tables: &Tables) -> Result<Type, String> {
    let arity = |n: usize| tables.type_params(name).len() == n;
    Ok(match (name, args.len()) {
        ("String", 0) => Type::String,
        ("Int", 0) => Type::Int,
        ("Float", 0) => Type::Float,
        ("Bool", 0) => Type::Bool,
        ("Json", 0) => Type::Json,
        ("Path", 0) => Type::Path,
        ("Unit", 0) => Type::Unit,
        ("List", 1) => Type::List(Box::new(args.remove(0))),
        ("Option", 1) => Type::Option(Box::new(args.remove(0))),
        (n, k) if tables.records.contains_key(n) && arity(k) => Type::Record(Name::from(n), args),
        (n, k) if tables.unions.contains_key(n) && arity(k) => Type::Union(Name::from(n), args),
        (n, 0) if tables.enums.contains_key(n) => Type::Enum(Name::from(n)),
        (n, 0) if tables.paths.contains_key(n) => Type::Refined(Name::from(n)),
        (n, _) => {
            return Err(format!(
                "names `{n}`, which the workflow does not define (or not with these arguments)"
            ));
        }
    })
}

#[cfg(test)]
#[path = "tests/answer.rs"]
mod tests;
