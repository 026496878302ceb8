//! The state of a lowering: the files being built, where each wfl value
//! lives, and where in the DSL's nesting rules the current step list is.
//!
//! Values live in JSON files under a root directory per emitted file: the
//! entry workflow's root is `state/<workflow>`, an imported file's root is
//! its `write_root` input (the DSL requires every path a reusable workflow
//! writes to come from a typed `relpath` input). A lifted file reads the
//! values of the files it was lifted from through read-only `relpath`
//! inputs naming their roots. A value's file never changes after the step
//! that writes it, except the state file of a loop, which each round
//! rewrites before the next one reads it.

use super::model::Retries;
use super::names::Namer;
use crate::typeck::typed::LocalId;
use crate::typeck::types::Name;
use indexmap::{IndexMap, IndexSet};

/// How a file spells its own root directory.
#[derive(Debug, Clone, PartialEq)]
pub enum Root {
    /// The entry workflow: `state/<workflow>`.
    Literal(String),
    /// An imported file: `${inputs.write_root}`.
    WriteRoot,
}

/// One emitted file under construction.
#[derive(Debug)]
pub struct FileCx {
    pub stem: String,
    pub root: Root,
    /// The input name other (lifted) files read this file's root from.
    pub root_input: String,
    /// Ancestor files this file reads, by index in the file stack.
    pub read_roots: IndexSet<usize>,
    pub imports: IndexMap<String, String>,
    pub providers: IndexSet<Name>,
    pub names: Namer,
    pub ids: Namer,
    /// Step lists handed out (for `ListId`).
    pub lists: usize,
    /// For each step that can fail: the wfl step id it reports and how.
    pub catch: std::collections::HashMap<String, (String, CatchKind)>,
}

impl FileCx {
    pub fn new(stem: String, root: Root, root_input: String) -> FileCx {
        let mut names = Namer::default();
        // Names the back end gives its own steps in every file.
        names.take("result");
        FileCx {
            stem,
            root,
            root_input,
            read_roots: IndexSet::new(),
            imports: IndexMap::new(),
            providers: IndexSet::new(),
            names,
            ids: Namer::default(),
            lists: 1,
            catch: std::collections::HashMap::new(),
        }
    }

    /// The root as written inside this file.
    pub fn own_root(&self) -> String {
        match &self.root {
            Root::Literal(s) => s.clone(),
            Root::WriteRoot => "${inputs.write_root}".into(),
        }
    }
}

/// A file location: a path relative to the root of file `file`.
#[derive(Debug, Clone, PartialEq)]
pub struct Loc {
    pub file: usize,
    pub rel: String,
    /// The path contains `${loop.index}` (valid only in its loop body).
    pub indexed: bool,
}

/// How a value is read from its file.
#[derive(Debug, Clone, PartialEq)]
pub enum Proj {
    /// The file's JSON is the value.
    Whole,
    /// The value under these keys (`.state.change`, `.value`).
    Key(Vec<String>),
    /// Element `${loop.index}` of the list in the file (a for-each element).
    Elem,
}

/// A step list: the file it is in and its number there (0: top level).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ListId {
    pub file: usize,
    pub list: usize,
}

/// The DSL step that produced a value and the artifacts it declares.
#[derive(Debug, Clone)]
pub struct StepArt {
    pub name: String,
    pub list: ListId,
    /// Leaf path of the value → artifact name.
    pub fields: Vec<(Vec<Name>, String)>,
}

/// Where a wfl local's value is.
#[derive(Debug, Clone)]
pub enum Source {
    /// A jq constant (`null` for Unit).
    Const(String),
    File {
        loc: Loc,
        proj: Proj,
        step: Option<StepArt>,
    },
}

/// Where a lowered node's value must go.
#[derive(Debug, Clone)]
pub enum Dest {
    /// Not needed (the node still runs, for its effects and failures).
    Discard,
    /// Bound to this local: anywhere, recorded in the sources.
    Bind(LocalId),
    /// Written as JSON to exactly this file.
    Write(Loc),
    /// Inside a loop body: `{"stop": true, "value": …}` to this file.
    Outcome(Loc),
}

/// The DSL's nesting rules for the current step list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A file's top-level list: everything is allowed.
    Top,
    /// A `repeat_until` body: `if`/`match` and `call`, no loops, no goto.
    LoopBody,
    /// An `if` branch or `match` case (at top level or in a loop body).
    Branch,
    /// A `for_each` body: `call` only.
    ForEachBody,
    /// A `try` body at top level: steps routed with `on.failure`.
    TryBody,
}

/// Where `recur` writes the next round's state.
#[derive(Debug, Clone)]
pub struct RecurTarget {
    pub dest: Loc,
    pub state: Vec<Name>,
}

/// How a step that fails inside a `try` body becomes an `Error` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatchKind {
    /// A command or provider step: its exit code tells the kind.
    Process { attempts: u64 },
    /// A call of another workflow file.
    Call,
    /// A jq step that writes the `Error` itself before failing.
    SelfReporting,
    /// Another jq step (a pure computation that failed).
    Pure,
    /// A step that cannot fail (it is not routed).
    Safe,
    /// The check of a typed result: `INVALID_OUTPUT` of the checked step.
    Invalid,
}

impl CatchKind {
    /// `Pure` for a computation of `e` that may fail, else `Safe`.
    pub fn of(e: &crate::typeck::typed::TExpr) -> CatchKind {
        if super::block::may_fail(e) {
            CatchKind::Pure
        } else {
            CatchKind::Safe
        }
    }
}

/// The position of the step list being built.
#[derive(Debug, Clone)]
pub struct Pos {
    pub list: ListId,
    pub kind: Kind,
    /// Directory of this list's files, relative to the file root.
    pub dir: String,
    /// `${loop.index}` is defined (a loop or for-each body).
    pub in_loop: bool,
    /// wfl scope names (phases, loops) below the workflow, for names.
    pub scope: Vec<String>,
    pub recur: Option<RecurTarget>,
    /// `retries` for the one step of a `retry` body.
    pub retries: Option<Retries>,
    /// Inside a `try` body: where a failing `fail`/`assert` writes its `Error`.
    pub try_error: Option<Loc>,
    /// The name of the step that writes this list's value, if it is a
    /// branch or case of a named statement (`verdict-approve`).
    pub label: Option<String>,
}

impl Pos {
    pub fn file(&self) -> usize {
        self.list.file
    }

    /// `dir/name` (or `name` at the root).
    pub fn rel(&self, name: &str) -> String {
        if self.dir.is_empty() {
            name.to_string()
        } else {
            format!("{}/{name}", self.dir)
        }
    }

    /// The location of a value file named after step `name`.
    pub fn loc(&self, name: &str) -> Loc {
        Loc {
            file: self.file(),
            rel: self.rel(&format!("{}.json", file_safe(name))),
            indexed: false,
        }
    }
}

/// A step name as a file name: `/` (from step-id paths) becomes `.`, and
/// any character but letters, digits, `.`, `-` and `_` becomes `_`.
pub fn file_safe(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '/' => '.',
            c if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') => c,
            _ => '_',
        })
        .collect()
}
