//! Step ids while checking one item: a stack of step scopes (the workflow
//! body, then each loop, for-each, retry and phase inside it), each holding
//! the ids taken in it. A second step with an id already taken in the same
//! scope is E0303. Structured nodes take their own name as an id in the
//! enclosing scope, so a loop and a step cannot share one either.

use crate::diag::{Code, Diagnostic, Span};
use crate::typeck::fxhash::FxMap;
use crate::typeck::typed::{StepId, StepSeg};
use crate::typeck::types::Name;

const STEP_HINT: &str = "step ids identify steps in the journal and must be unique in their \
                         scope; bind one to another name or give it `:name other-name`";

const APPLY_HINT: &str = "applying a function parameter may run a workflow, which is a step \
                          named after the parameter; bind each application to its own name \
                          in a `let*`";

#[derive(Debug)]
struct Frame {
    segments: Vec<StepSeg>,
    taken: FxMap<Name, Span>,
}

#[derive(Debug, Default)]
pub struct Steps {
    frames: Vec<Frame>,
    /// In a defn, where steps are already an error (E0301): no E0303.
    quiet: bool,
}

impl Steps {
    /// Starts the item `root` (a workflow or defn name); `quiet` in a defn.
    pub fn start(&mut self, root: &Name, quiet: bool) {
        self.quiet = quiet;
        self.frames.clear();
        self.frames.push(Frame {
            segments: vec![StepSeg {
                name: root.clone(),
                repeats: false,
            }],
            taken: FxMap::default(),
        });
    }

    /// Takes `name` in the current scope; the step's full id.
    pub fn take(&mut self, name: &Name, span: Span, diags: &mut Vec<Diagnostic>) -> StepId {
        self.take_with(name, span, diags, STEP_HINT)
    }

    /// Takes the id of an application of a function value, which is a step
    /// when the function is a workflow.
    pub fn take_application(&mut self, name: &Name, span: Span, diags: &mut Vec<Diagnostic>) {
        self.take_with(name, span, diags, APPLY_HINT);
    }

    fn take_with(
        &mut self,
        name: &Name,
        span: Span,
        diags: &mut Vec<Diagnostic>,
        hint: &str,
    ) -> StepId {
        let Some(frame) = self.frames.last_mut() else {
            return StepId::default();
        };
        let mut segments = frame.segments.clone();
        segments.push(StepSeg {
            name: name.clone(),
            repeats: false,
        });
        let id = StepId { segments };
        if let Some(first) = frame.taken.get(name) {
            if self.quiet {
                return id;
            }
            diags.push(
                Diagnostic::error(Code::E0303, span, format!("step id `{id}` is used twice"))
                    .with_primary(format!("second step named `{name}`"))
                    .with_label(*first, "first step with this id")
                    .with_hint(hint),
            );
        } else {
            frame.taken.insert(name.clone(), span);
        }
        id
    }

    /// Takes `name` for a structured node and enters its scope; `repeats`
    /// for loops, for-each and retry.
    pub fn enter(
        &mut self,
        name: &Name,
        span: Span,
        repeats: bool,
        diags: &mut Vec<Diagnostic>,
    ) -> StepId {
        let mut id = self.take(name, span, diags);
        if let Some(last) = id.segments.last_mut() {
            last.repeats = repeats;
        }
        self.frames.push(Frame {
            segments: id.segments.clone(),
            taken: FxMap::default(),
        });
        id
    }

    pub fn leave(&mut self) {
        if self.frames.len() > 1 {
            self.frames.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_nest_and_duplicates_are_reported_per_scope() {
        let mut steps = Steps::default();
        let mut diags = Vec::new();
        steps.start(&"stack".into(), false);
        let l = steps.enter(&"review-fix".into(), Span::default(), true, &mut diags);
        let r = steps.take(&"review".into(), Span::default(), &mut diags);
        assert_eq!(r.to_string(), "stack/review-fix[]/review");
        steps.leave();
        steps.take(&"review".into(), Span::default(), &mut diags);
        assert!(diags.is_empty());
        steps.take(&"review-fix".into(), Span::default(), &mut diags);
        assert_eq!(diags.len(), 1);
        assert_eq!(l.to_string(), "stack/review-fix");
    }
}
