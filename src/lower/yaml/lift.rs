//! Control lifted out of a place where the DSL does not allow it (an `if`
//! in a branch, a loop in a loop, a `try` anywhere but the top level). A
//! lifted node becomes the only content of a file of its own,
//! `<file>.<node>.yaml`, where it is at top level, and the original place
//! calls it (binding its `write_root` as `calls` does). A lifted file reads
//! the values of the files it came from through read-only `relpath` inputs
//! naming their roots (`root` for the workflow's own file); a value under
//! `${loop.index}` (a for-each element, a call's result in a loop) is first
//! copied to a fixed file. Its value, or its loop outcome, is `result.json`
//! under its write root.

use super::Lowering;
use super::cx::{Dest, FileCx, Kind, ListId, Loc, Pos, Proj, RecurTarget, Root, Source};
use super::model::{Contract, Ref, Scalar, Step, WithValue, WorkflowFile};
use super::names::snake;
use crate::ir::Node;
use indexmap::IndexMap;

impl Lowering<'_> {
    /// Makes local `id` readable from another file: a for-each element or
    /// a value under `${loop.index}` is copied to a fixed file first.
    fn ensure_fixed(
        &mut self,
        id: crate::typeck::typed::LocalId,
        name: &str,
        pos: &Pos,
        out: &mut Vec<Step>,
    ) {
        let Some(Source::File { loc, proj, .. }) = self.wf.sources.get(&id).cloned() else {
            return;
        };
        if !loc.indexed && proj != Proj::Elem {
            return;
        }
        let copy = self.fresh_name(&format!("{name}-copy"), pos);
        let fixed = pos.loc(&copy);
        let from = self.wf.sources.get(&id).cloned();
        if let Some(from) = from
            && let Some(step) = self.copy_step(&from, name, &fixed, false, pos)
        {
            out.push(step);
            self.wf.sources.insert(
                id,
                Source::File {
                    loc: fixed,
                    proj: Proj::Whole,
                    step: None,
                },
            );
        }
    }

    /// Lowers node `n` in a file of its own and calls it from here.
    pub(super) fn lift(&mut self, n: &Node, pos: &Pos, dest: Dest, out: &mut Vec<Step>) {
        let name = self.node_name(n, pos);
        let mut names = Vec::new();
        super::walk::node_exprs(&n.kind, &mut |e| super::walk::collect_names(e, &mut names));
        for (_, b) in n.kind.blocks() {
            super::walk::collect_block_names(b, &mut names);
        }
        for id in &n.reads {
            let local = names
                .iter()
                .find(|(i, _)| i == id)
                .map_or("value".to_string(), |(_, s)| s.clone());
            self.ensure_fixed(*id, &local, pos, out);
        }
        let parent = self.file(pos.file()).stem.clone();
        let stem = self
            .file_names
            .fresh(&format!("{parent}.{}", super::cx::file_safe(&name)), None);
        let root_input = format!("{}_root", snake(&name));
        self.wf
            .files
            .push(FileCx::new(stem.clone(), Root::WriteRoot, root_input));
        let f = self.wf.files.len() - 1;
        let result = Loc {
            file: f,
            rel: "result.json".into(),
            indexed: false,
        };
        let outcome = matches!(dest, Dest::Outcome(_));
        let inner_dest = match &dest {
            Dest::Discard => Dest::Discard,
            Dest::Outcome(_) => Dest::Outcome(result.clone()),
            _ => Dest::Write(result.clone()),
        };
        let inner = Pos {
            list: ListId { file: f, list: 0 },
            kind: Kind::Top,
            dir: String::new(),
            in_loop: false,
            scope: pos.scope.clone(),
            recur: pos.recur.as_ref().map(|r| RecurTarget {
                dest: result.clone(),
                state: r.state.clone(),
            }),
            retries: None,
            try_error: None,
            label: None,
        };
        let mut steps = Vec::new();
        self.node(n, &inner, inner_dest, &mut steps);
        let Some(file) = self.wf.files.pop() else {
            return;
        };
        let mut inputs = IndexMap::new();
        inputs.insert(
            "write_root".to_string(),
            Contract {
                ty: "relpath",
                ..Contract::default()
            },
        );
        let mut with = IndexMap::new();
        let (root, rel) = self.write_root(&name, pos, out);
        with.insert("write_root".to_string(), root);
        for r in &file.read_roots {
            let input = self.file(*r).root_input.clone();
            inputs.insert(
                input.clone(),
                Contract {
                    ty: "relpath",
                    ..Contract::default()
                },
            );
            let value = if *r == pos.file() {
                match &self.file(*r).root {
                    Root::Literal(s) => WithValue::Literal(Scalar::Str(s.clone())),
                    Root::WriteRoot => WithValue::Ref(Ref::new("inputs.write_root")),
                }
            } else {
                self.file(pos.file()).read_roots.insert(*r);
                WithValue::Ref(Ref::new(format!("inputs.{input}")))
            };
            with.insert(input, value);
        }
        let file_name = format!("{stem}.yaml");
        let done = self.workflow_file(&file, stem.clone(), inputs, IndexMap::new(), steps);
        self.done.push((file_name.clone(), done));
        let alias = self.import(pos, &snake(&name), &file_name);
        let (step, source) = self.call_step(n, pos, &name, alias, with, &rel);
        out.push(step);
        match dest {
            Dest::Outcome(loc) if outcome => {
                out.extend(self.copy_step(&source, &name, &loc, false, pos));
            }
            d => self.deliver(source, &name, pos, d, out),
        }
    }

    /// A finished file as the DSL's workflow document.
    pub(super) fn workflow_file(
        &mut self,
        file: &FileCx,
        name: String,
        inputs: IndexMap<String, Contract>,
        outputs: IndexMap<String, Contract>,
        steps: Vec<Step>,
    ) -> WorkflowFile {
        WorkflowFile {
            version: super::model::VERSION.to_string(),
            name,
            imports: file.imports.clone(),
            providers: self.templates(file),
            inputs,
            outputs,
            steps,
        }
    }
}
