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
use indexmap::IndexMap;

/// A checked file: its module name, every item it can reach with its typed
/// body, and what it exports (spelling → canonical name).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checked {
    pub file: FileId,
    pub module: Option<Name>,
    pub tables: Tables,
    pub exports: IndexMap<Name, Name>,
}

/// Where a file is checked: the prefix that makes its names canonical
/// (empty for the file being run, `std/review:` for an imported module)
/// and, per `import` form in order, the module it loaded (`None` when
/// loading failed, already reported).
#[derive(Debug, Clone, Default)]
pub struct ModuleEnv<'a> {
    pub prefix: String,
    pub imports: Vec<Option<ImportedModule<'a>>>,
}

/// A loaded module as an import sees it: its checked items and exports
/// (messages name it by the import's path).
#[derive(Debug, Clone, Copy)]
pub struct ImportedModule<'a> {
    pub checked: &'a Checked,
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

/// The module a canonical item name comes from (`std/review` for
/// `std/review:Review`); `None` for an item of the root file.
pub fn module_of(canonical: &str) -> Option<&str> {
    canonical.rsplit_once(':').map(|(module, _)| module)
}

/// Puts the items of the file being run before the imported ones (keeping
/// the order of each), so listings and drawings start with what the file
/// defines. Imported items are those with a module in their name.
fn own_items_first(t: &mut Tables) {
    fn sort<V>(items: &mut IndexMap<Name, V>) {
        // A stable sort: imported (true) after own (false).
        items.sort_by(|a, _, b, _| module_of(a).is_some().cmp(&module_of(b).is_some()));
    }
    sort(&mut t.records);
    sort(&mut t.unions);
    sort(&mut t.enums);
    sort(&mut t.paths);
    sort(&mut t.providers);
    sort(&mut t.prompts);
    sort(&mut t.fns);
    sort(&mut t.workflows);
}

/// Checks `program` on its own (its imports are not read); the typed
/// program and the diagnostics (unsorted).
pub fn check(program: &Program) -> (Checked, Vec<Diagnostic>) {
    check_module(program, &ModuleEnv::default())
}

/// Checks `program` with the modules its imports loaded (`env`).
pub fn check_module(program: &Program, env: &ModuleEnv) -> (Checked, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    structure::check(program, &mut diags);
    let (mut tables, kept) = items::collect(program, env, &mut diags);
    let edges = check::check_items(program, &mut tables, &kept, &mut diags);
    recursion::check_recursion(&tables, &edges, &mut diags);
    workflow_values::check_workflow_values(&mut tables, program.file, &mut diags);
    if !tables.private.is_empty() {
        // An unknown name that a module imported here keeps private.
        for d in &mut diags {
            let unknown = matches!(
                d.code,
                Code::E0201 | Code::E0202 | Code::E0230 | Code::E0231 | Code::E0232
            );
            if !unknown || d.hint.is_some() {
                continue;
            }
            let named = |spelled: &&Name| d.message.contains(&format!("`{spelled}`"));
            if let Some((spelled, module)) = tables.private.iter().find(|(s, _)| named(s)) {
                d.hint = Some(format!(
                    "`{spelled}` is private to \"{module}\": only the names its `export` lists \
                     can be imported"
                ));
            }
        }
    }
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
    own_items_first(&mut tables);
    let exports = program
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Export(e) => Some(&e.names),
            _ => None,
        })
        .flatten()
        .filter_map(|n| {
            let canonical = tables.scope.get(n.name.as_str())?;
            let imported = tables.kind_of(canonical) == Some(ItemKind::Imported);
            (!imported).then(|| (Name::from(n.name.as_str()), canonical.clone()))
        })
        .collect();
    let checked = Checked {
        file: program.file,
        module,
        tables,
        exports,
    };
    (checked, diags)
}
