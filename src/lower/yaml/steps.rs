//! Effect steps. A `command` keeps its argv as a list of strings (literal
//! items with `$` escaped, inputs and artifacts as `${…}`, anything
//! computed through a jq step whose artifacts the argv names). With
//! `:returns T` its stdout is the JSON value, teed to the step's file and
//! read back through `output_bundle` (records) or `variant_output`
//! (unions); without it a small `sh` wrapper records `{exit-code stdout
//! stderr}`, so a non-zero exit is data, as in wfl, and only a command
//! that cannot start fails. Shared by `command` and `provider`: the typed
//! output of a step, literal options, and recording a lowered step.

use super::Lowering;
use super::cx::{CatchKind, Dest, Loc, Pos, Proj, Source, StepArt};
use super::model::{Bundle, Field, Step, VariantFields, VariantOutput};
use super::read::escape_dollars;
use super::types::{bundle_fields, leaves, scalar};
use crate::ir::Node;
use crate::typeck::typed::{TCommand, TExpr, TExprKind};
use crate::typeck::types::Type;
use indexmap::IndexMap;

/// Runs argv, records `{exit-code, stdout, stderr}` in the file `$0`;
/// fails (127) only when the program cannot be found.
const RESULT_WRAPPER: &str = concat!(
    "b=$0; mkdir -p \"$(dirname \"$b\")\"; ",
    "command -v \"$1\" >/dev/null || { echo \"$1: command not found\" >&2; exit 127; }; ",
    "\"$@\" >\"$b.out\" 2>\"$b.err\"; ",
    "jq -n --argjson code $? --rawfile stdout \"$b.out\" --rawfile stderr \"$b.err\" ",
    "'{\"exit-code\": $code, $stdout, $stderr}' >\"$b\""
);

/// Feeds the file `$0` to the command's stdin.
const STDIN_WRAPPER: &str = "exec \"$@\" < \"$0\"";

/// One argv item: ready, or to be computed by the argv jq step.
enum Item {
    Text(String),
    Computed(usize),
}

