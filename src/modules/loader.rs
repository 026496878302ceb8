//! Reading the module graph: from the root program, every module its
//! imports name, transitively, each read and parsed once however many
//! files import it. `"./x.wfl"` and `"../x.wfl"` are files relative to the
//! importing file (inside the standard library, other standard modules);
//! `"std/NAME"` is an embedded standard module. Problems are diagnostics at
//! the import's path: a module that cannot be found or read (E0233) and an
//! import that closes a cycle (E0234, with the chain). Modules come out in
//! dependency order, so each is checked after everything it imports.

use super::source::{add_source, read_input};
use super::stdlib;
use crate::diag::{Code, Diagnostic, SourceMap, Span, did_you_mean};
use crate::parser::ast::{Import, Item, Program};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// What makes two imports name the same module.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Identity {
    /// `std/NAME`.
    Std(String),
    /// A file, by its canonical path (symlinks resolved) when it exists.
    File(PathBuf),
    /// The root program when it is not a file (the REPL).
    Session,
}

/// One module of the graph.
#[derive(Debug)]
pub struct Module {
    /// How its canonical names are prefixed: `std/review`, `lib/review`
    /// (its path relative to the root's directory, without `.wfl`); empty
    /// for the root.
    pub key: String,
    pub program: Program,
    /// Per `import` form, in order: the module it loaded, if any.
    pub deps: Vec<Option<usize>>,
    identity: Identity,
    /// Where the module is, relative to the root's directory (files only),
    /// for resolving its relative imports.
    rel: PathBuf,
    /// How messages name it: its path as shown in diagnostics, `std/NAME`.
    shown: String,
}

/// The loaded graph: `modules[0]` is the root; `order` lists every module
/// after the modules it imports.
#[derive(Debug)]
pub struct Graph {
    pub modules: Vec<Module>,
    pub order: Vec<usize>,
}

struct Loader<'m> {
    map: &'m mut SourceMap,
    /// The root's directory: relative imports of the root start here.
    base: PathBuf,
    modules: Vec<Module>,
    by_identity: HashMap<Identity, usize>,
    /// Modules being loaded, outermost first, with the import that entered
    /// each (for the cycle chain).
    stack: Vec<(usize, Option<Span>)>,
    order: Vec<usize>,
    diags: &'m mut Vec<Diagnostic>,
}

/// Loads every module `root` imports. `root_path` is the root file as
/// named (`None` for a program that is not a file); relative imports of the
/// root are resolved against `base`.
pub fn load(
    map: &mut SourceMap,
    root: Program,
    root_path: Option<&Path>,
    base: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Graph {
    let (identity, rel, shown) = match root_path {
        Some(path) => (
            Identity::File(file_identity(path)),
            path.file_name().map(PathBuf::from).unwrap_or_default(),
            path.display().to_string(),
        ),
        None => (Identity::Session, PathBuf::new(), "<repl>".to_string()),
    };
    let mut loader = Loader {
        map,
        base: base.to_path_buf(),
        modules: Vec::new(),
        by_identity: HashMap::new(),
        stack: Vec::new(),
        order: Vec::new(),
        diags,
    };
    loader.enter(
        Place {
            key: String::new(),
            identity,
            rel,
            shown,
        },
        root,
        None,
    );
    Graph {
        modules: loader.modules,
        order: loader.order,
    }
}

/// Lexically normalises `p` (no `.`, `x/..` folded, leading `..` kept).
fn normalize(p: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                _ => out.push(c),
            },
            other => out.push(other),
        }
    }
    out.iter().collect()
}

/// The key of a file module: its path without `.wfl`, with `/` separators.
fn file_key(rel: &Path) -> String {
    let s = rel.with_extension("").to_string_lossy().replace('\\', "/");
    if s.is_empty() { "module".into() } else { s }
}

/// A file's identity: its canonical path, or the path as given when it
/// cannot be resolved (it will fail to load anyway).
fn file_identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| normalize(path))
}

/// Where a module is and how it is named.
struct Place {
    key: String,
    identity: Identity,
    rel: PathBuf,
    shown: String,
}

