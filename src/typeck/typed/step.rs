//! Static step ids. A step's id is the path of scope names from its
//! workflow down to the step's own name (`stack/review-fix/review`); the
//! runtime appends the round, element or attempt index to each repeating
//! segment (`stack/review-fix[2]/review`). Ids never depend on runtime
//! counters other than those indices, and are unique per scope (E0303).

use crate::typeck::types::Name;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StepSeg {
    pub name: Name,
    /// A loop, for-each or retry: its body runs many times, and the runtime
    /// adds the round/element/attempt index after this segment.
    pub repeats: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct StepId {
    /// From the enclosing workflow (or defn) to the step itself.
    pub segments: Vec<StepSeg>,
}

impl StepId {
    /// The step's own name (the last segment).
    pub fn name(&self) -> &str {
        self.segments.last().map_or("", |s| &s.name)
    }
}

impl fmt::Display for StepId {
    /// `stack/review-fix[]/review`: `[]` marks where an index goes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.segments.iter().enumerate() {
            if i > 0 {
                f.write_str("/")?;
            }
            f.write_str(&seg.name)?;
            if seg.repeats && i + 1 < self.segments.len() {
                f.write_str("[]")?;
            }
        }
        Ok(())
    }
}