impl Lowering<'_> {
    /// The output of a typed step at `path`: a bundle of the record's (or
    /// scalar's) leaves, or the variants of a union; `None` after refusing
    /// a type with no scalar field.
    pub(super) fn typed_output(
        &mut self,
        step: &mut Step,
        ty: &Type,
        path: String,
        span: crate::diag::Span,
    ) -> Option<Vec<(Vec<crate::typeck::types::Name>, String)>> {
        if let Type::Union(name, args) = ty {
            let Some(info) = self.tables.unions.get(name) else {
                self.refuse_no_fields(span, &ty.to_string());
                return None;
            };
            let params = self.tables.type_params(name).to_vec();
            let mut variants = IndexMap::new();
            // A checked union is validated whole by its `-check` step:
            // its variants' fields are not declared again.
            let checked = super::validate::needs_check(ty, self.tables);
            for v in &info.variants {
                let mut fields = Vec::new();
                for f in v.fields.iter().filter(|_| !checked) {
                    let fty = f.ty.substitute(&params, args);
                    if let Some(s) = scalar(&fty, self.tables) {
                        let leaf = super::types::Leaf {
                            path: vec![f.name.clone()],
                            ty: fty.clone(),
                            scalar: None,
                        };
                        fields.push(s.field(&leaf.name(None), &leaf.pointer()));
                    }
                }
                variants.insert(v.name.to_string(), VariantFields { fields });
            }
            let allowed: Vec<String> = info.variants.iter().map(|v| v.name.to_string()).collect();
            step.variant_output = Some(VariantOutput {
                path,
                discriminant: Field {
                    name: "variant".into(),
                    json_pointer: "/variant".into(),
                    ty: "enum",
                    allowed: Some(allowed),
                    under: None,
                    must_exist_target: None,
                },
                variants,
            });
            return Some(vec![(vec!["variant".into()], "variant".into())]);
        }
        let fields = bundle_fields(ty, self.tables);
        if fields.is_empty() {
            self.refuse_no_fields(span, &ty.to_string());
            return None;
        }
        step.output_bundle = Some(Bundle { path, fields });
        Some(
            leaves(ty, self.tables)
                .into_iter()
                .filter(|l| l.scalar.is_some())
                .map(|l| {
                    let n = if l.path.is_empty() {
                        "value".into()
                    } else {
                        l.name(None)
                    };
                    (l.path, n)
                })
                .collect(),
        )
    }

    /// A literal `:timeout`/`:attempts`-style option, or a refusal.
    pub(super) fn literal_int(&mut self, e: Option<&TExpr>, option: &str) -> Option<u64> {
        let e = e?;
        match e.kind {
            TExprKind::Int(n) if n > 0 => Some(n as u64),
            _ => {
                self.refuse_literal_option(e.span, option);
                None
            }
        }
    }

    /// The argv items of `items`, computing what has no DSL name in one jq
    /// step (pushed to `out`) named `<name>-argv`.
    fn argv(
        &mut self,
        items: &[&TExpr],
        name: &str,
        pos: &Pos,
        out: &mut Vec<Step>,
    ) -> Option<Vec<String>> {
        let mut parts = Vec::new();
        let mut computed: Vec<&TExpr> = Vec::new();
        for e in items {
            parts.push(match &e.kind {
                TExprKind::Str(s) => Item::Text(escape_dollars(s)),
                _ => match self.artifact(e, pos) {
                    Some(a) => Item::Text(a.text()),
                    None => {
                        computed.push(e);
                        Item::Computed(computed.len())
                    }
                },
            });
        }
        let mut step_name = String::new();
        if !computed.is_empty() {
            step_name = self.fresh_name(&format!("{name}-argv"), pos);
            let loc = pos.loc(&step_name);
            let mut jb = self.jq_reading(&computed, pos);
            let mut fields = Vec::new();
            let mut obj = Vec::new();
            for (i, e) in computed.iter().enumerate() {
                match jb.jq.expr(e) {
                    Ok(v) => obj.push(format!("a{}: {v}", i + 1)),
                    Err(u) => {
                        self.refuse_untranslatable(u);
                        return None;
                    }
                }
                fields.push(Field {
                    name: format!("a{}", i + 1),
                    json_pointer: format!("/a{}", i + 1),
                    ty: "string",
                    allowed: None,
                    under: None,
                    must_exist_target: None,
                });
            }
            let cmd = self.jq_command(jb, Ok(format!("{{{}}}", obj.join(", "))), false)?;
            let catch = if computed.iter().any(|e| super::block::may_fail(e)) {
                CatchKind::Pure
            } else {
                CatchKind::Safe
            };
            let mut step = self.command_step(&step_name, cmd, Some(&loc), pos, catch);
            step.output_bundle = Some(Bundle {
                path: self.spell(&loc, pos),
                fields,
            });
            out.push(step);
        }
        Some(
            parts
                .into_iter()
                .map(|p| match p {
                    Item::Text(t) => t,
                    Item::Computed(i) => format!("${{steps.{step_name}.artifacts.a{i}}}"),
                })
                .collect(),
        )
    }

    pub(super) fn command(
        &mut self,
        n: &Node,
        c: &TCommand,
        pos: &Pos,
        dest: Dest,
        out: &mut Vec<Step>,
    ) {
        let name = self.node_name(n, pos);
        let literal_env = c
            .env
            .iter()
            .all(|(_, v)| matches!(v.kind, TExprKind::Str(_)));
        let mut items: Vec<&TExpr> = c.argv.iter().collect();
        if !literal_env {
            items.extend(c.env.iter().map(|(_, v)| v));
        }
        let Some(mut argv) = self.argv(&items, &name, pos, out) else {
            return;
        };
        let env_texts = argv.split_off(c.argv.len());
        if c.shell {
            argv = vec!["sh".into(), "-c".into(), argv.join(" ")];
        }
        let mut step = Step::named(&name);
        if literal_env && !c.env.is_empty() {
            // `env` values are not substituted by the DSL: written as they are.
            step.env = Some(
                c.env
                    .iter()
                    .filter_map(|(k, v)| match &v.kind {
                        TExprKind::Str(s) => Some((k.clone(), s.clone())),
                        _ => None,
                    })
                    .collect(),
            );
        } else if !c.env.is_empty() {
            let mut prefixed = vec!["env".to_string()];
            prefixed.extend(
                c.env
                    .iter()
                    .zip(&env_texts)
                    .map(|((k, _), v)| format!("{k}={v}")),
            );
            prefixed.append(&mut argv);
            argv = prefixed;
        }
        if let Some(stdin) = &c.stdin {
            let text_name = self.fresh_name(&format!("{name}-stdin"), pos);
            let loc = Loc {
                rel: pos.rel(&format!("{}.stdin.txt", super::cx::file_safe(&name))),
                ..pos.loc(&name)
            };
            let mut jb = self.jq_reading(&[stdin], pos);
            let body = jb.jq.expr(stdin);
            let Some(cmd) = self.jq_command(jb, body, true) else {
                return;
            };
            out.push(self.command_step(&text_name, cmd, Some(&loc), pos, CatchKind::of(stdin)));
            let mut wrapped = vec![
                "sh".into(),
                "-c".into(),
                STDIN_WRAPPER.into(),
                self.spell(&loc, pos),
            ];
            wrapped.append(&mut argv);
            argv = wrapped;
        }
        let loc = own_loc(&dest, pos, &name);
        let path = self.spell(&loc, pos);
        let fields = match &c.returns {
            Some(ty) => {
                step.output_file = Some(path.clone());
                let ty = self.sub(ty);
                self.typed_output(&mut step, &ty, path, n.span)
            }
            None => {
                let mut wrapped = vec![
                    "sh".into(),
                    "-c".into(),
                    RESULT_WRAPPER.into(),
                    path.clone(),
                ];
                wrapped.append(&mut argv);
                argv = wrapped;
                if self.wf.wants_artifact.contains(&n.out) {
                    step.output_bundle = Some(Bundle {
                        path,
                        fields: vec![Field {
                            name: "exit_code".into(),
                            json_pointer: "/exit-code".into(),
                            ty: "integer",
                            allowed: None,
                            under: None,
                            must_exist_target: None,
                        }],
                    });
                    Some(vec![(vec!["exit-code".into()], "exit_code".into())])
                } else {
                    Some(Vec::new())
                }
            }
        };
        step.command = Some(argv);
        step.timeout_sec = self.literal_int(c.opts.timeout.as_deref(), ":timeout");
        let attempts = pos.retries.as_ref().map_or(1, |r| r.max + 1);
        step.retries = pos.retries.clone();
        self.finish_effect(
            n,
            step,
            fields,
            (loc, c.returns.as_ref().map(|t| self.sub(t)).as_ref()),
            CatchKind::Process { attempts },
            pos,
            dest,
            out,
        );
    }

    /// Records a lowered effect step and delivers its value.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn finish_effect(
        &mut self,
        n: &Node,
        step: Step,
        fields: Option<Vec<(Vec<crate::typeck::types::Name>, String)>>,
        (loc, checked): (Loc, Option<&Type>),
        catch: CatchKind,
        pos: &Pos,
        dest: Dest,
        out: &mut Vec<Step>,
    ) {
        let Some(fields) = fields else {
            return;
        };
        let id = n
            .step
            .as_ref()
            .map_or_else(|| step.name.clone(), ToString::to_string);
        self.file(pos.file())
            .catch
            .insert(step.name.clone(), (id, catch));
        let art = StepArt {
            name: step.name.clone(),
            list: pos.list,
            fields,
        };
        let base = step.name.clone();
        let id = self
            .file(pos.file())
            .catch
            .get(&base)
            .map(|(id, _)| id.clone())
            .unwrap_or_default();
        out.push(step);
        if let Some(ty) = checked.filter(|t| super::validate::needs_check(t, self.tables)) {
            out.push(self.check_step(&base, &id, ty, &loc, pos));
        }
        let dest = match dest {
            // Already written there.
            Dest::Write(l) if l == loc => Dest::Discard,
            d => d,
        };
        let source = Source::File {
            loc,
            proj: Proj::Whole,
            step: Some(art),
        };
        self.deliver(source, &base, pos, dest, out);
    }
}

/// Where an effect step writes its value: where its `Dest` wants it, or a
/// file named after the step.
/// A for-each element's file is written by a step of its own, which runs
/// only when every step before it succeeded (see `loops`).
pub(super) fn own_loc(dest: &Dest, pos: &Pos, name: &str) -> Loc {
    match dest {
        Dest::Write(l) if !l.indexed => l.clone(),
        _ => pos.loc(name),
    }
}
