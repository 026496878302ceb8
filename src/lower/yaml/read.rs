//! Building `jq` steps: the values a pure expression reads are bound to jq
//! variables from the files they live in, one `input` line per file in the
//! order the files follow the program on the command line. A file holding
//! several values (a loop's state, the workflow's `inputs.json`) is read
//! once and destructured (`input as {state: {$change, $pass}}`); a
//! for-each element is its list file indexed by `${loop.index}`. Text of
//! the program never carries a `${…}` the DSL would substitute: every `$`
//! before `{` or `$` is doubled (`$${` is the DSL's literal `${`), and
//! values reach jq only as files or `--arg`/`--argjson` items.

use super::Lowering;
use super::cx::{CatchKind, Loc, Pos, Proj, Source};
use super::jq::{self, Jq, Untranslatable};
use super::model::Step;
use super::names::jq_ident;
use crate::ir::children;
use crate::typeck::typed::{LocalId, Ref, TExpr, TExprKind};
use crate::typeck::types::Name;
use indexmap::IndexMap;
use std::collections::HashSet;

/// `$` before `{` or `$` doubled, so the DSL substitutes nothing in `s`.
pub fn escape_dollars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '$' && matches!(chars.peek(), Some('{' | '$')) {
            out.push('$');
        }
    }
    out
}

/// How one file is read by a jq program.
#[derive(Default)]
struct FileRead {
    whole: Option<String>,
    keys: Vec<(Vec<String>, String)>,
    elem: Option<String>,
}

/// A jq program being assembled for one step.
pub struct JqBuild<'t> {
    pub jq: Jq<'t>,
    files: IndexMap<String, FileRead>,
    /// `--arg`/`--argjson` items (may hold `${…}` on purpose).
    pub args: Vec<String>,
    taken: HashSet<String>,
}

impl<'t> JqBuild<'t> {
    fn var(&mut self, name: &str) -> String {
        let base = jq_ident(name);
        let mut candidate = format!("${base}");
        let mut n = 2;
        while !self.taken.insert(candidate.clone()) {
            candidate = format!("${base}_{n}");
            n += 1;
        }
        candidate
    }

    /// `$name`, a variable bound to `--arg name value` (text).
    pub fn arg(&mut self, name: &str, value: String, json: bool) -> String {
        let var = self.var(name);
        self.args
            .push(if json { "--argjson" } else { "--arg" }.into());
        self.args.push(var.trim_start_matches('$').to_string());
        self.args.push(value);
        var
    }

    fn header(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (i, read) in self.files.values().enumerate() {
            if let Some(e) = &read.elem {
                out.push(format!("(input | .[$_i]) as {e}"));
                continue;
            }
            match (&read.whole, read.keys.is_empty()) {
                (Some(w), true) => out.push(format!("input as {w}")),
                (None, false) => out.push(format!("input as {}", pattern(&read.keys))),
                (whole, _) => {
                    let w = whole.clone().unwrap_or_else(|| format!("$_file{i}"));
                    out.push(format!("input as {w}"));
                    for (keys, var) in &read.keys {
                        let path: String = keys.iter().map(|k| jq::field_suffix(k)).collect();
                        out.push(format!("{w}{path} as {var}"));
                    }
                }
            }
        }
        out
    }
}

/// A destructuring pattern: `{state: {$change, "max-rounds": $max_rounds}}`.
fn pattern(keys: &[(Vec<String>, String)]) -> String {
    let mut groups: IndexMap<&str, Vec<(Vec<String>, String)>> = IndexMap::new();
    for (path, var) in keys {
        if let Some((first, rest)) = path.split_first() {
            groups
                .entry(first.as_str())
                .or_default()
                .push((rest.to_vec(), var.clone()));
        }
    }
    let parts: Vec<String> = groups
        .into_iter()
        .map(|(k, subs)| {
            let leaf = subs.iter().find(|(rest, _)| rest.is_empty());
            match leaf {
                Some((_, var)) if subs.len() == 1 && var.trim_start_matches('$') == k => {
                    var.clone()
                }
                Some((_, var)) if subs.len() == 1 => format!("{}: {var}", jq::key(k)),
                _ => format!("{}: {}", jq::key(k), pattern(&subs)),
            }
        })
        .collect();
    format!("{{{}}}", parts.join(", "))
}

/// Every local (with its name) and parameter `e` reads.
fn reads(e: &TExpr, locals: &mut Vec<(LocalId, Name)>, params: &mut Vec<(usize, Name)>) {
    match &e.kind {
        TExprKind::Var(Ref::Local { id, name }) if !locals.iter().any(|(l, _)| l == id) => {
            locals.push((*id, name.clone()));
        }
        TExprKind::Var(Ref::Param { index, name }) if !params.iter().any(|(p, _)| p == index) => {
            params.push((*index, name.clone()));
        }
        _ => {}
    }
    children(e, &mut |c| reads(c, locals, params));
}

impl<'p> Lowering<'p> {
    /// A path as written in the current file: its own root, or an
    /// ancestor's root through a read-only input.
    pub(super) fn spell(&mut self, loc: &Loc, pos: &Pos) -> String {
        let cur = pos.file();
        let root = if loc.file == cur {
            self.file(cur).own_root()
        } else {
            self.file(cur).read_roots.insert(loc.file);
            format!("${{inputs.{}}}", self.file(loc.file).root_input)
        };
        format!("{root}/{}", loc.rel)
    }

