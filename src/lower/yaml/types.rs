//! wfl types as DSL contracts. A scalar type is one DSL type (`String` →
//! `string`, `Int` → `integer`, a defpath → `relpath` with `under` and
//! `must_exist_target`, an enum → `enum` with `allowed`). A record is
//! flattened into its leaves: the field path joined with `_` names the leaf
//! (`design.doc` → `design_doc`) and a JSON pointer reaches it
//! (`/design/doc`). Leaves that are not scalars (lists, options, unions,
//! `Json`) have no DSL type in 2.14: workflow inputs take them as JSON
//! text in a `string`, and step outputs leave them to the JSON file the
//! step writes. A `:ext` refinement has no DSL spelling either.

use super::model::{Contract, Field};
use super::names::snake;
use crate::typeck::Tables;
use crate::typeck::types::{Name, Type};

/// A scalar DSL type with its refinements.
#[derive(Debug, Clone, PartialEq)]
pub struct ScalarTy {
    pub ty: &'static str,
    pub allowed: Option<Vec<String>>,
    pub under: Option<String>,
    pub must_exist: bool,
}

impl ScalarTy {
    fn plain(ty: &'static str) -> ScalarTy {
        ScalarTy {
            ty,
            allowed: None,
            under: None,
            must_exist: false,
        }
    }

    /// As a workflow input or output contract (without `from`/`default`).
    pub fn contract(&self) -> Contract {
        Contract {
            kind: (self.ty != "relpath").then_some("scalar"),
            ty: self.ty,
            allowed: self.allowed.clone(),
            under: self.under.clone(),
            must_exist_target: self.must_exist.then_some(true),
            ..Contract::default()
        }
    }

    /// As an `output_bundle` field.
    pub fn field(&self, name: &str, pointer: &str) -> Field {
        Field {
            name: name.to_string(),
            json_pointer: pointer.to_string(),
            ty: self.ty,
            allowed: self.allowed.clone(),
            under: self.under.clone(),
            must_exist_target: self.must_exist.then_some(true),
        }
    }
}

/// The DSL type of a scalar wfl type; `None` for everything else.
pub fn scalar(ty: &Type, tables: &Tables) -> Option<ScalarTy> {
    Some(match ty {
        Type::String => ScalarTy::plain("string"),
        Type::Int => ScalarTy::plain("integer"),
        Type::Float => ScalarTy::plain("float"),
        Type::Bool => ScalarTy::plain("bool"),
        Type::Path => ScalarTy::plain("relpath"),
        Type::Refined(name) => {
            let info = tables.paths.get(name);
            ScalarTy {
                under: info
                    .and_then(|i| i.under.clone())
                    .map(|u| u.trim_end_matches('/').to_string()),
                must_exist: info.is_some_and(|i| i.must_exist),
                ..ScalarTy::plain("relpath")
            }
        }
        Type::Enum(name) => ScalarTy {
            allowed: Some(
                tables
                    .enums
                    .get(name)
                    .map(|e| e.members.iter().map(|m| m.name.to_string()).collect())
                    .unwrap_or_default(),
            ),
            ..ScalarTy::plain("enum")
        },
        _ => return None,
    })
}

/// One leaf of a flattened value.
#[derive(Debug, Clone)]
pub struct Leaf {
    /// Field names from the value down to the leaf (empty: the value itself).
    pub path: Vec<Name>,
    pub ty: Type,
    /// `None`: not a scalar (JSON text as an input, absent as an output).
    pub scalar: Option<ScalarTy>,
}

impl Leaf {
    /// `prefix_a_b` (or `prefix`, or `a_b`).
    pub fn name(&self, prefix: Option<&str>) -> String {
        let mut parts: Vec<String> = prefix.map(snake).into_iter().collect();
        parts.extend(self.path.iter().map(|p| snake(p)));
        parts.join("_")
    }

    /// `/a/b` (RFC 6901).
    pub fn pointer(&self) -> String {
        self.path
            .iter()
            .map(|p| format!("/{}", p.replace('~', "~0").replace('/', "~1")))
            .collect()
    }
}

/// The fields of record type `ty`, type arguments substituted.
pub fn record_fields(ty: &Type, tables: &Tables) -> Option<Vec<(Name, Type)>> {
    let Type::Record(name, args) = ty else {
        return None;
    };
    let info = tables.records.get(name)?;
    let params = tables.type_params(name);
    Some(
        info.fields
            .iter()
            .map(|f| (f.name.clone(), f.ty.substitute(params, args)))
            .collect(),
    )
}

/// The leaves of `ty`: records are flattened, everything else is one leaf.
pub fn leaves(ty: &Type, tables: &Tables) -> Vec<Leaf> {
    let mut out = Vec::new();
    flatten(ty, tables, &mut Vec::new(), &mut out);
    out
}

fn flatten(ty: &Type, tables: &Tables, path: &mut Vec<Name>, out: &mut Vec<Leaf>) {
    match record_fields(ty, tables) {
        Some(fields) if path.len() < 16 => {
            for (name, fty) in fields {
                path.push(name);
                flatten(&fty, tables, path, out);
                path.pop();
            }
        }
        _ => out.push(Leaf {
            path: path.clone(),
            ty: ty.clone(),
            scalar: scalar(ty, tables),
        }),
    }
}

/// The first name two leaves share, if any.
pub fn clash(names: impl IntoIterator<Item = String>) -> Option<String> {
    let mut seen = std::collections::HashSet::new();
    names.into_iter().find(|n| !seen.insert(n.clone()))
}

/// The output-bundle fields of a record or scalar value: its scalar leaves
/// (a bare scalar is the field `value` at pointer `""`).
pub fn bundle_fields(ty: &Type, tables: &Tables) -> Vec<Field> {
    leaves(ty, tables)
        .iter()
        .filter_map(|leaf| {
            let s = leaf.scalar.as_ref()?;
            let name = if leaf.path.is_empty() {
                "value".to_string()
            } else {
                leaf.name(None)
            };
            Some(s.field(&name, &leaf.pointer()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaf_names_and_pointers() {
        let leaf = Leaf {
            path: vec!["design".into(), "open-questions".into()],
            ty: Type::String,
            scalar: None,
        };
        assert_eq!(leaf.name(None), "design_open_questions");
        assert_eq!(leaf.name(Some("x")), "x_design_open_questions");
        assert_eq!(leaf.pointer(), "/design/open-questions");
        assert_eq!(
            clash(["a".to_string(), "b".into(), "a".into()]),
            Some("a".into())
        );
    }
}
