//! The `wfl` command line, one module per subcommand; this module parses the
//! arguments with clap and dispatches. Every command runs on a thread with a
//! `STACK_SIZE` stack, so the deepest nesting the reader accepts can never
//! overflow the stack of any phase. Exit codes are `ExitStatus`: 0 clean
//! (or the run succeeded), 1 problems found (or the workflow failed), 2
//! usage error, unreadable input or compile error, 3 the run is paused;
//! nothing that input can reach panics, and a panic (a bug) is reported
//! and exits with 101.

mod answer;
mod check;
mod compile;
mod graph;
mod load;
mod repl;
mod report;
mod resume;
mod run;
mod runs;

pub use crate::modules::source::{add_source, read_input};
pub use check::check_bytes;

use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// Stack of the thread every command runs on. The reader refuses nesting
/// deeper than 128 levels; this leaves orders of magnitude of headroom for
/// the recursive phases behind it. Only touched pages are ever committed.
pub const STACK_SIZE: usize = 64 * 1024 * 1024;

/// How a command ended, as the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    /// Nothing to report.
    Clean = 0,
    /// The input has problems (diagnostics with severity error).
    Problems = 1,
    /// Bad command line, an input that could not be read, or a workflow
    /// that does not compile.
    Usage = 2,
    /// The run is waiting for a human answer or a raised budget.
    Paused = 3,
    /// A panic: a bug in wfl, never the input's fault.
    Internal = 101,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        ExitCode::from(status as u8)
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "wfl",
    version,
    about = "A typed Lisp for deterministic agent workflows",
    arg_required_else_help = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse, resolve and type-check files, and report every problem found.
    Check(check::CheckArgs),
    /// Run a workflow; its typed result is printed as JSON.
    Run(run::RunArgs),
    /// Continue a run that crashed or paused: replay its journal and go on.
    Resume(resume::ResumeArgs),
    /// Answer an open question of a paused run.
    Answer(answer::AnswerArgs),
    /// List the runs of this workspace.
    Runs(runs::RunsArgs),
    /// Show a run: its steps, statuses, durations, usage and artifacts.
    Report(report::ReportArgs),
    /// Draw the DAG IR of a file's workflows.
    Graph(graph::GraphArgs),
    /// Lower a workflow to the YAML workflow DSL.
    Compile(compile::CompileArgs),
    /// Try types, expressions and workflows interactively.
    Repl(repl::ReplArgs),
}

/// Entry point of the `wfl` binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // Help and --version are "errors" that print to stdout and exit 0.
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
        }
    };
    match on_large_stack(move || run(cli)) {
        Ok(status) => status.into(),
        Err(_) => {
            let _ = writeln!(
                std::io::stderr().lock(),
                "wfl: internal error: this is a bug in wfl, not in your input; please report it"
            );
            ExitStatus::Internal.into()
        }
    }
}

fn run(cli: Cli) -> ExitStatus {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Run(args) => run::run(args),
        Command::Resume(args) => resume::run(args),
        Command::Answer(args) => answer::run(args),
        Command::Runs(args) => runs::run(args),
        Command::Report(args) => report::run(args),
        Command::Graph(args) => graph::run(args),
        Command::Compile(args) => compile::run(args),
        Command::Repl(args) => repl::run(args),
    }
}

/// Runs `f` on a thread with a `STACK_SIZE` stack and waits for it. A panic
/// in `f` comes back as `Err` (after the panic hook has printed it). If the
/// thread cannot be spawned, `f` runs on the current thread instead.
pub fn on_large_stack<T: Send>(f: impl FnOnce() -> T + Send) -> std::thread::Result<T> {
    // A failed spawn drops the closure it was given, so `f` waits in a slot
    // that the fallback can still take it from.
    let slot = std::sync::Mutex::new(Some(f));
    let run = || {
        let f = slot.lock().ok()?.take()?;
        Some(f())
    };
    let outcome = std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("wfl".into())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, run)
        {
            Ok(handle) => handle.join(),
            Err(_) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)),
        }
    });
    // `None` would mean the closure was taken twice, which the code above
    // rules out; it is mapped to an error rather than trusted.
    outcome.and_then(|value| value.ok_or_else(|| Box::new("command did not run") as _))
}

/// Colour only for a terminal, and never when `NO_COLOR` is set to a
/// non-empty value (<https://no-color.org>).
pub fn stderr_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Writes to stderr, ignoring failure: a closed stderr must not panic.
fn eprint_text(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Writes to stdout, ignoring failure: `wfl … | head` closes the pipe early,
/// and that must not panic.
fn print_text(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Uses about `n` KiB of stack.
    fn deep(n: usize) -> usize {
        let frame = std::hint::black_box([1u8; 1024]);
        if n == 0 {
            frame[0] as usize
        } else {
            frame[n % 1024] as usize + deep(n - 1)
        }
    }

    #[test]
    fn runs_on_a_stack_far_larger_than_a_test_thread() {
        // 16 MiB of frames: eight times the 2 MiB of a test thread.
        assert_eq!(on_large_stack(|| deep(16 * 1024)).unwrap(), 16 * 1024 + 1);
    }

    #[test]
    fn a_panic_comes_back_as_err() {
        let result = on_large_stack(|| -> u8 { panic!("deliberate") });
        assert!(result.is_err());
    }
}