impl Loader<'_> {
    /// Adds module `program` and loads its imports; its index.
    fn enter(&mut self, place: Place, program: Program, via: Option<Span>) -> usize {
        let index = self.modules.len();
        let imports: Vec<Import> = program
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Import(imp) => Some(imp.clone()),
                _ => None,
            })
            .collect();
        self.by_identity.insert(place.identity.clone(), index);
        self.modules.push(Module {
            key: place.key,
            program,
            deps: Vec::new(),
            identity: place.identity,
            rel: place.rel,
            shown: place.shown,
        });
        self.stack.push((index, via));
        let deps = imports.iter().map(|imp| self.import(index, imp)).collect();
        self.modules[index].deps = deps;
        self.stack.pop();
        self.order.push(index);
        index
    }

    /// Loads what `imp` (in module `from`) names; its index, if it loaded.
    fn import(&mut self, from: usize, imp: &Import) -> Option<usize> {
        let place = self.resolve(from, imp)?;
        if let Some(&known) = self.by_identity.get(&place.identity) {
            if let Some(at) = self.stack.iter().position(|(m, _)| *m == known) {
                self.cycle(at, imp);
                return None;
            }
            return Some(known);
        }
        let (name, text) = match &place.identity {
            Identity::Std(name) => {
                let text = stdlib::source(name)?;
                (format!("<std/{name}>"), text.as_bytes().to_vec())
            }
            Identity::File(_) => {
                let path = normalize(&self.base.join(&place.rel));
                match read_input(&path) {
                    Ok(read) => read,
                    Err(message) => {
                        self.diags.push(
                            Diagnostic::error(
                                Code::E0233,
                                imp.path.span,
                                format!("cannot load module \"{}\"", imp.path.value),
                            )
                            .with_primary(message)
                            .with_hint(
                                "a relative import names a file from the importing file's \
                                 directory, such as \"./lib/review.wfl\"",
                            ),
                        );
                        return None;
                    }
                }
            }
            Identity::Session => return None,
        };
        // A map that is checked again and again (the REPL) keeps one copy
        // of each unchanged module.
        let known = self
            .map
            .files()
            .find(|(_, f)| f.name == name && f.text.as_bytes() == text.as_slice())
            .map(|(id, _)| id);
        let (file, not_utf8) = match known {
            Some(id) => (id, None),
            None => add_source(self.map, name, text),
        };
        let program = match not_utf8 {
            Some(d) => {
                self.diags.push(d);
                Program {
                    file,
                    items: Vec::new(),
                }
            }
            None => {
                let (program, diags) = crate::parser::parse(file, self.map.text(file));
                self.diags.extend(diags);
                program
            }
        };
        Some(self.enter(place, program, Some(imp.path.span)))
    }

    /// The identity and key of the module `imp` names, or E0233.
    fn resolve(&mut self, from: usize, imp: &Import) -> Option<Place> {
        let path = imp.path.value.as_str();
        let relative = path.starts_with("./") || path.starts_with("../");
        if let Some(name) = path.strip_prefix("std/") {
            return self.std_module(name, imp);
        }
        if !relative {
            self.diags.push(
                Diagnostic::error(
                    Code::E0233,
                    imp.path.span,
                    format!("\"{path}\" names no module"),
                )
                .with_primary("neither a relative path nor a standard module")
                .with_hint(format!(
                    "write \"./{}\" for a file beside this one, or \"std/NAME\" for a \
                     standard module",
                    path.trim_start_matches('/')
                )),
            );
            return None;
        }
        match &self.modules[from].identity {
            Identity::Std(_) => {
                // Inside the standard library, relative imports name
                // other standard modules: "./review.wfl" is std/review.
                let name = normalize(Path::new(path)).with_extension("");
                let name = name.to_string_lossy().replace('\\', "/");
                self.std_module(&name, imp)
            }
            Identity::File(_) | Identity::Session => {
                let dir = match self.modules[from].identity {
                    // A session's imports come from typed input (relative
                    // to the base) or from loaded files (to their own dir).
                    Identity::Session => {
                        let file = self.map.name(imp.span.file);
                        match file.starts_with('<') {
                            true => PathBuf::new(),
                            false => Path::new(file)
                                .parent()
                                .map(Path::to_path_buf)
                                .unwrap_or_default(),
                        }
                    }
                    _ => self.modules[from]
                        .rel
                        .parent()
                        .map(Path::to_path_buf)
                        .unwrap_or_default(),
                };
                let rel = normalize(&dir.join(path));
                let on_disk = normalize(&self.base.join(&rel));
                let identity = file_identity(&on_disk);
                // The key is the path from the root's directory, resolved
                // through symlinks when both exist (so one file has one key).
                let key = match (std::fs::canonicalize(&self.base), &identity) {
                    (Ok(base), id) if id.starts_with(&base) => {
                        file_key(id.strip_prefix(&base).unwrap_or(&rel))
                    }
                    _ => file_key(&rel),
                };
                Some(Place {
                    key,
                    identity: Identity::File(identity),
                    rel,
                    shown: on_disk.display().to_string(),
                })
            }
        }
    }

    fn std_module(&mut self, name: &str, imp: &Import) -> Option<Place> {
        if stdlib::source(name).is_some() {
            return Some(Place {
                key: format!("std/{name}"),
                identity: Identity::Std(name.into()),
                rel: PathBuf::new(),
                shown: format!("std/{name}"),
            });
        }
        let known: Vec<String> = stdlib::names().map(|n| format!("std/{n}")).collect();
        let hint = did_you_mean(&format!("std/{name}"), known.iter().map(String::as_str))
            .unwrap_or_else(|| format!("the standard modules are {}", known.join(", ")));
        self.diags.push(
            Diagnostic::error(
                Code::E0233,
                imp.path.span,
                format!("there is no standard module \"std/{name}\""),
            )
            .with_primary("unknown module")
            .with_hint(hint),
        );
        None
    }

    /// E0234: `imp` names the module at `stack[at]`, which is still loading.
    fn cycle(&mut self, at: usize, imp: &Import) {
        let mut chain: Vec<String> = self.stack[at..]
            .iter()
            .map(|(m, _)| self.modules[*m].shown.clone())
            .collect();
        chain.push(self.modules[self.stack[at].0].shown.clone());
        let mut d = Diagnostic::error(
            Code::E0234,
            imp.path.span,
            format!("import cycle: {}", chain.join(" → ")),
        )
        .with_primary("this import closes the cycle");
        for (_, via) in &self.stack[at + 1..] {
            if let Some(span) = via {
                d = d.with_label(*span, "imported here");
            }
        }
        self.diags.push(d.with_hint(
            "modules may not import each other in a circle; move what they share into a \
             third module that both import",
        ));
    }
}
