//! A workflow's parameters as typed `inputs`, and the `inputs` step that
//! writes them as one JSON object, `inputs.json`, for the jq steps that
//! read them. A record parameter is flattened (`plan_doc`, `plan_steps`);
//! a leaf with no DSL type (a list, an option, a union, `Json`) is JSON
//! text in a `string` input; a default is evaluated (defaults are
//! constant) and written as the input's default. Function parameters of a
//! specialised workflow are no inputs.

use super::Lowering;
use super::cx::{CatchKind, Loc, Pos};
use super::jq::key;
use super::model::{Contract, Scalar, Step};
use super::types::{Leaf, clash, leaves};
use super::workflow::Role;
use crate::typeck::types::{Name, Type};
use crate::typeck::{ParamInfo, Tables};
use indexmap::IndexMap;
use serde_json::Value as Json;

/// The value at `path` of `json` (a record's leaf).
fn at_path<'j>(json: &'j Json, path: &[Name]) -> Option<&'j Json> {
    path.iter().try_fold(json, |j, k| j.get(&**k))
}

/// A JSON value as a DSL literal (non-scalars as JSON text).
fn scalar_of(json: &Json, leaf: &Leaf) -> Scalar {
    match (json, &leaf.scalar) {
        (Json::String(s), Some(_)) => Scalar::Str(s.clone()),
        (Json::Bool(b), Some(_)) => Scalar::Bool(*b),
        (Json::Number(n), Some(s)) if s.ty == "integer" => {
            n.as_i64().map_or(Scalar::Str(n.to_string()), Scalar::Int)
        }
        (Json::Number(n), Some(_)) => n.as_f64().map_or(Scalar::Str(n.to_string()), Scalar::Float),
        (other, _) => Scalar::Str(other.to_string()),
    }
}

/// The default of `param` as JSON, evaluated (defaults are constant).
fn default_json(param: &ParamInfo, tables: &Tables) -> Option<Json> {
    let e = param.default.as_ref()?;
    let ctx = crate::runtime::pure::PureCtx::new(tables);
    let mut env = crate::runtime::pure::Env::new(Vec::new());
    let v = crate::runtime::pure::eval(e, &mut env, &ctx).ok()?;
    Some(crate::runtime::value::to_json(&v))
}

impl Lowering<'_> {
    /// `inputs.json`: the parameters, records rebuilt from their leaves.
    pub(super) fn inputs_step(&mut self, params: &[ParamInfo], pos: &Pos) -> Step {
        let mut jb = self.jq_reading(&[], pos);
        let mut obj = Vec::new();
        for p in params.iter().filter(|p| !matches!(p.ty, Type::Fn(..))) {
            let ls = leaves(&self.sub(&p.ty), self.tables);
            let mut vars = Vec::new();
            for leaf in &ls {
                let input = leaf.name(Some(&p.name));
                let json = leaf
                    .scalar
                    .as_ref()
                    .is_none_or(|s| matches!(s.ty, "integer" | "float" | "bool"));
                let var = jb.arg(&input, format!("${{inputs.{input}}}"), json);
                vars.push((leaf.path.clone(), var));
            }
            obj.push(format!("{}: {}", key(&p.name), rebuild(&vars)));
        }
        let loc = Loc {
            file: 0,
            rel: "inputs.json".into(),
            indexed: false,
        };
        let cmd = self
            .jq_command(jb, Ok(format!("{{{}}}", obj.join(", "))), false)
            .unwrap_or_default();
        self.command_step("inputs", cmd, Some(&loc), pos, CatchKind::Safe)
    }

    /// The typed inputs of a workflow's parameters.
    pub(super) fn inputs(
        &mut self,
        params: &[ParamInfo],
        role: Role,
        span: crate::diag::Span,
    ) -> IndexMap<String, Contract> {
        let mut out = IndexMap::new();
        if role == Role::Called {
            out.insert(
                "write_root".to_string(),
                Contract {
                    ty: "relpath",
                    ..Contract::default()
                },
            );
        }
        let mut names: Vec<String> = out.keys().cloned().collect();
        let mut spans = vec![span; names.len()];
        for p in params.iter().filter(|p| !matches!(p.ty, Type::Fn(..))) {
            let default = default_json(p, self.tables);
            for leaf in leaves(&self.sub(&p.ty), self.tables) {
                let name = leaf.name(Some(&p.name));
                names.push(name.clone());
                spans.push(p.span);
                let mut c = match &leaf.scalar {
                    Some(s) => s.contract(),
                    None => Contract {
                        kind: Some("scalar"),
                        ty: "string",
                        description: Some(format!("JSON: {}", leaf.ty)),
                        ..Contract::default()
                    },
                };
                c.default = default
                    .as_ref()
                    .and_then(|d| at_path(d, &leaf.path))
                    .map(|j| scalar_of(j, &leaf));
                out.insert(name, c);
            }
        }
        if let Some(name) = clash(names.clone()) {
            let at = names
                .iter()
                .rposition(|n| *n == name)
                .and_then(|i| spans.get(i))
                .copied();
            self.refuse_clash(at.unwrap_or(span), &name, "workflow inputs");
        }
        out
    }
}

/// A jq object rebuilding a record from its leaves' variables.
fn rebuild(vars: &[(Vec<Name>, String)]) -> String {
    if let [(path, var)] = vars
        && path.is_empty()
    {
        return var.clone();
    }
    let mut groups: IndexMap<Name, Vec<(Vec<Name>, String)>> = IndexMap::new();
    for (path, var) in vars {
        if let Some((first, rest)) = path.split_first() {
            groups
                .entry(first.clone())
                .or_default()
                .push((rest.to_vec(), var.clone()));
        }
    }
    let parts: Vec<String> = groups
        .iter()
        .map(|(k, sub)| format!("{}: {}", key(k), rebuild(sub)))
        .collect();
    format!("{{{}}}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_rebuilt_from_leaves() {
        let vars = vec![
            (vec![Name::from("doc")], "$d".to_string()),
            (
                vec![Name::from("meta"), Name::from("open-questions")],
                "$q".to_string(),
            ),
        ];
        assert_eq!(rebuild(&vars), "{doc: $d, meta: {\"open-questions\": $q}}");
        assert_eq!(rebuild(&[(vec![], "$x".into())]), "$x");
    }
}
