//! The REPL's testable core: a `Session` takes one complete input at a
//! time and returns the text to show. It holds the accumulated definitions
//! (parsed, one per name, each with the input or file it came from, so a
//! redefinition replaces the old one with a note), bindings made with
//! `(def NAME EXPR)` (a value and its type, passed to later expressions as
//! parameters of the synthetic workflow), provider swaps, and one
//! `SourceMap` in which every input is its own `<repl:N>` file. Errors are
//! rendered as `wfl check` renders them and never end the session. The
//! rustyline front end is `cli::repl`; it only reads lines and prints.

mod commands;
pub mod complete;
mod eval;
pub mod input;
mod program;

use crate::diag::{Diagnostic, FileId, RenderOptions, SourceMap, render_text};
use crate::parser::ast::Item;
use crate::runtime::value::Value;
use crate::typeck::Type;
use indexmap::IndexMap;
use input::Kind;
use std::path::PathBuf;

pub use commands::COMMANDS;

/// One accumulated definition.
#[derive(Debug, Clone)]
pub struct Def {
    pub kind: &'static str,
    pub item: Item,
    /// The input or file it was read from.
    pub file: FileId,
}

/// A value bound with `(def NAME EXPR)`.
#[derive(Debug, Clone)]
pub struct Binding {
    pub value: Value,
    pub ty: Type,
    /// How the wrapper's parameter list writes `ty`.
    pub ty_source: String,
}

/// What one input gives: text to print, and whether the session ends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reply {
    pub text: String,
    pub quit: bool,
}

impl Reply {
    fn text(text: impl Into<String>) -> Reply {
        Reply {
            text: text.into(),
            quit: false,
        }
    }
}

/// The state of one REPL session.
pub struct Session {
    map: SourceMap,
    defs: IndexMap<String, Def>,
    bindings: IndexMap<String, Binding>,
    /// `:provider NAME SPEC` swaps, as `--provider NAME=SPEC` has them.
    providers: IndexMap<String, String>,
    /// Files loaded with `:load`, for `:reload`.
    loaded: Vec<PathBuf>,
    workspace: PathBuf,
    color: bool,
    inputs: usize,
}

impl Session {
    /// A session whose steps run in `workspace` (where `.wfl/runs/` is kept).
    pub fn new(workspace: PathBuf) -> Session {
        Session {
            map: SourceMap::new(),
            defs: IndexMap::new(),
            bindings: IndexMap::new(),
            providers: IndexMap::new(),
            loaded: Vec::new(),
            workspace,
            color: false,
            inputs: 0,
        }
    }

    /// Render diagnostics in colour.
    pub fn with_color(mut self, color: bool) -> Session {
        self.color = color;
        self
    }

    /// Handles one complete input.
    pub fn submit(&mut self, text: &str) -> Reply {
        match input::classify(text) {
            Kind::Empty => Reply::default(),
            Kind::Command { name, rest } => self.command(&name, &rest),
            Kind::Defs => {
                let file = self.add_input(text);
                let (parsed, diags) = crate::parser::parse(file, self.map.text(file));
                Reply::text(self.define(file, parsed.items, diags))
            }
            Kind::Bind => Reply::text(self.bind(text)),
            Kind::Expr => {
                let file = self.add_input(text);
                let range = 0..text.len();
                Reply::text(match self.evaluate(file, range) {
                    Ok(done) => format!("{}=> {} : {}\n", done.notes, done.shown, done.ty),
                    Err(message) => message,
                })
            }
            Kind::Mixed => {
                Reply::text("error: enter definitions and expressions as separate inputs\n")
            }
            Kind::Many => Reply::text("error: enter one expression at a time (or use `do`)\n"),
        }
    }

