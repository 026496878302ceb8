//! Whole-type checks of typed step results. The DSL 2.14 validates the
//! scalar fields a step declares; the rest of a wfl value (list elements,
//! options, unions inside records, unknown fields) would reach jq steps
//! unchecked. So a step whose type has parts the bundle cannot declare is
//! followed by a `-check` jq step that tests its JSON against the whole
//! type (one jq `def` per record or union type) and fails, as a reply that
//! does not fit fails in wfl, naming the step and the type.

use super::Lowering;
use super::cx::{CatchKind, Loc, Pos};
use super::jq::jq_string;
use super::model::Step;
use super::read::escape_dollars;
use super::types::{leaves, record_fields};
use crate::typeck::Tables;
use crate::typeck::types::Type;
use indexmap::IndexMap;

/// Whether the declared fields of a step returning `ty` leave part of it
/// unchecked.
pub fn needs_check(ty: &Type, tables: &Tables) -> bool {
    match ty {
        Type::Union(name, _) => tables.unions.get(name).is_some_and(|u| {
            u.variants.iter().any(|v| {
                v.fields
                    .iter()
                    .any(|f| super::types::scalar(&f.ty, tables).is_none())
            })
        }),
        _ => leaves(ty, tables).iter().any(|l| l.scalar.is_none()),
    }
}

/// Builds jq tests of wfl types, with one `def` per record or union.
struct Tests<'t> {
    tables: &'t Tables,
    /// Type (as written) → (def name, def text once built).
    defs: IndexMap<String, (String, Option<String>)>,
}

impl Tests<'_> {
    /// A jq condition on `.` that holds when `.` is a JSON `ty`.
    fn test(&mut self, ty: &Type) -> String {
        match ty {
            Type::String | Type::Path | Type::Refined(_) => "type == \"string\"".into(),
            Type::Int => "(type == \"number\" and . == floor)".into(),
            Type::Float => "type == \"number\"".into(),
            Type::Bool => "type == \"boolean\"".into(),
            Type::Unit => ". == null".into(),
            Type::List(t) => format!("(type == \"array\" and all(.[]; {}))", self.test(t)),
            Type::Option(t) => format!("(. == null or ({}))", self.test(t)),
            Type::Enum(name) => {
                let members: Vec<String> = self
                    .tables
                    .enums
                    .get(name)
                    .map(|e| {
                        e.members
                            .iter()
                            .map(|m| format!(". == {}", jq_string(&m.name)))
                            .collect()
                    })
                    .unwrap_or_default();
                if members.is_empty() {
                    "false".into()
                } else {
                    format!("({})", members.join(" or "))
                }
            }
            Type::Record(..) | Type::Union(..) => self.named(ty),
            _ => "true".into(),
        }
    }

    /// The def testing a record or union type: `_Design`.
    fn named(&mut self, ty: &Type) -> String {
        let key = ty.to_string();
        if let Some((name, _)) = self.defs.get(&key) {
            return name.clone();
        }
        let base = super::names::snake(&key);
        let mut name = format!("_{base}");
        let mut n = 2;
        while self.defs.values().any(|(d, _)| *d == name) {
            name = format!("_{base}_{n}");
            n += 1;
        }
        self.defs.insert(key.clone(), (name.clone(), None));
        let body = match ty {
            Type::Record(..) => {
                let fields = record_fields(ty, self.tables).unwrap_or_default();
                let names: Vec<&str> = fields.iter().map(|(n, _)| &**n).collect();
                format!(
                    "type == \"object\" and {}",
                    self.fields_test(&fields, &names)
                )
            }
            Type::Union(u, args) => {
                let params = self.tables.type_params(u).to_vec();
                let variants: Vec<(String, Vec<(crate::typeck::types::Name, Type)>)> = self
                    .tables
                    .unions
                    .get(u)
                    .map(|info| {
                        info.variants
                            .iter()
                            .map(|v| {
                                let fs = v
                                    .fields
                                    .iter()
                                    .map(|f| (f.name.clone(), f.ty.substitute(&params, args)))
                                    .collect();
                                (v.name.to_string(), fs)
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let mut arms = Vec::new();
                for (v, fields) in &variants {
                    let mut names: Vec<&str> = vec!["variant"];
                    names.extend(fields.iter().map(|(n, _)| &**n));
                    arms.push(format!(
                        ".variant == {} then {}",
                        jq_string(v),
                        self.fields_test(fields, &names)
                    ));
                }
                if arms.is_empty() {
                    "false".into()
                } else {
                    format!(
                        "type == \"object\" and (if {} else false end)",
                        arms.join(" elif ")
                    )
                }
            }
            _ => "true".into(),
        };
        let def = format!("def {name}: {body};");
        self.defs.insert(key, (name.clone(), Some(def)));
        name
    }

    /// Every field fits and there is no other key (an option may be absent).
    fn fields_test(
        &mut self,
        fields: &[(crate::typeck::types::Name, Type)],
        names: &[&str],
    ) -> String {
        let listed: Vec<String> = names.iter().map(|n| jq_string(n)).collect();
        let mut parts = vec![format!(
            "(keys_unsorted - [{}] | length == 0)",
            listed.join(", ")
        )];
        for (name, ty) in fields {
            let key = jq_string(name);
            let test = self.test(ty);
            parts.push(match ty {
                Type::Option(_) => format!("((.[{key}] // null) | {test})"),
                _ => format!("has({key}) and (.[{key}] | {test})"),
            });
        }
        parts.join(" and ")
    }
}

impl Lowering<'_> {
    /// The `-check` step of a step named `name` whose `ty` value is in
    /// `file`, reporting failures as the step `id`'s invalid output.
    pub(super) fn check_step(
        &mut self,
        name: &str,
        id: &str,
        ty: &Type,
        file: &Loc,
        pos: &Pos,
    ) -> Step {
        let mut tests = Tests {
            tables: self.tables,
            defs: IndexMap::new(),
        };
        let test = tests.test(ty);
        let mut program: Vec<String> = tests.defs.into_values().filter_map(|(_, d)| d).collect();
        // Defs built while building another come first in jq's order.
        program.reverse();
        let message = jq_string(&format!("{name}: the result does not fit {ty}"));
        program.push(format!(
            "input | if {test} then empty else error({message}) end"
        ));
        let check = self.fresh_name(&format!("{name}-check"), pos);
        let path = self.spell(file, pos);
        let cmd = vec![
            "jq".into(),
            "-n".into(),
            escape_dollars(&program.join("\n")),
            path,
        ];
        let step = self.command_step(&check, cmd, None, pos, CatchKind::Invalid);
        self.file(pos.file())
            .catch
            .insert(check.clone(), (id.to_string(), CatchKind::Invalid));
        step
    }
}
