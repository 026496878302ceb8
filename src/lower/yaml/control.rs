//! `if`/`cond` and `match` as the DSL's `if`/`then`/`else` and `match`
//! statements. A condition becomes a typed predicate when it compares DSL
//! names (inputs, step artifacts) with each other or with literals, with
//! `and`/`or`/`not` as `all_of`/`any_of`/`not`; any other condition is
//! computed by a jq step and tested with `artifact_bool`. A `match` names
//! an enum artifact (a union's `variant`, an enum value) and lists every
//! member or variant as a case, so it is exhaustive as the DSL demands: a
//! `_` arm is repeated for each member it covers. Both branches (cases)
//! write the statement's value to one file.

use super::Lowering;
use super::arts::Art;
use super::cx::{Dest, Kind, Pos, Proj, Source};
use super::model::{Bundle, Compare, Field, Operand, Predicate, Scalar, Step};
use super::names::step_id;
use crate::ir::{Block, Node};
use crate::typeck::Builtin;
use crate::typeck::typed::{Ref, TExpr, TExprKind};
use crate::typeck::types::Type;

impl Lowering<'_> {
    /// A nested step list at `pos` (a branch, case or loop body).
    pub(super) fn nested(&mut self, pos: &Pos, kind: Kind) -> Pos {
        let f = self.file(pos.file());
        let list = f.lists;
        f.lists += 1;
        Pos {
            list: super::cx::ListId {
                file: pos.file(),
                list,
            },
            kind,
            try_error: None,
            retries: None,
            label: None,
            ..pos.clone()
        }
    }

    /// A step list that is never empty (the DSL requires steps).
    pub(super) fn branch_steps(&mut self, b: &Block, pos: &Pos, dest: Dest) -> Vec<Step> {
        let mut steps = Vec::new();
        self.block(b, pos, dest, &mut steps);
        if steps.is_empty() {
            let name = self.fresh_name("nothing", pos);
            let mut s = Step::named(name);
            s.command = Some(vec!["true".into()]);
            steps.push(s);
        }
        steps
    }

    /// Where a statement's value goes: a `Bind` becomes a file of its own.
    pub(super) fn statement_dest(
        &mut self,
        dest: Dest,
        name: &str,
        pos: &Pos,
    ) -> (
        Dest,
        Option<(crate::typeck::typed::LocalId, super::cx::Loc)>,
    ) {
        match dest {
            Dest::Bind(id) => {
                let loc = pos.loc(name);
                (Dest::Write(loc.clone()), Some((id, loc)))
            }
            d => (d, None),
        }
    }

    pub(super) fn bind_written(
        &mut self,
        bound: Option<(crate::typeck::typed::LocalId, super::cx::Loc)>,
    ) {
        if let Some((id, loc)) = bound {
            self.wf.sources.insert(
                id,
                Source::File {
                    loc,
                    proj: Proj::Whole,
                    step: None,
                },
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn if_(
        &mut self,
        n: &Node,
        cond: &TExpr,
        then: &Block,
        els: &Block,
        pos: &Pos,
        dest: Dest,
        out: &mut Vec<Step>,
    ) {
        let name = self.fresh_name(&n.name, pos);
        let Some(pred) = self.predicate(cond, &name, pos, out) else {
            return;
        };
        let (dest, bound) = self.statement_dest(dest, &name, pos);
        let id = step_id(&mut self.file(pos.file()).ids, &name);
        let mut branch = self.nested(pos, Kind::Branch);
        branch.label = Some(format!("{name}-then"));
        let then_steps = self.branch_steps(then, &branch, dest.clone());
        let mut branch = self.nested(pos, Kind::Branch);
        branch.label = Some(format!("{name}-else"));
        let else_steps = self.branch_steps(els, &branch, dest);
        let mut step = Step::named(&name);
        step.id = Some(id.clone());
        step.if_ = Some(pred);
        step.then = Some(then_steps);
        step.else_ = Some(else_steps);
        out.push(step);
        self.bind_written(bound);
    }

    /// `cond` as a typed predicate, computing it first when it is not
    /// built from DSL names; `None` after a refusal.
    pub(super) fn predicate(
        &mut self,
        cond: &TExpr,
        name: &str,
        pos: &Pos,
        out: &mut Vec<Step>,
    ) -> Option<Predicate> {
        if let Some(p) = self.direct_predicate(cond, pos) {
            return Some(p);
        }
        let step_name = self.fresh_name(&format!("{name}-cond"), pos);
        let loc = pos.loc(&step_name);
        let mut step = self.jq_value_step(&step_name, cond, Some(&loc), pos)?;
        step.output_bundle = Some(Bundle {
            path: self.spell(&loc, pos),
            fields: vec![Field {
                name: "value".into(),
                json_pointer: String::new(),
                ty: "bool",
                allowed: None,
                under: None,
                must_exist_target: None,
            }],
        });
        out.push(step);
        let prefix = if pos.list.list == 0 {
            "root.steps"
        } else {
            "self.steps"
        };
        Some(Predicate::artifact_bool(format!(
            "{prefix}.{step_name}.artifacts.value"
        )))
    }

    fn operand(&self, e: &TExpr, pos: &Pos) -> Option<Operand> {
        Some(match &e.kind {
            TExprKind::Int(i) => Operand::Literal(Scalar::Int(*i)),
            TExprKind::Float(f) => Operand::Literal(Scalar::Float(*f)),
            TExprKind::Str(s) => Operand::Literal(Scalar::Str(s.clone())),
            TExprKind::Bool(b) => Operand::Literal(Scalar::Bool(*b)),
            TExprKind::Var(Ref::EnumMember { member, .. }) => {
                Operand::Literal(Scalar::Str(member.to_string()))
            }
            _ => Operand::Ref(super::model::Ref::new(self.artifact(e, pos)?.path())),
        })
    }

    fn direct_predicate(&self, e: &TExpr, pos: &Pos) -> Option<Predicate> {
        match &e.kind {
            TExprKind::Builtin { op, args } => match (op, &args[..]) {
                (Builtin::And, _) | (Builtin::Or, _) => {
                    let ps: Option<Vec<Predicate>> =
                        args.iter().map(|a| self.direct_predicate(a, pos)).collect();
                    let ps = ps?;
                    Some(if *op == Builtin::And {
                        Predicate::AllOf { all_of: ps }
                    } else {
                        Predicate::AnyOf { any_of: ps }
                    })
                }
                (Builtin::Not, [a]) => Some(Predicate::negate(self.direct_predicate(a, pos)?)),
                (cmp, [a, b]) => {
                    let numeric = matches!(self.sub(&a.ty), Type::Int | Type::Float);
                    let op = match cmp {
                        Builtin::Eq => "eq",
                        Builtin::Ne => "ne",
                        Builtin::Lt if numeric => "lt",
                        Builtin::Le if numeric => "lte",
                        Builtin::Gt if numeric => "gt",
                        Builtin::Ge if numeric => "gte",
                        _ => return None,
                    };
                    let (left, right) = (self.operand(a, pos)?, self.operand(b, pos)?);
                    if matches!((&left, &right), (Operand::Literal(_), Operand::Literal(_))) {
                        return None;
                    }
                    Some(Predicate::Compare {
                        compare: Compare { left, op, right },
                    })
                }
                _ => None,
            },
            _ if self.sub(&e.ty) == Type::Bool => match self.artifact(e, pos)? {
                a @ (Art::Input(_) | Art::Step { .. }) => Some(Predicate::artifact_bool(a.path())),
            },
            _ => None,
        }
    }
}
