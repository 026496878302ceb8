//! The runtime: evaluation of checked workflows with effects at typed
//! boundaries, the `Executor` seam that runs processes, and the run journal.

pub mod executor;
pub mod journal;
pub mod rundir;
pub mod value;
