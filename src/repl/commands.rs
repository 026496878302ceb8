//! The REPL's `:` commands. Each returns the text to show; none of them
//! ends the session on an error.

use super::program::{self, WRAPPER};
use super::{Reply, Session};
use crate::diag::has_errors;
use crate::ir::{GraphFormat, render};
use crate::runtime::rundir::{RunDir, list_ids};
use std::path::PathBuf;

/// Every command with its arguments and what it does, for `:help` and
/// completion.
pub const COMMANDS: &[(&str, &str, &str)] = &[
    (":help", "", "this list"),
    (
        ":type",
        "EXPR",
        "the type of an expression, without evaluating it",
    ),
    (
        ":load",
        "FILE",
        "add a file's definitions (replacing those of the same name)",
    ),
    (":reload", "", "load the loaded files again"),
    (":defs", "", "the definitions and bindings of this session"),
    (
        ":graph",
        "WF [dot|mermaid|json]",
        "draw a workflow's DAG IR",
    ),
    (":yaml", "WF", "lower a workflow to the YAML workflow DSL"),
    (
        ":run",
        "WF [NAME=VALUE…]",
        "run a workflow (inputs as for wfl run --input)",
    ),
    (":runs", "", "the runs of the workspace"),
    (
        ":provider",
        "[NAME [SPEC]]",
        "list, swap (replay:FILE, command:…) or restore providers",
    ),
    (
        ":reset",
        "",
        "forget every definition, binding and provider swap",
    ),
    (":quit", "", "leave (also Ctrl-D)"),
];

impl Session {
    pub(super) fn command(&mut self, name: &str, rest: &str) -> Reply {
        let text = match name {
            "help" | "h" | "?" => help(),
            "type" | "t" => self.type_of(rest),
            "load" | "l" => self.load(rest),
            "reload" | "r" => self.reload(),
            "defs" => self.defs_text(),
            "graph" => self.graph(rest),
            "yaml" => self.yaml(rest),
            "run" => self.run_command(rest),
            "runs" => self.runs(),
            "provider" => self.provider(rest),
            "reset" => {
                *self = Session::new(self.workspace.clone()).with_color(self.color);
                "session reset\n".into()
            }
            "quit" | "q" | "exit" => {
                return Reply {
                    text: String::new(),
                    quit: true,
                };
            }
            other => format!("error: unknown command `:{other}` (:help lists them)\n"),
        };
        Reply { text, quit: false }
    }

    fn type_of(&mut self, expr: &str) -> String {
        if expr.is_empty() {
            return "usage: :type EXPR\n".into();
        }
        let file = self.add_input(expr);
        match self.check_expr(file, 0..expr.len()) {
            Ok((_, ty)) => format!("{expr} : {ty}\n"),
            Err(message) => message,
        }
    }

    fn load(&mut self, path: &str) -> String {
        if path.is_empty() {
            return "usage: :load FILE\n".into();
        }
        let path = PathBuf::from(path);
        let (name, bytes) = match crate::cli::read_input(&path) {
            Ok(read) => read,
            Err(message) => return format!("error: {message}\n"),
        };
        let (file, not_utf8) = crate::cli::add_source(&mut self.map, name, bytes);
        if let Some(d) = not_utf8 {
            return self.render(&[d]);
        }
        let (parsed, diags) = crate::parser::parse(file, self.map.text(file));
        if !self.loaded.contains(&path) {
            self.loaded.push(path);
        }
        let text = self.define(file, parsed.items, diags);
        // Per-definition lines for a whole file are noise; keep the notes.
        let mut out: String = text
            .lines()
            .filter(|l| !l.starts_with("defined "))
            .map(|l| format!("{l}\n"))
            .collect();
        let count = text.lines().filter(|l| l.starts_with("defined ")).count();
        if count > 0 {
            out.push_str(&format!(
                "loaded {} ({count} definitions)\n",
                self.map.name(file)
            ));
        }
        out
    }

    fn reload(&mut self) -> String {
        if self.loaded.is_empty() {
            return "nothing loaded yet (:load FILE)\n".into();
        }
        let files: Vec<String> = self
            .loaded
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        // The reloaded file's definitions replace themselves: no notes.
        files
            .iter()
            .map(|f| {
                self.load(f)
                    .lines()
                    .filter(|l| !l.starts_with("note: "))
                    .map(|l| format!("{l}\n"))
                    .collect::<String>()
            })
            .collect()
    }

    fn defs_text(&self) -> String {
        let mut out = String::new();
        for (key, def) in &self.defs {
            out.push_str(&format!(
                "{:<9} {key}  ({})\n",
                def.kind,
                self.map.name(def.file)
            ));
        }
        for (name, b) in &self.bindings {
            out.push_str(&format!("{:<9} {name} : {}\n", "binding", b.ty));
        }
        if out.is_empty() {
            out.push_str("no definitions yet\n");
        }
        out
    }

    /// The definitions checked as one program, or the rendered errors.
    fn checked_defs(&mut self) -> Result<crate::typeck::Checked, String> {
        let items = self.defs.values().map(|d| d.item.clone()).collect();
        let file = self
            .defs
            .values()
            .last()
            .map_or(crate::diag::FileId(0), |d| d.file);
        let (checked, diags) = self.check_program(program::program(file, items));
        if has_errors(&diags) {
            let errors: Vec<_> = diags.into_iter().filter(super::is_error).collect();
            return Err(self.render(&errors));
        }
        Ok(checked)
    }

