//! `wfl report RUN_ID [--format md|json]`: a run's steps with their status,
//! duration, exit code and usage, and the artifacts with the step that
//! produced them and their content hash.

use super::{ExitStatus, eprint_text, print_text};
use crate::runtime::report;
use crate::runtime::rundir::RunDir;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The run's id (or a unique prefix of it).
    #[arg(value_name = "RUN_ID")]
    run_id: String,
    #[arg(long, value_enum, default_value_t = Format::Md)]
    format: Format,
    /// The workspace the run belongs to (default: current directory).
    #[arg(long, value_name = "DIR")]
    workspace: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Md,
    Json,
}

pub fn run(args: ReportArgs) -> ExitStatus {
    let workspace = args.workspace.unwrap_or_else(|| PathBuf::from("."));
    let report = RunDir::open(&workspace, &args.run_id).and_then(|dir| report::load(&dir));
    match report {
        Ok(r) => {
            match args.format {
                Format::Md => print_text(&report::markdown(&r)),
                Format::Json => {
                    let text = serde_json::to_string_pretty(&r).unwrap_or_default();
                    print_text(&format!("{text}\n"));
                }
            }
            ExitStatus::Clean
        }
        Err(e) => {
            eprint_text(&format!("wfl: {e}\n"));
            ExitStatus::Usage
        }
    }
}
