//! `wfl repl [FILE]`: the interactive front end of `repl::Session`. On a
//! terminal it edits lines with rustyline: a validator built on the reader
//! (`repl::input::is_incomplete`) keeps the prompt open while a list or a
//! string is unclosed, Tab completes commands, keywords and names, and
//! history persists in `$XDG_STATE_HOME/wfl/history` (when that variable
//! is set) or `~/.wfl_history`. When stdin is not a terminal, lines are
//! read plainly with no prompt and no editing, joined until the input is
//! complete, and only the session's replies are printed, so a piped script
//! gives exactly its transcript. Exit status 0 at the end of input or
//! `:quit`, 2 if the workspace or FILE cannot be used.

use super::{ExitStatus, eprint_text, print_text};
use crate::repl::{Session, complete, input};
use clap::Args;
use rustyline::completion::Completer;
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Editor, Helper};
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ReplArgs {
    /// A workflow file to load at the start (`:reload` reads it again).
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
}

pub fn run(args: ReplArgs) -> ExitStatus {
    let workspace = match std::env::current_dir().and_then(std::fs::canonicalize) {
        Ok(dir) => dir,
        Err(e) => {
            eprint_text(&format!("wfl: no workspace directory: {e}\n"));
            return ExitStatus::Usage;
        }
    };
    let color = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut session = Session::new(workspace).with_color(color);
    if let Some(file) = &args.file {
        let reply = session.submit(&format!(":load {}", file.display()));
        print_text(&reply.text);
        if reply.text.starts_with("error: cannot read") {
            return ExitStatus::Usage;
        }
    }
    if std::io::stdin().is_terminal() {
        interactive(session)
    } else {
        piped(session)
    }
}

/// Lines from a pipe: no prompt, no editing.
fn piped(mut session: Session) -> ExitStatus {
    let mut buffer = String::new();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        buffer.push_str(&line);
        buffer.push('\n');
        if input::is_incomplete(&buffer) {
            continue;
        }
        let reply = session.submit(&buffer);
        buffer.clear();
        print_text(&reply.text);
        if reply.quit {
            return ExitStatus::Clean;
        }
    }
    if !buffer.trim().is_empty() {
        // Input ended inside a list or string: say so, as the reader does.
        print_text(&session.submit(&buffer).text);
    }
    ExitStatus::Clean
}

fn interactive(mut session: Session) -> ExitStatus {
    let mut editor: Editor<ReplHelper, rustyline::history::DefaultHistory> = match Editor::new() {
        Ok(editor) => editor,
        Err(e) => {
            eprint_text(&format!("wfl: cannot start the line editor: {e}\n"));
            return piped(session);
        }
    };
    editor.set_helper(Some(ReplHelper {
        names: session.names(),
    }));
    let history = history_path();
    if let Some(path) = &history {
        let _ = editor.load_history(path);
    }
    print_text("wfl repl — :help lists the commands, :quit or Ctrl-D leaves\n");
    loop {
        match editor.readline("wfl> ") {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                }
                let reply = session.submit(&line);
                print_text(&reply.text);
                if let Some(helper) = editor.helper_mut() {
                    helper.names = session.names();
                }
                if reply.quit {
                    break;
                }
            }
            // Ctrl-C drops the line being edited, as in a shell.
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprint_text(&format!("wfl: {e}\n"));
                break;
            }
        }
    }
    if let Some(path) = &history {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = editor.save_history(path);
    }
    ExitStatus::Clean
}

/// `$XDG_STATE_HOME/wfl/history`, else `~/.wfl_history`.
fn history_path() -> Option<PathBuf> {
    if let Some(state) = std::env::var_os("XDG_STATE_HOME").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(state).join("wfl").join("history"));
    }
    std::env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .map(|home| PathBuf::from(home).join(".wfl_history"))
}

/// Completion and multi-line validation for rustyline.
struct ReplHelper {
    names: Vec<String>,
}

impl Completer for ReplHelper {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        Ok(complete::complete(line, pos, &self.names))
    }
}

impl Validator for ReplHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        let text = ctx.input();
        if !text.trim_start().starts_with(':') && input::is_incomplete(text) {
            Ok(ValidationResult::Incomplete)
        } else {
            Ok(ValidationResult::Valid(None))
        }
    }
}

impl Hinter for ReplHelper {
    type Hint = String;
}

impl Highlighter for ReplHelper {}

impl Helper for ReplHelper {}
