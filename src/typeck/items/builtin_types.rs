//! The built-in items every file sees: the record `Error` (what `catch`
//! binds and `failures` lists), the enum `ErrorKind` and the record
//! `CommandResult` (a `command` without `:returns`), entered first into
//! the tables with `builtin` set and no source span; and the names no item
//! may take (built-in types and functions, special forms: E0207).

use super::*;
use crate::diag::Span;
use crate::typeck::builtins::Builtin;
use resolve::PRIMITIVES;

/// Special forms and literal names: no item may take these names.
const FORMS: &[&str] = &[
    "let*", "do", "if", "cond", "match", "record", "variant", "list", "fmt", "command", "provider",
    "human", "call", "loop", "recur", "for-each", "parallel", "retry", "try", "phase", "budget",
    "fail", "assert", "else", "catch", "none", "true", "false", "_",
];

fn builtin_field(name: &str, ty: Type) -> FieldInfo {
    FieldInfo {
        name: name.into(),
        ty,
        span: Span::default(),
    }
}

/// `Error`, `ErrorKind` and `CommandResult`.
pub(super) fn add_builtins(t: &mut Tables) {
    let members = [
        "EXIT",
        "TIMEOUT",
        "INVALID_OUTPUT",
        "SPAWN",
        "FAIL",
        "ASSERT",
        "EXHAUSTED",
    ];
    t.enums.insert(
        "ErrorKind".into(),
        EnumInfo {
            name: "ErrorKind".into(),
            members: members
                .iter()
                .map(|&m| MemberInfo {
                    name: m.into(),
                    span: Span::default(),
                })
                .collect(),
            doc: Some("Why a step failed.".into()),
            span: Span::default(),
            builtin: true,
        },
    );
    let record = |name: &str, fields: Vec<FieldInfo>, doc: &str| RecordInfo {
        name: name.into(),
        type_params: Vec::new(),
        fields,
        doc: Some(doc.into()),
        span: Span::default(),
        builtin: true,
    };
    t.records.insert(
        "Error".into(),
        record(
            "Error",
            vec![
                builtin_field("step", Type::String),
                builtin_field("kind", Type::Enum("ErrorKind".into())),
                builtin_field("message", Type::String),
                builtin_field("stderr", Type::String),
                builtin_field("attempt", Type::Int),
            ],
            "A step failure, as bound by `catch` and listed in `failures`.",
        ),
    );
    t.records.insert(
        "CommandResult".into(),
        record(
            "CommandResult",
            vec![
                builtin_field("exit-code", Type::Int),
                builtin_field("stdout", Type::String),
                builtin_field("stderr", Type::String),
            ],
            "The result of a `command` without `:returns`.",
        ),
    );
    for (name, kind) in [
        ("ErrorKind", ItemKind::Enum),
        ("Error", ItemKind::Record),
        ("CommandResult", ItemKind::Record),
    ] {
        t.names.insert(name.into(), (kind, Span::default()));
        t.scope.insert(name.into(), name.into());
    }
}

pub(super) fn reserved(name: &str) -> Option<&'static str> {
    if PRIMITIVES.contains(&name) || name == "List" || name == "Option" {
        Some("a built-in type")
    } else if Builtin::from_name(name).is_some() {
        Some("a built-in function")
    } else if FORMS.contains(&name) {
        Some("a special form")
    } else {
        None
    }
}
