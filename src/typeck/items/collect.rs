//! Collection of the top-level items into `Tables`, in two passes: first
//! every name (so definitions are order-independent; duplicates are E0207),
//! then every signature (field, variant, member and parameter lists with
//! their duplicates E0208/E0209/E0210, `variant` as a union field E0225,
//! function types where values cross a run boundary E0220). Bodies, param
//! defaults, prompt templates and provider timeouts are checked later.

use super::builtin_types::{add_builtins, reserved};
use super::signature::dedup_type_params;
use super::*;
use crate::diag::{Code, Diagnostic};
use crate::parser::ast::{Ident, Item, Program};
use crate::typeck::ModuleEnv;

fn item_kind(item: &Item) -> Option<ItemKind> {
    Some(match item {
        Item::Record(_) => ItemKind::Record,
        Item::Union(_) => ItemKind::Union,
        Item::Enum(_) => ItemKind::Enum,
        Item::Path(_) => ItemKind::Path,
        Item::Provider(_) => ItemKind::Provider,
        Item::Prompt(_) => ItemKind::Prompt,
        Item::Fn(_) => ItemKind::Fn,
        Item::Workflow(_) => ItemKind::Workflow,
        Item::Module(_) | Item::Import(_) | Item::Export(_) => return None,
    })
}

pub(super) struct Collector<'d> {
    pub(super) tables: Tables,
    pub(super) diags: &'d mut Vec<Diagnostic>,
    /// Prepended to this file's names to make them canonical.
    pub(super) prefix: &'d str,
}

/// Builds the tables of `program` in module `env`; `kept[i]` says whether
/// item `i` was entered (a duplicate definition is reported and left out).
pub fn collect(
    program: &Program,
    env: &ModuleEnv,
    diags: &mut Vec<Diagnostic>,
) -> (Tables, Vec<bool>) {
    let mut c = Collector {
        tables: Tables::default(),
        diags,
        prefix: &env.prefix,
    };
    add_builtins(&mut c.tables);
    for module in env.imports.iter().flatten() {
        c.tables.absorb(&module.checked.tables);
    }
    // Own definitions first: they shadow names brought in without `:only`.
    let kept: Vec<bool> = program
        .items
        .iter()
        .map(|item| match (item_kind(item), item.name()) {
            (Some(kind), Some(name)) => c.declare(name, kind),
            _ => false,
        })
        .collect();
    c.imports(program, env);
    for (item, _) in program.items.iter().zip(&kept).filter(|(_, k)| **k) {
        c.placeholder(item);
    }
    for (item, _) in program.items.iter().zip(&kept).filter(|(_, k)| **k) {
        c.signature(item);
    }
    (c.tables, kept)
}

impl Collector<'_> {
    /// The canonical name of this file's item `name`.
    pub(super) fn canonical(&self, name: &Ident) -> Name {
        if self.prefix.is_empty() {
            name.name.as_str().into()
        } else {
            format!("{}{}", self.prefix, name.name).into()
        }
    }

    /// Enters a top-level name; false if it is taken.
    pub(super) fn declare(&mut self, name: &Ident, kind: ItemKind) -> bool {
        let what = if kind == ItemKind::Imported {
            "imported"
        } else {
            "defined"
        };
        if let Some(builtin) = reserved(&name.name) {
            self.diags.push(
                Diagnostic::error(
                    Code::E0207,
                    name.span,
                    format!("`{}` is {builtin}", name.name),
                )
                .with_primary("cannot be redefined")
                .with_hint("choose another name"),
            );
            return false;
        }
        if self.tables.scope.contains_key(name.name.as_str()) {
            let mut d = Diagnostic::error(
                Code::E0207,
                name.span,
                format!("`{}` is {what} twice", name.name),
            )
            .with_primary(format!("{what} again here"));
            d = match self.tables.def_span(&name.name) {
                Some(first) => d.with_label(first, "first defined here"),
                None => d.with_primary("a built-in type has this name"),
            };
            self.diags
                .push(d.with_hint("top-level names share one namespace"));
            return false;
        }
        let canonical = if kind == ItemKind::Imported {
            name.name.as_str().into()
        } else {
            self.canonical(name)
        };
        self.tables
            .scope
            .insert(name.name.as_str().into(), canonical.clone());
        self.tables.names.insert(canonical, (kind, name.span));
        true
    }

    /// Enters the item with its name and type parameters only, so
    /// signatures can refer to any item.
    fn placeholder(&mut self, item: &Item) {
        match item {
            Item::Record(d) => {
                let type_params = dedup_type_params(self.diags, &d.type_params);
                let name = self.canonical(&d.name);
                let t = &mut self.tables;
                t.records.insert(
                    name.clone(),
                    RecordInfo {
                        name,
                        type_params,
                        fields: Vec::new(),
                        doc: d.doc.clone(),
                        span: d.span,
                        builtin: false,
                    },
                );
            }
            Item::Union(d) => {
                let type_params = dedup_type_params(self.diags, &d.type_params);
                let name = self.canonical(&d.name);
                let t = &mut self.tables;
                t.unions.insert(
                    name.clone(),
                    UnionInfo {
                        name,
                        type_params,
                        variants: Vec::new(),
                        doc: d.doc.clone(),
                        span: d.span,
                    },
                );
            }
            _ => {}
        }
    }
}
