//! Failures and the other ways evaluation stops early. A `Failure` is a
//! wfl-level error (what `try` catches and `retry` counts): its kind is a
//! member of the built-in enum `ErrorKind`, and it converts to the built-in
//! `Error` record value. `Interrupt` is what the evaluator returns instead
//! of a value: a failure, a `recur` on its way to its loop, or an effect the
//! pure evaluator leaves to the interpreter.
//!
//! What holds: the kinds and the `Error` record's fields here are exactly
//! the built-ins the checker declares (`step kind message stderr attempt`),
//! and nothing in this module allocates unless a failure is being built.

use crate::diag::Span;
use crate::runtime::value::Value;
use crate::typeck::types::Name;
use std::fmt;

/// The members of the built-in enum `ErrorKind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A command exited non-zero.
    Exit,
    Timeout,
    /// A reply or stdout did not fit the declared type.
    InvalidOutput,
    /// A process could not be started.
    Spawn,
    /// A `fail`, or a built-in that cannot produce a value (overflow,
    /// division by zero, a bad `path`).
    Fail,
    Assert,
    /// A loop spent its `:max` rounds and has no `:exhausted` value.
    Exhausted,
}

impl ErrorKind {
    pub const ALL: [ErrorKind; 7] = [
        ErrorKind::Exit,
        ErrorKind::Timeout,
        ErrorKind::InvalidOutput,
        ErrorKind::Spawn,
        ErrorKind::Fail,
        ErrorKind::Assert,
        ErrorKind::Exhausted,
    ];

    /// The member's name: `INVALID_OUTPUT`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Exit => "EXIT",
            ErrorKind::Timeout => "TIMEOUT",
            ErrorKind::InvalidOutput => "INVALID_OUTPUT",
            ErrorKind::Spawn => "SPAWN",
            ErrorKind::Fail => "FAIL",
            ErrorKind::Assert => "ASSERT",
            ErrorKind::Exhausted => "EXHAUSTED",
        }
    }

    pub fn from_name(name: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A wfl-level failure.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub kind: ErrorKind,
    pub message: String,
    /// The tail of a command's stderr; empty for pure failures.
    pub stderr: String,
    /// The step that failed, when known where the failure arose (the
    /// interpreter sets it for step failures); otherwise the catcher's.
    pub step: Option<String>,
    /// Where in the source the failure arose, if known.
    pub span: Option<Span>,
    /// The `retry` attempt the failure arose in, when inside one; otherwise
    /// the catcher's.
    pub attempt: Option<i64>,
}

impl Failure {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Failure {
        Failure {
            kind,
            message: message.into(),
            stderr: String::new(),
            step: None,
            span: None,
            attempt: None,
        }
    }

    /// A `FAIL` failure: `fail`, or a built-in that has no value to give.
    pub fn fail(message: impl Into<String>) -> Failure {
        Failure::new(ErrorKind::Fail, message)
    }

    pub fn at(mut self, span: Span) -> Failure {
        self.span.get_or_insert(span);
        self
    }

    /// The wfl `Error` record: `step` and `attempt` are this failure's own if
    /// it has them, else the given ones (the catcher's).
    pub fn to_error_value(&self, step: &str, attempt: i64) -> Value {
        let field = |n: &str, v: Value| (Name::from(n), v);
        Value::record(
            Name::from("Error"),
            vec![
                field("step", Value::str(self.step.as_deref().unwrap_or(step))),
                field(
                    "kind",
                    Value::enum_member(Name::from("ErrorKind"), Name::from(self.kind.name())),
                ),
                field("message", Value::str(&self.message)),
                field("stderr", Value::str(&self.stderr)),
                field("attempt", Value::Int(self.attempt.unwrap_or(attempt))),
            ],
        )
    }

    /// Reads an `Error` record value back (as `try` handlers may re-raise
    /// what they caught); `None` if `v` is not one.
    pub fn from_error_value(v: &Value) -> Option<Failure> {
        let text = |n: &str| v.field(n).and_then(Value::as_str).map(str::to_string);
        let kind = match v.field("kind")? {
            Value::Enum(e) => ErrorKind::from_name(&e.member)?,
            _ => return None,
        };
        Some(Failure {
            kind,
            message: text("message")?,
            stderr: text("stderr").unwrap_or_default(),
            step: text("step"),
            span: None,
            attempt: v.field("attempt").and_then(Value::as_int),
        })
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

impl std::error::Error for Failure {}

/// Why evaluation stopped without a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Interrupt {
    /// A wfl failure; `try` catches it, and it fails the run otherwise.
    Fail(Failure),
    /// `recur` with the next round's state values, travelling up (through
    /// tail positions only) to the innermost enclosing `loop`.
    Recur(Vec<Value>),
    /// An effect the pure evaluator does not run. It is returned before
    /// anything happened (pure evaluation has no side effects), so the
    /// interpreter may evaluate the whole node itself.
    Effect(Effect),
}

/// What effect the pure evaluator met.
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    /// The form: `command`, `provider`, `human`, `call`, `for-each`,
    /// `parallel`, `retry`, `phase`, `budget`, or `workflow` for a
    /// workflow function value applied (directly or by `map`/`filter`).
    pub form: &'static str,
    /// The workflow's name, for `workflow`.
    pub name: Option<Name>,
    pub span: Span,
}

impl Interrupt {
    pub fn effect(form: &'static str, span: Span) -> Interrupt {
        Interrupt::Effect(Effect {
            form,
            name: None,
            span,
        })
    }

    /// The failure, if this is one.
    pub fn as_failure(&self) -> Option<&Failure> {
        match self {
            Interrupt::Fail(f) => Some(f),
            _ => None,
        }
    }

    /// Makes any interrupt a failure: a `recur` or an effect where none can
    /// be handled (an internal error after a clean check).
    pub fn into_failure(self) -> Failure {
        match self {
            Interrupt::Fail(f) => f,
            Interrupt::Recur(_) => Failure::fail("internal: `recur` outside of a loop"),
            Interrupt::Effect(e) => Failure::fail(format!(
                "internal: effect `{}` in a pure evaluation",
                e.form
            ))
            .at(e.span),
        }
    }
}

impl From<Failure> for Interrupt {
    fn from(f: Failure) -> Interrupt {
        Interrupt::Fail(f)
    }
}

impl fmt::Display for Interrupt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Interrupt::Fail(fail) => fail.fmt(f),
            Interrupt::Recur(values) => write!(f, "recur with {} values", values.len()),
            Interrupt::Effect(e) => write!(f, "effect `{}`", e.form),
        }
    }
}