    /// A jq build with the locals and parameters of `exprs` bound.
    pub(super) fn jq_reading(&mut self, exprs: &[&TExpr], pos: &Pos) -> JqBuild<'p> {
        let mut jb = JqBuild {
            jq: Jq::new(self.tables),
            files: IndexMap::new(),
            args: Vec::new(),
            taken: HashSet::new(),
        };
        let (mut locals, mut params) = (Vec::new(), Vec::new());
        for e in exprs {
            reads(e, &mut locals, &mut params);
        }
        for (id, name) in locals {
            self.bind_local(&mut jb, id, &name, pos);
        }
        if let Some(spec) = &self.wf.spec {
            jb.jq.param_funcs = spec.funcs.clone();
        }
        for (index, name) in params {
            if jb.jq.param_funcs.contains_key(&index) {
                continue;
            }
            self.wf.inputs_used = true;
            let loc = Loc {
                file: 0,
                rel: "inputs.json".into(),
                indexed: false,
            };
            let path = self.spell(&loc, pos);
            let var = jb.var(&name);
            jb.files
                .entry(path)
                .or_default()
                .keys
                .push((vec![name.to_string()], var.clone()));
            jb.jq.bind_param(index, var);
        }
        jb
    }

    /// Binds local `id` (if it has a source; else it is bound inside).
    pub(super) fn bind_local(&mut self, jb: &mut JqBuild<'p>, id: LocalId, name: &str, pos: &Pos) {
        let Some(source) = self.wf.sources.get(&id).cloned() else {
            return;
        };
        let (loc, proj) = match source {
            Source::Const(c) => return jb.jq.bind_local(id, c),
            Source::File { loc, proj, .. } => (loc, proj),
        };
        let path = self.spell(&loc, pos);
        let read = jb.files.entry(path).or_default();
        let existing = match &proj {
            Proj::Whole => read.whole.clone(),
            Proj::Elem => read.elem.clone(),
            Proj::Key(k) => read
                .keys
                .iter()
                .find(|(p, _)| p == k)
                .map(|(_, v)| v.clone()),
        };
        if let Some(var) = existing {
            return jb.jq.bind_local(id, var);
        }
        let var = jb.var(name);
        let read = jb.files.entry(self.spell(&loc, pos)).or_default();
        match proj {
            Proj::Whole => read.whole = Some(var.clone()),
            Proj::Elem => {
                read.elem = Some(var.clone());
                if !jb.args.iter().any(|a| a == "_i") {
                    jb.args
                        .extend(["--argjson".into(), "_i".into(), "${loop.index}".into()]);
                }
            }
            Proj::Key(k) => read.keys.push((k, var.clone())),
        }
        jb.jq.bind_local(id, var);
    }

    /// The command of a jq step, or `None` after refusing what has no jq
    /// translation. `raw`: write text (a prompt), not JSON.
    pub(super) fn jq_command(
        &mut self,
        mut jb: JqBuild<'p>,
        body: Result<String, Untranslatable>,
        raw: bool,
    ) -> Option<Vec<String>> {
        let body = match body {
            Ok(b) => b,
            Err(u) => {
                self.refuse_untranslatable(u);
                return None;
            }
        };
        let defs = match jb.jq.prelude() {
            Ok(d) => d,
            Err(u) => {
                self.refuse_untranslatable(u);
                return None;
            }
        };
        let program = jq::program(&defs, &jb.header(), &body);
        let mut cmd = vec!["jq".to_string(), if raw { "-nj" } else { "-n" }.to_string()];
        cmd.append(&mut jb.args);
        cmd.push(escape_dollars(&program));
        cmd.extend(jb.files.into_keys());
        Some(cmd)
    }

    /// A jq step computing `e` into `out` (or only checking it can be computed).
    pub(super) fn jq_value_step(
        &mut self,
        name: &str,
        e: &TExpr,
        out: Option<&Loc>,
        pos: &Pos,
    ) -> Option<Step> {
        let mut jb = self.jq_reading(&[e], pos);
        let body = jb.jq.expr(e);
        let body = match (out, body) {
            (None, Ok(b)) => Ok(format!("{b} | empty")),
            (_, b) => b,
        };
        let cmd = self.jq_command(jb, body, false)?;
        Some(self.command_step(name, cmd, out, pos, CatchKind::of(e)))
    }

    /// A step running `cmd`, its stdout written to `out`.
    pub(super) fn command_step(
        &mut self,
        name: &str,
        cmd: Vec<String>,
        out: Option<&Loc>,
        pos: &Pos,
        catch: CatchKind,
    ) -> Step {
        let mut step = Step::named(name);
        step.command = Some(cmd);
        step.output_file = out.map(|l| self.spell(l, pos));
        if catch != CatchKind::Safe {
            let mut id = vec![self.wf.name.to_string()];
            id.extend(pos.scope.iter().cloned());
            id.push(name.to_string());
            self.file(pos.file())
                .catch
                .insert(name.to_string(), (id.join("/"), catch));
        }
        step
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollars_before_braces_are_doubled() {
        assert_eq!(escape_dollars("a ${x} $y $$ $"), "a $${x} $y $$$ $");
    }

    #[test]
    fn patterns_group_keys() {
        let keys = vec![
            (
                vec!["state".to_string(), "change".to_string()],
                "$change".to_string(),
            ),
            (
                vec!["state".to_string(), "pass".to_string()],
                "$n".to_string(),
            ),
            (vec!["max-rounds".to_string()], "$max_rounds".to_string()),
        ];
        assert_eq!(
            pattern(&keys),
            "{state: {$change, pass: $n}, \"max-rounds\": $max_rounds}"
        );
    }
}
