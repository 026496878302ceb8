//! `call` of another workflow of the file: the callee is lowered once
//! into a file of its own and imported; the call binds its `write_root`
//! (a different directory per call, `<root>/<dir>/<name>`, with
//! `/<index>` inside a loop body) and its flattened inputs: literals,
//! `{ref: …}` to inputs and artifacts, or artifacts of a `-with` jq step
//! for values that have no DSL name. A root that is not a literal (in a
//! loop, or in an imported file) comes from the list's `roots` step, as
//! `with` literals are not substituted by the DSL. The callee's value is
//! `result.json` under its write root.

use super::Lowering;
use super::arts::Art;
use super::cx::{CatchKind, Dest, Loc, Pos, Proj, Root, Source};
use super::model::{Bundle, Field, Ref, Scalar, Step, WithValue};
use super::names::{jq_ident, snake, step_id};
use super::types::{leaves, scalar};
use crate::ir::Node;
use crate::typeck::typed::{FieldAccess, TCall, TExpr, TExprKind};
use indexmap::IndexMap;

impl Lowering<'_> {
    /// The write root a call at `pos` named `name` binds: a literal where
    /// it is fixed, else (`${loop.index}` or `${inputs.write_root}` in it)
    /// an artifact of the list's `roots` step, which computes the roots of
    /// every call of the list. Also the root relative to the file's root.
    pub(super) fn write_root(
        &mut self,
        name: &str,
        pos: &Pos,
        out: &mut Vec<Step>,
    ) -> (WithValue, String) {
        let mut rel = pos.rel(&super::cx::file_safe(name));
        if pos.in_loop {
            rel.push_str("/${loop.index}");
        }
        let loc = Loc {
            file: pos.file(),
            rel: rel.clone(),
            indexed: pos.in_loop,
        };
        let spelled = self.spell(&loc, pos);
        let literal = matches!(self.file(pos.file()).root, Root::Literal(_)) && !pos.in_loop;
        if literal {
            return (WithValue::Literal(Scalar::Str(spelled)), rel);
        }
        let existing = self
            .wf
            .roots
            .get(&pos.list)
            .filter(|(step, _)| out.iter().any(|s| s.name == *step))
            .cloned();
        let (step_name, mut keys) = match existing {
            Some(e) => e,
            None => {
                let step_name = self.fresh_name("roots", pos);
                out.push(Step::named(&step_name));
                (step_name, Vec::new())
            }
        };
        // The key is a jq variable and object key too: never a jq keyword.
        let mut key = jq_ident(name);
        while keys.iter().any(|(k, _)| *k == key) {
            key.push('_');
        }
        keys.push((key.clone(), spelled));
        let file = pos.loc(&step_name);
        let path = self.spell(&file, pos);
        let mut cmd = vec!["jq".to_string(), "-n".to_string()];
        let mut fields = Vec::new();
        for (k, v) in &keys {
            cmd.extend(["--arg".to_string(), k.clone(), v.clone()]);
            fields.push(Field {
                name: k.clone(),
                json_pointer: format!("/{k}"),
                ty: "relpath",
                allowed: None,
                under: None,
                must_exist_target: None,
            });
        }
        let obj: Vec<String> = keys.iter().map(|(k, _)| format!("{k}: ${k}")).collect();
        cmd.push(format!("{{{}}}", obj.join(", ")));
        if let Some(step) = out.iter_mut().find(|s| s.name == step_name) {
            step.command = Some(cmd);
            step.output_file = Some(path.clone());
            step.output_bundle = Some(Bundle { path, fields });
        }
        self.wf.roots.insert(pos.list, (step_name.clone(), keys));
        let prefix = if pos.list.list == 0 {
            "root.steps"
        } else {
            "self.steps"
        };
        (
            WithValue::Ref(Ref::new(format!("{prefix}.{step_name}.artifacts.{key}"))),
            rel,
        )
    }

    /// The step computing `with` values that have no DSL name: text values
    /// (`--arg`) and jq expressions; `None` when there are none.
    fn with_step(
        &mut self,
        name: &str,
        exprs: Vec<(String, TExpr, Field)>,
        pos: &Pos,
    ) -> Option<(String, Step)> {
        if exprs.is_empty() {
            return None;
        }
        let step_name = self.fresh_name(&format!("{name}-with"), pos);
        let loc = pos.loc(&step_name);
        let refs: Vec<&TExpr> = exprs.iter().map(|(_, e, _)| e).collect();
        let mut jb = self.jq_reading(&refs, pos);
        let mut obj = Vec::new();
        let mut fields = Vec::new();
        for (key, e, field) in &exprs {
            let v = match jb.jq.expr(e) {
                Ok(v) => v,
                Err(u) => {
                    self.refuse_untranslatable(u);
                    return None;
                }
            };
            let v = if field.ty == "string" && scalar(&e.ty, self.tables).is_none() {
                format!("({v} | tojson)")
            } else {
                v
            };
            obj.push(format!("{}: {v}", super::jq::key(key)));
            fields.push(field.clone());
        }
        let cmd = self.jq_command(jb, Ok(format!("{{{}}}", obj.join(", "))), false)?;
        let catch = if exprs.iter().any(|(_, e, _)| super::block::may_fail(e)) {
            CatchKind::Pure
        } else {
            CatchKind::Safe
        };
        let mut step = self.command_step(&step_name, cmd, Some(&loc), pos, catch);
        step.output_bundle = Some(Bundle {
            path: self.spell(&loc, pos),
            fields,
        });
        Some((step_name, step))
    }

    /// A `call` of another workflow of the file.
    pub(super) fn call(&mut self, n: &Node, c: &TCall, pos: &Pos, dest: Dest, out: &mut Vec<Step>) {
        let Ok(spec) = self.call_spec(c, n.span) else {
            return;
        };
        self.call_sites.push(n.span);
        let file = self.called_file(&c.workflow, spec.clone());
        self.call_sites.pop();
        let Some(file) = file else {
            return;
        };
        let Some(callee) = self.program.workflows.get(&c.workflow) else {
            return;
        };
        let name = self.node_name(n, pos);
        let (root, rel) = self.write_root(&name, pos, out);
        let mut with: IndexMap<String, WithValue> = IndexMap::new();
        with.insert("write_root".into(), root);
        let mut exprs = Vec::new();
        for (param, arg) in callee.params.iter().zip(&c.args) {
            let Some(arg) = arg else {
                continue;
            };
            if matches!(param.ty, crate::typeck::types::Type::Fn(..)) {
                // Fixed by the specialisation, not passed.
                continue;
            }
            let param_ty = spec
                .as_ref()
                .map_or_else(|| param.ty.clone(), |s| s.ty(&param.ty));
            for leaf in leaves(&param_ty, self.tables) {
                let input = leaf.name(Some(&param.name));
                let mut e = arg.clone();
                for f in &leaf.path {
                    e = TExpr::new(
                        TExprKind::Field {
                            base: Box::new(e),
                            field: f.clone(),
                            access: FieldAccess::Record,
                        },
                        leaf.ty.clone(),
                        arg.span,
                    );
                }
                e.ty = leaf.ty.clone();
                let literal = match &e.kind {
                    TExprKind::Str(s) => Some(Scalar::Str(s.clone())),
                    TExprKind::Int(i) => Some(Scalar::Int(*i)),
                    TExprKind::Float(x) => Some(Scalar::Float(*x)),
                    TExprKind::Bool(b) => Some(Scalar::Bool(*b)),
                    TExprKind::Var(crate::typeck::typed::Ref::EnumMember { member, .. }) => {
                        Some(Scalar::Str(member.to_string()))
                    }
                    _ => None,
                };
                let value = match (literal, self.artifact(&e, pos)) {
                    (Some(l), _) if !matches!(&l, Scalar::Str(s) if s.contains("${")) => {
                        WithValue::Literal(l)
                    }
                    (_, Some(a @ (Art::Input(_) | Art::Step { .. }))) => {
                        WithValue::Ref(Ref::new(a.path()))
                    }
                    _ => {
                        let field = match &leaf.scalar {
                            Some(s) => s.field(&input, &format!("/{input}")),
                            None => Field {
                                name: input.clone(),
                                json_pointer: format!("/{input}"),
                                ty: "string",
                                allowed: None,
                                under: None,
                                must_exist_target: None,
                            },
                        };
                        exprs.push((input.clone(), e, field));
                        WithValue::Literal(Scalar::Str(String::new()))
                    }
                };
                with.insert(input, value);
            }
        }
        if let Some((with_name, step)) = self.with_step(&name, exprs.clone(), pos) {
            out.push(step);
            let prefix = if pos.list.list == 0 {
                "root.steps"
            } else {
                "self.steps"
            };
            for (key, _, _) in &exprs {
                with.insert(
                    key.clone(),
                    WithValue::Ref(Ref::new(format!("{prefix}.{with_name}.artifacts.{key}"))),
                );
            }
        }
        let alias = self.import(pos, &snake(&c.workflow), &file);
        let (step, source) = self.call_step(n, pos, &name, alias, with, &rel);
        out.push(step);
        self.deliver(source, &name, pos, dest, out);
    }

    /// Step `name`, a `call` of the imported workflow `alias` with `with`,
    /// which `try` can catch; and the callee's result, written to
    /// `rel/result.json` under its write root.
    pub(super) fn call_step(
        &mut self,
        n: &Node,
        pos: &Pos,
        name: &str,
        alias: String,
        with: IndexMap<String, WithValue>,
        rel: &str,
    ) -> (Step, Source) {
        let mut step = Step::named(name);
        step.id = Some(step_id(&mut self.file(pos.file()).ids, name));
        step.call = Some(alias);
        step.with = Some(with);
        let id = n
            .step
            .as_ref()
            .map_or_else(|| name.to_string(), ToString::to_string);
        self.file(pos.file())
            .catch
            .insert(name.to_string(), (id, CatchKind::Call));
        let source = Source::File {
            loc: Loc {
                file: pos.file(),
                rel: format!("{rel}/result.json"),
                indexed: pos.in_loop,
            },
            proj: Proj::Whole,
            step: None,
        };
        (step, source)
    }

    /// Adds `file` to the imports of the current file; its alias.
    pub(super) fn import(&mut self, pos: &Pos, base: &str, file: &str) -> String {
        let f = self.file(pos.file());
        if let Some((alias, _)) = f.imports.iter().find(|(_, p)| *p == file) {
            return alias.clone();
        }
        let mut alias = base.to_string();
        let mut k = 2;
        while f.imports.contains_key(&alias) {
            alias = format!("{base}_{k}");
            k += 1;
        }
        f.imports.insert(alias.clone(), file.to_string());
        alias
    }
}
