//! The runtime: evaluation of checked workflows with effects at typed
//! boundaries (`eval`, pure parts in `pure`), the `Executor` seam that runs
//! processes, providers (declared or swapped, `replay` from recorded
//! answers), and the run directory with its append-only journal. `run`
//! starts a run.

pub mod eval;
pub mod executor;
pub mod journal;
pub mod providers;
pub mod pure;
pub mod replay;
pub mod report;
mod run;
pub mod rundir;
pub mod value;

pub use run::{RunOutcome, RunRequest, entry_workflow, read_inputs, run};
