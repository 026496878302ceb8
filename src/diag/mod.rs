//! One `Diagnostic` type for every phase. Each phase has its own error enum
//! that converts into it; this module owns the code table, spans, the source
//! map, "did you mean" suggestions and the two renderings (ariadne text and
//! JSON). Nothing outside `render` touches ariadne.

mod codes;
mod render;
mod source_map;
mod span;
mod suggest;

pub use codes::Code;
pub use render::{RenderOptions, render_json, render_text};
pub use source_map::{MAX_FILE_BYTES, SourceFile, SourceMap};
pub use span::{FileId, Span};
pub use suggest::{closest, did_you_mean};

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A span with an optional message: the primary label says what is wrong
/// here, secondary labels point at related places ("defined here").
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            primary: Label {
                span,
                message: String::new(),
            },
            secondary: Vec::new(),
            hint: None,
        }
    }

    /// Text of the primary label (shown under the primary span).
    pub fn with_primary(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a hint only when there is one (e.g. from `did_you_mean`).
    pub fn with_opt_hint(mut self, hint: Option<String>) -> Self {
        if hint.is_some() {
            self.hint = hint;
        }
        self
    }

    pub fn span(&self) -> Span {
        self.primary.span
    }
}

/// Sorts diagnostics by position (file, start, end, code) and drops exact
/// duplicates, which recovery in two phases can produce.
pub fn sort_diagnostics(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (a.span().file, a.span().start, a.span().end, a.code).cmp(&(
            b.span().file,
            b.span().start,
            b.span().end,
            b.code,
        ))
    });
    diags.dedup_by(|a, b| a.code == b.code && a.span() == b.span() && a.message == b.message);
}

pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}
