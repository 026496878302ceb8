//! Provider resolution: every `defprovider` of the program becomes a
//! `Provider` the interpreter can call, unless `--provider NAME=SPEC`
//! swaps it at run time. SPEC is `replay:FILE` (answers from a recorded
//! file), `command:PROGRAM ARG…` (a command template reading the prompt on
//! stdin), or the name of another declared provider.

use super::replay::ReplayFile;
use crate::parser::ast::PromptVia;
use crate::typeck::Tables;
use crate::typeck::types::Name;
use indexmap::IndexMap;
use std::path::Path;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq)]
pub enum Provider {
    /// A process that gets the prompt and replies with JSON.
    Command {
        argv: Vec<String>,
        prompt_via: PromptVia,
        env: Vec<(String, String)>,
        /// Seconds; a step's own `:timeout` wins.
        timeout: Option<u64>,
    },
    Replay(Arc<ReplayFile>),
}

impl Provider {
    /// A short description for the journal's step identity and reports.
    pub fn describe(&self) -> String {
        match self {
            Provider::Command { argv, .. } => format!("command:{}", argv.join(" ")),
            Provider::Replay(file) => format!("replay:{}", file.path),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Providers {
    by_name: IndexMap<Name, Provider>,
}

/// The declared provider `written` names: its full name, or the name it
/// has in its own module (`codex` for `lib/agents:codex`) when only one
/// provider has it.
fn declared_name(
    declared: &IndexMap<Name, Provider>,
    written: &str,
) -> Result<Option<Name>, String> {
    if let Some((name, _)) = declared.get_key_value(written) {
        return Ok(Some(name.clone()));
    }
    let own = |n: &Name| n.rsplit_once(':').is_some_and(|(_, own)| own == written);
    let matches: Vec<&Name> = declared.keys().filter(|n| own(n)).collect();
    match matches.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some((*one).clone())),
        many => Err(format!(
            "--provider {written}=…: several imported modules declare `{written}` ({}); \
             write the full name",
            many.iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

impl Providers {
    /// Resolves the declared providers and applies the overrides, which
    /// are `(NAME, SPEC)` pairs; relative replay paths resolve against `cwd`.
    pub fn resolve(
        tables: &Tables,
        overrides: &[(String, String)],
        cwd: &Path,
    ) -> Result<Providers, String> {
        let mut by_name = IndexMap::new();
        for (name, info) in &tables.providers {
            let timeout = info.timeout.as_ref().and_then(|t| match t.kind {
                crate::typeck::typed::TExprKind::Int(n) if n > 0 => Some(n as u64),
                _ => None,
            });
            by_name.insert(
                name.clone(),
                Provider::Command {
                    argv: info.argv.clone(),
                    prompt_via: info.prompt_via,
                    env: info.env.clone(),
                    timeout,
                },
            );
        }
        let declared = by_name.clone();
        let mut replays: IndexMap<String, Arc<ReplayFile>> = IndexMap::new();
        for (written, spec) in overrides {
            let Some(name) = declared_name(&declared, written)? else {
                let known: Vec<&str> = declared.keys().map(|k| &**k).collect();
                return Err(format!(
                    "--provider {written}=…: the workflow declares no provider `{written}`{}",
                    if known.is_empty() {
                        String::new()
                    } else {
                        format!(" (it declares {})", known.join(", "))
                    }
                ));
            };
            let provider = if let Some(file) = spec.strip_prefix("replay:") {
                let loaded = match replays.get(file) {
                    Some(f) => f.clone(),
                    None => {
                        let f = Arc::new(ReplayFile::load(&cwd.join(file))?);
                        replays.insert(file.to_string(), f.clone());
                        f
                    }
                };
                Provider::Replay(loaded)
            } else if let Some(cmd) = spec.strip_prefix("command:") {
                let argv: Vec<String> = cmd.split_whitespace().map(String::from).collect();
                if argv.is_empty() {
                    return Err(format!("--provider {name}=command: needs a program to run"));
                }
                Provider::Command {
                    argv,
                    prompt_via: PromptVia::Stdin,
                    env: Vec::new(),
                    timeout: None,
                }
            } else if let Some(other) = declared_name(&declared, spec)? {
                declared[&other].clone()
            } else {
                return Err(format!(
                    "--provider {name}={spec}: SPEC must be replay:FILE, command:PROGRAM ARGS… or a declared provider"
                ));
            };
            by_name.insert(name, provider);
        }
        Ok(Providers { by_name })
    }

    pub fn get(&self, name: &str) -> Option<&Provider> {
        self.by_name.get(name)
    }
}
