//! The AST of special forms: what the S-expressions of one file mean
//! syntactically, before any name is resolved or type checked. Every node
//! carries its `Span`. Malformed pieces become `Error` nodes (already
//! reported), so later phases can keep going without cascading messages.

use crate::diag::{FileId, Span};

/// A name as written, with its span: `review`, `Severity`, `doc`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A string literal with its span (argv items, defpath roots, import paths).
#[derive(Debug, Clone, PartialEq)]
pub struct StrLit {
    pub value: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    pub file: FileId,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Module(ModuleDecl),
    Import(Import),
    Export(Export),
    Enum(EnumDef),
    Path(PathDef),
    Record(RecordDef),
    Union(UnionDef),
    Provider(ProviderDef),
    Prompt(PromptDef),
    Fn(FnDef),
    Workflow(WorkflowDef),
}

impl Item {
    /// The defined name, for items that define one.
    pub fn name(&self) -> Option<&Ident> {
        match self {
            Item::Module(m) => Some(&m.name),
            Item::Import(_) | Item::Export(_) => None,
            Item::Enum(d) => Some(&d.name),
            Item::Path(d) => Some(&d.name),
            Item::Record(d) => Some(&d.name),
            Item::Union(d) => Some(&d.name),
            Item::Provider(d) => Some(&d.name),
            Item::Prompt(d) => Some(&d.name),
            Item::Fn(d) => Some(&d.name),
            Item::Workflow(d) => Some(&d.name),
        }
    }

    pub fn span(&self) -> Span {
        match self {
            Item::Module(d) => d.span,
            Item::Import(d) => d.span,
            Item::Export(d) => d.span,
            Item::Enum(d) => d.span,
            Item::Path(d) => d.span,
            Item::Record(d) => d.span,
            Item::Union(d) => d.span,
            Item::Provider(d) => d.span,
            Item::Prompt(d) => d.span,
            Item::Fn(d) => d.span,
            Item::Workflow(d) => d.span,
        }
    }
}

/// `(module name :doc "…")`
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleDecl {
    pub name: Ident,
    pub doc: Option<String>,
    pub span: Span,
}

/// `(import "std/review" :only (a b) :as prefix)`
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    pub path: StrLit,
    pub only: Option<Vec<Ident>>,
    pub alias: Option<Ident>,
    pub span: Span,
}

/// `(export a b c)`
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    pub names: Vec<Ident>,
    pub span: Span,
}

/// `(defenum Severity LOW HIGH)`
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    pub name: Ident,
    pub members: Vec<Ident>,
    pub doc: Option<String>,
    pub span: Span,
}

/// `(defpath DesignDoc :under "docs" :must-exist true :ext ".md")`
#[derive(Debug, Clone, PartialEq)]
pub struct PathDef {
    pub name: Ident,
    pub under: Option<StrLit>,
    pub ext: Option<StrLit>,
    pub must_exist: bool,
    pub doc: Option<String>,
    pub span: Span,
}

/// A record field or variant field: `(steps (List String))`.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDef {
    pub name: Ident,
    pub ty: TypeExpr,
    pub span: Span,
}

/// `(defrecord Plan (doc DesignDoc) …)` or `(defrecord (Reviewed S) …)`
#[derive(Debug, Clone, PartialEq)]
pub struct RecordDef {
    pub name: Ident,
    pub type_params: Vec<Ident>,
    pub fields: Vec<FieldDef>,
    pub doc: Option<String>,
    pub span: Span,
}

/// `(APPROVE (report Path))` inside a `defunion`.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantDef {
    pub name: Ident,
    pub fields: Vec<FieldDef>,
    pub span: Span,
}

/// `(defunion Review (APPROVE (report Path)) (REVISE (findings (List String))))`
#[derive(Debug, Clone, PartialEq)]
pub struct UnionDef {
    pub name: Ident,
    pub type_params: Vec<Ident>,
    pub variants: Vec<VariantDef>,
    pub doc: Option<String>,
    pub span: Span,
}

/// How a provider process receives its prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptVia {
    /// Written to the process's stdin.
    Stdin,
    /// Written to a file whose path is in `WFL_PROMPT`.
    File,
    /// Appended as the last argv item.
    Arg,
}

