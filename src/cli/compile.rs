//! `wfl compile FILE --to yaml [-o DIR] [--entry WF]`: lowers a checked
//! file to the YAML workflow DSL. Without `-o` a result that is one file
//! goes to stdout; one that needs imported files asks for `-o`. With `-o`
//! every file is written into DIR (created if missing) and the list of
//! files goes to stderr. Exit status: 0 written, 1 the workflow uses
//! something YAML cannot express (E05xx diagnostics on stderr), 2 usage
//! or compile error, 101 a failed self-check (a bug in wfl).

use super::load::load;
use super::{ExitStatus, eprint_text, print_text, stderr_color};
use crate::diag::{Code, RenderOptions, render_text};
use crate::lower::yaml;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct CompileArgs {
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The target language.
    #[arg(long, value_enum)]
    to: Target,
    /// Directory to write the files into (needed when there are several).
    #[arg(short = 'o', long = "out", value_name = "DIR")]
    out: Option<PathBuf>,
    /// The workflow to compile (default: the file's only workflow, or the
    /// only one no other workflow calls).
    #[arg(long, value_name = "WF")]
    entry: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Target {
    /// The YAML workflow DSL, version 2.14.
    Yaml,
}

pub fn run(args: CompileArgs) -> ExitStatus {
    let loaded = match load(&args.file) {
        Ok(l) => l,
        Err(status) => return status,
    };
    let entry = match crate::runtime::entry_workflow(&loaded.program.tables, args.entry.as_deref())
    {
        Ok(info) => info.name.clone(),
        Err(message) => {
            eprint_text(&format!("wfl: {message}\n"));
            return ExitStatus::Usage;
        }
    };
    let output = match yaml::lower(&loaded.program, &entry) {
        Ok(output) => output,
        Err(diags) => {
            let opts = RenderOptions {
                color: stderr_color(),
            };
            eprint_text(&render_text(&loaded.map, &diags, opts));
            if diags.iter().any(|d| d.code == Code::E0599) {
                return ExitStatus::Internal;
            }
            eprint_text(&format!(
                "wfl: {} cannot be lowered to YAML ({} problem{})\n",
                loaded.name,
                diags.len(),
                if diags.len() == 1 { "" } else { "s" }
            ));
            return ExitStatus::Problems;
        }
    };
    match &args.out {
        None => match output.files.as_slice() {
            [one] => {
                print_text(&one.text);
                ExitStatus::Clean
            }
            files => {
                let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
                eprint_text(&format!(
                    "wfl: `{entry}` lowers to {} files ({}); write them with -o DIR\n",
                    files.len(),
                    names.join(", ")
                ));
                ExitStatus::Usage
            }
        },
        Some(dir) => write_all(dir, &output),
    }
}

fn write_all(dir: &std::path::Path, output: &yaml::YamlOutput) -> ExitStatus {
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprint_text(&format!("wfl: cannot create {}: {e}\n", dir.display()));
        return ExitStatus::Usage;
    }
    for file in &output.files {
        let path = dir.join(&file.name);
        if let Err(e) = std::fs::write(&path, &file.text) {
            eprint_text(&format!("wfl: cannot write {}: {e}\n", path.display()));
            return ExitStatus::Usage;
        }
        eprint_text(&format!("wrote {}\n", path.display()));
    }
    ExitStatus::Clean
}
