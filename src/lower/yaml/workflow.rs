//! One workflow as one file: its parameters as typed `inputs`, its body,
//! its value as `result.json` with its scalar leaves as `outputs`, and the
//! provider templates its steps use. Records are flattened (`design_doc`);
//! leaves with no DSL type (lists, options, unions, `Json`) are inputs
//! holding JSON text. An `inputs` step first writes the parameters as one
//! JSON object, `inputs.json`, when jq steps read them. The entry workflow
//! writes under `state/<workflow>`; a called workflow under the
//! `write_root` its caller binds.

use super::Lowering;
use super::block::SCRATCH;
use super::cx::{CatchKind, Dest, FileCx, Kind, ListId, Loc, Pos, Root, Source};
use super::jq::key;
use super::model::{Bundle, Contract, ProviderTemplate, Ref, Scalar, Step};
use super::read::escape_dollars;
use super::types::{Leaf, clash, leaves};
use crate::parser::ast::PromptVia;
use crate::typeck::types::{Name, Type};
use crate::typeck::{ParamInfo, Tables};
use indexmap::IndexMap;
use serde_json::Value as Json;

/// How a workflow is lowered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The file `wfl compile` was asked for: writes under `state/<name>`.
    Entry,
    /// Imported by a `call`: writes under its `write_root` input.
    Called,
}

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
    /// The file of workflow `name` lowered for `call` (once), or `None`
    /// after refusing it.
    pub(super) fn called_file(&mut self, name: &Name) -> Option<String> {
        if let Some(f) = self.called.get(name) {
            return Some(f.clone());
        }
        let file = self.workflow(name, Role::Called)?;
        self.called.insert(name.clone(), file.clone());
        Some(file)
    }

    /// Lowers workflow `name` into a file; its file name.
    pub(super) fn workflow(&mut self, name: &Name, role: Role) -> Option<String> {
        let program = self.program;
        let wf = program.workflows.get(name)?;
        if !wf.type_params.is_empty() {
            let at = self
                .tables
                .workflows
                .get(name)
                .map_or(wf.span, |i| i.name_span);
            self.refuse_function(at, &format!("the generic workflow `{name}`"));
            return None;
        }
        if let Some(p) = wf.params.iter().find(|p| p.ty.contains_fn()) {
            self.refuse_function(p.span, &format!("the function parameter `{}`", p.name));
            return None;
        }
        let stem = self.file_names.fresh(&super::cx::file_safe(name), None);
        let saved = std::mem::take(&mut self.wf);
        self.wf.name = name.clone();
        self.wf.params = wf.params.iter().map(|p| p.name.clone()).collect();
        super::arts::mark_wanted(&wf.body, &mut self.wf.wants_artifact);
        let root = match role {
            Role::Entry => Root::Literal(format!("state/{}", super::cx::file_safe(name))),
            Role::Called => Root::WriteRoot,
        };
        let mut file = FileCx::new(stem.clone(), root, "root".into());
        file.names.take("inputs");
        self.wf.files.push(file);
        let pos = Pos {
            list: ListId { file: 0, list: 0 },
            kind: Kind::Top,
            dir: String::new(),
            in_loop: false,
            scope: Vec::new(),
            recur: None,
            retries: None,
            try_error: None,
            label: None,
        };
        let mut steps = Vec::new();
        let mut outputs = IndexMap::new();
        let result = Loc {
            file: 0,
            rel: "result.json".into(),
            indexed: false,
        };
        let computed = tail_is_pure(&wf.body);
        if computed {
            // A pure result expression: its jq step is the `result` step.
            self.block(&wf.body, &pos, Dest::Write(result.clone()), &mut steps);
            let path = self.spell(&result, &pos);
            let last = steps.iter_mut().rev().find(|s| {
                s.output_file.as_deref() == Some(path.as_str()) && s.output_bundle.is_none()
            });
            if let Some(step) = last {
                step.name = "result".into();
                let fields = self.result_fields(&wf.ret, &mut outputs);
                if !fields.is_empty() {
                    step.output_bundle = Some(Bundle { path, fields });
                }
            }
        } else {
            self.block(&wf.body, &pos, Dest::Bind(SCRATCH), &mut steps);
            if let Some(source) = self.wf.sources.remove(&SCRATCH) {
                steps.extend(self.result_step(source, &wf.ret, &pos, &mut outputs));
            }
        }
        if self.wf.inputs_used {
            steps.insert(0, self.inputs_step(&wf.params, &pos));
        }
        let inputs = self.inputs(&wf.params, role, wf.span);
        let file = self.wf.files.pop();
        let file_name = format!("{stem}.yaml");
        if let Some(file) = file {
            let done = self.workflow_file(&file, name.to_string(), inputs, outputs, steps);
            match role {
                Role::Entry => self.done.insert(0, (file_name.clone(), done)),
                Role::Called => self.done.push((file_name.clone(), done)),
            }
        }
        self.wf = saved;
        Some(file_name)
    }

    /// The `result` step: the workflow's value into `result.json`, its
    /// scalar leaves declared and exported as `outputs`.
    fn result_step(
        &mut self,
        source: Source,
        ty: &Type,
        pos: &Pos,
        outputs: &mut IndexMap<String, Contract>,
    ) -> Option<Step> {
        let loc = Loc {
            file: 0,
            rel: "result.json".into(),
            indexed: false,
        };
        let mut step = self.copy_step(&source, "result", &loc, false, pos)?;
        step.name = "result".into();
        let path = self.spell(&loc, pos);
        let fields = self.result_fields(ty, outputs);
        if !fields.is_empty() {
            step.output_bundle = Some(Bundle { path, fields });
        }
        Some(step)
    }

    /// The bundle fields of a workflow's value (its scalar leaves, or a
    /// union's `variant`), each also exported as an output.
    fn result_fields(
        &self,
        ty: &Type,
        outputs: &mut IndexMap<String, Contract>,
    ) -> Vec<super::model::Field> {
        let mut fields = Vec::new();
        if let Type::Union(u, _) = ty
            && let Some(info) = self.tables.unions.get(u)
        {
            let allowed: Vec<String> = info.variants.iter().map(|v| v.name.to_string()).collect();
            fields.push(super::model::Field {
                name: "variant".into(),
                json_pointer: "/variant".into(),
                ty: "enum",
                allowed: Some(allowed),
                under: None,
                must_exist_target: None,
            });
        } else {
            fields = super::types::bundle_fields(ty, self.tables);
            if matches!(fields.as_slice(), [f] if f.name == "value") {
                fields[0].name = "result".into();
            }
        }
        for f in &fields {
            let contract = Contract {
                kind: (f.ty != "relpath").then_some("scalar"),
                ty: f.ty,
                allowed: f.allowed.clone(),
                under: f.under.clone(),
                must_exist_target: f.must_exist_target,
                from: Some(Ref::new(format!("root.steps.result.artifacts.{}", f.name))),
                ..Contract::default()
            };
            outputs.insert(f.name.clone(), contract);
        }
        fields
    }

    /// `inputs.json`: the parameters, records rebuilt from their leaves.
    fn inputs_step(&mut self, params: &[ParamInfo], pos: &Pos) -> Step {
        let mut jb = self.jq_reading(&[], pos);
        let mut obj = Vec::new();
        for p in params {
            let ls = leaves(&p.ty, self.tables);
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
    fn inputs(
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
        for p in params {
            let default = default_json(p, self.tables);
            for leaf in leaves(&p.ty, self.tables) {
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

    /// The provider templates the steps of `file` use.
    pub(super) fn templates(&self, file: &FileCx) -> IndexMap<String, ProviderTemplate> {
        let mut out = IndexMap::new();
        for name in &file.providers {
            let Some(info) = self.tables.providers.get(name) else {
                continue;
            };
            let mut command: Vec<String> = Vec::new();
            if !info.env.is_empty() || info.prompt_via == PromptVia::File {
                command.push("env".into());
                command.extend(
                    info.env
                        .iter()
                        .map(|(k, v)| escape_dollars(&format!("{k}={v}"))),
                );
                if info.prompt_via == PromptVia::File {
                    command.push("WFL_PROMPT=${prompt_file}".into());
                }
            }
            command.extend(info.argv.iter().map(|a| escape_dollars(a)));
            let input_mode = if info.prompt_via == PromptVia::Arg {
                command.push("${PROMPT}".into());
                "argv"
            } else {
                "stdin"
            };
            out.insert(
                name.to_string(),
                ProviderTemplate {
                    command,
                    input_mode,
                },
            );
        }
        out
    }
}

/// Whether the value of `b` is computed by a jq step at its end: a pure
/// result, or the result of a `phase`/`parallel` body that is one.
fn tail_is_pure(b: &crate::ir::Block) -> bool {
    use crate::ir::NodeKind;
    use crate::typeck::typed::{Ref, TExprKind};
    let TExprKind::Var(Ref::Local { id, .. }) = &b.result.kind else {
        return true;
    };
    let Some((_, n)) = b.nodes().find(|(_, n)| n.out == *id) else {
        return false;
    };
    if b.nodes().any(|(_, m)| m.reads.contains(id)) {
        return false;
    }
    match &n.kind {
        NodeKind::Pure(_) => true,
        NodeKind::Phase { body, .. } | NodeKind::Parallel { body, .. } => tail_is_pure(body),
        _ => false,
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
