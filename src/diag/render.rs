//! Rendering of diagnostics: human text through ariadne (the only module that
//! uses it) and machine-readable JSON, one object per diagnostic. Both take
//! the `SourceMap` that owns every file a span can point into.

use super::{Diagnostic, FileId, Severity, SourceMap};
use ariadne::{Color, Config, IndexType, Label, Report, ReportKind, Source};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// ANSI colour; the CLI turns it on only for a terminal without NO_COLOR.
    pub color: bool,
}

/// Ariadne's view of the source map: it builds ariadne's line index for a
/// file the first time a report needs it.
struct Cache<'a> {
    map: &'a SourceMap,
    sources: HashMap<FileId, Source<&'a str>>,
}

impl<'a> ariadne::Cache<FileId> for Cache<'a> {
    type Storage = &'a str;

    fn fetch(&mut self, id: &FileId) -> Result<&Source<&'a str>, impl std::fmt::Debug> {
        let map = self.map;
        Ok::<_, ()>(
            self.sources
                .entry(*id)
                .or_insert_with(|| Source::from(map.text(*id))),
        )
    }

    fn display<'b>(&self, id: &'b FileId) -> Option<impl std::fmt::Display + 'b> {
        Some(self.map.name(*id).to_string())
    }
}

type AriadneSpan = (FileId, std::ops::Range<usize>);

/// Renders diagnostics as text, one report after another.
pub fn render_text(map: &SourceMap, diags: &[Diagnostic], opts: RenderOptions) -> String {
    let mut cache = Cache {
        map,
        sources: HashMap::new(),
    };
    let mut out = Vec::new();
    for diag in diags {
        let report = build_report(diag, map, opts);
        // Writing into a Vec cannot fail; a failure here would only lose text.
        let _ = report.write(&mut cache, &mut out);
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn clamp(map: &SourceMap, span: super::Span) -> AriadneSpan {
    let len = map.text(span.file).len();
    let start = (span.start as usize).min(len);
    let end = (span.end as usize).clamp(start, len);
    (span.file, start..end)
}

fn build_report<'a>(
    diag: &Diagnostic,
    map: &SourceMap,
    opts: RenderOptions,
) -> Report<'a, AriadneSpan> {
    let kind = match diag.severity {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
    };
    let config = Config::default()
        .with_color(opts.color)
        .with_index_type(IndexType::Byte);
    let primary_color = match diag.severity {
        Severity::Error => Color::Red,
        Severity::Warning => Color::Yellow,
    };
    // Labels are ordered by position: ariadne starts a new snippet (with a
    // repeated header) whenever a label in order lies above the previous one.
    let mut positions: Vec<(super::Span, usize)> = std::iter::once(diag.primary.span)
        .chain(diag.secondary.iter().map(|l| l.span))
        .enumerate()
        .map(|(i, span)| (span, i))
        .collect();
    positions.sort_by_key(|(span, i)| (span.file, span.start, *i));
    let order_of = |index: usize| {
        positions
            .iter()
            .position(|(_, i)| *i == index)
            .map_or(0, |p| p as i32)
    };
    let mut primary = Label::new(clamp(map, diag.primary.span)).with_order(order_of(0));
    if !diag.primary.message.is_empty() {
        primary = primary.with_message(&diag.primary.message);
    }
    if opts.color {
        primary = primary.with_color(primary_color);
    }
    let mut builder = Report::build(kind, clamp(map, diag.primary.span))
        .with_config(config)
        .with_code(diag.code)
        .with_message(&diag.message)
        .with_label(primary);
    for (i, label) in diag.secondary.iter().enumerate() {
        let mut l = Label::new(clamp(map, label.span))
            .with_message(&label.message)
            .with_order(order_of(i + 1));
        if opts.color {
            l = l.with_color(Color::Blue);
        }
        builder = builder.with_label(l);
    }
    if let Some(hint) = &diag.hint {
        builder = builder.with_help(hint);
    }
    builder.finish()
}

#[derive(Serialize)]
struct JsonPosition {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end: JsonPosition,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    severity: Severity,
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end: JsonPosition,
    #[serde(skip_serializing_if = "str::is_empty")]
    label: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    labels: Vec<JsonLabel<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'a str>,
}

fn position(map: &SourceMap, span: super::Span) -> (usize, usize, JsonPosition) {
    match map.get(span.file) {
        Some(file) => {
            let (line, column) = file.line_col(span.start as usize);
            let (end_line, end_column) = file.line_col(span.end as usize);
            (
                line,
                column,
                JsonPosition {
                    line: end_line,
                    column: end_column,
                },
            )
        }
        None => (0, 0, JsonPosition { line: 0, column: 0 }),
    }
}

/// Renders diagnostics as JSON lines: one object per diagnostic with code,
/// severity, message, file, 1-based line and column, and the end position.
pub fn render_json(map: &SourceMap, diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for diag in diags {
        let (line, column, end) = position(map, diag.primary.span);
        let labels = diag
            .secondary
            .iter()
            .map(|l| {
                let (line, column, end) = position(map, l.span);
                JsonLabel {
                    message: &l.message,
                    file: map.name(l.span.file),
                    line,
                    column,
                    end,
                }
            })
            .collect();
        let json = JsonDiagnostic {
            code: diag.code.as_str(),
            severity: diag.severity,
            message: &diag.message,
            file: map.name(diag.primary.span.file),
            line,
            column,
            end,
            label: &diag.primary.message,
            labels,
            hint: diag.hint.as_deref(),
        };
        if let Ok(line) = serde_json::to_string(&json) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}
