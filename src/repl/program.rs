//! The synthetic program behind every REPL input. The accumulated
//! definitions are kept parsed, each item with the spans of the input (or
//! file) it came from, so one `Program` can hold items of many source
//! files and every diagnostic points at the text the user typed. An
//! expression is checked as the body of a synthetic workflow `WRAPPER`
//! whose parameters are the session's bindings; the wrapper's text lives
//! in a file of its own, and `Remap` moves the spans of its diagnostics
//! back into the user's input.

use crate::diag::{Diagnostic, FileId, Label, SourceMap, Span};
use crate::parser::ast::{Item, Program, TypeExprKind};
use crate::typeck::Type;

/// The name of the synthetic workflow an expression is evaluated in, and
/// so the first part of its step ids (`repl/codex` in a replay file). A
/// definition may not take it.
pub const WRAPPER: &str = "repl";

/// What kind of definition an item is, as `:defs` shows it.
pub fn kind_name(item: &Item) -> &'static str {
    match item {
        Item::Module(_) => "module",
        Item::Import(_) => "import",
        Item::Export(_) => "export",
        Item::Enum(_) => "enum",
        Item::Path(_) => "path",
        Item::Record(_) => "record",
        Item::Union(_) => "union",
        Item::Provider(_) => "provider",
        Item::Prompt(_) => "prompt",
        Item::Fn(_) => "defn",
        Item::Workflow(_) => "workflow",
    }
}

/// The key a definition is kept under: its name, so that a redefinition
/// replaces it (`module`, `export` and each imported path are one each).
pub fn def_key(item: &Item) -> String {
    match item {
        Item::Module(_) => "(module)".into(),
        Item::Export(_) => "(export)".into(),
        Item::Import(i) => format!("(import {:?})", i.path.value),
        other => other.name().map_or_else(String::new, |n| n.name.clone()),
    }
}

/// A program of `items`, reported as belonging to `file`.
pub fn program(file: FileId, items: Vec<Item>) -> Program {
    Program { file, items }
}

/// The type as the wrapper's parameter list writes it, if it can be
/// written (a function or an unsolved type cannot be bound).
pub fn type_source(ty: &Type) -> Option<String> {
    let text = ty.to_string();
    let plain = !matches!(ty, Type::Fn(..) | Type::Invalid | Type::Never)
        && !text.contains('?')
        && !text.contains("->");
    plain.then_some(text)
}

/// An expression wrapped in the synthetic workflow.
pub struct Wrapped {
    /// The workflow item, its result type left to inference.
    pub item: Item,
    /// Diagnostics of reading the wrapper (already remapped).
    pub diags: Vec<Diagnostic>,
    pub remap: Remap,
}

/// Moves spans of the wrapper file into the user's input: a span inside
/// the copied expression goes to the same text in the input; any other
/// span of the wrapper (its head, its parameters) becomes the whole input.
#[derive(Debug, Clone, Copy)]
pub struct Remap {
    pub wrapper: FileId,
    /// Where the copied expression starts in the wrapper.
    pub copied_at: usize,
    pub len: usize,
    pub input: FileId,
    /// Where the expression starts in the input.
    pub input_at: usize,
}

impl Remap {
    pub fn span(&self, span: Span) -> Span {
        if span.file != self.wrapper {
            return span;
        }
        let (start, end) = (span.start as usize, span.end as usize);
        let end_of_copy = self.copied_at + self.len;
        if start >= self.copied_at && end <= end_of_copy {
            let moved = |at: usize| at - self.copied_at + self.input_at;
            Span::new(self.input, moved(start), moved(end))
        } else if start >= end_of_copy {
            // Past the end, e.g. an unclosed list: the end of the input.
            let end = self.input_at + self.len;
            Span::new(self.input, end, end)
        } else {
            Span::new(self.input, self.input_at, self.input_at + self.len)
        }
    }

    pub fn diag(&self, mut d: Diagnostic) -> Diagnostic {
        d.primary.span = self.span(d.primary.span);
        let wrapper = self.wrapper;
        let copied = self.copied_at..=self.copied_at + self.len;
        // Labels at the wrapper's own text ("parameter defined here") say
        // nothing the user can see; they are dropped.
        d.secondary
            .retain(|l| l.span.file != wrapper || copied.contains(&(l.span.start as usize)));
        d.secondary = d
            .secondary
            .into_iter()
            .map(|l| Label {
                span: self.span(l.span),
                message: l.message,
            })
            .collect();
        d
    }
}

/// How the expression sits in the wrapper.
#[derive(Debug, Clone, Copy)]
pub enum Shape<'a> {
    /// Bound in a `let*`, so that its type is inferred with no expectation
    /// from the context (a result type of `Invalid` would accept anything).
    Infer,
    /// The body itself, with this result type (as source), or none to
    /// leave it to `Invalid`. This is the wrapper that runs: its steps get
    /// the ids they would have in a workflow body (`repl/codex`).
    Body(Option<&'a str>),
}

/// The binding `Shape::Infer` puts the expression in.
const INFERRED: &str = "repl-value";

/// Wraps `input[range]` (the text of input file `input`) in the synthetic
/// workflow, whose parameters are `params` (name and type source).
pub fn wrap(
    map: &mut SourceMap,
    input: FileId,
    range: std::ops::Range<usize>,
    params: &[(String, String)],
    shape: Shape,
) -> Wrapped {
    let expr = map.text(input).get(range.clone()).unwrap_or("").to_string();
    let params: Vec<String> = params.iter().map(|(n, t)| format!("({n} {t})")).collect();
    let params = params.join(" ");
    let (head, tail, ret) = match shape {
        Shape::Infer => (
            format!("(defworkflow {WRAPPER} ({params}) -> Unit\n(let* (({INFERRED}\n"),
            format!("\n)) {INFERRED}))"),
            None,
        ),
        Shape::Body(ret) => (
            format!(
                "(defworkflow {WRAPPER} ({params}) -> {}\n",
                ret.unwrap_or("Unit")
            ),
            "\n)".to_string(),
            ret,
        ),
    };
    let text = format!("{head}{expr}{tail}");
    let name = format!("{} (wrapped)", map.name(input));
    let wrapper = map.add(name, text);
    let remap = Remap {
        wrapper,
        copied_at: head.len(),
        len: expr.len(),
        input,
        input_at: range.start,
    };
    let (parsed, diags) = crate::parser::parse(wrapper, map.text(wrapper));
    let diags = diags.into_iter().map(|d| remap.diag(d)).collect();
    let mut item = parsed
        .items
        .into_iter()
        .find(|i| matches!(i, Item::Workflow(_)))
        .unwrap_or_else(|| {
            // An input like `)` breaks the wrapper itself; an empty
            // workflow keeps the program whole (the error is reported).
            Item::Workflow(empty_wrapper(remap.span(Span::new(wrapper, 0, 0))))
        });
    if let Item::Workflow(w) = &mut item
        && ret.is_none()
    {
        // `Invalid` fits every type, so the body's own type comes through.
        w.ret.kind = TypeExprKind::Error;
    }
    Wrapped { item, diags, remap }
}

fn empty_wrapper(span: Span) -> crate::parser::ast::WorkflowDef {
    use crate::parser::ast::{Ident, TypeExpr, WorkflowDef};
    WorkflowDef {
        name: Ident {
            name: WRAPPER.into(),
            span,
        },
        type_params: Vec::new(),
        params: Vec::new(),
        ret: TypeExpr {
            kind: TypeExprKind::Error,
            span,
        },
        body: Vec::new(),
        doc: None,
        span,
    }
}
