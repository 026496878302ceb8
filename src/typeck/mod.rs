//! Type checking: from the AST of one file to the typed program `Checked`.
//! Items are collected first (order-independent), then every body is
//! checked bidirectionally (see `check`), then recursion among defns and
//! workflows is rejected. Every problem is a diagnostic (E02xx, E0302,
//! E0303); the checker never panics and always returns a `Checked`, whose
//! erroneous parts are `Error` nodes of type `Invalid`. The structural
//! rules of effects and control (E0301, E0304–E0311 …) are checked by
//! `structure`.

mod builtins;
mod check;
mod fxhash;
mod items;
mod recursion;
pub mod structure;
pub mod typed;
pub mod types;
mod workflow_values;

#[cfg(test)]
mod tests;

pub use builtins::{Builtin, Sig};
pub use items::{
    EnumInfo, FieldInfo, FnInfo, ItemKind, MemberInfo, ParamInfo, PathInfo, PromptInfo,
    ProviderInfo, RecordInfo, Tables, UnionInfo, VariantInfo,
};
pub use types::{Name, Type};

use crate::diag::{Code, Diagnostic, FileId};
use crate::parser::ast::{Item, Program};

/// A checked file: its module name and every item with its typed body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checked {
    pub file: FileId,
    pub module: Option<Name>,
    pub tables: Tables,
}

impl Checked {
    pub fn workflow(&self, name: &str) -> Option<&FnInfo> {
        self.tables.workflows.get(name)
    }

    pub fn defn(&self, name: &str) -> Option<&FnInfo> {
        self.tables.fns.get(name)
    }

    pub fn record(&self, name: &str) -> Option<&RecordInfo> {
        self.tables.records.get(name)
    }

    pub fn union(&self, name: &str) -> Option<&UnionInfo> {
        self.tables.unions.get(name)
    }
}

/// Checks `program`; the typed program and the diagnostics (unsorted).
pub fn check(program: &Program) -> (Checked, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    structure::check(program, &mut diags);
    let (mut tables, kept) = items::collect(program, &mut diags);
    let edges = check::check_items(program, &mut tables, &kept, &mut diags);
    recursion::check_recursion(&tables, &edges, &mut diags);
    workflow_values::check_workflow_values(&mut tables, &mut diags);
    if let Some(hint) = tables.import_hint() {
        // The names of an import without `:only` are not visible here.
        for d in &mut diags {
            let unknown = matches!(
                d.code,
                Code::E0201 | Code::E0202 | Code::E0231 | Code::E0232
            );
            if unknown && d.hint.is_none() {
                d.hint = Some(hint.clone());
            }
        }
    }
    let module = program.items.iter().find_map(|i| match i {
        Item::Module(m) => Some(Name::from(m.name.name.as_str())),
        _ => None,
    });
    let checked = Checked {
        file: program.file,
        module,
        tables,
    };
    (checked, diags)
}
