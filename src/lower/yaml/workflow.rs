//! One workflow as one file: its parameters as typed `inputs` (see
//! `inputs`), its body, its value as `result.json` with its scalar leaves
//! as `outputs`, and the provider templates its steps use. The entry
//! workflow writes under `state/<workflow>`; a called workflow under the
//! `write_root` its caller binds, once per specialisation (see `spec`).

use super::Lowering;
use super::block::SCRATCH;
use super::cx::{Dest, FileCx, Kind, ListId, Loc, Pos, Root, Source};
use super::model::{Bundle, Contract, ProviderTemplate, Ref, Step};
use super::read::escape_dollars;
use super::spec::Spec;
use crate::parser::ast::PromptVia;
use crate::typeck::types::{Name, Type};
use indexmap::IndexMap;

/// How a workflow is lowered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The file `wfl compile` was asked for: writes under `state/<name>`.
    Entry,
    /// Imported by a `call`: writes under its `write_root` input.
    Called,
}

impl Lowering<'_> {
    /// The file of workflow `name` lowered for `call` (once), or `None`
    /// after refusing it.
    pub(super) fn called_file(&mut self, name: &Name, spec: Option<Spec>) -> Option<String> {
        let key = match &spec {
            Some(s) => format!("{name}.{}", s.key()),
            None => name.to_string(),
        };
        if let Some(f) = self.called.get(&key) {
            return Some(f.clone());
        }
        let file = self.workflow(name, Role::Called, spec)?;
        self.called.insert(key, file.clone());
        Some(file)
    }

    /// Lowers workflow `name` into a file; its file name.
    pub(super) fn workflow(
        &mut self,
        name: &Name,
        role: Role,
        spec: Option<Spec>,
    ) -> Option<String> {
        let program = self.program;
        let wf = program.workflows.get(name)?;
        if spec.is_none() && !wf.type_params.is_empty() {
            let at = self
                .tables
                .workflows
                .get(name)
                .map_or(wf.span, |i| i.name_span);
            self.refuse_function(at, &format!("the generic workflow `{name}`"));
            return None;
        }
        let passed = |i: usize| spec.as_ref().is_some_and(|s| s.funcs.contains_key(&i));
        let unfixed = wf
            .params
            .iter()
            .enumerate()
            .find(|(i, p)| p.ty.contains_fn() && !passed(*i));
        if let Some((_, p)) = unfixed {
            self.refuse_function(p.span, &format!("the function parameter `{}`", p.name));
            return None;
        }
        let base = match &spec {
            Some(s) => format!("{name}.{}", s.key()),
            None => name.to_string(),
        };
        let stem = self.file_names.fresh(&super::cx::file_safe(&base), None);
        let saved = std::mem::take(&mut self.wf);
        self.wf.spec = spec;
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
                let ret = self.sub(&wf.ret);
                let fields = self.result_fields(&ret, &mut outputs);
                if !fields.is_empty() {
                    step.output_bundle = Some(Bundle { path, fields });
                }
            }
        } else {
            self.block(&wf.body, &pos, Dest::Bind(SCRATCH), &mut steps);
            if let Some(source) = self.wf.sources.remove(&SCRATCH) {
                let ret = self.sub(&wf.ret);
                steps.extend(self.result_step(source, &ret, &pos, &mut outputs));
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
