//! `wfl runs`: the runs of this workspace, newest last, one line each
//! (id, status, workflow, file), or JSON with `--format json`.

use super::{ExitStatus, eprint_text, print_text};
use crate::runtime::rundir::{RunDir, list_ids};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct RunsArgs {
    /// The workspace whose `.wfl/runs/` to list (default: current directory).
    #[arg(long, value_name = "DIR")]
    workspace: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

pub fn run(args: RunsArgs) -> ExitStatus {
    let workspace = args.workspace.unwrap_or_else(|| PathBuf::from("."));
    let ids = match list_ids(&workspace) {
        Ok(ids) => ids,
        Err(e) => {
            eprint_text(&format!("wfl: cannot list runs: {e}\n"));
            return ExitStatus::Usage;
        }
    };
    let mut rows = Vec::new();
    for id in ids {
        let dir = RunDir {
            path: RunDir::root(&workspace).join(&id),
            id,
        };
        match dir.read_info() {
            Ok(info) => rows.push(info),
            Err(e) => eprint_text(&format!("wfl: skipping {}: {e}\n", dir.id)),
        }
    }
    match args.format {
        Format::Json => {
            let text = serde_json::to_string_pretty(&rows).unwrap_or_default();
            print_text(&format!("{text}\n"));
        }
        Format::Text => {
            if rows.is_empty() {
                eprint_text("no runs in this workspace\n");
            }
            for info in rows {
                print_text(&format!(
                    "{}  {:<9}  {}  ({})\n",
                    info.run_id,
                    info.status.as_str(),
                    info.workflow,
                    info.file
                ));
            }
        }
    }
    ExitStatus::Clean
}
