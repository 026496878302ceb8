//! What `import` forms bring into a file's scope. The module loader has
//! already read and checked each imported module; here its exported names
//! become visible spellings of their canonical items: all of them, or those
//! listed in `:only`, each written `prefix/name` under `:as prefix`. A name
//! a module does not define is E0235, one it keeps private E0236; the same
//! spelling brought in for two different items is E0237, and two imports
//! under one prefix E0238. The file's own definitions win over names an
//! import brings in without `:only`; a name listed in `:only` that the file
//! also defines is E0207. Every item a dependency can reach is absorbed
//! into the tables under its canonical name, visible or not, so imported
//! signatures resolve.

use super::collect::Collector;
use super::*;
use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::parser::ast::{Ident, Import, Item, Program};
use crate::typeck::{Checked, ModuleEnv};
use std::collections::HashMap;

impl Tables {
    /// Adds every item of `other` this table does not have yet.
    pub(crate) fn absorb(&mut self, other: &Tables) {
        fn merge<V: Clone>(into: &mut IndexMap<Name, V>, from: &IndexMap<Name, V>) {
            for (k, v) in from {
                if !into.contains_key(k) {
                    into.insert(k.clone(), v.clone());
                }
            }
        }
        merge(&mut self.records, &other.records);
        merge(&mut self.unions, &other.unions);
        merge(&mut self.enums, &other.enums);
        merge(&mut self.paths, &other.paths);
        merge(&mut self.providers, &other.providers);
        merge(&mut self.prompts, &other.prompts);
        merge(&mut self.fns, &other.fns);
        merge(&mut self.workflows, &other.workflows);
        merge(&mut self.names, &other.names);
    }
}

/// Where a spelling came from, for E0237.
struct Origin {
    import: Span,
    module: String,
}