    /// The workflow `name` of the checked definitions.
    fn workflow(&mut self, name: &str) -> Result<crate::typeck::Checked, String> {
        let checked = self.checked_defs()?;
        if name.is_empty() || name == WRAPPER {
            return Err("error: name a workflow\n".into());
        }
        if checked.workflow(name).is_none() {
            let names: Vec<&str> = checked.tables.workflows.keys().map(|k| &**k).collect();
            return Err(format!(
                "error: no workflow `{name}` (defined: {})\n",
                if names.is_empty() {
                    "none".into()
                } else {
                    names.join(", ")
                }
            ));
        }
        Ok(checked)
    }

    fn graph(&mut self, rest: &str) -> String {
        let mut words = rest.split_whitespace();
        let name = words.next().unwrap_or("");
        let format = match words.next() {
            None | Some("dot") => GraphFormat::Dot,
            Some("mermaid") => GraphFormat::Mermaid,
            Some("json") => GraphFormat::Json,
            Some(other) => {
                return format!("error: unknown format `{other}` (dot, mermaid, json)\n");
            }
        };
        match self.workflow(name) {
            Ok(checked) => {
                let program = crate::ir::build(std::sync::Arc::new(checked.tables));
                let mut text = render(&program, &self.map, Some(name), format);
                if !text.ends_with('\n') {
                    text.push('\n');
                }
                text
            }
            Err(message) => message,
        }
    }

    /// `:yaml WF`: the YAML workflow DSL for `WF`, as `wfl compile --to
    /// yaml` writes it; several files are shown one after the other.
    fn yaml(&mut self, rest: &str) -> String {
        let name = rest.trim();
        let checked = match self.workflow(name) {
            Ok(c) => c,
            Err(message) => return message,
        };
        let program = crate::ir::build(std::sync::Arc::new(checked.tables));
        match crate::lower::yaml::lower(&program, name) {
            Ok(output) => {
                let many = output.files.len() > 1;
                let mut text = String::new();
                for file in &output.files {
                    if many {
                        text.push_str(&format!("# --- {}\n", file.name));
                    }
                    text.push_str(&file.text);
                    if !text.ends_with('\n') {
                        text.push('\n');
                    }
                }
                text
            }
            Err(diags) => self.render(&diags),
        }
    }

    fn run_command(&mut self, rest: &str) -> String {
        let mut words = rest.split_whitespace();
        let name = words.next().unwrap_or("");
        let mut inputs = Vec::new();
        for word in words {
            match word.split_once('=') {
                Some((k, v)) if !k.is_empty() => inputs.push((k.to_string(), v.to_string())),
                _ => return format!("error: expected NAME=VALUE, found `{word}`\n"),
            }
        }
        let checked = match self.workflow(name) {
            Ok(c) => c,
            Err(message) => return message,
        };
        match self.run_program(checked, "<repl>", name, inputs) {
            Ok((crate::runtime::RunOutcome::Succeeded { value, .. }, notes)) => {
                let ty = self
                    .workflow(name)
                    .ok()
                    .and_then(|c| c.workflow(name).map(|w| w.ret.clone()));
                let ty = ty.map_or(String::new(), |t| format!(" : {t}"));
                format!("{notes}=> {value}{ty}\n")
            }
            Ok((_, notes)) => notes,
            Err(message) => message,
        }
    }

    fn runs(&self) -> String {
        let ids = match list_ids(&self.workspace) {
            Ok(ids) => ids,
            Err(e) => return format!("error: cannot list runs: {e}\n"),
        };
        let mut out = String::new();
        for id in ids {
            let dir = RunDir {
                path: RunDir::root(&self.workspace).join(&id),
                id,
            };
            match dir.read_info() {
                Ok(info) => out.push_str(&format!(
                    "{}  {:<9}  {}  ({})\n",
                    info.run_id,
                    info.status.as_str(),
                    info.workflow,
                    info.file
                )),
                Err(e) => out.push_str(&format!("{}: {e}\n", dir.id)),
            }
        }
        if out.is_empty() {
            out.push_str("no runs in this workspace\n");
        }
        out
    }

    fn provider(&mut self, rest: &str) -> String {
        let mut words = rest.splitn(2, char::is_whitespace);
        match (
            words.next().filter(|w| !w.is_empty()),
            words.next().map(str::trim),
        ) {
            (None, _) => {
                let mut out = String::new();
                for def in self.defs.values() {
                    if let crate::parser::ast::Item::Provider(p) = &def.item {
                        let name = &p.name.name;
                        match self.providers.get(name) {
                            Some(spec) => out.push_str(&format!("{name} = {spec}\n")),
                            None => out.push_str(&format!("{name} (as declared)\n")),
                        }
                    }
                }
                for (name, spec) in &self.providers {
                    if !self.defs.contains_key(name) {
                        out.push_str(&format!("{name} = {spec} (not declared yet)\n"));
                    }
                }
                if out.is_empty() {
                    out.push_str("no providers\n");
                }
                out
            }
            (Some(name), None | Some("")) => match self.providers.shift_remove(name) {
                Some(_) => format!("provider `{name}` runs as declared\n"),
                None => format!("provider `{name}` was not swapped\n"),
            },
            (Some(name), Some(spec)) => {
                self.providers.insert(name.to_string(), spec.to_string());
                format!("provider `{name}` = {spec}\n")
            }
        }
    }
}

fn help() -> String {
    let mut out = String::from(
        "Enter definitions (defrecord, defworkflow, …) to add them, an expression to\n\
         evaluate it, or (def NAME EXPR) to bind a value. Commands:\n",
    );
    for (name, args, what) in COMMANDS {
        let usage = format!("{name} {args}");
        out.push_str(&format!("  {usage:<30} {what}\n"));
    }
    out
}
