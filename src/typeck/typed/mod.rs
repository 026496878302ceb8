//! The typed program's expressions: one enum level, every node with its
//! `Type` (free of inference variables once checking is done) and `Span`,
//! every name resolved (`Ref`), every effect and structured control node
//! with its static step id. Owned, no lifetimes: the evaluator and the DAG
//! builder consume it directly. Locals get a `LocalId` unique within their
//! item, so an evaluator may use slots instead of name lookups.

mod step;
mod walk;

pub use step::{StepId, StepSeg};
pub use walk::{children, children_mut, for_each_node_mut, for_each_type_mut};

use super::builtins::Builtin;
use super::types::{Name, Type};
use crate::diag::Span;

/// A local variable: `let*`/`parallel`/loop binding, for-each element,
/// match binder, catch variable, or `attempt`/`failures` of a retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalId(pub u32);

/// What a name refers to.
#[derive(Debug, Clone, PartialEq)]
pub enum Ref {
    Local {
        name: Name,
        id: LocalId,
    },
    /// The `index`-th parameter of the enclosing defn, workflow or prompt.
    Param {
        name: Name,
        index: usize,
    },
    /// A defn as a function value, with its type arguments at this use.
    Defn {
        name: Name,
        type_args: Vec<Type>,
    },
    /// A workflow passed where a function is expected.
    Workflow {
        name: Name,
        type_args: Vec<Type>,
    },
    /// A prompt passed where a function is expected (renders to String).
    Prompt {
        name: Name,
    },
    /// A built-in function passed as a value (`(map trim xs)`).
    Builtin {
        op: Builtin,
        type_args: Vec<Type>,
    },
    /// `Severity.LOW`
    EnumMember {
        enum_name: Name,
        member: Name,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct TExpr {
    pub kind: TExprKind,
    pub ty: Type,
    pub span: Span,
}

/// How a field is reached.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldAccess {
    Record,
    /// A union variant's field, through the binder of the `match` arm that
    /// proved the variant.
    Variant {
        variant: Name,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum TTemplatePart {
    Text(String),
    /// `{x.f}`: a variable and field accesses.
    Hole(TExpr),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TTemplate {
    pub parts: Vec<TTemplatePart>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TBinding {
    pub name: Name,
    pub id: LocalId,
    pub value: TExpr,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TPattern {
    /// A union variant; the binder (if any) reaches the variant's fields.
    Variant {
        name: Name,
        binder: Option<(Name, LocalId)>,
    },
    /// An enum member; a binder (rare) names the matched value.
    Member {
        name: Name,
        binder: Option<(Name, LocalId)>,
    },
    Wildcard,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TArm {
    pub pattern: TPattern,
    pub body: Vec<TExpr>,
    pub span: Span,
}

/// Options every effect step has.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TStepOpts {
    /// Seconds (Int).
    pub timeout: Option<Box<TExpr>>,
    pub idempotent: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TCommand {
    pub step: StepId,
    /// Each item is a String or a path.
    pub argv: Vec<TExpr>,
    /// `None`: the result is a `CommandResult`.
    pub returns: Option<Type>,
    pub env: Vec<(String, TExpr)>,
    pub stdin: Option<Box<TExpr>>,
    pub shell: bool,
    pub opts: TStepOpts,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TProvider {
    pub step: StepId,
    pub provider: Name,
    /// A String (usually a rendered prompt).
    pub prompt: Box<TExpr>,
    pub returns: Type,
    pub opts: TStepOpts,
}

#[derive(Debug, Clone, PartialEq)]
pub struct THuman {
    pub step: StepId,
    pub ask: Box<TExpr>,
    pub returns: Type,
    pub opts: TStepOpts,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TCall {
    pub step: StepId,
    pub workflow: Name,
    pub type_args: Vec<Type>,
    /// One per workflow parameter, in declaration order; `None` means the
    /// parameter's default.
    pub args: Vec<Option<TExpr>>,
    pub opts: TStepOpts,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TLoop {
    pub step: StepId,
    pub max: Option<Box<TExpr>>,
    pub state: Vec<TBinding>,
    pub body: Vec<TExpr>,
    pub exhausted: Option<Box<TExpr>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TForEach {
    pub step: StepId,
    pub var: Name,
    pub var_id: LocalId,
    pub list: Box<TExpr>,
    pub limit: Option<Box<TExpr>>,
    pub body: Vec<TExpr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TParallel {
    pub bindings: Vec<TBinding>,
    pub limit: Option<Box<TExpr>>,
    pub body: Vec<TExpr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TRetry {
    pub step: StepId,
    pub attempts: Option<Box<TExpr>>,
    pub backoff: Option<Box<TExpr>>,
    /// `attempt : Int`, 1-based.
    pub attempt: LocalId,
    /// `failures : (List Error)`, oldest first.
    pub failures: LocalId,
    pub body: Vec<TExpr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TTry {
    pub body: Vec<TExpr>,
    pub var: Name,
    /// The caught `Error`.
    pub var_id: LocalId,
    pub handler: Vec<TExpr>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TExprKind {
    Int(i64),
    Float(f64),
    /// A string literal; its `ty` is `String`, `Path` or a `defpath` type
    /// (already checked against the refinement).
    Str(String),
    Bool(bool),
    /// `none`; the node's type is the `(Option T)` the context wanted.
    None,
    Var(Ref),
    Field {
        base: Box<TExpr>,
        field: Name,
        access: FieldAccess,
    },
    /// Fields in declaration order (each given exactly once).
    Record {
        name: Name,
        fields: Vec<(Name, TExpr)>,
    },
    Variant {
        union: Name,
        variant: Name,
        fields: Vec<(Name, TExpr)>,
    },
    List(Vec<TExpr>),
    Fmt(TTemplate),
    If {
        cond: Box<TExpr>,
        then: Box<TExpr>,
        els: Box<TExpr>,
    },
    Cond {
        arms: Vec<(TExpr, TExpr)>,
        els: Box<TExpr>,
    },
    Match {
        scrutinee: Box<TExpr>,
        arms: Vec<TArm>,
    },
    Let {
        bindings: Vec<TBinding>,
        body: Vec<TExpr>,
    },
    Do(Vec<TExpr>),
    /// A built-in function or operator applied to its arguments.
    Builtin {
        op: Builtin,
        args: Vec<TExpr>,
    },
    /// A defn applied; `args` per parameter, `None` for its default.
    CallDefn {
        name: Name,
        type_args: Vec<Type>,
        args: Vec<Option<TExpr>>,
    },
    /// A prompt rendered to a String; `args` per parameter.
    RenderPrompt {
        name: Name,
        args: Vec<Option<TExpr>>,
    },
    /// A function value (a parameter or local of function type) applied.
    ApplyValue {
        func: Box<TExpr>,
        args: Vec<TExpr>,
    },
    Command(TCommand),
    Provider(TProvider),
    Human(THuman),
    Call(TCall),
    Loop(TLoop),
    /// Next round of the innermost loop; one value per state variable.
    Recur(Vec<TExpr>),
    ForEach(TForEach),
    Parallel(TParallel),
    Retry(TRetry),
    Try(TTry),
    Phase {
        step: StepId,
        name: Name,
        body: Vec<TExpr>,
    },
    Budget {
        tokens: Option<Box<TExpr>>,
        usd: Option<Box<TExpr>>,
        body: Vec<TExpr>,
    },
    Fail(Box<TExpr>),
    Assert {
        cond: Box<TExpr>,
        message: Box<TExpr>,
    },
    /// An expression that had an error (already reported); type `Invalid`.
    Error,
}

impl TExpr {
    pub fn new(kind: TExprKind, ty: Type, span: Span) -> TExpr {
        TExpr { kind, ty, span }
    }

    pub fn error(span: Span) -> TExpr {
        TExpr::new(TExprKind::Error, Type::Invalid, span)
    }

    /// The step id, for effect steps and named structured nodes.
    pub fn step(&self) -> Option<&StepId> {
        match &self.kind {
            TExprKind::Command(c) => Some(&c.step),
            TExprKind::Provider(p) => Some(&p.step),
            TExprKind::Human(h) => Some(&h.step),
            TExprKind::Call(c) => Some(&c.step),
            TExprKind::Loop(l) => Some(&l.step),
            TExprKind::ForEach(f) => Some(&f.step),
            TExprKind::Retry(r) => Some(&r.step),
            TExprKind::Phase { step, .. } => Some(step),
            _ => None,
        }
    }
}
