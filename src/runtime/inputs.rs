//! What a run starts from: the entry workflow (`--entry`, else the only
//! workflow, else the only one no other workflow calls) and its inputs,
//! read from `--input` pairs against their declared types (or, on resume,
//! from the JSON that `run.json` recorded), defaults filled in.

use super::pure::Env;
use super::value::{Value, from_json};
use crate::ir;
use crate::typeck::types::Type;
use crate::typeck::{FnInfo, Tables};
use serde_json::Value as Json;

/// Names of the workflows some other workflow calls or passes by reference.
fn called_workflows(tables: &Tables) -> std::collections::HashSet<crate::typeck::types::Name> {
    use crate::typeck::typed::{Ref, TExpr, TExprKind};
    fn walk(e: &TExpr, out: &mut std::collections::HashSet<crate::typeck::types::Name>) {
        match &e.kind {
            TExprKind::Call(c) => {
                out.insert(c.workflow.clone());
            }
            TExprKind::Var(Ref::Workflow { name, .. }) => {
                out.insert(name.clone());
            }
            _ => {}
        }
        ir::children(e, &mut |c| walk(c, out));
    }
    let mut out = std::collections::HashSet::new();
    for w in tables.workflows.values() {
        for e in &w.body {
            walk(e, &mut out);
        }
    }
    out
}

/// Picks the entry workflow: `--entry` (a workflow of the file, or of an
/// imported module by its canonical name, `std/review:review-loop`), else
/// the only workflow the file defines, else the only one of those that no
/// other calls. Imported workflows are never picked implicitly.
pub fn entry_workflow<'a>(tables: &'a Tables, entry: Option<&str>) -> Result<&'a FnInfo, String> {
    let own: Vec<&FnInfo> = tables
        .workflows
        .values()
        .filter(|w| crate::typeck::module_of(&w.name).is_none())
        .collect();
    let names = || {
        own.iter()
            .map(|w| w.name.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let info = match entry {
        Some(name) => tables
            .workflows
            .get(name)
            .ok_or_else(|| format!("no workflow `{name}` (the file defines: {})", names()))?,
        None => match own.len() {
            0 => return Err("the file defines no workflow".into()),
            1 => own[0],
            n => {
                let called = called_workflows(tables);
                let roots: Vec<&FnInfo> = own
                    .iter()
                    .copied()
                    .filter(|w| !called.contains(&w.name))
                    .collect();
                match roots.as_slice() {
                    [root] => *root,
                    _ => {
                        return Err(format!(
                            "the file defines {n} workflows ({}); choose one with --entry",
                            names()
                        ));
                    }
                }
            }
        },
    };
    if !info.type_params.is_empty() {
        return Err(format!(
            "workflow `{}` is generic; call it from a workflow that fixes its types",
            info.name
        ));
    }
    Ok(info)
}

/// An input as given on the command line: text for strings, paths and
/// enums, JSON for everything else, `@FILE` for JSON read from a file.
fn input_json(raw: &str, ty: &Type, cwd: &std::path::Path) -> Result<Json, String> {
    if let Some(file) = raw.strip_prefix('@') {
        let text = std::fs::read_to_string(cwd.join(file))
            .map_err(|e| format!("cannot read {file}: {e}"))?;
        return serde_json::from_str(&text).map_err(|e| format!("{file} is not JSON: {e}"));
    }
    match ty {
        Type::String | Type::Path | Type::Refined(_) | Type::Enum(_) => {
            Ok(Json::String(raw.into()))
        }
        _ => serde_json::from_str(raw).map_err(|e| format!("`{raw}` is not JSON: {e}")),
    }
}

/// The entry's parameters from `--input` pairs and defaults.
pub fn read_inputs(
    info: &FnInfo,
    raw: &[(String, String)],
    tables: &Tables,
    cwd: &std::path::Path,
) -> Result<Vec<Value>, String> {
    for (k, _) in raw {
        if !info.params.iter().any(|p| &*p.name == k) {
            let params: Vec<&str> = info.params.iter().map(|p| &*p.name).collect();
            return Err(format!(
                "workflow `{}` has no input `{k}` (its inputs: {})",
                info.name,
                if params.is_empty() {
                    "none".into()
                } else {
                    params.join(", ")
                }
            ));
        }
    }
    let mut values = Vec::with_capacity(info.params.len());
    for p in &info.params {
        let given = raw.iter().rev().find(|(k, _)| *k == *p.name);
        let value = match (given, &p.default) {
            (Some((_, v)), _) => {
                let json =
                    input_json(v, &p.ty, cwd).map_err(|e| format!("--input {}: {e}", p.name))?;
                from_json(&json, &p.ty, tables).map_err(|e| format!("--input {}: {e}", p.name))?
            }
            (None, Some(default)) => super::pure::eval(
                default,
                &mut Env::default(),
                &super::pure::PureCtx::new(tables),
            )
            .map_err(|e| format!("default of `{}`: {e}", p.name))?,
            (None, None) => {
                return Err(format!(
                    "workflow `{}` needs --input {}=… ({})",
                    info.name, p.name, p.ty
                ));
            }
        };
        values.push(value);
    }
    Ok(values)
}

/// The entry's parameters from the inputs a run recorded (its `run.json`),
/// defaults filled in for parameters added since.
pub fn recorded_inputs(
    info: &FnInfo,
    inputs: &Json,
    tables: &Tables,
) -> Result<Vec<Value>, String> {
    let mut values = Vec::with_capacity(info.params.len());
    for p in &info.params {
        let value = match (inputs.get(&*p.name), &p.default) {
            (Some(json), _) => from_json(json, &p.ty, tables).map_err(|e| {
                format!(
                    "the recorded input `{}` no longer fits {}: {e}",
                    p.name, p.ty
                )
            })?,
            (None, Some(default)) => super::pure::eval(
                default,
                &mut Env::default(),
                &super::pure::PureCtx::new(tables),
            )
            .map_err(|e| format!("default of `{}`: {e}", p.name))?,
            (None, None) => {
                return Err(format!(
                    "workflow `{}` now needs an input `{}` the run did not record",
                    info.name, p.name
                ));
            }
        };
        values.push(value);
    }
    Ok(values)
}