impl Collector<'_> {
    /// Binds the names of every `import` of `program` (after the file's own
    /// definitions are declared).
    pub(super) fn imports(&mut self, program: &Program, env: &ModuleEnv) {
        let imports = program.items.iter().filter_map(|i| match i {
            Item::Import(imp) => Some(imp),
            _ => None,
        });
        let mut origins: HashMap<Name, Origin> = HashMap::new();
        let mut aliases: HashMap<&str, Span> = HashMap::new();
        for (i, imp) in imports.enumerate() {
            // Without a loaded module (a file checked on its own), an
            // import is treated as one that failed to load.
            let module = env.imports.get(i).copied().flatten();
            if let Some(alias) = &imp.alias {
                if let Some(first) = aliases.get(alias.name.as_str()) {
                    self.diags.push(
                        Diagnostic::error(
                            Code::E0238,
                            alias.span,
                            format!("the prefix `{}` is used by two imports", alias.name),
                        )
                        .with_primary("used again here")
                        .with_label(*first, "first used here")
                        .with_hint("give each import its own `:as` prefix"),
                    );
                    continue;
                }
                aliases.insert(&alias.name, alias.span);
            }
            match module {
                Some(m) => self.bind_module(imp, m.checked, &mut origins),
                None => self.unloaded(imp),
            }
        }
    }

    /// An import whose module failed to load (already reported): its listed
    /// names are opaque, so their uses add no further errors.
    fn unloaded(&mut self, imp: &Import) {
        match &imp.only {
            Some(names) => {
                for name in names {
                    let spelled = spelling(imp, &name.name);
                    self.declare(
                        &Ident {
                            name: spelled.to_string(),
                            span: name.span,
                        },
                        ItemKind::Imported,
                    );
                }
            }
            None => self.tables.open_imports.push(imp.path.value.clone()),
        }
    }

    fn bind_module(
        &mut self,
        imp: &Import,
        checked: &Checked,
        origins: &mut HashMap<Name, Origin>,
    ) {
        // Messages name the module as the import writes it.
        let key = imp.path.value.as_str();
        match &imp.only {
            Some(names) => {
                for name in names {
                    match checked.exports.get(name.name.as_str()) {
                        Some(canonical) => {
                            self.bind(imp, key, &name.name, canonical, name.span, true, origins)
                        }
                        None => self.not_exported(name, key, checked),
                    }
                }
            }
            None => {
                for (name, canonical) in &checked.exports {
                    self.bind(imp, key, name, canonical, imp.path.span, false, origins);
                }
            }
        }
        for name in checked.tables.scope.keys() {
            if !checked.exports.contains_key(name) {
                self.tables
                    .private
                    .entry(spelling(imp, name))
                    .or_insert_with(|| key.to_string());
            }
        }
    }

    /// E0235 or E0236 for `name`, listed in `:only` but not exported.
    fn not_exported(&mut self, name: &Ident, key: &str, checked: &Checked) {
        let d = match checked.tables.scope.get(name.name.as_str()) {
            Some(canonical) => {
                let mut d = Diagnostic::error(
                    Code::E0236,
                    name.span,
                    format!("`{}` is private to `{key}`", name.name),
                )
                .with_primary("not in the module's export list");
                if let Some(def) = checked.tables.def_span(canonical) {
                    d = d.with_label(def, "defined here");
                }
                d.with_hint(format!(
                    "a module exports only the names its `(export …)` lists; add `{}` there \
                     or use what `{key}` exports",
                    name.name
                ))
            }
            _ => Diagnostic::error(
                Code::E0235,
                name.span,
                format!("`{key}` has no `{}`", name.name),
            )
            .with_primary("not defined in that module")
            .with_opt_hint(
                did_you_mean(&name.name, checked.exports.keys().map(|k| &**k)).or_else(|| {
                    let list: Vec<&str> = checked.exports.keys().map(|k| &**k).collect();
                    Some(if list.is_empty() {
                        format!("`{key}` exports nothing")
                    } else {
                        format!("`{key}` exports: {}", list.join(", "))
                    })
                }),
            ),
        };
        self.diags.push(d);
    }

    /// Makes `name` of module `key` visible (under the import's prefix).
    #[allow(clippy::too_many_arguments)]
    fn bind(
        &mut self,
        imp: &Import,
        key: &str,
        name: &str,
        canonical: &Name,
        span: Span,
        listed: bool,
        origins: &mut HashMap<Name, Origin>,
    ) {
        let spelled = spelling(imp, name);
        if let Some(current) = self.tables.scope.get(&spelled) {
            if current == canonical {
                return;
            }
            if let Some(first) = origins.get(&spelled) {
                let what = self
                    .tables
                    .names
                    .get(canonical)
                    .map_or("a name", |(k, _)| k.describe());
                self.diags.push(
                    Diagnostic::error(
                        Code::E0237,
                        span,
                        format!(
                            "`{spelled}` is imported from both `{}` and `{key}`",
                            first.module
                        ),
                    )
                    .with_primary(format!("{what} of `{key}`"))
                    .with_label(first.import, format!("`{}`'s `{spelled}`", first.module))
                    .with_hint(
                        "list the names you need with `:only (…)`, or give one import a \
                         prefix with `:as`",
                    ),
                );
                return;
            }
            if listed {
                let mut d = Diagnostic::error(
                    Code::E0207,
                    span,
                    format!("`{spelled}` is imported and defined here"),
                )
                .with_primary("imported here");
                if let Some(def) = self.tables.def_span(&spelled) {
                    d = d.with_label(def, "defined here");
                }
                self.diags.push(d.with_hint(format!(
                    "rename the definition, or import `{key}` under a prefix with `:as`"
                )));
            }
            // A definition of the file shadows a name imported without `:only`.
            return;
        }
        if reserved_name(&spelled) {
            return;
        }
        self.tables.scope.insert(spelled.clone(), canonical.clone());
        origins.insert(
            spelled,
            Origin {
                import: span,
                module: key.to_string(),
            },
        );
    }
}

/// How a file writes `name` of an import: `name`, or `prefix/name`.
fn spelling(imp: &Import, name: &str) -> Name {
    match &imp.alias {
        Some(alias) => format!("{}/{name}", alias.name).into(),
        None => name.into(),
    }
}

fn reserved_name(name: &str) -> bool {
    super::builtin_types::reserved(name).is_some()
}