/// `(defprovider codex :argv ("codex" "exec" "-") :prompt-via stdin :timeout 900)`
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderDef {
    pub name: Ident,
    pub argv: Vec<StrLit>,
    pub prompt_via: PromptVia,
    pub timeout: Option<Expr>,
    /// `:env (("KEY" "value") …)`
    pub env: Vec<(StrLit, StrLit)>,
    pub doc: Option<String>,
    pub span: Span,
}

/// A piece of a `fmt` string or prompt template.
#[derive(Debug, Clone, PartialEq)]
pub enum TemplatePart {
    Text(String),
    /// `{doc}` or `{plan.doc}`: a name followed by field names.
    Hole {
        path: Vec<Ident>,
        span: Span,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
    pub span: Span,
}

/// `(defprompt review-doc ((doc DesignDoc) (focus String)) "Review {doc} …")`
#[derive(Debug, Clone, PartialEq)]
pub struct PromptDef {
    pub name: Ident,
    pub params: Vec<Param>,
    pub template: Template,
    pub doc: Option<String>,
    pub span: Span,
}

/// `(rounds Int :default 3)` in a parameter list.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: Ident,
    pub ty: TypeExpr,
    pub default: Option<Expr>,
    pub span: Span,
}

/// `(defn slug ((s String)) -> String body…)`, and a workflow, which has
/// the same parts: `(defworkflow stack [S] ((brief Path)) -> Result body…)`.
/// `Item` tells the two apart.
#[derive(Debug, Clone, PartialEq)]
pub struct FnDef {
    pub name: Ident,
    pub type_params: Vec<Ident>,
    pub params: Vec<Param>,
    pub ret: TypeExpr,
    pub body: Vec<Expr>,
    pub doc: Option<String>,
    pub span: Span,
}

/// A `defworkflow`: the parts of a `defn`.
pub type WorkflowDef = FnDef;

#[derive(Debug, Clone, PartialEq)]
pub struct TypeExpr {
    pub kind: TypeExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeExprKind {
    /// `String`, `Plan`, `S`
    Named(Ident),
    /// `(List T)`, `(Option T)`, `(Reviewed S)`
    App(Ident, Vec<TypeExpr>),
    /// `(-> (S Int) Review)`
    Fn(Vec<TypeExpr>, Box<TypeExpr>),
    /// Unreadable; already reported.
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

/// `name value` in `record`, `variant` and `call`: `:doc d`.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldInit {
    pub name: Ident,
    pub value: Expr,
}

/// `(x e)` in `let*`, `parallel` and loop state.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub name: Ident,
    pub value: Expr,
    pub span: Span,
}

/// An argument of a function-like application.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Positional(Expr),
    Keyword(Ident, Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Pattern {
    /// `APPROVE`, `(APPROVE a)`, `LOW`: a variant or enum member, with an
    /// optional binder for the variant's fields.
    Variant { name: Ident, binder: Option<Ident> },
    /// `_`
    Wildcard(Span),
}

#[derive(Debug, Clone, PartialEq)]
pub struct MatchArm {
    pub pattern: Pattern,
    pub body: Vec<Expr>,
    pub span: Span,
}

/// Options every effect step accepts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StepOpts {
    /// `:name sym`: the step id when the step is not bound by `let*`.
    pub name: Option<Ident>,
    /// `:timeout secs`
    pub timeout: Option<Box<Expr>>,
    /// `:idempotent true`: may be re-run when found in doubt on resume.
    pub idempotent: bool,
}

/// `(command :argv (…) :returns T :timeout 600 :env (("K" v)) :shell true)`
#[derive(Debug, Clone, PartialEq)]
pub struct CommandStep {
    pub argv: Vec<Expr>,
    pub returns: Option<TypeExpr>,
    pub env: Vec<(StrLit, Expr)>,
    pub stdin: Option<Box<Expr>>,
    pub shell: bool,
    pub opts: StepOpts,
}

/// `(provider codex :prompt (review-doc :doc d) :returns Review)`
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderStep {
    pub provider: Ident,
    pub prompt: Box<Expr>,
    pub returns: TypeExpr,
    pub opts: StepOpts,
}

/// `(human :ask "Ship it?" :returns Decision)`
#[derive(Debug, Clone, PartialEq)]
pub struct HumanStep {
    pub ask: Box<Expr>,
    pub returns: TypeExpr,
    pub opts: StepOpts,
}

