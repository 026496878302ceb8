//! `wfl graph FILE [--entry WF] [--format dot|mermaid|json]`: the DAG IR of
//! a checked file, drawn on stdout.

use super::load::load;
use super::{ExitStatus, eprint_text, print_text};
use crate::ir::{GraphFormat, render};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct GraphArgs {
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Only this workflow (default: every workflow of the file).
    #[arg(long, value_name = "WF")]
    entry: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Dot)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Dot,
    Mermaid,
    Json,
}

pub fn run(args: GraphArgs) -> ExitStatus {
    let loaded = match load(&args.file) {
        Ok(l) => l,
        Err(status) => return status,
    };
    if let Some(entry) = &args.entry
        && !loaded.program.workflows.contains_key(entry.as_str())
    {
        let names: Vec<&str> = loaded.program.workflows.keys().map(|k| &**k).collect();
        eprint_text(&format!(
            "wfl: no workflow `{entry}` in {} (it defines: {})\n",
            loaded.name,
            names.join(", ")
        ));
        return ExitStatus::Usage;
    }
    let format = match args.format {
        Format::Dot => GraphFormat::Dot,
        Format::Mermaid => GraphFormat::Mermaid,
        Format::Json => GraphFormat::Json,
    };
    print_text(&render(
        &loaded.program,
        &loaded.map,
        args.entry.as_deref(),
        format,
    ));
    ExitStatus::Clean
}