    /// Names to complete: definitions, bindings, enum members.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .defs
            .keys()
            .filter(|k| !k.starts_with('('))
            .cloned()
            .collect();
        names.extend(self.bindings.keys().cloned());
        for def in self.defs.values() {
            if let Item::Enum(e) = &def.item {
                names.extend(
                    e.members
                        .iter()
                        .map(|m| format!("{}.{}", e.name.name, m.name)),
                );
            }
        }
        names
    }

    /// Adds an input as the next `<repl:N>` file.
    fn add_input(&mut self, text: &str) -> FileId {
        self.inputs += 1;
        self.map.add(format!("<repl:{}>", self.inputs), text)
    }

    /// Checks the session's definitions as one program. An import typed
    /// at the prompt is relative to the workspace, one in a `:load`ed file
    /// to that file's directory; the files they read are added to the
    /// session's map once, then reused.
    fn check_program(
        &mut self,
        program: crate::parser::ast::Program,
    ) -> (crate::typeck::Checked, Vec<Diagnostic>) {
        crate::modules::check_program(&mut self.map, program, None, &self.workspace)
    }

    fn render(&self, diags: &[Diagnostic]) -> String {
        render_text(&self.map, diags, RenderOptions { color: self.color })
    }

    /// Adds the items read from `file` to the definitions, if they check:
    /// an error in `file` rejects them all and leaves the session as it
    /// was. Errors they cause elsewhere (a redefined type that an older
    /// definition no longer fits) are shown, and the items are kept.
    fn define(&mut self, file: FileId, items: Vec<Item>, mut diags: Vec<Diagnostic>) -> String {
        let mut defs = self.defs.clone();
        let mut out = String::new();
        let mut seen = Vec::new();
        for item in items {
            let key = program::def_key(&item);
            if key == program::WRAPPER {
                return format!(
                    "error: the name `{key}` is the REPL's own workflow; choose another\n"
                );
            }
            if seen.contains(&key) {
                return format!(
                    "error: `{key}` is defined twice in {}\n",
                    self.map.name(file)
                );
            }
            let kind = program::kind_name(&item);
            match defs.get(&key) {
                Some(old) => out.push_str(&format!(
                    "note: {kind} `{key}` replaces the {} from {}\n",
                    old.kind,
                    self.map.name(old.file)
                )),
                None => out.push_str(&format!("defined {kind} `{key}`\n")),
            }
            seen.push(key.clone());
            defs.insert(key, Def { kind, item, file });
        }
        let items = defs.values().map(|d| d.item.clone()).collect();
        let (_, type_diags) = self.check_program(program::program(file, items));
        diags.extend(type_diags);
        let mut errors: Vec<Diagnostic> = diags.into_iter().filter(is_error).collect();
        crate::diag::sort_diagnostics(&mut errors);
        if errors.iter().any(|d| d.span().file == file) {
            let mut text = self.render(&errors);
            text.push_str(&format!("{} is not defined\n", self.map.name(file)));
            return text;
        }
        self.defs = defs;
        if !errors.is_empty() {
            out.push_str(&self.render(&errors));
            out.push_str("warning: the definitions above no longer check\n");
        }
        out
    }

    /// `(def NAME EXPR)`: evaluates `EXPR` and binds its value.
    fn bind(&mut self, text: &str) -> String {
        let (name, start, end) = match input::split_bind(text) {
            Ok(parts) => parts,
            Err(message) => return format!("error: {message}\n"),
        };
        let file = self.add_input(text);
        let done = match self.evaluate(file, start..end) {
            Ok(done) => done,
            Err(message) => return message,
        };
        let Some(ty_source) = program::type_source(&done.ty) else {
            return format!(
                "error: a value of type {} cannot be bound; use defn\n",
                done.ty
            );
        };
        let mut out = done.notes;
        if self.bindings.contains_key(&name) {
            out.push_str(&format!("note: `{name}` is bound again\n"));
        }
        out.push_str(&format!("{name} = {} : {}\n", done.shown, done.ty));
        self.bindings.insert(
            name,
            Binding {
                value: done.value,
                ty: done.ty,
                ty_source,
            },
        );
        out
    }
}

fn is_error(d: &Diagnostic) -> bool {
    d.severity == crate::diag::Severity::Error
}
