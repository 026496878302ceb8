//! `wfl compile --to yaml`: the checked DAG IR lowered to the YAML workflow
//! DSL, version 2.14 (reference: ../shared/reference/yaml-dsl.md; the
//! mapping, construct by construct: docs/yaml-lowering.md).
//!
//! One entry, `lower`. It lowers the entry workflow and every workflow it
//! calls into one file each, and lifts control the DSL allows only at top
//! level (`if`, `match`, loops, `try` routing) into imported files of their
//! own when it is nested deeper. Effects become `command`, `provider` and
//! `call` steps; pure code becomes `jq` steps over the JSON files steps
//! write (see `jq`). What the DSL cannot express is refused with an E05xx
//! diagnostic at the construct. The files are built as typed structs
//! (`model`), serialized with serde (`emit`), and checked (`check`) before
//! anything is returned: a failed self-check is a bug, reported as E0599.

mod arts;
mod block;
mod calls;
mod check;
mod check_step;
mod control;
mod cx;
mod emit;
mod foreach;
mod inputs;
mod jq;
mod lift;
mod loops;
mod matching;
pub mod model;
mod names;
mod provider;
mod read;
mod refs;
mod refuse;
mod spec;
mod steps;
mod tryc;
mod types;
mod validate;
mod walk;
mod workflow;

pub use check::check_files;
pub use emit::{to_yaml, yaml11_ambiguous};

use crate::diag::{Code, Diagnostic, Span, sort_diagnostics};
use crate::ir::Program;
use crate::typeck::Tables;
use crate::typeck::typed::LocalId;
use crate::typeck::types::Name;
use cx::{FileCx, Source};
use indexmap::IndexMap;
use model::WorkflowFile;
use names::Namer;
use std::collections::{HashMap, HashSet};

/// The emitted files; the first is the entry workflow, the others are
/// imported by it (directly or not), all in one directory.
#[derive(Debug, Clone)]
pub struct YamlOutput {
    pub files: Vec<YamlFile>,
}

#[derive(Debug, Clone)]
pub struct YamlFile {
    /// File name, relative to the output directory (`ship-feature.yaml`).
    pub name: String,
    pub text: String,
}

/// Lowers workflow `entry` of `program` (and what it calls) to YAML, or
/// says why not: E05xx refusals at the constructs the DSL cannot express,
/// or E0599 for a self-check that failed (a bug in wfl).
pub fn lower(program: &Program, entry: &str) -> Result<YamlOutput, Vec<Diagnostic>> {
    let Some(wf) = program.workflows.get(entry) else {
        return Err(vec![internal(
            Span::default(),
            format!("no workflow `{entry}`"),
        )]);
    };
    let mut l = Lowering::new(program);
    l.workflow(&wf.name, workflow::Role::Entry, None);
    if !l.diags.is_empty() {
        let mut diags = l.diags;
        sort_diagnostics(&mut diags);
        return Err(diags);
    }
    let mut files = Vec::new();
    let mut values = Vec::new();
    for (name, file) in &l.done {
        let text =
            emit::to_yaml(file).map_err(|e| vec![internal(wf.span, format!("{name}: {e}"))])?;
        let value = serde_norway::to_value(file)
            .map_err(|e| vec![internal(wf.span, format!("{name}: {e}"))])?;
        files.push(YamlFile {
            name: name.clone(),
            text,
        });
        values.push((name.clone(), value));
    }
    let problems = check_files(&values);
    if !problems.is_empty() {
        return Err(problems.into_iter().map(|p| internal(wf.span, p)).collect());
    }
    Ok(YamlOutput { files })
}

/// An E0599: the back end produced something it must not.
fn internal(span: Span, what: String) -> Diagnostic {
    Diagnostic::error(
        Code::E0599,
        span,
        format!("internal error in the YAML back end: {what}"),
    )
    .with_hint("this is a bug in wfl, not in your workflow; please report it")
}

/// The state of the lowering of the workflow being lowered.
#[derive(Default)]
struct WfState {
    name: Name,
    /// Parameter names, for reads from the inputs file.
    params: Vec<Name>,
    /// The files being built, the workflow's own first.
    files: Vec<FileCx>,
    sources: HashMap<LocalId, Source>,
    /// Locals some step wants as DSL artifacts (argv, predicates, `with`).
    wants_artifact: HashSet<LocalId>,
    /// Some jq step reads a parameter from `inputs.json`.
    inputs_used: bool,
    /// Per step list, the step computing the write roots of its calls,
    /// and the roots it computes (`call name`, path).
    roots: HashMap<cx::ListId, (String, Vec<(String, String)>)>,
    /// What the call being lowered fixes of a generic or higher-order
    /// workflow.
    spec: Option<spec::Spec>,
}

struct Lowering<'p> {
    program: &'p Program,
    tables: &'p Tables,
    diags: Vec<Diagnostic>,
    /// Finished files, entry first.
    done: Vec<(String, WorkflowFile)>,
    /// Workflows lowered for `call` (by name and specialisation), with
    /// their file names.
    called: IndexMap<String, String>,
    file_names: Namer,
    wf: WfState,
    /// The `call`s being lowered, outermost first: a refusal inside an
    /// imported module points back at the calls that reached it.
    call_sites: Vec<crate::diag::Span>,
}

impl<'p> Lowering<'p> {
    fn new(program: &'p Program) -> Lowering<'p> {
        Lowering {
            program,
            tables: &program.tables,
            diags: Vec::new(),
            done: Vec::new(),
            called: IndexMap::new(),
            file_names: Namer::default(),
            wf: WfState::default(),
            call_sites: Vec::new(),
        }
    }

    fn file(&mut self, index: usize) -> &mut FileCx {
        let last = self.wf.files.len().saturating_sub(1);
        let i = index.min(last);
        &mut self.wf.files[i]
    }
}
