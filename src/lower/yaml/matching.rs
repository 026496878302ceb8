//! `match` as the DSL's `match` statement. It names an enum artifact — a
//! union's `variant`, an enum value — and lists every member or variant
//! as a case, so it is exhaustive as the DSL demands. Where the value has
//! no artifact to name (or arms bind it), a `-on` jq step computes `{case,
//! value}`; a `_` arm covering two or more members becomes one `_` case
//! (the step maps those members to `_`) instead of a copy per member.
//! Binders read the matched value where it is; every case writes the
//! statement's value to one file.

use super::Lowering;
use super::arts::field_chain;
use super::cx::{CatchKind, Dest, Kind, Pos, Proj, Source, StepArt};
use super::jq::jq_string;
use super::model::{Bundle, Field, Match, Step};
use super::names::step_id;
use crate::ir::{Block, Node};
use crate::typeck::typed::{Ref, TExpr, TExprKind, TPattern};
use crate::typeck::types::Type;
use indexmap::IndexMap;

impl Lowering<'_> {
    /// The enum artifact a `match` on `e` names, and where the matched
    /// value is (for binders). Without an artifact to name, or with a
    /// `bucket` (the members named by arms, the rest falling to `_`), a jq
    /// step computes `{case, value}` and declares `case`.
    #[allow(clippy::too_many_arguments)]
    fn discriminant(
        &mut self,
        e: &TExpr,
        name: &str,
        force: bool,
        bucket: Option<&[String]>,
        pos: &Pos,
        out: &mut Vec<Step>,
    ) -> Option<(String, Option<Source>)> {
        let union = matches!(self.sub(&e.ty), Type::Union(..));
        if bucket.is_none()
            && let Some((Ref::Local { id, .. }, path)) =
                field_chain(e).filter(|(_, p)| !force || p.is_empty())
            && let Some(
                ref source @ Source::File {
                    step: Some(ref art),
                    ..
                },
            ) = self.wf.sources.get(id).cloned()
        {
            let mut want = path.clone();
            if union {
                want.push("variant".into());
            }
            if let Some((_, a)) = art.fields.iter().find(|(p, _)| *p == want)
                && let Some(prefix) = self.visible_prefix(art, pos)
            {
                let whole = path.is_empty().then(|| source.clone());
                return Some((format!("{prefix}.{}.artifacts.{a}", art.name), whole));
            }
        }
        if bucket.is_none()
            && !union
            && !force
            && let Some(a) = self.artifact(e, pos)
        {
            return Some((a.path(), None));
        }
        let step_name = self.fresh_name(&format!("{name}-on"), pos);
        let loc = pos.loc(&step_name);
        let mut jb = self.jq_reading(&[e], pos);
        let tag = if union { "$v.variant" } else { "$v" };
        let case = match bucket {
            Some(named) => {
                let tests: Vec<String> = named
                    .iter()
                    .map(|m| format!("$t == {}", jq_string(m)))
                    .collect();
                format!(
                    "({tag} as $t | if {} then $t else \"_\" end)",
                    tests.join(" or ")
                )
            }
            None => tag.to_string(),
        };
        let body = jb
            .jq
            .expr(e)
            .map(|v| format!("{v} as $v | {{case: {case}, value: $v}}"));
        let cmd = self.jq_command(jb, body, false)?;
        let mut step = self.command_step(&step_name, cmd, Some(&loc), pos, CatchKind::of(e));
        let mut allowed = match bucket {
            Some(named) => named.to_vec(),
            None => self.members(&self.sub(&e.ty)),
        };
        if bucket.is_some() {
            allowed.push("_".into());
        }
        step.output_bundle = Some(Bundle {
            path: self.spell(&loc, pos),
            fields: vec![Field {
                name: "case".into(),
                json_pointer: "/case".into(),
                ty: "enum",
                allowed: Some(allowed),
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
        let source = Source::File {
            loc,
            proj: Proj::Key(vec!["value".into()]),
            step: None,
        };
        Some((format!("{prefix}.{step_name}.artifacts.case"), Some(source)))
    }

    /// The variants of a union type or the members of an enum type.
    fn members(&self, ty: &Type) -> Vec<String> {
        match ty {
            Type::Union(u, _) => self
                .tables
                .unions
                .get(u)
                .map(|u| u.variants.iter().map(|v| v.name.to_string()).collect()),
            Type::Enum(e) => self
                .tables
                .enums
                .get(e)
                .map(|e| e.members.iter().map(|m| m.name.to_string()).collect()),
            _ => None,
        }
        .unwrap_or_default()
    }

    fn visible_prefix(&self, art: &StepArt, pos: &Pos) -> Option<&'static str> {
        if art.list.file != pos.file() {
            return None;
        }
        if art.list == pos.list {
            Some(if pos.list.list == 0 {
                "root.steps"
            } else {
                "self.steps"
            })
        } else if art.list.list == 0 {
            Some("root.steps")
        } else {
            None
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn match_(
        &mut self,
        n: &Node,
        scrutinee: &TExpr,
        arms: &[(TPattern, Block)],
        pos: &Pos,
        dest: Dest,
        out: &mut Vec<Step>,
    ) {
        let name = self.fresh_name(&n.name, pos);
        let binders = arms.iter().any(|(p, _)| {
            matches!(
                p,
                TPattern::Variant {
                    binder: Some(_),
                    ..
                } | TPattern::Member {
                    binder: Some(_),
                    ..
                }
            )
        });
        let plain_var = matches!(&scrutinee.kind, TExprKind::Var(Ref::Local { .. }));
        let force = binders && !plain_var;
        let members = self.members(&self.sub(&scrutinee.ty));
        let named: Vec<String> = arms
            .iter()
            .filter_map(|(p, _)| match p {
                TPattern::Variant { name, .. } | TPattern::Member { name, .. } => {
                    Some(name.to_string())
                }
                TPattern::Wildcard => None,
            })
            .collect();
        let wildcard = arms.iter().any(|(p, _)| *p == TPattern::Wildcard);
        // A `_` covering two or more members is one case, not a copy each.
        let bucket = (wildcard && members.len() >= named.len() + 2).then_some(named.as_slice());
        let Some((path, computed)) = self.discriminant(scrutinee, &name, force, bucket, pos, out)
        else {
            return;
        };
        // Binders read the matched value from where it is.
        let value = computed.or_else(|| match &scrutinee.kind {
            TExprKind::Var(Ref::Local { id, .. }) => self.wf.sources.get(id).cloned(),
            _ => None,
        });
        let cases_of: Vec<String> = match bucket {
            Some(named) => named.iter().cloned().chain(["_".to_string()]).collect(),
            None => members,
        };
        let (dest, bound) = self.statement_dest(dest, &name, pos);
        let id = step_id(&mut self.file(pos.file()).ids, &name);
        let mut cases = IndexMap::new();
        for member in cases_of {
            let arm = arms.iter().find(|(p, _)| match p {
                TPattern::Variant { name, .. } | TPattern::Member { name, .. } => **name == *member,
                TPattern::Wildcard => true,
            });
            let Some((pattern, block)) = arm else {
                continue;
            };
            if let (
                TPattern::Variant {
                    binder: Some((_, b)),
                    ..
                }
                | TPattern::Member {
                    binder: Some((_, b)),
                    ..
                },
                Some(v),
            ) = (pattern, &value)
            {
                self.wf.sources.insert(*b, v.clone());
            }
            let mut case_pos = self.nested(pos, Kind::Branch);
            let case = if member == "_" {
                "other".to_string()
            } else {
                member.to_lowercase()
            };
            case_pos.label = Some(format!("{name}-{case}"));
            let steps = self.branch_steps(block, &case_pos, dest.clone());
            cases.insert(member.clone(), steps);
        }
        let mut step = Step::named(&name);
        step.id = Some(id);
        step.match_ = Some(Match { path, cases });
        out.push(step);
        self.bind_written(bound);
    }
}