/// `(call other-workflow :arg v)`
#[derive(Debug, Clone, PartialEq)]
pub struct CallStep {
    pub workflow: Ident,
    pub args: Vec<FieldInit>,
    pub opts: StepOpts,
}

/// `(loop name :max N ((x init) …) body… :exhausted expr)`
#[derive(Debug, Clone, PartialEq)]
pub struct LoopExpr {
    pub name: Ident,
    pub max: Option<Box<Expr>>,
    pub state: Vec<Binding>,
    pub body: Vec<Expr>,
    pub exhausted: Option<Box<Expr>>,
}

/// `(for-each name (x xs) :limit K body…)`
#[derive(Debug, Clone, PartialEq)]
pub struct ForEachExpr {
    pub name: Ident,
    pub var: Ident,
    pub list: Box<Expr>,
    pub limit: Option<Box<Expr>>,
    pub body: Vec<Expr>,
}

/// `(parallel ((a e1) (b e2)) body…)`; `:limit K` is optional.
#[derive(Debug, Clone, PartialEq)]
pub struct ParallelExpr {
    pub bindings: Vec<Binding>,
    pub limit: Option<Box<Expr>>,
    pub body: Vec<Expr>,
}

/// `(retry name :attempts N :backoff secs body…)`
#[derive(Debug, Clone, PartialEq)]
pub struct RetryExpr {
    pub name: Ident,
    pub attempts: Option<Box<Expr>>,
    pub backoff: Option<Box<Expr>>,
    pub body: Vec<Expr>,
}

/// `(catch e handler…)`
#[derive(Debug, Clone, PartialEq)]
pub struct CatchClause {
    pub var: Ident,
    pub body: Vec<Expr>,
    pub span: Span,
}

/// `(try body… (catch e handler…))`
#[derive(Debug, Clone, PartialEq)]
pub struct TryExpr {
    pub body: Vec<Expr>,
    pub catch: CatchClause,
}

/// `(budget :tokens N :usd X body…)`
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetExpr {
    pub tokens: Option<Box<Expr>>,
    pub usd: Option<Box<Expr>>,
    pub body: Vec<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
    /// A plain name: a local, parameter, function, workflow or prompt.
    Var(Ident),
    /// `x.f` (also `Severity.LOW` before resolution tells them apart).
    Field(Box<Expr>, Ident),
    /// `(record Plan :doc d :steps s)`
    Record {
        ty: TypeExpr,
        fields: Vec<FieldInit>,
    },
    /// `(variant Review APPROVE :report p)`
    Variant {
        ty: TypeExpr,
        variant: Ident,
        fields: Vec<FieldInit>,
    },
    /// `(list a b c)`
    List(Vec<Expr>),
    /// `(fmt "… {x.y} …")`
    Fmt(Template),
    If {
        cond: Box<Expr>,
        then: Box<Expr>,
        els: Box<Expr>,
    },
    /// `(cond (c a) … (else z))`
    Cond {
        arms: Vec<(Expr, Expr)>,
        els: Box<Expr>,
    },
    Match {
        scrutinee: Box<Expr>,
        arms: Vec<MatchArm>,
    },
    Let {
        bindings: Vec<Binding>,
        body: Vec<Expr>,
    },
    Do(Vec<Expr>),
    /// `(f a b)`, `(+ a 1)`, `(review-doc :doc d)`: operators, built-ins,
    /// `defn`s, prompts, and parameters of function type.
    Apply {
        func: Ident,
        args: Vec<Arg>,
    },
    Command(CommandStep),
    Provider(ProviderStep),
    Human(HumanStep),
    Call(CallStep),
    Loop(LoopExpr),
    Recur(Vec<Expr>),
    ForEach(ForEachExpr),
    Parallel(ParallelExpr),
    Retry(RetryExpr),
    Try(TryExpr),
    /// `(phase name body…)`
    Phase {
        name: Ident,
        body: Vec<Expr>,
    },
    Budget(BudgetExpr),
    Fail(Box<Expr>),
    Assert {
        cond: Box<Expr>,
        message: Box<Expr>,
    },
    /// Unreadable; already reported.
    Error,
}

impl Expr {
    pub fn error(span: Span) -> Expr {
        Expr {
            kind: ExprKind::Error,
            span,
        }
    }
}
