//! The refusals: E05xx diagnostics for what the YAML DSL cannot express,
//! each at the construct's span, saying why and what to write instead.
//! Lowering goes on after a refusal, so one run reports all of them.

use super::Lowering;
use super::jq::Untranslatable;
use crate::diag::{Code, Diagnostic, Span};

impl Lowering<'_> {
    pub(super) fn refuse(&mut self, code: Code, span: Span, message: String, hint: &str) {
        let label = match code {
            Code::E0501 => "this step waits for a person",
            Code::E0502 => "this budget",
            Code::E0503 => "read here",
            Code::E0504 => "this retry",
            Code::E0505 => "not specialised for YAML",
            Code::E0507 => "this step's result",
            Code::E0508 => "not a literal",
            Code::E0509 => "flattened here",
            _ => "no jq translation",
        };
        let mut d = Diagnostic::error(code, span, message)
            .with_primary(label)
            .with_hint(hint.to_string());
        // Inside another module (the standard library, say), show the
        // calls in other files that lead there.
        for site in self.call_sites.iter().filter(|s| s.file != span.file) {
            d = d.with_label(*site, "reached through this call");
        }
        self.diags.push(d);
    }

    pub(super) fn refuse_human(&mut self, span: Span) {
        self.refuse(
            Code::E0501,
            span,
            "a `human` step cannot be lowered to YAML: the DSL has no step that pauses a run \
             for an answer"
                .into(),
            "run this workflow with `wfl run` (which pauses and takes `wfl answer`), or replace \
             the question with a `command` or `provider` step",
        );
    }

    pub(super) fn refuse_budget(&mut self, span: Span) {
        self.refuse(
            Code::E0502,
            span,
            "a `budget` cannot be lowered to YAML: the DSL cannot cap what steps spend".into(),
            "run this workflow with `wfl run`, or remove the budget (the YAML run is then uncapped)",
        );
    }

    pub(super) fn refuse_retry_context(&mut self, span: Span, what: &str) {
        self.refuse(
            Code::E0503,
            span,
            format!(
                "a `retry` whose body reads `{what}` cannot be lowered to YAML: the DSL's \
                 `retries` re-runs a step unchanged, with no record of earlier attempts"
            ),
            "run this workflow with `wfl run`, or retry without `attempt`/`failures` (a plain \
             retry of one step becomes `retries`)",
        );
    }

    pub(super) fn refuse_retry_shape(&mut self, span: Span) {
        self.refuse(
            Code::E0504,
            span,
            "this `retry` cannot be lowered to YAML: the DSL retries one `command` or \
             `provider` step, and this body has another shape"
                .into(),
            "put the `retry` around the one step that may fail, with the pure code before or \
             after it",
        );
    }

    pub(super) fn refuse_function(&mut self, span: Span, what: &str) {
        self.refuse(
            Code::E0505,
            span,
            format!(
                "{what} cannot be lowered to YAML: each call of a workflow that takes functions \
                 is specialised into a file of its own, so the function must be known when \
                 compiling"
            ),
            "pass a workflow, defn, prompt or built-in by name",
        );
    }

    pub(super) fn refuse_untranslatable(&mut self, u: Untranslatable) {
        self.refuse(
            Code::E0510,
            u.span,
            format!("{} cannot be lowered to a jq step", u.what),
            "rewrite it with defns, prompts and built-ins named directly",
        );
    }

    pub(super) fn refuse_no_fields(&mut self, span: Span, ty: &str) {
        self.refuse(
            Code::E0507,
            span,
            format!(
                "a step returning `{ty}` cannot be lowered to YAML: the DSL 2.14 output contract \
                 declares scalar fields only, and `{ty}` has none"
            ),
            "return a record with at least one String, Int, Float, Bool, Path or enum field \
             (lists may sit beside it)",
        );
    }

    pub(super) fn refuse_literal_option(&mut self, span: Span, option: &str) {
        self.refuse(
            Code::E0508,
            span,
            format!("`{option}` must be a literal number for the YAML back end: the DSL takes it as a number in the file"),
            "write the number in place, e.g. `:timeout 600`",
        );
    }

    pub(super) fn refuse_clash(&mut self, span: Span, name: &str, what: &str) {
        self.refuse(
            Code::E0509,
            span,
            format!("two {what} flatten to the same YAML name `{name}`"),
            "rename one of the fields or parameters (nested record fields are joined with `_`)",
        );
    }
}
