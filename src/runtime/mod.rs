//! The runtime: evaluation of checked workflows with effects at typed
//! boundaries (`eval`, pure parts in `pure`), the `Executor` seam that runs
//! processes, providers (declared or swapped, `replay` from recorded
//! answers), and the run directory with its append-only journal. `run`
//! starts a run; `resume` replays its journal and goes on; `answer`
//! journals the answer to an open question.

pub mod answer;
pub mod eval;
pub mod executor;
mod inputs;
pub mod journal;
pub mod providers;
pub mod pure;
pub mod replay;
pub mod report;
mod run;
pub mod rundir;
pub mod value;

pub use inputs::{entry_workflow, read_inputs, recorded_inputs};
pub use run::{ResumeRequest, RunOutcome, RunRequest, resume, run};
