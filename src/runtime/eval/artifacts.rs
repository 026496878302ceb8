//! Artifact lineage at run time: the Path values inside a step's result,
//! found by walking the value along its type, each with the SHA-256 of the
//! file's content when the step finished (journaled with the step).

use super::identity::hex_digest;
use crate::runtime::journal::Artifact;
use crate::runtime::value::Value;
use crate::typeck::Tables;
use crate::typeck::types::Type;
use std::path::Path;

/// Every path in `value` (of type `ty`), in order of appearance, once each.
pub fn paths_in(value: &Value, ty: &Type, tables: &Tables, out: &mut Vec<String>) {
    match (ty, value) {
        (Type::Path | Type::Refined(_), Value::Str(s)) if !out.iter().any(|p| p == &**s) => {
            out.push(s.to_string());
        }
        (Type::List(elem), Value::List(items)) => {
            for item in items.iter() {
                paths_in(item, elem, tables, out);
            }
        }
        (Type::Option(inner), v) if !v.is_none() => paths_in(v, inner, tables, out),
        (Type::Record(name, args), Value::Record(r)) => {
            let params = tables.type_params(name);
            if let Some(info) = tables.records.get(name) {
                for (field, (_, v)) in info.fields.iter().zip(r.fields.iter()) {
                    paths_in(v, &field.ty.substitute(params, args), tables, out);
                }
            }
        }
        (Type::Union(name, args), Value::Variant(u)) => {
            let params = tables.type_params(name);
            if let Some(variant) = tables.variant(name, &u.variant) {
                for (field, (_, v)) in variant.fields.iter().zip(u.fields.iter()) {
                    paths_in(v, &field.ty.substitute(params, args), tables, out);
                }
            }
        }
        _ => {}
    }
}

/// The artifacts of a step's result: each path with its content hash.
pub fn artifacts(value: &Value, ty: &Type, tables: &Tables, workspace: &Path) -> Vec<Artifact> {
    let mut paths = Vec::new();
    paths_in(value, ty, tables, &mut paths);
    paths
        .into_iter()
        .map(|path| {
            let sha256 = std::fs::read(workspace.join(&path))
                .ok()
                .map(|bytes| hex_digest(&bytes));
            Artifact { path, sha256 }
        })
        .collect()
}
