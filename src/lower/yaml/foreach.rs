//! `for-each` as `for_each` plus a gate. The DSL's `for_each` goes on
//! after a failing step and the run still succeeds, so the failure of an
//! element must be made visible: a `-clean` step removes what an earlier
//! run left, an `-items` step writes the list (read with `items_from`),
//! the body's last step writes the element's value to
//! `<for-each>/<index>.json` and runs only when every step before it in the
//! body completed, and the `-gate` step after the loop fails unless every
//! element wrote its file, then collects them, in input order, into the
//! for-each's value. Elements run one after another (`:limit` is moot).

use super::Lowering;
use super::cx::{CatchKind, Dest, Kind, Loc, Pos, Proj, Source};
use super::model::{ForEach, Predicate, Ref, Scalar, Step};
use super::names::{snake, step_id};
use crate::ir::{Node, NodeKind};
use crate::typeck::typed::{TExpr, TExprKind};

/// Fails unless every element wrote its value; prints the values in order.
const GATE: &str = concat!(
    "n=$(jq length \"$2\") || exit 1; i=0; while [ \"$i\" -lt \"$n\" ]; do ",
    "[ -f \"$1/$i.json\" ] || { echo \"for-each $3: element $i failed\" >&2; exit 1; }; ",
    "i=$((i+1)); done; i=0; while [ \"$i\" -lt \"$n\" ]; do cat \"$1/$i.json\"; i=$((i+1)); done | jq -s ."
);

impl Lowering<'_> {
    pub(super) fn for_each(&mut self, n: &Node, pos: &Pos, dest: Dest, out: &mut Vec<Step>) {
        let NodeKind::ForEach { list, body, .. } = &n.kind else {
            return;
        };
        let name = self.node_name(n, pos);
        let dir = pos.rel(&super::cx::file_safe(&name));
        let dir_loc = Loc {
            file: pos.file(),
            rel: dir.clone(),
            indexed: false,
        };
        let clean = self.fresh_name(&format!("{name}-clean"), pos);
        let spelled_dir = self.spell(&dir_loc, pos);
        out.push(self.command_step(
            &clean,
            vec!["rm".into(), "-rf".into(), spelled_dir.clone()],
            None,
            pos,
            CatchKind::Safe,
        ));
        let items = self.fresh_name(&format!("{name}-items"), pos);
        let items_loc = Loc {
            rel: pos.rel(&format!("{}.items.json", super::cx::file_safe(&name))),
            ..dir_loc.clone()
        };
        let Some(mut items_step) = self.jq_value_step(&items, list, Some(&items_loc), pos) else {
            return;
        };
        items_step.output_capture = Some("json");
        out.push(items_step);
        let elem = self.for_each_var(n);
        if let Some((local, _)) = elem {
            self.wf.sources.insert(
                local,
                Source::File {
                    loc: items_loc.clone(),
                    proj: Proj::Elem,
                    step: None,
                },
            );
        }
        let mut inner = self.nested(pos, Kind::ForEachBody);
        inner.dir = dir.clone();
        inner.in_loop = true;
        inner.recur = None;
        inner.scope.push(n.name.to_string());
        let each = Loc {
            file: pos.file(),
            rel: format!("{dir}/${{loop.index}}.json"),
            indexed: true,
        };
        let mut steps = Vec::new();
        self.block(body, &inner, Dest::Write(each), &mut steps);
        // The element's value is written only if every step before it
        // completed: the DSL goes on after a failure inside for_each.
        if let Some((last, before)) = steps.split_last_mut()
            && !before.is_empty()
        {
            let all: Vec<Predicate> = before
                .iter()
                .map(|s| Predicate::Compare {
                    compare: super::model::Compare {
                        left: super::model::Operand::Ref(Ref::new(format!(
                            "self.steps.{}.outcome.status",
                            s.name
                        ))),
                        op: "eq",
                        right: super::model::Operand::Literal(Scalar::Str("completed".into())),
                    },
                })
                .collect();
            last.when = Some(Predicate::AllOf { all_of: all });
        }
        let alias = match snake(&elem.map(|(_, v)| v).unwrap_or_else(|| "item".into())) {
            a if [
                "inputs", "steps", "loop", "run", "context", "self", "parent", "root",
            ]
            .contains(&a.as_str()) =>
            {
                format!("{a}_item")
            }
            a => a,
        };
        let id = step_id(&mut self.file(pos.file()).ids, &name);
        let mut step = Step::named(&name);
        step.id = Some(id);
        step.for_each = Some(ForEach {
            items_from: format!("steps.{items}.json"),
            alias,
            steps,
        });
        out.push(step);
        let gate = format!("{name}-gate");
        self.file(pos.file()).names.take(&gate);
        let value = pos.loc(&name);
        let items_path = self.spell(&items_loc, pos);
        let cmd = vec![
            "sh".into(),
            "-c".into(),
            GATE.into(),
            "gate".into(),
            spelled_dir,
            items_path,
            name.clone(),
        ];
        out.push(self.command_step(&gate, cmd, Some(&value), pos, CatchKind::Pure));
        let source = Source::File {
            loc: value,
            proj: Proj::Whole,
            step: None,
        };
        self.deliver(source, &name, pos, dest, out);
    }

    /// The element variable of a for-each node and its name.
    fn for_each_var(&self, n: &Node) -> Option<(crate::typeck::typed::LocalId, String)> {
        let NodeKind::ForEach { var, body, .. } = &n.kind else {
            return None;
        };
        let mut name = None;
        find_name(body, *var, &mut name);
        Some((*var, name.unwrap_or_else(|| "item".into())))
    }
}

/// The source name of local `id` where `block` reads it.
fn find_name(
    block: &crate::ir::Block,
    id: crate::typeck::typed::LocalId,
    out: &mut Option<String>,
) {
    fn walk(e: &TExpr, id: crate::typeck::typed::LocalId, out: &mut Option<String>) {
        if let TExprKind::Var(crate::typeck::typed::Ref::Local { id: i, name }) = &e.kind
            && *i == id
        {
            *out = Some(name.to_string());
        }
        crate::ir::children(e, &mut |c| walk(c, id, out));
    }
    walk(&block.result, id, out);
    for (_, n) in block.nodes() {
        if out.is_some() {
            return;
        }
        super::walk::node_exprs(&n.kind, &mut |e| walk(e, id, out));
        for (_, b) in n.kind.blocks() {
            find_name(b, id, out);
        }
    }
}
